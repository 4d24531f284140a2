"""The ledger's vocabulary in the database (migration 0004): CHECK constraints refuse a value outside
records.py's, on SQLite and PostgreSQL, and a store made before the migration keeps every row."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import func, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from claimledger.records import REGISTERED
from claimledger.store import schema as t
from claimledger.store.database import open_engine, run_migrations
from claimledger.store.search import search

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def to_revision(engine, revision: str, action=command.upgrade) -> None:
    """Run an Alembic command (upgrade, downgrade, stamp) on the store, as store/database.py does."""
    run_migrations(engine, revision, action)


def fill(engine) -> None:
    """One article with a source, a statement, a registered claim (stored as 'user' before 0004), a
    stance and a side, evidence, a time and a verdict."""
    with engine.begin() as c:
        c.execute(insert(t.articles).values(id=1, content_hash="h1", length=40, text="The ferry was seaworthy, Haddad said.",
                                            ingested_at=NOW, outlet="Harbour Post"))
        c.execute(insert(t.sources).values(id=1, name="Amir Haddad", kind="person", anonymous=False, identity_key="haddad"))
        c.execute(insert(t.article_sources).values(article_id=1, source_id=1, local_id="S1", name="Amir Haddad",
                                                   kind="person", anonymous=False))
        c.execute(insert(t.attributions).values(id=1, article_id=1, local_id="A1", source_id=1, cue="said",
                                                cue_class="speech", negated_cue=False, content="The ferry was seaworthy",
                                                start=0, end=23, direct=False, quote="indirect", anonymous=False,
                                                sentence="The ferry was seaworthy, Haddad said."))
        c.execute(insert(t.claims).values(id=1, text="The ferry was seaworthy.", origin="user", created_at=NOW,
                                          status="asserted only", support_sources=1))
        c.execute(insert(t.article_claims).values(article_id=1, claim_id=1, local_id="C1", text="The ferry was seaworthy.",
                                                  origin="registered", negated=False, article_stance="support"))
        c.execute(insert(t.stances).values(article_id=1, attribution_id=1, claim_id=1, source_id=1, stance="support",
                                           confidence=0.9, because="The ferry was seaworthy"))
        c.execute(insert(t.source_stances).values(article_id=1, claim_id=1, source_id=1, stance="support"))
        c.execute(insert(t.evidence).values(article_id=1, attribution_id=1, kind="document", text="records", start=0, end=7))
        c.execute(insert(t.times).values(article_id=1, attribution_id=1, text="today", start=0, end=5, relative=False,
                                         role="event"))
        c.execute(insert(t.claim_resolutions).values(claim_id=1, verdict="true", decided_by="desk", decided_at=NOW))


def counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {table.name: c.execute(select(func.count()).select_from(table)).scalar_one()
                for table in t.metadata.sorted_tables}


BAD = [
    (t.stances, "stance", "unrelated"),
    (t.source_stances, "stance", "agree"),
    (t.claims, "status", "contested"),
    (t.article_claims, "article_stance", "discuss"),
    (t.article_claims, "headline_stance", "unrelated"),
    (t.attributions, "cue_class", "shouting"),
    (t.evidence, "kind", "rumour"),
    (t.claim_resolutions, "verdict", "maybe"),
]


def test_the_constraints_are_the_vocabulary():
    assert set(t.VOCABULARY) == {(table.name, column) for table, column, _ in BAD}
    assert t.vocabulary_check("stances", "stance") == "stance IN ('support', 'deny', 'neutral')"
    assert t.vocabulary_check("article_claims", "article_stance").startswith("article_stance IS NULL OR ")


def test_a_store_made_before_the_migration_keeps_its_rows_and_refuses_what_is_not_the_vocabulary(store_url):
    old = open_engine(store_url, migrate=False)
    to_revision(old, "0003")
    fill(old)
    before = counts(old)
    old.dispose()
    engine = open_engine(store_url)  # opening migrates to the head
    assert counts(engine) == before  # the rebuilt tables kept their rows, and their children theirs
    with engine.connect() as c:
        assert c.execute(text("select version_num from alembic_version")).scalar_one() == "0005"
        assert c.execute(select(t.claims.c.origin)).scalar_one() == REGISTERED
        assert [hit.id for hit in search(c, "seaworthy", kind="statement")] == [1]  # the full-text index kept
        assert c.execute(text("select count(*) from anonymous_statements")).scalar_one() == 0  # the views answer
        names = {check["name"] for table, _column, _ in BAD for check in inspect(c).get_check_constraints(table.name)}
    assert {f"ck_{table.name}_{column}" for table, column, _ in BAD} <= names
    with engine.begin() as c:  # a new statement is indexed by the remade triggers
        c.execute(insert(t.attributions).values(id=2, article_id=1, local_id="A2", cue="said", cue_class="denial",
                                                negated_cue=False, content="No mine struck the hull", start=24, end=40,
                                                direct=True, quote="direct", anonymous=True, sentence="No mine."))
    with engine.connect() as c:
        assert [hit.id for hit in search(c, "hull", kind="statement")] == [2]
    for table, column, value in BAD:
        with pytest.raises(IntegrityError), engine.begin() as c:
            c.execute(update(table).values({column: value}))
    assert counts(engine)["attributions"] == before["attributions"] + 1
    # down and up again: the constraints go and come back, the rows stay
    to_revision(engine, "0003", command.downgrade)
    with engine.connect() as c:
        assert c.execute(select(t.claims.c.origin)).scalar_one() == "user"
        assert not any(inspect(c).get_check_constraints(table.name) for table, _, _ in BAD)
    engine.dispose()
    engine = open_engine(store_url)
    assert counts(engine)["stances"] == before["stances"]
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(update(t.stances).values(stance="unrelated"))
