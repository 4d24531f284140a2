"""search and views: full-text search over statements, claims and sources; three views for journalists

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:30:00

Nothing here is in ``schema.metadata``, which stays the source of truth for the normal tables: these
objects are derived from those tables and are kept up to date by the database itself.

* SQLite: three FTS5 tables with external content (``statements_fts`` over attributions.content,
  ``claims_fts`` over claims.text, ``sources_fts`` over sources.name, role and affiliation). They
  store only the index, not a copy of the text; triggers on the base tables keep them in step on
  insert, update and delete (deletes cascading from an article fire them too). The 'rebuild' at the
  end indexes the rows a store already held before this migration.
* PostgreSQL: GIN indexes on the same ``to_tsvector('english', …)`` expressions that
  ``store/search.py`` matches, so PostgreSQL maintains them and indexes existing rows on creation.
* Both: the views ``claim_deniers``, ``disputed_claims`` and ``anonymous_statements``, the same
  questions as the canned queries in scripts/datasette_metadata.py, for any SQL tool.

Every statement is ``IF NOT EXISTS`` / ``OR REPLACE``, so running it over a store that already has
some of these objects is harmless.
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (FTS table, base table, indexed columns). The FTS rowid is the base table's id.
FTS_TABLES = [
    ("statements_fts", "attributions", ("content",)),
    ("claims_fts", "claims", ("text",)),
    ("sources_fts", "sources", ("name", "role", "affiliation")),
]

# Porter stemming ("denied" finds "denies") and accents folded ("Ortíz" finds "Ortiz"), close to
# PostgreSQL's 'english' configuration.
FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"

# PostgreSQL: the expression each GIN index covers; store/search.py uses the very same text so the
# planner can use the index.
PG_DOCUMENTS = {
    "attributions": "to_tsvector('english', content)",
    "claims": "to_tsvector('english', text)",
    "sources": "to_tsvector('english', coalesce(name, '') || ' ' || coalesce(role, '') || ' ' || coalesce(affiliation, ''))",
}

# The views, in SQL both databases read (booleans are tested bare: 1/0 on SQLite, true/false on PostgreSQL).
VIEWS = {
    "claim_deniers": (
        "select ss.claim_id, c.text as claim, s.id as source_id, s.name as source, s.role, s.affiliation, "
        "s.anonymous, a.id as article_id, a.title, a.outlet, a.published\n"
        "from source_stances ss\n"
        "join claims c on c.id = ss.claim_id\n"
        "join sources s on s.id = ss.source_id\n"
        "join articles a on a.id = ss.article_id\n"
        "where ss.stance = 'deny'\n"
        "order by ss.claim_id, a.published is null, a.published, a.id, s.name"
    ),
    "disputed_claims": (
        "select c.id, c.text, c.support_sources, c.deny_sources, c.neutral_sources, c.articles, "
        "c.first_seen, c.last_seen\n"
        "from claims c\n"
        "where c.support_sources > 0 and c.deny_sources > 0\n"
        "order by c.support_sources + c.deny_sources desc, c.id"
    ),
    "anonymous_statements": (
        "select t.id as attribution_id, t.source_text as speaker, t.cue, t.content, a.id as article_id, "
        "a.title, a.outlet, a.published\n"
        "from attributions t\n"
        "join articles a on a.id = t.article_id\n"
        "where t.anonymous\n"
        "order by a.published is null, a.published, a.id, t.start"
    ),
}


def _sqlite_fts() -> None:
    for fts, base, columns in FTS_TABLES:
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{base}', "
            f"content_rowid='id', tokenize='{FTS5_TOKENIZE}')"
        )
        # External content: FTS5 removes a row's terms only when told the old values, hence 'delete'
        # with old.* before inserting the new ones.
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {base} BEGIN "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {base} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF id, {names} ON {base} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
        )
        # Index whatever the store held before: rebuilds from the base table, so it is also right
        # when the table was already partly indexed.
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _postgresql_fts() -> None:
    for base, document in PG_DOCUMENTS.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{base}_fts ON {base} USING gin ({document})")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_fts()
        for name, sql in VIEWS.items():
            op.execute(f"CREATE VIEW IF NOT EXISTS {name} AS\n{sql}")
    else:
        _postgresql_fts()
        for name, sql in VIEWS.items():
            op.execute(f"CREATE OR REPLACE VIEW {name} AS\n{sql}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    if op.get_bind().dialect.name == "sqlite":
        for fts, _base, _columns in FTS_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    else:
        for base in PG_DOCUMENTS:
            op.execute(f"DROP INDEX IF EXISTS ix_{base}_fts")
