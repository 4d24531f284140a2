"""`claimledger search TEXT`: statements, claims and sources in the store that have every word of TEXT."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict


def register(subparsers: argparse._SubParsersAction) -> None:
    from claimledger.records import SEARCH_KINDS as KINDS  # not the store: every command builds this parser

    parser = subparsers.add_parser(
        "search", help="full-text search of statements, claims and sources",
        description="Find the statements, claims and sources whose words include every word of TEXT "
                    "(stemmed: 'denied' finds 'denies'). Matched words are [bracketed] in the snippet.")
    parser.add_argument("text", nargs="+", metavar="TEXT", help="the words to find")
    parser.add_argument("--db", default=None, metavar="URL", help="store (default ledger.db)")
    parser.add_argument("--kind", choices=KINDS, help="only this kind of row (default: all three)")
    parser.add_argument("--limit", type=int, default=20, help="at most this many (default 20; 0: all)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine
    from claimledger.store.search import search

    engine = open_engine(args.db, create=False)
    with engine.connect() as connection:
        hits = search(connection, " ".join(args.text), kind=args.kind, limit=max(0, args.limit))
    if args.format == "json":
        sys.stdout.write(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2) + "\n")
        return 0
    for hit in hits:
        where = f" (article {hit.article_id})" if hit.article_id is not None else ""
        # a source may match by its role or affiliation, so its name goes before the snippet
        named = f" {hit.text}" if hit.kind == "source" and hit.snippet.replace("[", "").replace("]", "") != hit.text else ""
        sys.stdout.write(f"{hit.kind} {hit.id}{named}{where}: {hit.snippet}\n")
    if not hits:
        print("nothing found", file=sys.stderr)
    return 0
