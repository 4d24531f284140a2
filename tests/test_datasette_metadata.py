"""docs/datasette-metadata.json: describes every table, view and column of the store, hides the search
index's tables, and its canned queries run."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from claimledger.store.schema import metadata
from web_fixtures import ingested_store

REPO = Path(__file__).resolve().parent.parent
METADATA = REPO / "docs" / "datasette-metadata.json"


def load() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["ledger"]


def test_every_table_and_column_is_described_and_nothing_else():
    tables = load()["tables"]
    with sqlite3.connect(ingested_store()) as connection:  # views and FTS tables live in the migration, not metadata
        stored = dict(connection.execute("select name, type from sqlite_master where type in ('table', 'view')"))
        views = {name for name, kind in stored.items() if kind == "view"}
        view_columns = {view: [row[1] for row in connection.execute(f"pragma table_info({view})")] for view in views}
    stored.pop("alembic_version")
    assert set(tables) == set(stored)
    assert views == {"claim_deniers", "disputed_claims", "anonymous_statements"}
    for view in views:
        assert tables[view]["description"] and list(tables[view]["columns"]) == view_columns[view], view
        assert all(text.strip() for text in tables[view]["columns"].values())
    hidden = {name for name, entry in tables.items() if entry.get("hidden")}
    assert hidden == {name for name in stored if "_fts" in name}
    for base in ("attributions", "claims", "sources"):
        assert tables[tables[base]["fts_table"]]["hidden"]
    for table in metadata.sorted_tables:
        entry = tables[table.name]
        assert entry["description"]
        assert set(entry["columns"]) == {column.name for column in table.columns}, table.name
        assert all(text.strip() for text in entry["columns"].values())
        if "label_column" in entry:
            assert entry["label_column"] in entry["columns"]


def test_the_shipped_file_is_what_the_script_writes(tmp_path):
    script = REPO / "scripts" / "datasette_metadata.py"
    code = f"import runpy, json; m = runpy.run_path({str(script)!r}); print(json.dumps(m['build'](), ensure_ascii=False))"
    built = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(built) == json.loads(METADATA.read_text(encoding="utf-8"))


def test_canned_queries_answer_on_a_real_store():
    queries = load()["queries"]
    with sqlite3.connect(ingested_store()) as connection:
        disputed = connection.execute(queries["disputed_claims"]["sql"]).fetchall()
        assert disputed, "the test store holds disputed claims"
        status = {row[0] for row in connection.execute("select id from claims where status = 'disputed'")}
        assert {row[0] for row in disputed} == status
        deniers = connection.execute(queries["who_denies"]["sql"], {"claim": disputed[0][0]}).fetchall()
        assert deniers and all(row[0] for row in deniers)
        anonymous = connection.execute(queries["anonymous_statements"]["sql"]).fetchall()
        expected = connection.execute("select count(*) from attributions where anonymous = 1").fetchone()[0]
        assert len(anonymous) == expected
