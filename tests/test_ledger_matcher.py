"""The tolerant matcher itself, on a hand-built ledger (no extractor needed)."""

from __future__ import annotations

from claimledger.records import Attribution, Claim, Document, Ledger, Mention, Source, StanceJudgment, TimeRef

from ledger_matcher import (
    check_attributions,
    compare_claim_ledger,
    cue_matches,
    match_attribution,
    norm,
    same_source_problems,
)

TEXT = ("“We saw the trucks leave at dawn,” Mayor Ruth Okafor told AFP on Tuesday. "
        "Okafor later denied that the council had approved the sale.")


def _ledger() -> Ledger:
    okafor = Source(id="s1", name="Ruth Okafor", mentions=[Mention("Mayor Ruth Okafor", 34, 51), Mention("Okafor", 72, 78)])
    council = Source(id="s2", name="the council", kind="organization")
    claim = Claim(id="c1", text="The council approved the sale.", deny=["s1"])
    a1 = Attribution(id="a1", source="s1", cue="told", content="We saw the trucks leave at dawn,", start=1, end=33,
                     direct=True, quote="direct", medium="AFP",
                     times=[TimeRef("at dawn", 24, 31, None, None, relative=True)])
    a2 = Attribution(id="a2", source="s1", cue="denied", content="the council had approved the sale", start=96, end=129,
                     direct=False, stances=[StanceJudgment("c1", "deny", "Okafor later denied ...")])
    return Ledger(document=Document(text=TEXT), sources=[okafor, council], attributions=[a1, a2], claims=[claim])


def test_norm_drops_quotes_and_unifies_apostrophes():
    assert norm("“It’s  done,”\nshe said") == "it's done, she said"


def test_cue_matching_is_inflection_tolerant():
    assert cue_matches("said", "say")
    assert cue_matches("told", "tells")
    assert cue_matches("declined", "declined to either confirm or deny")
    assert cue_matches("according to", "according to")
    assert not cue_matches("denied", "said")


def test_matching_spec_passes_and_mismatches_are_reported_by_field():
    ledger = _ledger()
    claims = ["The council approved the sale."]
    matched, problems = check_attributions(ledger, [
        {"source": ["Okafor"], "content_has": "trucks leave", "cue": "told", "direct": True, "medium": "AFP"},
        {"source": ["Ruth Okafor"], "content_has": "approved the sale", "stance": {"0": "deny"}},
    ], claims)
    assert problems == [] and all(matched)
    _, problems = match_attribution(ledger, {"source": ["Okafor"], "content_has": "trucks leave", "direct": False,
                                             "medium": None, "stance": {"0": "support"}}, claims)
    text = "\n".join(problems)
    assert "direct: expected False" in text and "medium: expected none" in text and "stance toward claim" in text


def test_missing_content_and_wrong_source_are_reported():
    ledger = _ledger()
    _, problems = match_attribution(ledger, {"source": ["Okafor"], "content_has": "no such words"})
    assert "no extracted attribution" in problems[0] and "trucks leave" in problems[0]
    _, problems = match_attribution(ledger, {"source": ["Pillay"], "content_has": "trucks leave"})
    assert "source is 'Ruth Okafor'" in problems[0]


def test_claim_ledger_and_source_groups():
    ledger = _ledger()
    assert compare_claim_ledger(ledger, {"C": {"deny": ["okafor"]}}, {"okafor": "s1"}, {"C": "c1"}) == []
    problems = compare_claim_ledger(ledger, {"C": {"support": ["okafor"]}}, {"okafor": "s1"}, {"C": "c1"})
    assert any("missing" in p for p in problems) and any("unexpected" in p for p in problems)
    assert same_source_problems(ledger, same=[["Mayor Ruth Okafor", "Okafor"]], different=[["Okafor", "council"]]) == []
