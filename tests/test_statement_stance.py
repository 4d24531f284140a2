"""Statement stance model, per error class of issue 13: (claim, statement, cue) -> expected stance.

Run against the opt-in model path (``StatementStance(..., use_model=True, model_relatedness=True)``)
and skipped when no model is installed in ``models/statement_stance/`` (none is shipped yet: the one
trained so far is below the rules on the seed, see bench/RESULTS.md). With that trained model 12 of
17 pass; these are the bar for the next one.

The sentences are written for these tests: none is in the model's training pairs (its templates use
other actors, places and wordings), none comes from the seed or the shipped examples. Each case
judges the statement inside a short article of its own, as ``analyze`` does.
"""

from __future__ import annotations

import pytest

from claimledger.stance.statement import StatementStance
from claimledger.stance.statement_model import load_statement_model

pytestmark = pytest.mark.skipif(load_statement_model() is None, reason="statement stance model not installed")


def judge(claim: str, statement: str, cue: str = "speech", refused: bool = False, negated: bool = False) -> str:
    stance = StatementStance([("C", claim)], statement, use_model=True, model_relatedness=True)
    verdict = stance.judge(statement, cue, refused=refused, negated_cue=negated).get("C")
    return verdict.stance if verdict else "unrelated"


CASES = {
    "plain support": [
        ("Chad's army shelled rebel camps near Abeche.", "Chadian artillery pounded the rebel camps outside Abeche for two days.", "support"),
        ("Acme Corp has bought the rail operator Zenith.", "Acme completed its purchase of Zenith on Thursday.", "support"),
    ],
    "plain denial in the content": [
        ("Chad's army shelled rebel camps near Abeche.", "Chadian forces have not fired a single shell near Abeche.", "deny"),
        ("The hospital's generator failed during the storm.", "The hospital generator worked throughout the storm without a single interruption.", "deny"),
    ],
    "topical closeness without the claim's actor or event": [
        ("Chad's army shelled rebel camps near Abeche.", "Months of fighting have left the rebels short of fuel and ammunition.", "unrelated"),
        ("Acme Corp has bought the rail operator Zenith.", "Rail freight volumes fell by a fifth last year.", "unrelated"),
    ],
    "hedges and conditionals": [
        ("Chad's army shelled rebel camps near Abeche.", "Any shelling of the rebels by Chad would be a welcome development.", "neutral"),
        ("Acme Corp has bought the rail operator Zenith.", "If Acme were to buy Zenith, regulators would look closely at the deal.", "neutral"),
    ],
    "presupposition and scope": [
        ("Chad's army shelled rebel camps near Abeche.", "The Chadian shelling near Abeche was not agreed with French commanders.", "support"),
        ("Acme Corp has bought the rail operator Zenith.", "Acme's purchase of Zenith will not lead to any station closures.", "support"),
    ],
    "double negation": [
        ("Chad's army shelled rebel camps near Abeche.", "Nobody here doubts that Chadian guns hit the camps near Abeche.", "support"),
    ],
    "alternative cause": [
        ("The chemical plant explosion was caused by sabotage.", "No one tampered with the plant; the blast came from a corroded gas valve.", "deny"),
    ],
    "different actor": [
        ("Chad's army shelled rebel camps near Abeche.", "Sudanese troops clashed with smugglers on the Libyan border.", "unrelated"),
    ],
}


@pytest.mark.parametrize(
    "claim,statement,expected",
    [case for cases in CASES.values() for case in cases],
    ids=[f"{kind}-{i}" for kind, cases in CASES.items() for i in range(len(cases))],
)
def test_content_stance(claim, statement, expected):
    assert judge(claim, statement) == expected


def test_reported_denial_turns_the_content():
    """'X denied that P': the content asserts P, the cue turns it into a denial of P."""
    claim = "Chad's army shelled rebel camps near Abeche."
    assert judge(claim, "Chadian artillery shelled the camps near Abeche", cue="denial") == "deny"


def test_declined_to_confirm_is_neutral():
    claim = "Acme Corp has bought the rail operator Zenith."
    assert judge(claim, "Acme had bought Zenith", cue="refusal", refused=True) == "neutral"


def test_did_not_deny_is_neutral():
    claim = "Acme Corp has bought the rail operator Zenith."
    assert judge(claim, "Acme had bought Zenith", cue="denial", negated=True) == "neutral"


def test_confidence_is_a_probability_and_the_deciding_sentence_is_kept():
    claim = "Chad's army shelled rebel camps near Abeche."
    statement = "The weather was hot. Chadian artillery pounded the rebel camps outside Abeche for two days."
    verdict = StatementStance([("C", claim)], statement, use_model=True, model_relatedness=True).judge(statement, "speech", refused=False, negated_cue=False)["C"]
    assert 0.0 < verdict.confidence <= 1.0
    assert "Abeche" in verdict.because
