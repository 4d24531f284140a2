"""The headline's own side: an article's title read toward each claim it speaks of (the headline stance
model), kept in the ledger and the store, counted as the outlet's voice in the claim's estimate and
as the outlet's side in its record. Invented outlets, people and events."""

from __future__ import annotations

import json

import pytest

import claimledger
from claimledger.ledger.render import render
from claimledger.services.ingest import ingest
from claimledger.services.registration import register_claim
from claimledger.store.database import open_engine
from claimledger.store.queries import get_claim, list_claims
from claimledger.store.records import outlet_record

MINES = "Veloria's navy laid mines in the Kessa strait."
HARVEST = "The Lindvik harvest festival was cancelled because of the drought."
BODY = (
    "Veloria's defence ministry said on Tuesday that none of its ships had been in the strait in March.\n\n"
    "\"Our navy has never laid a mine in those waters,\" ministry spokesman Arvo Kask told reporters.\n"
)


def test_a_title_that_denies_the_claim_is_read_as_deny_and_one_about_something_else_is_not_read():
    ledger = claimledger.analyze(BODY, claims=[MINES, HARVEST],
                                 title="Veloria denies its navy mined the Kessa strait")
    mines, harvest = ledger.claims
    assert mines.headline_stance == "deny"
    assert mines.headline_stance_probabilities["deny"] == max(mines.headline_stance_probabilities.values())
    assert harvest.headline_stance is None  # the title does not speak of the festival
    assert "headline (headline stance model): deny" in render(ledger, "text")


def test_a_plain_text_that_opens_with_a_headline_line_is_read_from_it():
    text = "Navy divers find Velorian mines in the Kessa strait\n\n" + BODY.replace("none of its ships", "two of its ships")
    ledger = claimledger.analyze(text, claims=[MINES])
    assert ledger.claims[0].headline_stance == "support"


def test_outlets_headlines_are_voices_in_the_estimate_and_sides_in_the_outlet_record(tmp_path):
    articles = [
        ("Coastline Herald", "2026-03-03", "Navy divers find Velorian mines in the Kessa strait"),
        ("Strait Times Online", "2026-03-04", "Velorian mines found in the Kessa strait, divers say"),
        ("Lindvik Post", "2026-03-05", "Veloria denies its navy mined the Kessa strait"),
    ]
    batch = tmp_path / "articles.jsonl"
    batch.write_text("".join(
        json.dumps({"title": title, "outlet": outlet, "published": day,
                    "text": BODY.replace("Tuesday", f"day {n}")}) + "\n"
        for n, (outlet, day, title) in enumerate(articles)), encoding="utf-8")
    url = str(tmp_path / "ledger.db")
    engine = open_engine(url)
    claim_id = register_claim(engine, MINES).claim_id
    summary = ingest([str(batch)], url)
    assert summary.failed == [] and summary.ingested == 3
    with engine.connect() as connection:
        claim = get_claim(connection, claim_id)
        [listed] = [c for c in list_claims(connection) if c.id == claim_id]
        herald = outlet_record(connection, "Coastline Herald")
        post = outlet_record(connection, "Lindvik Post")
    basis = " ".join(claim.claim.estimate["basis"])
    assert "outlets' own headlines: " in basis and ", 1 denying, " in basis  # one voice per outlet
    assert listed.estimate == claim.claim.estimate
    assert [c["side"] for c in herald["claims"] if c["claim_id"] == claim_id] == ["support"]
    assert [c["side"] for c in post["claims"] if c["claim_id"] == claim_id] == ["deny"]


@pytest.mark.parametrize("title", ["", "   "])
def test_no_title_and_no_headline_line_means_no_headline_stance(title):
    ledger = claimledger.analyze(BODY, claims=[MINES], title=title or None)
    assert ledger.claims[0].headline_stance is None
