"""Export the whole store: JSON Lines (one row per line, tagged with its table) or one CSV per table.

Lossless and in foreign-key order (articles before the rows that point to them), so an export can be
loaded elsewhere table by table. Claim vectors are left out: they are the encoder's, not data.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Table, select
from sqlalchemy.engine import Engine

from claimledger.errors import UsageError
from claimledger.store.schema import metadata

SKIPPED_TABLES = {"claim_vectors", "alembic_version"}


def exported_tables() -> list[Table]:
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES]


def export_jsonl(engine: Engine, out: IO[str]) -> int:
    """Write every row as {"table": …, "row": {…}}; returns the number of rows."""
    count = 0
    with engine.connect() as connection:
        for table in exported_tables():
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                out.write(json.dumps({"table": table.name, "row": {k: _plain(v) for k, v in row._mapping.items()}},
                                     ensure_ascii=False) + "\n")
                count += 1
    return count


def export_csv(engine: Engine, directory: str) -> dict[str, int]:
    """Write TABLE.csv for every table into ``directory`` (created; replaced whole, never half-written)."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{directory}: exists and is not a directory")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    counts = {}
    try:
        with engine.connect() as connection:
            for table in exported_tables():
                with open(staging / f"{table.name}.csv", "w", newline="", encoding="utf-8") as handle:
                    writer = csv.writer(handle)
                    writer.writerow([c.name for c in table.columns])
                    counts[table.name] = 0
                    for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                        writer.writerow(["" if v is None else _plain(v) for v in row])
                        counts[table.name] += 1
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
