"""`claimledger analyze FILE`: one article in, its ledger out (text, Markdown or JSON)."""

from __future__ import annotations

import argparse
import sys

from claimledger.budget import use_time_budget
from claimledger.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="write the ledger of one article",
        description="Read one article (text, HTML or Markdown; a path or - for stdin) and print its ledger.",
    )
    parser.add_argument("input", help="article file, or - for standard input")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date; anchors 'on Tuesday', '10 days ago'")
    parser.add_argument("--claim", action="append", default=[], metavar="TEXT",
                        help="a claim to judge every statement against (repeatable); without it claims are proposed")
    parser.add_argument("--format", choices=("text", "md", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--title", help="headline, if not in the input")
    parser.add_argument("--outlet", help="the outlet that published the article")
    parser.add_argument("--input-format", choices=("text", "html", "markdown"), help="override format detection")
    parser.add_argument("--max-mb", type=float, default=5.0, help="refuse inputs larger than this (default: 5)")
    parser.add_argument("--lexical-only", action="store_true",
                        help="judge relatedness by words only (no sentence encoder or stance model)")
    parser.add_argument("--any-language", action="store_true", help="do not refuse non-English input")
    parser.add_argument("--time-budget", metavar="SECONDS", default=None,
                        help="fail an article whose analysis takes longer (default 60, or $CLAIMLEDGER_TIME_BUDGET; 0: none)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from claimledger.ingest.reader import read_article
    from claimledger.ledger.render import render
    from claimledger.pipeline import analyze_document
    from claimledger.timex.resolver import check_published

    if args.max_mb <= 0:
        raise UsageError(f"--max-mb must be positive, got {args.max_mb:g}")
    time_budget = use_time_budget(args.time_budget)
    claims = [claim for claim in args.claim if claim.strip()]
    if len(claims) != len(args.claim):
        raise UsageError("--claim needs a non-empty text")
    published = check_published(args.published, args.input)
    document = read_article(
        args.input,
        max_mb=args.max_mb,
        input_format=args.input_format,
        check_language=not args.any_language,
        title=args.title,
        outlet=args.outlet,
        published=published,
    )
    if document.published:
        document.published = check_published(document.published, args.input)
    ledger = analyze_document(document, claims=claims or None, use_stance_model=not args.lexical_only,
                              time_budget=time_budget)
    sys.stdout.write(render(ledger, args.format))
    return 0
