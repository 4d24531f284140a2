"""No statement lost, none invented: 20 FNC-1 training bodies against hand-checked expectations.

``fnc_expectations.json`` lists, for each body, every attributed statement a careful reader finds
(conventions in its header). The bodies themselves are read from ``../shared/data/fnc1`` and never
copied here. Two checks per body:

* lost: every non-optional statement is extracted (content holds the phrase, source matches, the
  quote flag agrees when the expectation says true/false);
* invented: every extracted attribution overlaps the sentence of some listed statement (required or
  optional), so an attribution with no counterpart in the text fails the test.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from ledger_matcher import as_dict, describe_attribution, describe_ledger, norm, source_matches
from shared_data import shared_path

EXPECTATIONS = json.loads((Path(__file__).parent / "fnc_expectations.json").read_text(encoding="utf-8"))
BODY_IDS = list(EXPECTATIONS["bodies"])

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "adm", "jr",
    "sr", "no", "inc", "corp", "co", "ltd", "vs", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.k", "u.n", "a.m", "p.m", "mt", "ft", "prof", "rev", "d.c",
}


@lru_cache(maxsize=1)
def _bodies() -> dict[str, str]:
    path = shared_path("data", "fnc1", "train_bodies.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def body(body_id: str) -> str:
    return _bodies()[body_id]


_LEDGERS: dict[str, dict] = {}


def ledger_of(body_id: str) -> dict:
    if body_id not in _LEDGERS:
        import claimledger

        _LEDGERS[body_id] = as_dict(claimledger.analyze(body(body_id)))
    return _LEDGERS[body_id]


# ---------------------------------------------------------------------------------------------
# locating phrases and sentences in the raw text

def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """``norm(text)`` plus, for each of its characters, the index of the raw character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, raw in enumerate(text):
        for ch in norm(unicodedata.normalize("NFKC", raw)) if not raw.isspace() else " ":
            if ch == " " and (not out or out[-1] == " "):
                continue
            out.append(ch)
            index.append(i)
    return "".join(out), index


def locate(text: str, phrase: str) -> tuple[int, int] | None:
    """Raw character span of ``phrase`` in ``text`` under the matcher's normalisation."""
    normalised, index = _normalised_with_map(text)
    at = normalised.find(norm(phrase))
    if at < 0:
        return None
    return index[at], index[at + len(norm(phrase)) - 1] + 1


def _is_boundary(text: str, i: int) -> bool:
    """Is there a sentence break right after ``text[i]`` (a . ! ? and any closing quotes after it)?"""
    if text[i] == "\n":
        return True
    if i + 1 < len(text) and not text[i + 1].isspace():
        return False
    j = i
    while j >= 0 and text[j] in "\"'”’»)":
        j -= 1
    if j < 0 or text[j] not in ".!?":
        return False
    if text[j] == ".":
        word = re.search(r"([\w.]+)$", text[:j])
        if word and (word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            return False
    return True


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the sentence(s) containing it."""
    left = start
    while left > 0 and not _is_boundary(text, left - 1):
        left -= 1
    right = max(end - 1, start)
    while right < len(text) - 1 and not _is_boundary(text, right):
        right += 1
    return left, right + 1


def _span_of(text: str, attribution: dict) -> tuple[int, int] | None:
    start, end = attribution.get("start"), attribution.get("end")
    content = attribution.get("content") or ""
    if isinstance(start, int) and isinstance(end, int) and norm(text[start:end]) == norm(content):
        return start, end
    return locate(text, content) or ((start, end) if isinstance(start, int) and isinstance(end, int) else None)


def _source_or_medium(ledger: dict, attribution: dict, names: list[str]) -> bool:
    if source_matches(ledger, attribution, names):
        return True
    medium = norm(attribution.get("medium"))
    return bool(medium) and any(norm(n) in medium for n in names)


# ---------------------------------------------------------------------------------------------
# tests

@pytest.mark.parametrize("body_id", BODY_IDS)
def test_expectations_point_into_the_body(body_id):
    """Each reference phrase occurs in the body (guards the expectations file itself)."""
    text = body(body_id)
    missing = [item["content_has"] for item in EXPECTATIONS["bodies"][body_id] if locate(text, item["content_has"]) is None]
    assert not missing, f"body {body_id}: phrases not in the text: {missing}"
    long = [item["content_has"] for item in EXPECTATIONS["bodies"][body_id] if len(item["content_has"].split()) > 8]
    assert not long, f"body {body_id}: reference phrases longer than 8 words: {long}"


@pytest.mark.parametrize("body_id", BODY_IDS)
def test_no_statement_lost(body_id):
    ledger = ledger_of(body_id)
    problems = []
    for item in EXPECTATIONS["bodies"][body_id]:
        if item.get("optional"):
            continue
        phrase = norm(item["content_has"])
        found = [a for a in ledger.get("attributions", []) if phrase in norm(a.get("content"))]
        label = f"{'/'.join(item['source']) or '(unnamed)'}: {item['content_has']!r}"
        if not found:
            problems.append(f"lost {label}: no extracted content contains the phrase")
            continue
        right_source = [a for a in found if _source_or_medium(ledger, a, item["source"])]
        if not right_source:
            problems.append(f"wrong source for {label}: extracted " + "; ".join(describe_attribution(ledger, a) for a in found))
            continue
        if isinstance(item.get("direct"), bool) and not any(bool(a.get("direct")) == item["direct"] for a in right_source):
            problems.append(f"direct should be {item['direct']} for {label}: extracted "
                            + "; ".join(describe_attribution(ledger, a) for a in right_source))
    assert not problems, f"body {body_id}:\n  " + "\n  ".join(problems) + "\n" + describe_ledger(ledger)


@pytest.mark.parametrize("body_id", BODY_IDS)
def test_none_invented(body_id):
    text = body(body_id)
    ledger = ledger_of(body_id)
    regions = []
    for item in EXPECTATIONS["bodies"][body_id]:
        span = locate(text, item["content_has"])
        if span:
            regions.append(sentence_span(text, *span))
    invented = []
    for attribution in ledger.get("attributions", []):
        span = _span_of(text, attribution)
        if span is None or not any(span[0] < r_end and r_start < span[1] for r_start, r_end in regions):
            invented.append(attribution)
    assert not invented, (
        f"body {body_id}: {len(invented)} extracted attribution(s) match no expected statement:\n"
        + "\n".join("    - " + describe_attribution(ledger, a) for a in invented)
    )
