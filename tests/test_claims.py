"""Claims: proposed from the headline, kept verbatim when given, and their conflicts."""

import claimledger
from claimledger.claims.builder import headline_propositions
from claimledger.ledger.conflicts import find_conflicts
from claimledger.records import Attribution, Claim, Document, Ledger, Source, StanceJudgment, TimeRef

STORY = (
    "Harbour officials said on Monday that the ferry Nordlys ran aground because its captain ignored a storm warning.\n"
    "The ferry company denied that the captain had ignored any warning.\n"
    "\"The warning reached the bridge twenty minutes after the grounding,\" company spokeswoman Mia Berg said."
)


def test_headline_is_split_into_its_propositions():
    assert headline_propositions("Bridge closed after crack found; council says repairs will take a year") == [
        "Bridge closed after crack found",
        "Repairs will take a year",
    ]
    assert headline_propositions("Ferry ran aground in storm") == ["Ferry ran aground in storm"]


def test_given_claims_keep_their_text_and_order():
    claims = ["The captain ignored a storm warning.", "The ferry ran aground."]
    ledger = claimledger.analyze(STORY, published="2026-01-14", claims=claims, use_stance_model=False)
    assert [c.text for c in ledger.claims] == claims
    assert [c.origin for c in ledger.claims] == ["user", "user"]


def test_fact_conflict_between_assertion_and_denial():
    ledger = claimledger.analyze(STORY, published="2026-01-14", claims=["The captain ignored a storm warning."], use_stance_model=False)
    claim = ledger.claims[0]
    support = {ledger.source(i).name for i in claim.support}
    deny = {ledger.source(i).name for i in claim.deny}
    assert "Harbour officials" in support
    assert any("ferry company" in name.lower() for name in deny)
    assert any(c.kind == "fact" and c.claim == claim.id for c in ledger.conflicts)


def test_proposed_claims_without_headline():
    ledger = claimledger.analyze(STORY, published="2026-01-14", use_stance_model=False)
    assert ledger.claims and all(c.origin == "proposed" for c in ledger.claims)
    assert "aground" in ledger.claims[0].text


def _ledger_with_times(ranges):
    document = Document(text="x" * 100, published="2026-01-14")
    sources = [Source(id=f"s{i}", name=f"S{i}") for i in range(len(ranges))]
    attributions = []
    for i, (earliest, latest) in enumerate(ranges):
        attributions.append(
            Attribution(
                id=f"a{i}", source=f"s{i}", cue="said", content="x", start=0, end=1, direct=False,
                stances=[StanceJudgment(claim="C1", stance="support", because="x")],
                times=[TimeRef(text="t", start=0, end=1, earliest=earliest, latest=latest, role="event")],
            )
        )
    claim = Claim(id="C1", text="It happened.", support=[s.id for s in sources])
    return Ledger(document=document, sources=sources, attributions=attributions, claims=[claim])


def test_time_conflict_only_when_ranges_do_not_overlap():
    apart = _ledger_with_times([("2026-01-07", "2026-01-14"), ("2026-01-04", "2026-01-04")])
    assert [c.kind for c in find_conflicts(apart)] == ["time"]
    overlapping = _ledger_with_times([("2026-01-07", "2026-01-14"), ("2026-01-10", "2026-01-10")])
    assert find_conflicts(overlapping) == []


def test_a_clause_that_only_says_an_event_happened_is_not_a_second_claim():
    from claimledger.claims.builder import _distinct

    texts = ["Rebels shelled the fuel depot at Kord on Friday.", "The shelling did indeed happen.",
             "The ceasefire did take place.", "The depot was empty at the time."]
    assert _distinct(texts, None, 3) == [texts[0], texts[2], texts[3]]
