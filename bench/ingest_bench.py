"""Ingest throughput: the 1,683 FNC-1 training bodies into a fresh store, by executor and database.

    python bench/ingest_bench.py [--runs sqlite-1 sqlite-2 dask-2 postgres-2] [--postgres URL] [--limit N]

Each run ingests into an empty store through the real `claimledger ingest` code path and prints
articles/s and the store's row counts (which must be equal across runs: the writer follows input
order whatever the executor). PostgreSQL runs need --postgres (e.g. postgresql://user@127.0.0.1:5432/db).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

REPO = Path(__file__).resolve().parent.parent
BODIES = REPO.parent / "shared" / "data" / "fnc1" / "train_bodies.csv"


def counts(db: str) -> dict[str, int]:
    from claimledger.store import schema as t
    from claimledger.store.database import open_engine

    engine = open_engine(db)
    with engine.connect() as connection:
        return {table: connection.execute(select(func.count()).select_from(getattr(t, table))).scalar_one()
                for table in ("articles", "sources", "attributions", "claims", "stances")}


def run(kind: str, workers: int, db: str, source: str) -> dict:
    from claimledger.services.ingest import ingest

    cluster = None
    address = None
    if kind == "dask":
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        address = cluster.scheduler_address
    try:
        started = time.perf_counter()
        summary = ingest([source], db, workers=workers if kind != "dask" else 1, dask_address=address)
        seconds = time.perf_counter() - started
    finally:
        if cluster is not None:
            cluster.close()
    return {"ingested": summary.ingested, "failed": len(summary.failed), "seconds": round(seconds, 1),
            "articles_per_s": round(summary.ingested / seconds, 2), "rows": counts(db)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="+", default=["sqlite-1", "sqlite-2", "dask-2"])
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database for postgres-N runs")
    parser.add_argument("--limit", type=int, default=0, help="only the first N bodies")
    args = parser.parse_args()
    source = str(BODIES)
    workdir = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    if args.limit:
        import csv

        rows = list(csv.DictReader(BODIES.open(encoding="utf-8")))[: args.limit]
        source = str(workdir / "bodies.csv")
        with open(source, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["Body ID", "articleBody"])
            writer.writeheader()
            writer.writerows(rows)
    print(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores", "python": platform.python_version(),
                      "date": time.strftime("%Y-%m-%d")}))
    for name in args.runs:
        kind, workers = name.rsplit("-", 1)
        if kind == "postgres":
            if not args.postgres:
                sys.exit("postgres runs need --postgres URL")
            from claimledger.store.database import open_engine
            from claimledger.store.schema import metadata

            engine = open_engine(args.postgres)
            with engine.begin() as connection:  # start from an empty store
                metadata.drop_all(connection)
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db, kind = args.postgres, "processes"
        else:
            db = str(workdir / f"{name}.db")
            kind = "dask" if kind == "dask" else "processes"
        result = run(kind, int(workers), db, source)
        print(json.dumps({"run": name, **result}), flush=True)


if __name__ == "__main__":
    main()
