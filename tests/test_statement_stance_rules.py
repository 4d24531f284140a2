"""The error classes of issue 13 (tests/test_statement_stance.py's cases) judged by the shipped
statement stance: the rules with the shipped sentence encoder, each statement inside a short article
of its own, as ``analyze`` judges it. Cases the rules do not pass yet are listed, with why, in
tests/known_limitations.json (strict expected failures: a pass fails the suite until removed)."""

from __future__ import annotations

import pytest

from claimledger.models import sentence_encoder
from claimledger.stance.statement import StatementStance
from test_statement_stance import CASES


@pytest.mark.parametrize(
    "claim,statement,expected",
    [case for cases in CASES.values() for case in cases],
    ids=[f"{kind}-{i}" for kind, cases in CASES.items() for i in range(len(cases))],
)
def test_content_stance_by_the_shipped_rules(claim, statement, expected):
    if sentence_encoder() is None:
        pytest.skip("the shipped sentence encoder is not installed")
    stance = StatementStance([("C", claim)], statement, encoder=sentence_encoder())
    verdict = stance.judge(statement, "speech", refused=False, negated_cue=False).get("C")
    assert (verdict.stance if verdict else "unrelated") == expected
