"""vocabulary checks: CHECK constraints keep stances, sides, statuses, cue classes, evidence kinds and
verdicts within the ledger's vocabulary; registered claims are named 'registered'

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 12:00:00

The constraints are ``schema.VOCABULARY`` (the values of ``records.py``), named ``ck_TABLE_COLUMN``.
PostgreSQL adds them in place. SQLite cannot add a constraint to a table, so each table is rebuilt
(Alembic batch mode: a copy with the constraint, rows copied, the old one dropped, the copy renamed);
``store.database.migrate_to_latest`` turns foreign keys off around the migrations, so dropping a
table referenced by others deletes nothing, and checks them after. Rebuilding a table drops its
triggers, and the views over it are in the way, so the full-text triggers and the views of 0003 are
dropped first and made again after (the full-text index is rebuilt from the tables; the row ids are
kept).

A claim a user registered was stored with origin 'user' in ``claims`` and 'registered' in
``article_claims``; both now say 'registered'.
"""
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

from alembic import op
from sqlalchemy import inspect

from claimledger.store.schema import VOCABULARY, vocabulary_check


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _search_and_views():
    """Migration 0003's module, for its full-text triggers and views."""
    path = Path(__file__).with_name("0003_search_and_views.py")
    spec = spec_from_file_location("claimledger_migration_0003", path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rebuild_around(sqlite: bool):
    """On SQLite: the views of 0003 dropped before the tables are rebuilt; returns what remakes them after."""
    if not sqlite:
        return lambda: None
    search = _search_and_views()
    for name in search.VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")

    def remake() -> None:
        search._sqlite_fts()  # IF NOT EXISTS: only the triggers of the rebuilt tables are new
        for name, sql in search.VIEWS.items():
            op.execute(f"CREATE VIEW IF NOT EXISTS {name} AS\n{sql}")

    return remake


def _tables(present: bool) -> dict[str, list[str]]:
    """Table → the columns whose constraint the store has (``present``) or lacks."""
    inspector = inspect(op.get_bind())
    tables: dict[str, list[str]] = {}
    for table, column in VOCABULARY:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            continue  # a column a later migration adds, with its constraint
        names = {check["name"] for check in inspector.get_check_constraints(table)}
        if (f"ck_{table}_{column}" in names) == present:
            tables.setdefault(table, []).append(column)
    return tables


def upgrade() -> None:
    op.execute("UPDATE claims SET origin = 'registered' WHERE origin = 'user'")
    missing = _tables(present=False)  # a store that has some of them already keeps those
    remake = _rebuild_around(op.get_bind().dialect.name == "sqlite" and bool(missing))
    for table, columns in missing.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"), vocabulary_check(table, column))
    remake()


def downgrade() -> None:
    present = _tables(present=True)
    remake = _rebuild_around(op.get_bind().dialect.name == "sqlite" and bool(present))
    for table, columns in present.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
    remake()
    op.execute("UPDATE claims SET origin = 'user' WHERE origin = 'registered'")
