"""Full-text search and the journalists' views (migration 0003, store/search.py) on SQLite and PostgreSQL.

The invented ferry corpus is ingested once per database; tests that change rows work on a copy.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, insert, inspect, select, text, update

from claimledger.cli import main
from claimledger.services.ingest import ingest
from claimledger.store import schema as t
from claimledger.store.database import MIGRATIONS, open_engine, run_migrations
from claimledger.store.search import PG_DOCUMENTS, fts5_query, search

REPO = Path(__file__).resolve().parent.parent
FERRY = Path(__file__).parent / "corpus" / "ferry-marisol.jsonl"
MIGRATION = MIGRATIONS / "versions" / "0003_search_and_views.py"
QUERIES = runpy.run_path(str(REPO / "scripts" / "datasette_metadata.py"))["QUERIES"]
WEIRD = ['"', 'AND', '*', 'NEAR(', 'NEAR(mine', '(', ')', 'OR OR', '-', ':', '^', 'mine"', '"mine',
         "'; drop table claims; --", 'Haddad*', 'col:mine', '', '   ', '\x00', 'é"*']


def new_url(dialect: str, request, tmp_path, name: str) -> str:
    if dialect == "sqlite":
        return str(tmp_path / f"{name}.db")
    return request.getfixturevalue("postgres_server").new_database()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ferry(request, tmp_path_factory):
    """The ferry corpus ingested into a new store: {"dialect", "url", "engine"}."""
    dialect = request.param
    url = new_url(dialect, request, tmp_path_factory.mktemp("search"), "ferry")
    summary = ingest([str(FERRY)], url)
    assert summary.failed == [] and summary.ingested == 7
    return {"dialect": dialect, "url": url, "engine": open_engine(url)}


def copy_rows(source, target) -> None:
    """Every row of the store's tables from one engine to another (same database kind, ids kept); the
    target may be an older store: only the columns it has are copied."""
    with source.connect() as reading, target.begin() as writing:
        for table in t.metadata.sorted_tables:
            present = {column["name"] for column in inspect(writing).get_columns(table.name)}
            rows = [{k: v for k, v in row.items() if k in present} for row in reading.execute(select(table)).mappings()]
            if rows:
                writing.execute(insert(table), rows)


def to_revision(engine, revision: str, action=command.upgrade) -> None:
    """Run an Alembic command (upgrade, downgrade, stamp) on the store, as store/database.py does."""
    run_migrations(engine, revision, action)


def ids(hits, kind: str) -> set[int]:
    return {hit.id for hit in hits if hit.kind == kind}


def test_search_finds_a_statement_a_source_and_a_claim(ferry):
    with ferry["engine"].connect() as connection:
        (statement,) = search(connection, "seaworthy", kind="statement")
        assert "fully seaworthy" in statement.text and "[seaworthy]" in statement.snippet
        article = connection.execute(select(t.articles.c.title).where(t.articles.c.id == statement.article_id)).scalar_one()
        assert article == "Shipping firm says Marisol ferry was seaworthy"
        assert [hit.text for hit in search(connection, "Haddad", kind="source")] == ["Amir Haddad"]
        assert "Kim Sato" in [hit.text for hit in search(connection, "Atlas spokeswoman", kind="source")]  # by role
        assert [hit.id for hit in search(connection, "inspections", kind="statement")] == [statement.id]  # stemmed
        claims = search(connection, "struck mine", kind="claim")
        assert [hit.text for hit in claims] == ["Marisol ferry was struck by a mine"] and claims[0].article_id is None
        # every word must occur: the words are not a phrase, and order does not matter
        assert search(connection, "condition excellent", kind="statement")[0].text == "The ship was in excellent condition"
        assert search(connection, "excellent zeppelin") == []
        everything = search(connection, "Marisol", limit=0)
        assert {hit.kind for hit in everything} == {"statement", "claim", "source"}
        assert len(search(connection, "Marisol", limit=3)) == 3


def test_bad_query_syntax_finds_nothing_or_the_words_never_an_error(ferry):
    with ferry["engine"].connect() as connection:
        for query in WEIRD:
            hits = search(connection, query)
            assert isinstance(hits, list), query
        assert ids(search(connection, 'mine"', kind="claim"), "claim") == ids(search(connection, "mine", kind="claim"), "claim")
        assert search(connection, "Haddad*", kind="source")[0].text == "Amir Haddad"
    assert fts5_query('NEAR(mine "x') == '"NEAR" "mine" "x"'
    assert fts5_query('*"') == ""


def test_views_answer_from_the_tables_and_the_canned_queries_read_them(ferry):
    with ferry["engine"].connect() as connection:
        disputed = connection.execute(text("select * from disputed_claims")).all()
        statuses = set(connection.execute(select(t.claims.c.id).where(t.claims.c.status == "disputed")).scalars())
        assert disputed and {row.id for row in disputed} == statuses
        assert disputed == connection.execute(text(QUERIES["disputed_claims"]["sql"])).all()
        anonymous = connection.execute(text("select * from anonymous_statements")).all()
        unnamed = set(connection.execute(select(t.attributions.c.id).where(t.attributions.c.anonymous)).scalars())
        assert anonymous and {row.attribution_id for row in anonymous} == unnamed
        assert {row.speaker for row in anonymous} == {"A senior coast guard official", "The coast guard"}
        assert sorted(anonymous) == sorted(connection.execute(text(QUERIES["anonymous_statements"]["sql"])).all())
        deniers = connection.execute(text("select * from claim_deniers")).all()
        denials = connection.execute(select(t.source_stances.c.claim_id, t.source_stances.c.source_id)
                                     .where(t.source_stances.c.stance == "deny")).all()
        assert deniers and sorted((row.claim_id, row.source_id) for row in deniers) == sorted(tuple(d) for d in denials)
        for claim in {row.claim_id for row in deniers}:
            asked = connection.execute(text(QUERIES["who_denies"]["sql"]), {"claim": claim}).all()
            assert {row.source for row in asked} == {row.source for row in deniers if row.claim_id == claim}
        assert ("Daniel Reyes", "Minister casts doubt on mine theory in Marisol sinking") in {
            (row.source, row.title) for row in deniers}


def test_updates_and_deletes_keep_the_index_in_step(ferry, request, tmp_path):
    engine = open_engine(new_url(ferry["dialect"], request, tmp_path, "copy"))
    copy_rows(ferry["engine"], engine)  # every row arrives by INSERT: the insert triggers index them
    with engine.connect() as connection:
        (seaworthy,) = search(connection, "seaworthy", kind="statement")
        (haddad,) = search(connection, "Haddad", kind="source")
        (struck,) = search(connection, "struck mine", kind="claim")
        article = seaworthy.article_id
        statements = connection.execute(select(t.attributions.c.id, t.attributions.c.content).where(
            t.attributions.c.article_id == article)).all()
    with engine.begin() as connection:
        connection.execute(update(t.attributions).where(t.attributions.c.id == seaworthy.id).values(
            content="the Marisol had failed its last hull inspection"))
        connection.execute(update(t.sources).where(t.sources.c.id == haddad.id).values(name="Amira Hadid"))
        connection.execute(update(t.claims).where(t.claims.c.id == struck.id).values(text="Pirates scuttled the Marisol"))
    with engine.connect() as connection:
        assert search(connection, "seaworthy", kind="statement") == []
        assert [hit.id for hit in search(connection, "failed hull inspection", kind="statement")] == [seaworthy.id]
        assert search(connection, "Haddad", kind="source") == []
        assert [hit.id for hit in search(connection, "Hadid", kind="source")] == [haddad.id]
        assert search(connection, "struck mine", kind="claim") == []
        assert [hit.id for hit in search(connection, "pirates", kind="claim")] == [struck.id]
    with engine.begin() as connection:  # the article's statements go by ON DELETE CASCADE
        connection.execute(delete(t.articles).where(t.articles.c.id == article))
    with engine.connect() as connection:
        for statement in statements:
            found = search(connection, statement.content, kind="statement", limit=0)
            assert statement.id not in ids(found, "statement"), statement.content
        assert search(connection, "excellent condition", kind="statement") == []
        assert search(connection, "ferry Marisol sank", kind="statement"), "other articles' statements are still found"
        # every statement left is found by its own words (FTS5's integrity-check would not see a stale
        # external-content row on SQLite 3.40, so the rows are checked one by one)
        for row in connection.execute(select(t.attributions.c.id, t.attributions.c.content)):
            assert row.id in ids(search(connection, row.content, kind="statement", limit=0), "statement"), row.content


def test_a_store_made_before_the_migration_gets_its_rows_indexed(ferry, request, tmp_path):
    url = new_url(ferry["dialect"], request, tmp_path, "old")
    old = open_engine(url, migrate=False)
    to_revision(old, "0002")  # the previous head: no search, no views
    copy_rows(ferry["engine"], old)
    names = set(inspect(old).get_table_names()) | set(inspect(old).get_view_names())
    assert "statements_fts" not in names and "claim_deniers" not in names
    engine = open_engine(url)  # opening migrates to the head
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar_one() == "0005"
        assert search(connection, "seaworthy", kind="statement")[0].text.endswith("fully seaworthy when it left port")
        assert [hit.text for hit in search(connection, "Haddad", kind="source")] == ["Amir Haddad"]
        assert search(connection, "struck mine", kind="claim")
        assert connection.execute(text("select count(*) from disputed_claims")).scalar_one() == 2
        before = search(connection, "Marisol", limit=0)
    # Running the migration again over a store that has it changes nothing and indexes nothing twice.
    to_revision(engine, "0002", command.stamp)
    engine = open_engine(url)
    with engine.connect() as connection:
        again = search(connection, "Marisol", limit=0)
        assert again == before and len(again) == len({(hit.kind, hit.id) for hit in again})
    # and down again: the search objects and views go, the tables stay
    to_revision(engine, "0002", command.downgrade)
    names = set(inspect(engine).get_table_names()) | set(inspect(engine).get_view_names())
    assert "statements_fts" not in names and "claim_deniers" not in names and "attributions" in names


def test_the_search_expressions_are_the_ones_the_migration_indexes():
    assert runpy.run_path(str(MIGRATION))["PG_DOCUMENTS"] == PG_DOCUMENTS


def test_search_command(ferry, capsys):
    assert main(["search", "excellent", "condition", "--db", ferry["url"]]) == 0
    out = capsys.readouterr().out
    assert out.startswith("statement ") and "[excellent] [condition]" in out
    assert main(["search", "Haddad", "--kind", "source", "--format", "json", "--db", ferry["url"]]) == 0
    assert '"text": "Amir Haddad"' in capsys.readouterr().out
    for query in ('"', "*", "AND"):
        assert main(["search", query, "--db", ferry["url"]]) == 0
        assert capsys.readouterr().err.strip() in ("nothing found", "")  # "and" is a word, the rest none
    assert main(["search", "NEAR(", "--db", ferry["url"]]) == 0
    assert "mine casing [near] the wreck" in capsys.readouterr().out
