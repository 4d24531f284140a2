"""A headline that attributes is a statement by its source, with the article's outlet as medium."""

from __future__ import annotations

import pytest

from claimledger.pipeline import analyze_text

BODY = "\n\nThe announcement came late on Tuesday, after markets had closed.\n"


def _headline_statements(headline: str, outlet: str | None = "Example Wire"):
    ledger = analyze_text(headline + BODY, outlet=outlet, use_stance_model=False)
    end = len(headline)
    found = []
    for attribution in ledger.attributions:
        if attribution.start < end:
            source = next((s for s in ledger.sources if s.id == attribution.source), None)
            found.append((source.name if source else None, attribution.content, attribution.medium))
    return found


@pytest.mark.parametrize(
    "headline, source, content",
    [
        ("Pentagon: Iran appears to be launching airstrikes against ISIS in Iraq", "Pentagon",
         "Iran appears to be launching airstrikes against ISIS in Iraq"),
        ("U.S. officials: talks with Hanoi will resume in May", "U.S. officials", "talks with Hanoi will resume in May"),
        ("US says Iran strikes hit militants near border", "US", "Iran strikes hit militants near border"),
        ("Kremlin denies role in cyber attack on bank", "Kremlin", "role in cyber attack on bank"),
        ("Ministry 'cannot confirm' reports of troop movements", "Ministry", "reports of troop movements"),
        ("Exclusive: Siemens plans to cut 2,000 jobs, sources say", "sources", "Siemens plans to cut 2,000 jobs"),
    ],
)
def test_headline_statement(headline, source, content):
    found = _headline_statements(headline)
    assert (source, content, "Example Wire") in found, found


def test_label_before_colon_is_not_a_source():
    assert _headline_statements("Analysis: why the central bank will wait") == []


def test_headline_without_outlet_has_no_medium():
    found = _headline_statements("Pentagon: Iran appears to be launching airstrikes against ISIS in Iraq", outlet=None)
    assert found and all(medium is None for _, _, medium in found)


def test_a_first_sentence_is_not_a_headline():
    text = "Police: the word and a colon open this sentence, which is prose and ends with a stop.\nMore text follows.\n"
    ledger = analyze_text(text, outlet="Example Wire", use_stance_model=False)
    assert all(a.cue != ":" for a in ledger.attributions)
