"""The ClaimReview export against the schema.org vocabulary: every type it uses exists, every property
it sets is one schema.org defines on that type (or a type it inherits from), with a value of an
expected kind, and the properties Google's fact-check markup requires are there.

The vocabulary below is the part of schema.org (https://schema.org/ClaimReview, /Claim, /Rating,
/NewsArticle …, version 29) that a ClaimReview of ours may use, copied by hand: types with their
parent and own properties, properties with the kinds of value they accept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from claimledger.cli import main
from claimledger.services.ingest import ingest
from claimledger.store.claimreview import claim_reviews
from claimledger.store.database import open_engine
from claimledger.services.decisions import resolve_claim

CORPUS = Path(__file__).parent / "corpus"

TYPES: dict[str, tuple[str | None, set[str]]] = {  # type: (parent, its own properties)
    "Thing": (None, {"name", "url", "description", "identifier", "alternateName", "sameAs", "image"}),
    "CreativeWork": ("Thing", {"author", "datePublished", "dateCreated", "dateModified", "headline", "publisher",
                               "text", "citation", "inLanguage", "about"}),
    "Review": ("CreativeWork", {"itemReviewed", "reviewRating", "reviewBody", "reviewAspect"}),
    "ClaimReview": ("Review", {"claimReviewed"}),
    "Claim": ("CreativeWork", {"appearance", "firstAppearance", "claimInterpreter"}),
    "Article": ("CreativeWork", {"articleBody", "articleSection", "wordCount"}),
    "NewsArticle": ("Article", {"dateline", "printEdition", "printPage"}),
    "Intangible": ("Thing", set()),
    "Rating": ("Intangible", {"ratingValue", "bestRating", "worstRating", "ratingExplanation", "author"}),
    "Organization": ("Thing", {"legalName", "logo"}),
    "Person": ("Thing", {"familyName", "givenName", "affiliation"}),
}
TEXT, NUMBER, DATE, URL = "Text", "Number", "Date", "URL"
RANGES: dict[str, set[str]] = {  # property: the kinds of value it accepts
    "name": {TEXT}, "alternateName": {TEXT}, "description": {TEXT}, "identifier": {TEXT, URL}, "url": {URL},
    "sameAs": {URL}, "headline": {TEXT}, "text": {TEXT}, "datePublished": {DATE}, "claimReviewed": {TEXT},
    "reviewBody": {TEXT}, "citation": {"CreativeWork", TEXT}, "author": {"Person", "Organization"},
    "publisher": {"Person", "Organization"}, "itemReviewed": {"Thing"}, "reviewRating": {"Rating"},
    "appearance": {"CreativeWork"}, "firstAppearance": {"CreativeWork"}, "ratingValue": {NUMBER, TEXT},
    "bestRating": {NUMBER, TEXT}, "worstRating": {NUMBER, TEXT},
}


def ancestors(kind: str) -> list[str]:
    chain = []
    while kind is not None:
        chain.append(kind)
        kind = TYPES[kind][0]
    return chain


def allowed(kind: str) -> set[str]:
    return set().union(*(TYPES[k][1] for k in ancestors(kind)))


def kind_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(ancestors(value["@type"]))
    if isinstance(value, bool):
        return set()
    if isinstance(value, (int, float)):
        return {NUMBER}
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?", value):
        return {DATE, TEXT}
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return {URL, TEXT}
    return {TEXT} if isinstance(value, str) else set()


def check(node: dict, path: str = "$") -> list[str]:
    """Every way ``node`` strays from the vocabulary above."""
    problems = []
    kind = node.get("@type")
    if kind not in TYPES:
        return [f"{path}: unknown type {kind!r}"]
    for key, value in node.items():
        if key in ("@type", "@context"):
            continue
        if key not in allowed(kind):
            problems.append(f"{path}: {kind} has no property {key!r}")
            continue
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if not kind_of(item) & RANGES[key]:
                problems.append(f"{path}.{key}[{index}]: {item!r} is not one of {sorted(RANGES[key])}")
            if isinstance(item, dict):
                problems += check(item, f"{path}.{key}[{index}]")
    return problems


def test_vocabulary_check_catches_strays():
    assert check({"@type": "ClaimReview", "claimReviewed": "x"}) == []
    assert check({"@type": "ClaimReview", "verdict": "x"}) == ["$: ClaimReview has no property 'verdict'"]
    assert check({"@type": "Verdict"}) == ["$: unknown type 'Verdict'"]
    assert check({"@type": "ClaimReview", "reviewRating": {"@type": "Person", "name": "x"}})  # wrong range
    assert check({"@type": "Rating", "claimReviewed": "x"})  # a property of another type


@pytest.fixture(scope="module")
def resolved_store(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("claimreview") / "ledger.db")
    ingest([str(CORPUS / "ferry-marisol.jsonl")], url)
    engine = open_engine(url)
    resolve_claim(engine, 1, "unresolved", by="Desk")
    resolve_claim(engine, 2, "true", by="Desk", evidence="https://example.org/navy-report", note="Fragments of a mine")
    resolve_claim(engine, 3, "false", by="Desk")
    resolve_claim(engine, 3, "unresolved", by="Desk", note="New evidence reopened it")  # no longer a review
    resolve_claim(engine, 4, "false", by="Desk <script>")
    return url


def test_resolved_claims_export_as_valid_claimreview(resolved_store, capsys):
    assert main(["export", "--db", resolved_store, "--format", "claimreview"]) == 0
    reviews = json.loads(capsys.readouterr().out)
    assert [r["identifier"] for r in reviews] == ["claimledger-claim-2", "claimledger-claim-4"]
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        assert check(review) == []
        # what Google's fact-check markup requires of a ClaimReview
        assert review["claimReviewed"] and review["author"]["name"] and review["reviewRating"]["alternateName"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
        assert review["itemReviewed"]["@type"] == "Claim" and review["itemReviewed"]["appearance"]
    true, false = reviews
    assert true["reviewRating"]["ratingValue"] == 5 and true["reviewRating"]["alternateName"] == "True"
    assert true["citation"] == "https://example.org/navy-report" and true["reviewBody"] == "Fragments of a mine"
    assert false["reviewRating"]["ratingValue"] == 1 and false["author"]["name"] == "Desk <script>"


def test_claimreview_to_a_file(resolved_store, tmp_path):
    out = tmp_path / "reviews.jsonld"
    assert main(["export", "--db", resolved_store, "--format", "claimreview", "--out", str(out)]) == 0
    with open_engine(resolved_store).connect() as connection:
        assert json.loads(out.read_text(encoding="utf-8")) == claim_reviews(connection)
