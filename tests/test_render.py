"""Rendering: JSON follows the documented contract; text and Markdown show every statement."""

import json

import claimledger
from claimledger.ledger.render import render

TEXT = (
    "The regional health agency said on Friday that the water supply in Tarvik was safe to drink.\n"
    "\"We found no trace of the solvent in any sample,\" agency director Helena Ruud told NRK.\n"
    "Residents' association chair Piotr Lis rejected the agency's finding."
)
CLAIM = "Tarvik's tap water is safe to drink."


def ledger():
    return claimledger.analyze(TEXT, published="2026-05-09", claims=[CLAIM], use_stance_model=False)


def test_json_contract():
    data = json.loads(render(ledger(), "json"))
    assert data["schema"] == "claimledger.ledger/1"
    assert {"published", "language"} <= data["document"].keys() and "text" not in data["document"]
    for source in data["sources"]:
        assert {"id", "name", "mentions", "role", "affiliation", "country", "anonymous"} <= source.keys()
    source_ids = {s["id"] for s in data["sources"]}
    for attribution in data["attributions"]:
        assert {"id", "source", "cue", "medium", "direct", "content", "start", "end", "stances", "times", "evidence"} <= attribution.keys()
        assert attribution["source"] is None or attribution["source"] in source_ids
        for judgment in attribution["stances"]:
            assert {"claim", "stance", "because"} <= judgment.keys()
    assert data["claims"][0]["text"] == CLAIM
    assert {"support", "deny", "neutral"} <= data["claims"][0].keys()
    quote = next(a for a in data["attributions"] if "no trace" in a["content"])
    assert quote["medium"] == "NRK" and quote["direct"] is True


def test_text_and_markdown_mention_every_statement():
    result = ledger()
    text = render(result, "text")
    markdown = render(result, "md")
    for attribution in result.attributions:
        assert attribution.content[:30] in text
        assert attribution.content[:30].replace("|", "\\\\|") in markdown
    assert "C1" in text and "## Claims" in markdown
