"""The store across articles: ingest the invented corpus (tests/corpus/) into SQLite and PostgreSQL
and check what a fact-checker would read off it.

The corpus: seven articles on the sinking of the ferry *Marisol* (was it a mine?) from four outlets,
six on bribery accusations against Mayor Tomas Berg from three; every name is invented. The same
speakers are named differently ("Coast guard commander Lena Ortiz", "Ortiz", "Commander Lena Ortiz of
the coast guard"; "The Northern Front", "Northern Front rebel group"; "Daniel Reyes", "Reyes").
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claimledger.cli import main
from claimledger.services.ingest import ingest
from claimledger.store import schema as t
from claimledger.store.database import open_engine
from claimledger.store.queries import Filters, get_claim, list_claims
from claimledger.services.registration import register_claim

CORPUS = Path(__file__).parent / "corpus"
MINE = "A naval mine sank the ferry Marisol."
BRIBES = "Mayor Tomas Berg took bribes from Halvard Construction."


def row_counts(url: str) -> dict[str, int]:
    engine = open_engine(url)
    with engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in t.metadata.sorted_tables}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_store(request, tmp_path_factory):
    """The corpus ingested once per database, with the two contested claims registered first."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("store") / "ledger.db")
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    engine = open_engine(url)
    mine = register_claim(engine, MINE).claim_id
    bribes = register_claim(engine, BRIBES).claim_id
    summary = ingest([str(CORPUS)], url)
    assert summary.failed == [] and summary.ingested == 13
    return {"url": url, "engine": engine, "mine": mine, "bribes": bribes}


def sides(ledger) -> dict[str, set[str]]:
    return {side: {s.name for s in getattr(ledger.claim, side)} for side in ("support", "deny", "neutral")}


def test_one_source_across_articles_whatever_the_wording(corpus_store):
    with corpus_store["engine"].connect() as connection:
        names: dict[str, set[str]] = {}
        articles: dict[str, set[int]] = {}
        query = select(t.sources.c.name, t.article_sources.c.name.label("wording"), t.article_sources.c.article_id).join(
            t.article_sources, t.article_sources.c.source_id == t.sources.c.id)
        for row in connection.execute(query):
            names.setdefault(row.name, set()).add(row.wording)
            articles.setdefault(row.name, set()).add(row.article_id)
    assert len(articles["Lena Ortiz"]) == 4 and "Ortiz" in names["Lena Ortiz"]
    assert {"Tomas Berg", "Berg"} <= names["Tomas Berg"]
    assert len(articles["Daniel Reyes"]) == 2 and "Reyes" not in names  # "Reyes" is Daniel Reyes in his article too
    assert len(articles["Anna Lind"]) == 3
    northern_front = [name for name in names if "Northern Front" in name]
    assert len(northern_front) == 1, northern_front  # "The Northern Front" = "Northern Front rebel group"
    assert len(names[northern_front[0]]) == 2


def test_anonymous_speakers_are_never_merged(corpus_store):
    with corpus_store["engine"].connect() as connection:
        rows = connection.execute(select(t.sources.c.id, t.sources.c.identity_key)
                                  .where(t.sources.c.name.like("%official%"))).all()
    assert rows and all(row.identity_key is None for row in rows)


def test_registered_claim_is_tracked_across_outlets_and_disputed(corpus_store):
    with corpus_store["engine"].connect() as connection:
        ledger = get_claim(connection, corpus_store["mine"])
    got = sides(ledger)
    assert ledger.claim.status == "disputed"
    assert "Lena Ortiz" in got["support"]
    assert {"Amir Haddad", "Daniel Reyes"} <= got["deny"]
    assert "Kim Sato" in got["neutral"]  # "declined to comment on whether a mine had caused the sinking"
    assert ledger.claim.articles >= 5
    ortiz = next(s for s in ledger.claim.support if s.name == "Lena Ortiz")
    assert {"Coastline Herald", "Veloria Daily", "Meridian Wire"} <= set(ortiz.outlets)
    assert (ledger.claim.first_seen, ledger.claim.last_seen) == ("2026-03-02", "2026-03-06")
    assert any(c.kind == "fact" for c in ledger.conflicts)


def test_bribery_claim_sides(corpus_store):
    with corpus_store["engine"].connect() as connection:
        ledger = get_claim(connection, corpus_store["bribes"])
    got = sides(ledger)
    assert ledger.claim.status == "disputed"
    assert "Anna Lind" in got["support"] and "Tomas Berg" in got["deny"]
    assert "Tomas Berg" not in got["support"] and "Anna Lind" not in got["deny"]


def test_headline_wordings_of_one_claim_merge_and_different_claims_do_not(store_url, tmp_path):
    """No registered claims: the headlines' own propositions are matched across articles."""
    later = tmp_path / "later.jsonl"
    later.write_text("\n".join(json.dumps(record) for record in [
        {"title": "A mine struck the ferry Marisol, investigators conclude", "outlet": "Harbour Post",
         "published": "2026-03-20", "text": "Investigators said on Friday that a naval mine had sunk the ferry Marisol. "
         "\"The mine was an old one, probably laid decades ago,\" chief investigator Rosa Kell said."},
    ]) + "\n", encoding="utf-8")
    summary = ingest([str(CORPUS / "ferry-marisol.jsonl"), str(later)], store_url)
    assert summary.ingested == 8
    engine = open_engine(store_url)
    with engine.connect() as connection:
        wordings = {}
        for row in connection.execute(select(t.article_claims.c.claim_id, t.article_claims.c.text)):
            wordings.setdefault(row.claim_id, []).append(row.text)
    merged = next(ids for ids, texts in wordings.items() if "Marisol ferry was struck by a mine" in texts)
    assert "A mine struck the ferry Marisol" in wordings[merged]
    seaworthy = next(ids for ids, texts in wordings.items() if "Marisol ferry was seaworthy" in texts)
    assert seaworthy != merged  # a different proposition about the same ferry stays its own claim
    with engine.connect() as connection:
        ledger = get_claim(connection, merged)
    assert {"Rosa Kell"} <= sides(ledger)["support"] and ledger.claim.articles == 2


def test_statements_point_into_their_articles_in_date_order(corpus_store):
    with corpus_store["engine"].connect() as connection:
        ledger = get_claim(connection, corpus_store["mine"])
        texts = dict(connection.execute(select(t.articles.c.id, t.articles.c.text)).all())
    dates = [s.published for s in ledger.statements]
    assert dates == sorted(dates)
    for statement in ledger.statements:
        assert texts[statement.article_id][statement.start:statement.end] == statement.content
        assert statement.outlet


def test_claims_json_contract(corpus_store, capsys):
    assert main(["claims", "--db", corpus_store["url"], "--format", "json"]) == 0
    claims = json.loads(capsys.readouterr().out)
    assert claims and all(set(c) == {"id", "text", "status", "first_seen", "last_seen", "support", "deny", "neutral",
                                     "estimate", "resolution"}
                          for c in claims)
    mine = next(c for c in claims if c["id"] == corpus_store["mine"])
    assert mine["status"] == "disputed"
    assert all(set(s) == {"source_id", "name", "outlets"} for s in mine["support"] + mine["deny"] + mine["neutral"])
    assert claims[0]["status"] == "disputed"  # contested claims first


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "json"])
def test_claim_command_formats(corpus_store, capsys, fmt):
    assert main(["claim", str(corpus_store["mine"]), "--db", corpus_store["url"], "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Lena Ortiz" in out and "Coastline Herald" in out


def test_claims_filters(corpus_store):
    with corpus_store["engine"].connect() as connection:
        disputed = list_claims(connection, Filters(status="disputed"))
        berg = list_claims(connection, Filters(search="bribes"))
        harbour = list_claims(connection, Filters(outlet="Harbour Post"))
        may = list_claims(connection, Filters(since=date(2026, 5, 1)))
        denied = list_claims(connection, Filters(stance="deny"))
    assert {c.id for c in disputed} >= {corpus_store["mine"], corpus_store["bribes"]}
    assert corpus_store["bribes"] in {c.id for c in berg} and corpus_store["mine"] not in {c.id for c in berg}
    assert corpus_store["mine"] in {c.id for c in harbour}
    assert all(c.last_seen >= "2026-05-01" for c in may) and corpus_store["mine"] not in {c.id for c in may}
    assert denied and all(c.deny for c in denied) and corpus_store["mine"] in {c.id for c in denied}


def test_second_ingest_stores_nothing_twice(corpus_store):
    before = row_counts(corpus_store["url"])
    summary = ingest([str(CORPUS)], corpus_store["url"])
    assert (summary.ingested, summary.duplicates, summary.failed) == (0, 13, [])
    assert row_counts(corpus_store["url"]) == before


def test_export_holds_every_row(corpus_store, tmp_path, capsys):
    counts = row_counts(corpus_store["url"])
    assert main(["export", "--db", corpus_store["url"], "--format", "jsonl", "--out", str(tmp_path / "all.jsonl")]) == 0
    lines = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    for table in ("articles", "sources", "attributions", "claims", "stances"):
        assert sum(1 for line in lines if line["table"] == table) == counts[table]
    assert main(["export", "--db", corpus_store["url"], "--format", "csv", "--out", str(tmp_path / "csv")]) == 0
    csv_lines = (tmp_path / "csv" / "attributions.csv").read_text(encoding="utf-8").count("\n")
    assert csv_lines >= counts["attributions"] + 1


def test_registering_a_claim_judges_stored_articles(store_url):
    ingest([str(CORPUS / "ferry-marisol.jsonl")], store_url)
    engine = open_engine(store_url)
    registration = register_claim(engine, "The Northern Front laid mines off Port Kessa.")
    assert registration.created and registration.articles_judged >= 2
    with engine.connect() as connection:
        ledger = get_claim(connection, registration.claim_id)
    assert any("Northern Front" in name or name == "Amir Haddad" for name in sides(ledger)["deny"])
    again = register_claim(engine, "The Northern Front laid mines off Port Kessa.")
    assert not again.created and again.claim_id == registration.claim_id


def test_unknown_claim_is_a_one_line_error(corpus_store, capsys):
    assert main(["claim", "999999", "--db", corpus_store["url"]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "999999" in err


def test_long_source_descriptions_are_stored_on_every_database(store_url, tmp_path):
    """PostgreSQL enforces column lengths where SQLite does not: ids made of long descriptions fit."""
    article = tmp_path / "long.jsonl"
    article.write_text(json.dumps({"text": (
        "The strike will go ahead on Monday, said the vice president of the largest union representing "
        "Border Patrol agents in the southern districts of the state, who spoke after the vote.")}) + "\n",
        encoding="utf-8")
    summary = ingest([str(article)], store_url)
    assert (summary.ingested, summary.failed) == (1, [])


def test_a_concurrent_writer_cannot_duplicate_a_source(store_url, tmp_path):
    """Two writers that read the store before either wrote: the second does not create the speaker
    the first just stored, it is written again against the store as it now is."""
    from claimledger.services.analysis import analyze_batch
    from claimledger.ingest.batch import iter_items
    from claimledger.store.writer import Registries, write_article

    items = [item.document for item in iter_items([str(CORPUS / "mayor-berg.jsonl")])][:2]
    first, second = analyze_batch(items)
    assert all(any(s.name == "Anna Lind" for s in a.ledger.sources) for a in (first, second))
    engine = open_engine(store_url)
    with engine.connect() as connection:
        stale_a, stale_b = Registries(connection), Registries(connection)
    write_article(engine, first, stale_a)
    outcome = write_article(engine, second, stale_b)  # its registries predate the first write
    assert not outcome.duplicate
    with engine.connect() as connection:
        linds = connection.execute(select(t.sources.c.id).where(t.sources.c.name == "Anna Lind")).all()
        articles = connection.execute(select(func.count()).select_from(t.articles)).scalar_one()
    assert len(linds) == 1 and articles == 2
