"""Attribution constructions on short news snippets we wrote ourselves (tests/cases/constructions.json).

Each case runs ``claimledger.analyze(text, published, claims)`` and checks that every expected
attribution is there (tolerant matcher), that the number of attributions is right, and that the
named sources resolve together or apart as the case says. Failure messages show what was expected
and everything that was extracted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger_matcher import as_dict, check_attributions, describe_ledger, norm, same_source_problems

CASES_FILE = Path(__file__).parent / "cases" / "constructions.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def _run(case: dict) -> dict:
    import claimledger

    return as_dict(claimledger.analyze(case["text"], published=case.get("published"), claims=case.get("claims")))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_is_well_formed(case):
    """The case file itself: phrases occur in the text, counts are consistent (no extractor needed)."""
    text = norm(case["text"])
    for spec in case["expect"]:
        assert norm(spec["content_has"]) in text, f"{case['id']}: {spec['content_has']!r} is not in the text"
        for name in spec.get("source") or []:
            assert norm(name) in text, f"{case['id']}: source name {name!r} is not in the text"
        for key in spec.get("stance") or {}:
            assert int(key) < len(case.get("claims") or []), f"{case['id']}: stance for claim {key} but no such claim"
    has_exact = "expect_count" in case
    has_range = "min_count" in case or "max_count" in case
    assert has_exact != has_range, f"{case['id']}: give expect_count or min/max_count"
    if case.get("expect_count") == 0 or case.get("max_count") == 0:
        assert not case["expect"], f"{case['id']}: expects attributions but a count of 0"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_construction(case):
    ledger = _run(case)
    problems = []
    _, found = check_attributions(ledger, case["expect"], case.get("claims"))
    problems += found
    count = len(ledger.get("attributions", []))
    if "expect_count" in case and count != case["expect_count"]:
        problems.append(f"expected exactly {case['expect_count']} attribution(s), extracted {count}")
    if "min_count" in case and count < case["min_count"]:
        problems.append(f"expected at least {case['min_count']} attribution(s), extracted {count}")
    if "max_count" in case and count > case["max_count"]:
        problems.append(f"expected at most {case['max_count']} attribution(s), extracted {count}")
    groups = case.get("expect_sources") or {}
    problems += same_source_problems(ledger, groups.get("same"), groups.get("different"))
    if problems:
        pytest.fail(
            f"case {case['id']} ({case['construction']})\n  text: {case['text']!r}\n  "
            + "\n  ".join(problems) + "\n" + describe_ledger(ledger),
            pytrace=False,
        )
