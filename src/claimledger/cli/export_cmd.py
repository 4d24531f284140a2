"""`claimledger export`: the whole store as JSON Lines or one CSV per table; resolved claims as ClaimReview JSON-LD."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from claimledger.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="export the whole store (jsonl or csv)",
                                   description="Export every table of the store.")
    parser.add_argument("--db", default=None, metavar="URL", help="store (default ledger.db)")
    parser.add_argument("--format", choices=("jsonl", "csv", "claimreview"), default="jsonl",
                        help="claimreview: the resolved claims as schema.org ClaimReview JSON-LD (one JSON array)")
    parser.add_argument("--out", metavar="PATH",
                        help="jsonl: a file (default: standard output); csv: a directory for TABLE.csv files (required)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine
    from claimledger.store.claimreview import export_claimreview
    from claimledger.store.export import export_csv, export_jsonl

    engine = open_engine(args.db, create=False)
    if args.format == "csv":
        if not args.out:
            raise UsageError("export --format csv needs --out DIRECTORY (one CSV per table)")
        counts = export_csv(engine, args.out)
        print(f"wrote {len(counts)} tables, {sum(counts.values())} rows to {args.out}", file=sys.stderr)
        return 0
    write = export_claimreview if args.format == "claimreview" else export_jsonl
    if not args.out:
        write(engine, sys.stdout)
        return 0
    target = Path(args.out)
    if not target.parent.exists():
        raise UsageError(f"{args.out}: the folder {target.parent} does not exist")
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=".export-", delete=False)
    try:
        with handle:
            rows = write(engine, handle)
        os.replace(handle.name, target)
    except BaseException:
        os.unlink(handle.name)
        raise
    print(f"wrote {rows} {'claim reviews' if args.format == 'claimreview' else 'rows'} to {args.out}", file=sys.stderr)
    return 0
