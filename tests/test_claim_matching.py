"""Ranking the store's claims for a text (claims/matching.py ClaimRanker): paraphrases find their
claim, a denial of P finds P, related but different propositions (the seed's C1/C2/C3) stay apart."""

from __future__ import annotations

import json

import pytest

from claimledger.models import sentence_encoder as _encoder
from claimledger.claims.matching import NEW_CLAIM_BELOW, ClaimRanker
from shared_data import shared_path

STORE = {
    1: "A naval mine sank the ferry Marisol.",
    2: "The ferry Marisol was seaworthy.",
    3: "Mayor Tomas Berg took bribes from Halvard Construction.",
    4: "The stainless steel Apple Watch will cost 549 dollars.",
    5: "The gold Apple Watch Edition will cost 4,999 dollars.",
}


@pytest.fixture(scope="module")
def ranker():
    if _encoder() is None:
        pytest.skip("the shipped sentence encoder is not installed")
    return ClaimRanker(_encoder()).fit(list(STORE), list(STORE.values()))


@pytest.mark.parametrize("text, claim", [
    ("Marisol ferry was struck by a mine", 1),
    ("The ferry Marisol was not sunk by a mine", 1),  # a denial of P matches P
    ("Berg denies taking money from Halvard Construction", 3),
    ("Apple Watch Edition in gold to be priced at $4,999", 5),  # the number tells the two prices apart
    ("Steel Apple Watch priced at $549", 4),
])
def test_paraphrases_and_denials_find_their_claim(ranker, text, claim):
    (result,) = ranker.match([text])
    assert result.matches[0].claim == claim and not result.new


def test_an_unrelated_text_starts_a_new_claim(ranker):
    (result,) = ranker.match(["The central bank raised interest rates by half a point"])
    assert result.new and result.matches[0].score < NEW_CLAIM_BELOW


def test_wordings_carry_a_claim_to_looser_paraphrases():
    if _encoder() is None:
        pytest.skip("the shipped sentence encoder is not installed")
    text = "Iran carried out air strikes against Islamic State targets in eastern Iraq."
    bare = ClaimRanker(_encoder()).fit([1], [text])
    worded = ClaimRanker(_encoder()).fit([1], [text], [["Iranian jets bomb Islamic State in Diyala province"]])
    query = ["Iranian jets struck IS in Diyala"]
    assert worded.scores(query)[0, 0] > bare.scores(query)[0, 0]
    assert not worded.match(query)[0].new


def test_the_seed_claims_are_never_merged():
    claims = json.loads(shared_path("seed", "iran-f4-airstrikes.gold.json").read_text(encoding="utf-8"))["claims"]
    if _encoder() is None:
        pytest.skip("the shipped sentence encoder is not installed")
    names = sorted(claims)
    for index, name in enumerate(names):
        others = [n for n in names if n != name]
        store = ClaimRanker(_encoder()).fit(list(range(len(others))), [claims[n] for n in others])
        (result,) = store.match([claims[name]])
        assert result.new, f"{name} would join {others[result.matches[0].claim]} ({result.matches[0].score:.3f})"


def test_an_empty_store_makes_everything_new():
    (result,) = ClaimRanker(None).fit([], []).match(["anything at all"])
    assert result.new and result.matches == []


def test_a_text_naming_other_countries_starts_a_new_claim():
    """Same story, other proposition: the strikes against the coordination with the United States."""
    from claimledger.claims.matching import claim_features

    if _encoder() is None:
        pytest.skip("the shipped sentence encoder is not installed")
    stored = ["In recent days, Iran conducted air strikes against Islamic State targets in eastern Iraq."]
    ranker = ClaimRanker(_encoder()).fit([1], stored, features=claim_features(stored, ""))
    texts = ["Iran's strikes were coordinated with U.S. forces.", "Iran bombed ISIS targets in eastern Iraq"]
    coordinated, paraphrase = ranker.match(texts, features=claim_features(texts, ""))
    assert coordinated.new and coordinated.matches[0].score >= NEW_CLAIM_BELOW - 0.05  # close in score, apart by rule
    assert not paraphrase.new
