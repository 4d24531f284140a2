"""An ingest killed with SIGKILL mid-run and started again stores exactly what an uninterrupted run stores.

Each article is written in one transaction and articles are keyed by their text's hash, so the
rerun skips what was committed and redoes what was not; the writer follows input order, so the
cross-article claims come out the same too.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from claimledger.services.ingest import ingest
from shared_data import shared_path

ARTICLES = 200
TABLES = ("articles", "sources", "article_sources", "source_mentions", "attributions", "claims", "article_claims",
          "stances", "source_stances", "times", "evidence", "conflicts")


def table_counts(db: str) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def stored_articles(db: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_equals_an_uninterrupted_run(tmp_path):
    bodies = shared_path("data", "fnc1", "train_bodies.csv")
    sample = tmp_path / "bodies.csv"
    with bodies.open(encoding="utf-8") as source, sample.open("w", newline="", encoding="utf-8") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames)
        writer.writeheader()
        for _, row in zip(range(ARTICLES), reader):
            writer.writerow(row)

    uninterrupted = str(tmp_path / "uninterrupted.db")
    summary = ingest([str(sample)], uninterrupted)
    assert summary.ingested + summary.duplicates + len(summary.failed) == ARTICLES

    killed = str(tmp_path / "killed.db")
    command = [sys.executable, "-m", "claimledger", "ingest", str(sample), "--db", killed, "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while stored_articles(killed) < ARTICLES // 4 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = stored_articles(killed)
    assert 0 < partial < summary.ingested, "the kill must land mid-run"
    with sqlite3.connect(killed) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    resumed = subprocess.run(command, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"skipped {partial + summary.duplicates} already stored" in resumed.stdout
    assert table_counts(killed) == table_counts(uninterrupted)
