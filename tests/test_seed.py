"""The defining example: the seed article against its hand-made gold ledger.

Runs ``claimledger.analyze`` on ``../shared/seed/iran-f4-airstrikes.txt`` with the gold claims, and
once more through the CLI (``--format json``), and checks attributions, sources, stances, the claim
ledger, conflicts and evidence with the tolerant matcher in ``ledger_matcher``.
"""

from __future__ import annotations

import json

import pytest

from ledger_matcher import (
    as_dict,
    candidates,
    claim_id,
    compare_claim_ledger,
    describe_attribution,
    describe_ledger,
    find_conflict,
    map_gold_sources,
    match_attribution,
    source_matches,
)
from shared_data import shared_path

PUBLISHED = "2014-12-03"
MAX_EXTRA_ATTRIBUTIONS = 3


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(shared_path("seed", "iran-f4-airstrikes.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_text() -> str:
    return shared_path("seed", "iran-f4-airstrikes.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claim_texts(gold) -> list[str]:
    return [gold["claims"][key] for key in sorted(gold["claims"])]


@pytest.fixture(scope="module")
def library_ledger(seed_text, claim_texts) -> dict:
    import claimledger

    return as_dict(claimledger.analyze(seed_text, published=PUBLISHED, claims=claim_texts))


@pytest.fixture(scope="module")
def cli_ledger(claim_texts) -> dict:
    """The ledger printed by ``claimledger analyze ... --format json`` (stdout captured)."""
    import contextlib
    import io

    from claimledger.cli import main

    argv = ["analyze", str(shared_path("seed", "iran-f4-airstrikes.txt")), "--published", PUBLISHED]
    for text in claim_texts:
        argv += ["--claim", text]
    argv += ["--format", "json"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code == 0, f"CLI exited {code}; stderr: {err.getvalue()!r}"
    return json.loads(out.getvalue())


@pytest.fixture(scope="module", params=["library", "cli"])
def ledger(request) -> dict:
    return request.getfixturevalue(f"{request.param}_ledger")


def _spec(gold: dict, item: dict, with_fields: bool) -> dict:
    source = next(s for s in gold["sources"] if s["id"] == item["source"])
    spec = {"source": source["names"], "content_has": item["content_has"]}
    if with_fields:
        for key in ("cue", "medium", "direct"):
            if key in item:
                spec[key] = item[key]
    return spec


def _claim_ids(ledger: dict, gold: dict) -> dict[str, str | None]:
    return {key: claim_id(ledger, text) for key, text in gold["claims"].items()}


def test_claims_keep_their_text(ledger, gold):
    texts = [c.get("text") for c in ledger.get("claims", [])]
    for key, text in gold["claims"].items():
        assert text in texts, f"claim {key} {text!r} not kept verbatim; extracted claims: {texts}"


def test_every_gold_attribution_found_with_its_source(ledger, gold):
    problems = []
    for item in gold["attributions"]:
        _, found = match_attribution(ledger, _spec(gold, item, with_fields=False))
        problems += [f"{item['id']}: {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_cue_medium_and_direct_as_in_gold(ledger, gold):
    problems = []
    for item in gold["attributions"]:
        attribution, found = match_attribution(ledger, _spec(gold, item, with_fields=True))
        if attribution is None:
            continue  # reported by the test above
        problems += [f"{item['id']}: {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_every_gold_stance(ledger, gold):
    ids = _claim_ids(ledger, gold)
    problems = []
    for item in gold["attributions"]:
        spec = _spec(gold, item, with_fields=False)
        spec["stance"] = {ids[item["claim"]] or gold["claims"][item["claim"]]: item["stance"]}
        attribution, found = match_attribution(ledger, spec)
        if attribution is None:
            problems.append(f"{item['id']}: not found")
        problems += [f"{item['id']} ({item['claim']}): {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_claim_ledger_matches_gold(ledger, gold):
    mapping = map_gold_sources(ledger, gold)
    problems = compare_claim_ledger(ledger, gold["ledger"], mapping, _claim_ids(ledger, gold))
    assert not problems, "\n".join(problems) + f"\n  source mapping gold->extracted: {mapping}"


def test_gold_sources_resolve_apart(ledger, gold):
    """Each gold source maps to its own extracted source (Kirby is not merged with Kerry, ...)."""
    mapping = map_gold_sources(ledger, gold)
    seen: dict[str, str] = {}
    problems = []
    for gold_id, extracted in mapping.items():
        if extracted is None:
            problems.append(f"gold source {gold_id} has no extracted source")
        elif extracted in seen:
            problems.append(f"gold sources {seen[extracted]} and {gold_id} both resolved to {extracted}")
        else:
            seen[extracted] = gold_id
    assert not problems, "\n".join(problems)


def test_fact_conflict_on_c1(ledger, gold):
    mapping = map_gold_sources(ledger, gold)
    c1 = _claim_ids(ledger, gold)["C1"]
    support_side = [mapping.get(s) for s in gold["ledger"]["C1"]["support"]]
    conflict = find_conflict(ledger, c1, "fact", [mapping.get("iran_senior_official")], any_of=support_side)
    assert conflict is not None, (
        f"no fact conflict on C1 ({c1}) between the Kirby side {support_side} and "
        f"iran_senior_official ({mapping.get('iran_senior_official')}); extracted conflicts: {ledger.get('conflicts')}"
    )
    assert mapping.get("kirby") in conflict["sources"], f"Kirby ({mapping.get('kirby')}) missing from {conflict}"


def test_time_conflict_on_c1(ledger, gold):
    mapping = map_gold_sources(ledger, gold)
    c1 = _claim_ids(ledger, gold)["C1"]
    conflict = find_conflict(ledger, c1, "time", [mapping.get("kirby"), mapping.get("hashemi")])
    assert conflict is not None, (
        f"no time conflict on C1 ({c1}) involving kirby ({mapping.get('kirby')}) and hashemi "
        f"({mapping.get('hashemi')}) ('in the past several days' vs '10 days ago'); "
        f"extracted conflicts: {ledger.get('conflicts')}"
    )


def test_gold_evidence_kinds(ledger, gold):
    by_id = {s["id"]: s for s in gold["sources"]}
    problems = []
    for item in gold["evidence"]:
        names = by_id[item["source"]]["names"]
        own = [a for a in ledger.get("attributions", []) if source_matches(ledger, a, names)]
        kinds = sorted({e.get("kind") for a in own for e in a.get("evidence") or []})
        if item["kind"] not in kinds:
            problems.append(
                f"{item['source']}: expected evidence kind {item['kind']!r} ({item['text_has']!r}); "
                f"its {len(own)} attribution(s) carry {kinds}"
            )
    assert not problems, "\n".join(problems)


def test_few_attributions_beyond_gold(ledger, gold):
    accounted = set()
    for item in gold["attributions"]:
        for attribution in candidates(ledger, item["content_has"]):
            accounted.add(attribution.get("id"))
    extra = [a for a in ledger.get("attributions", []) if a.get("id") not in accounted]
    assert len(extra) <= MAX_EXTRA_ATTRIBUTIONS, (
        f"{len(extra)} attributions not in gold (at most {MAX_EXTRA_ATTRIBUTIONS} allowed):\n"
        + "\n".join("    - " + describe_attribution(ledger, a) for a in extra)
        + "\n" + describe_ledger(ledger)
    )


def test_offsets_index_the_text(library_ledger, seed_text):
    for attribution in library_ledger.get("attributions", []):
        start, end = attribution["start"], attribution["end"]
        assert seed_text[start:end] == attribution["content"], (
            f"{attribution['id']}: text[{start}:{end}] = {seed_text[start:end]!r} "
            f"but content = {attribution['content']!r}"
        )
