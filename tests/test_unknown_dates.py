"""An article without a publication date stays undated in the store: never the day it was ingested."""

from __future__ import annotations

import json

from claimledger.cli import main

FIRST = ("The harbour master, Tomas Ek, said the ferry Marisol was sunk by a naval mine. "
         "\"It was a mine, there is no doubt,\" Ek told reporters.\n")
SECOND = ("The navy spokesman, Lars Holm, denied that the ferry Marisol was sunk by a naval mine. "
          "\"There was no mine in that channel,\" Holm said.\n")
CLAIM = "The ferry Marisol was sunk by a naval mine."


def run(capsys, *argv) -> str:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_undated_article_keeps_an_unknown_date_sorted_last(tmp_path, capsys):
    db = str(tmp_path / "store.db")
    (tmp_path / "undated.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "dated.txt").write_text(SECOND, encoding="utf-8")
    run(capsys, "claim", "add", CLAIM, "--db", db)
    run(capsys, "ingest", str(tmp_path / "undated.txt"), "--db", db, "--quiet")
    claims = json.loads(run(capsys, "claims", "--db", db, "--format", "json"))
    claim = next(c for c in claims if c["text"] == CLAIM)
    assert claim["first_seen"] is None and claim["last_seen"] is None

    run(capsys, "ingest", str(tmp_path / "dated.txt"), "--db", db, "--quiet", "--published", "2026-03-02")
    claims = json.loads(run(capsys, "claims", "--db", db, "--format", "json"))
    claim = next(c for c in claims if c["text"] == CLAIM)
    assert claim["first_seen"] == claim["last_seen"] == "2026-03-02"
    ledger = json.loads(run(capsys, "claim", str(claim["id"]), "--db", db, "--format", "json"))
    dates = [s["published"] for s in ledger["statements"]]
    assert "2026-03-02" in dates and None in dates
    assert dates.index(None) > max(i for i, d in enumerate(dates) if d), dates  # unknown sorted last
    text = run(capsys, "claim", str(claim["id"]), "--db", db, "--format", "text")
    assert "date unknown" in text
