"""Editors' decisions on claims over the invented ferry corpus (tests/corpus/): `claim match`, `claim
merge` and `claim split` remembered by the store and followed by later ingests, `claim resolve` by CLI
and API (token required), the estimate in `claims --format json`, and the ClaimReview export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from claimledger.api.app import create_app
from claimledger.cli import main
from claimledger.services.ingest import ingest
from claimledger.store import schema as t
from claimledger.store.database import open_engine
from claimledger.store.queries import get_claim, list_claims

CORPUS = Path(__file__).parent / "corpus"
FERRY = CORPUS / "ferry-marisol.jsonl"
TOKEN = "test-token-0123456789"


def records() -> list[dict]:
    return [json.loads(line) for line in FERRY.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("decisions") / "ledger.db")
    summary = ingest([str(FERRY)], url)
    assert summary.failed == [] and summary.ingested == 7
    return url


@pytest.fixture()
def store(base_store, tmp_path):
    """A copy of the ferry store per test, so decisions do not leak between tests."""
    url = str(tmp_path / "ledger.db")
    shutil.copy(base_store, url)
    return url


def claim_of(url: str, title: str) -> int:
    """The stored claim the article with ``title`` carries under its headline."""
    engine = open_engine(url)
    with engine.connect() as connection:
        return connection.execute(
            select(t.article_claims.c.claim_id).join(t.articles, t.articles.c.id == t.article_claims.c.article_id)
            .where(t.articles.c.title == title, t.article_claims.c.origin == "headline")
            .order_by(t.article_claims.c.id)
        ).scalars().first()


def follow_up(record: dict, tmp_path: Path, name: str) -> Path:
    """A later article under the same headline (one sentence more): it words its claim the same way."""
    item = dict(record, text=record["text"] + "\n\nThe investigation continues, officials said on Monday.",
                url=record["url"] + "?update=1")
    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    return path


def test_match_json_lines_one_object_per_line_best_first(store, tmp_path, capsys):
    lines = tmp_path / "texts.txt"
    lines.write_text("A naval mine sank the ferry Marisol\nThe ferry Marisol was not sunk by a mine\n"
                     "The central bank raised interest rates\n", encoding="utf-8")
    assert main(["claim", "match", "--file", str(lines), "--db", store]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["text"] for o in out] == ["A naval mine sank the ferry Marisol", "The ferry Marisol was not sunk by a mine",
                                        "The central bank raised interest rates"]
    mine = claim_of(store, "Marisol ferry was struck by a mine, coast guard chief says")
    for item in out:
        assert set(item) == {"text", "new", "matches"} and len(item["matches"]) >= 5
        assert all(set(m) == {"claim", "text", "score"} for m in item["matches"])
        scores = [m["score"] for m in item["matches"]]
        assert scores == sorted(scores, reverse=True)
    assert out[0]["new"] is False and out[0]["matches"][0]["claim"] == mine
    assert out[1]["new"] is False and out[1]["matches"][0]["claim"] == mine  # a denial of P matches P
    assert out[2]["new"] is True  # nothing in the store is about interest rates


def test_match_errors_are_one_line(store, tmp_path, capsys):
    assert main(["claim", "match", "--db", store]) == 2
    assert main(["claim", "match", "--file", str(tmp_path / "missing.txt"), "--db", store]) == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["claim", "match", "--file", str(empty), "--db", store]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 3 and "Traceback" not in err


def test_merge_is_followed_by_later_ingests_and_survives_a_reingest(store, tmp_path, capsys):
    herald, wire = records()[0], records()[2]
    keep, merged = claim_of(store, herald["title"]), claim_of(store, wire["title"])
    assert keep != merged
    assert main(["claim", "merge", str(keep), str(merged), "--db", store, "--by", "editor"]) == 0
    engine = open_engine(store)
    with engine.connect() as connection:
        listed = {c.id for c in list_claims(connection, limit=0)}
        ledger = get_claim(connection, keep)
    assert merged not in listed and keep in listed
    assert merged in ledger.merged and wire["title"] in {s.article_title for s in ledger.statements}
    # a later article worded as the merged claim was joins the kept claim
    summary = ingest([str(follow_up(wire, tmp_path, "wire-update"))], store)
    assert summary.ingested == 1
    assert claim_of(store, wire["title"]) == keep
    with engine.connect() as connection:
        carried = connection.execute(select(t.article_claims.c.claim_id)).scalars().all()
    assert merged not in carried
    # re-ingesting the corpus changes nothing: the decision stands
    assert ingest([str(FERRY)], store).ingested == 0
    with engine.connect() as connection:
        assert merged not in {c.id for c in list_claims(connection, limit=0)}
    capsys.readouterr()
    assert main(["claim", "merge", str(keep), str(merged), "--db", store]) == 2
    assert "already merged" in capsys.readouterr().err


def test_split_takes_articles_to_a_new_claim_and_later_ingests_follow(store, tmp_path, capsys):
    herald, wire = records()[0], records()[2]
    keep, merged = claim_of(store, herald["title"]), claim_of(store, wire["title"])
    assert main(["claim", "merge", str(keep), str(merged), "--db", store]) == 0
    engine = open_engine(store)
    with engine.connect() as connection:
        wire_article = connection.execute(select(t.articles.c.id).where(t.articles.c.title == wire["title"])).scalar()
    capsys.readouterr()
    assert main(["claim", "split", str(keep), "--article", str(wire_article), "--db", store, "--by", "editor"]) == 0
    assert "carry claim" in capsys.readouterr().out
    new = claim_of(store, wire["title"])
    assert new not in (keep, merged)
    with engine.connect() as connection:
        assert wire["title"] not in {s.article_title for s in get_claim(connection, keep).statements}
        assert wire["title"] in {s.article_title for s in get_claim(connection, new).statements}
    assert main(["claim", "split", str(new), "--article", str(wire_article), "--db", store]) == 2  # its only article
    ingest([str(follow_up(wire, tmp_path, "wire-update"))], store)
    with engine.connect() as connection:
        titles = connection.execute(
            select(t.articles.c.url).join(t.article_claims, t.article_claims.c.article_id == t.articles.c.id)
            .where(t.article_claims.c.claim_id == new)).scalars().all()
    assert wire["url"] + "?update=1" in titles
    # an article that does not carry the claim cannot leave it; nor can no article
    assert main(["claim", "split", str(keep), "--article", "999", "--db", store]) == 2
    assert main(["claim", "split", str(keep), "--db", store]) == 2


def test_resolve_by_cli_keeps_history_and_exports_claimreview(store, capsys):
    claim = claim_of(store, records()[0]["title"])
    assert main(["claim", "resolve", str(claim), "false", "--by", "Desk A", "--db", store]) == 0
    assert main(["claim", "resolve", str(claim), "true", "--by", "Desk B", "--evidence", "https://example.org/navy",
                 "--note", "Navy divers found mine fragments", "--db", store, "--format", "json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(out)["verdict"] == "true"
    assert main(["claims", "--db", store, "--format", "json"]) == 0
    listed = {c["id"]: c for c in json.loads(capsys.readouterr().out)}
    assert listed[claim]["resolution"]["verdict"] == "true" and listed[claim]["resolution"]["by"] == "Desk B"
    with open_engine(store).connect() as connection:
        history = get_claim(connection, claim).resolutions
    assert [h["verdict"] for h in history] == ["false", "true"]
    assert main(["export", "--db", store, "--format", "claimreview"]) == 0
    (review,) = json.loads(capsys.readouterr().out)
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["ratingValue"] == 5
    assert review["citation"] == "https://example.org/navy"
    for bad in (["maybe", "--by", "x"], ["true"], ["true", "--by", "x", "--evidence", "javascript:alert(1)"]):
        assert main(["claim", "resolve", str(claim), *bad, "--db", store]) == 2
    assert main(["claim", "resolve", "9999", "true", "--by", "x", "--db", store]) == 2
    assert "no such claim" in capsys.readouterr().err


def test_resolve_by_api_needs_the_token(store):
    claim = claim_of(store, records()[0]["title"])
    body = {"verdict": "false", "by": "API desk", "evidence": "https://example.org/x", "note": "retracted"}
    with TestClient(create_app(store, token=TOKEN)) as client:
        assert client.post(f"/api/claims/{claim}/resolution", json=body).status_code == 401
        assert client.post(f"/api/claims/{claim}/resolution", json=body,
                           headers={"Authorization": "Bearer wrong-token-0000"}).status_code == 401
        before = client.get(f"/api/claims/{claim}").json()
        assert before["resolutions"] == [] and before["claim"]["resolution"] is None
        auth = {"Authorization": f"Bearer {TOKEN}"}
        response = client.post(f"/api/claims/{claim}/resolution", json=body, headers=auth)
        assert response.status_code == 201 and response.json()["verdict"] == "false"
        after = client.get(f"/api/claims/{claim}").json()  # the read cache sees the new verdict
        assert after["claim"]["resolution"]["verdict"] == "false" and len(after["resolutions"]) == 1
        listed = client.get("/api/claims", params={"limit": 200}).json()["items"]
        assert next(c for c in listed if c["id"] == claim)["resolution"]["note"] == "retracted"
        assert "estimate" in listed[0]
        assert client.post("/api/claims/9999/resolution", json=body, headers=auth).status_code == 404
        assert client.post(f"/api/claims/{claim}/resolution", json={**body, "verdict": "maybe"}, headers=auth).status_code == 422
        assert client.post(f"/api/claims/{claim}/resolution", json={**body, "evidence": "javascript:x"},
                           headers=auth).status_code == 422
        page = client.get(f"/claims/{claim}").text
        assert "retracted" in page and "API desk" in page
    with TestClient(create_app(store, token=None)) as client:
        assert client.post(f"/api/claims/{claim}/resolution", json=body, headers=auth).status_code == 403


def test_claims_json_carries_an_estimate_or_null(store, capsys):
    assert main(["claims", "--db", store, "--format", "json"]) == 0
    claims = json.loads(capsys.readouterr().out)
    for claim in claims:
        sided = claim["support"] or claim["deny"] or claim["neutral"]
        if not sided and claim["estimate"] is not None:  # no source on any side: only outlets' headlines
            assert any(reason.startswith("of these, outlets' own headlines") for reason in claim["estimate"]["basis"])
        elif not sided:
            assert claim["estimate"] is None
        else:
            assert 0.0 < claim["estimate"]["p_true"] < 1.0 and all(isinstance(b, str) for b in claim["estimate"]["basis"])


def test_decisions_on_sqlite_and_postgresql(store_url):
    """Migration 0002 and every decision on both databases: a merge of a negated wording turns its
    stances; split, resolve and the ClaimReview export read back the same."""
    from claimledger.store.claimreview import claim_reviews
    from claimledger.services.decisions import merge_claims, resolve_claim, split_claim
    from claimledger.services.registration import register_claim

    engine = open_engine(store_url)
    assert ingest([str(FERRY)], store_url).ingested == 7
    keep = claim_of(store_url, records()[0]["title"])
    negated = register_claim(engine, "A naval mine did not sink the ferry Marisol.").claim_id
    with engine.connect() as connection:
        before = dict(connection.execute(select(t.stances.c.id, t.stances.c.stance).where(t.stances.c.claim_id == negated)).all())
    assert before, "the registered denial should be spoken to by the corpus"
    merge_claims(engine, keep, negated, by="editor")
    with engine.connect() as connection:
        after = dict(connection.execute(select(t.stances.c.id, t.stances.c.stance).where(t.stances.c.id.in_(list(before)))).all())
        decision = connection.execute(select(t.claim_decisions)).one()
    turned = {"support": "deny", "deny": "support", "neutral": "neutral"}
    assert decision.turned and all(after[i] == turned[s] for i, s in before.items() if i in after)
    wire = claim_of(store_url, records()[2]["title"])
    with engine.connect() as connection:
        articles = connection.execute(select(t.article_claims.c.article_id).where(t.article_claims.c.claim_id == wire)).scalars().all()
    if len(articles) > 1:
        new = split_claim(engine, wire, articles[:1], text="The coast guard chief says a mine struck the ferry.")
        assert claim_of(store_url, records()[2]["title"]) in (new, wire)
    resolve_claim(engine, keep, "true", by="Desk", evidence="https://example.org/a")
    with engine.connect() as connection:
        (review,) = claim_reviews(connection)
        listed = {c.id: c for c in list_claims(connection, limit=0)}
    assert review["identifier"] == f"claimledger-claim-{keep}" and negated not in listed
    assert listed[keep].resolution["verdict"] == "true"


def test_a_source_page_shows_its_record(store):
    from claimledger.services.decisions import resolve_claim

    engine = open_engine(store)
    with engine.connect() as connection:  # a source that supports a claim and never denies it
        claim, source = connection.execute(select(t.source_stances.c.claim_id, t.source_stances.c.source_id).where(
            t.source_stances.c.stance == "support").order_by(t.source_stances.c.id)).first()
        sides = set(connection.execute(select(t.source_stances.c.stance).where(
            t.source_stances.c.claim_id == claim, t.source_stances.c.source_id == source)).scalars())
    assert sides == {"support"}
    supporters = [source]
    resolve_claim(engine, claim, "false", by="Desk")
    with TestClient(create_app(store)) as client:
        record = client.get(f"/api/sources/{supporters[0]}").json()["record"]
        assert record["asserted_false"] >= 1
        assert {"claim_id": claim, "side": "support", "verdict": "false"}.items() <= next(
            c for c in record["claims"] if c["claim_id"] == claim).items()
        page = client.get(f"/sources/{supporters[0]}").text
        assert "Record" in page and "resolved false" in page


def test_an_outlet_page_shows_its_record(store):
    from claimledger.services.decisions import resolve_claim

    herald = records()[0]
    engine = open_engine(store)
    with engine.connect() as connection:
        carried = connection.execute(
            select(t.article_claims.c.claim_id).join(t.articles, t.articles.c.id == t.article_claims.c.article_id)
            .where(t.articles.c.outlet == herald["outlet"])).scalars().all()
    resolve_claim(engine, carried[0], "false", by="Desk")
    with TestClient(create_app(store)) as client:
        record = client.get(f"/api/outlets/{herald['outlet']}").json()
        assert record["outlet"] == herald["outlet"] and record["carried"] == len(set(carried))
        assert record["carried_false"] == 1
        assert client.get("/api/outlets/no such outlet").status_code == 404
        page = client.get(f"/outlets/{herald['outlet']}")
        assert page.status_code == 200 and "1 resolved false" in page.text
        article = client.get(f"/articles/{1}").text
        assert "/outlets/" in article


def test_a_resolved_claim_gives_its_voices_a_record_for_other_claims_but_not_for_itself(store):
    """Source records feed the estimate: after claim 3 is resolved true, claim 8, which two of its
    voices also speak to, carries their record in its basis; claim 3's own estimate does not."""
    from claimledger.services.decisions import resolve_claim

    engine = open_engine(store)
    with engine.connect() as connection:
        before = {c.id: c.estimate for c in list_claims(connection, limit=None)}
    resolve_claim(engine, 3, "true", by="Desk editor", evidence="https://example.org/inquiry", note="inquiry report")
    with engine.connect() as connection:
        after = {c.id: c.estimate for c in list_claims(connection, limit=None)}
        detail = get_claim(connection, 8).claim.estimate
    def recorded(estimate):
        return any("a record on other resolved claims" in reason for reason in estimate["basis"])
    assert not recorded(before[8]) and recorded(after[8]) and detail == after[8]
    assert not recorded(after[3]) and after[3] == before[3]  # its own sides never count toward it
    assert after[8]["p_true"] != before[8]["p_true"]
