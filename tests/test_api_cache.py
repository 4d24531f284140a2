"""The read cache never serves a page the store has moved past: any write changes the store's version."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from claimledger.api.app import create_app
from claimledger.api.cache import store_version
from claimledger.services.ingest import ingest
from claimledger.store.database import open_engine
from claimledger.services.registration import register_claim

CORPUS = Path(__file__).parent / "corpus"


def test_cached_answers_follow_every_write(tmp_path):
    db = str(tmp_path / "ledger.db")
    lines = (CORPUS / "mayor-berg.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "first.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    (tmp_path / "second.jsonl").write_text(lines[1] + "\n", encoding="utf-8")
    ingest([str(tmp_path / "first.jsonl")], db)
    engine = open_engine(db)
    client = TestClient(create_app(engine))

    before = client.get("/api/articles")
    assert client.get("/api/articles").content == before.content  # served again, same answer
    version = store_version(engine)

    ingest([str(tmp_path / "second.jsonl")], db)  # another process could have done this write
    assert store_version(engine) != version
    after = client.get("/api/articles")
    assert after.json()["total"] == before.json()["total"] + 1

    claims = client.get("/api/claims").json()["total"]
    register_claim(engine, "Mayor Tomas Berg took bribes from Halvard Construction.")
    assert client.get("/api/claims").json()["total"] == claims + 1
    page = client.get("/claims")
    assert "took bribes from Halvard Construction" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
