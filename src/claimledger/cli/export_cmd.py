"""`claimledger export`: the whole store as JSON Lines or one CSV per table."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from claimledger.errors import UsageError


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="export the whole store (jsonl or csv)",
                                   description="Export every table of the store.")
    parser.add_argument("--db", default=None, metavar="URL", help="store (default ledger.db)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--out", metavar="PATH",
                        help="jsonl: a file (default: standard output); csv: a directory for TABLE.csv files (required)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine
    from claimledger.store.export import export_csv, export_jsonl

    engine = open_engine(args.db, create=False)
    if args.format == "csv":
        if not args.out:
            raise UsageError("export --format csv needs --out DIRECTORY (one CSV per table)")
        counts = export_csv(engine, args.out)
        print(f"wrote {len(counts)} tables, {sum(counts.values())} rows to {args.out}", file=sys.stderr)
        return 0
    if not args.out:
        export_jsonl(engine, sys.stdout)
        return 0
    target = Path(args.out)
    if not target.parent.exists():
        raise UsageError(f"{args.out}: the folder {target.parent} does not exist")
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=".export-", delete=False)
    try:
        with handle:
            rows = export_jsonl(engine, handle)
        os.replace(handle.name, target)
    except BaseException:
        os.unlink(handle.name)
        raise
    print(f"wrote {rows} rows to {args.out}", file=sys.stderr)
    return 0
