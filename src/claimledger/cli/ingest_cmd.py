"""`claimledger ingest PATH…`: analyse articles into the store, with progress and a summary."""

from __future__ import annotations

import argparse
import sys

from claimledger.budget import use_time_budget
from claimledger.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="analyse articles into a store (SQLite or PostgreSQL)",
        description=(
            "Analyse articles into the store: files (text, HTML, Markdown; NAME.meta.json sidecars), directories "
            "(recursively), globs, JSON Lines (text or html, title, url, outlet, published) and FNC-1 body CSVs. "
            "Articles already stored (same text) are skipped, so an interrupted run can simply be started again."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, glob, .jsonl or .csv")
    parser.add_argument("--db", default=None, metavar="URL", help="store: a SQLite path (default ledger.db) or postgresql://…")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="analyse in N local processes (default 1)")
    parser.add_argument("--dask", metavar="ADDRESS", help="analyse on a Dask distributed scheduler (tcp://host:8786)")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that carry none")
    parser.add_argument("--outlet", help="outlet for articles that name none")
    parser.add_argument("--max-mb", type=float, default=5.0, help="skip articles larger than this (default: 5)")
    parser.add_argument("--any-language", action="store_true", help="do not skip non-English articles")
    parser.add_argument("--time-budget", metavar="SECONDS", default=None,
                        help="fail an article whose analysis takes longer (default 60, or $CLAIMLEDGER_TIME_BUDGET; 0: none)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from claimledger.ingest.batch import Defaults
    from claimledger.services.ingest import ingest
    from claimledger.timex.resolver import check_published

    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    if args.max_mb <= 0:
        raise UsageError(f"--max-mb must be positive, got {args.max_mb:g}")
    use_time_budget(args.time_budget)
    defaults = Defaults(
        published=check_published(args.published, "--published") if args.published else None,
        outlet=args.outlet,
        max_mb=args.max_mb,
        check_language=not args.any_language,
    )
    bar = None

    def on_total(total: int) -> None:
        nonlocal bar
        bar = tqdm(total=total, unit="article", disable=args.quiet or None, file=sys.stderr, dynamic_ncols=True)

    try:
        summary = ingest(args.paths, args.db, workers=args.workers, dask_address=args.dask, defaults=defaults,
                         progress=lambda n: bar.update(n) if bar else None, on_total=on_total)
    finally:
        if bar is not None:
            bar.close()
    unsupported = f", skipped {len(summary.unsupported)} not article files" if summary.unsupported else ""
    print(f"ingested {summary.ingested}, skipped {summary.duplicates} already stored, failed {len(summary.failed)}"
          f"{unsupported} ({summary.seconds:.1f} s, {summary.rate:.1f} articles/s)")
    for name, reason in summary.failed:
        print(f"  failed: {name}: {reason}")
    for name, reason in summary.unsupported:
        print(f"  skipped: {name}: {reason}")
    return 1 if summary.failed and not summary.ingested and not summary.duplicates else 0
