"""Ingest-time claim merging (claims/matching.py ClaimRegistry with the learned SameClaimModel):
paraphrases the rules leave apart join one claim; other propositions of the same story, and the same
proposition about another actor, stay apart; the shipped model file is checked before it is used."""

from __future__ import annotations

import json
import shutil

import pytest

from claimledger.claims.matching import (
    ClaimFeatures,
    ClaimRegistry,
    SameClaimModel,
    claim_features,
    default_model_dir,
)
from claimledger.errors import ModelError
from claimledger.models import claim_merge_model, sentence_encoder
from shared_data import shared_path


@pytest.fixture(scope="module")
def encoder():
    if sentence_encoder() is None:
        pytest.skip("the shipped sentence encoder is not installed")
    return sentence_encoder()


@pytest.fixture(scope="module")
def model():
    loaded = claim_merge_model()
    assert loaded is not None, "the claim merging model ships in models/claim_merge/"
    return loaded


def _joins(stored: str, new: str, encoder, model) -> tuple[bool, bool]:
    """(joins by the rules alone, joins with the learned reading)."""
    known, wording = claim_features([stored, new], "", encoder)
    rules, learned = ClaimRegistry(), ClaimRegistry(model=model)
    rules.add(1, known)
    learned.add(1, known)
    return rules.match(wording) is not None, learned.match(wording) is not None


@pytest.mark.parametrize("stored, new", [
    ("Iran carried out air strikes on Islamic State positions in Diyala province",
     "Iranian jets struck Islamic State fighters near Jalawla"),
    ("Trudell issues recall for SUVs with brake problems", "Trudell Motors recalled 40,000 cars over faulty brakes"),
    ("Arsonists started Nordhavn blaze", "The Nordhavn refinery fire was started deliberately"),
    ("Scandal-hit senator Okafor resigns", "Okafor resigned after the bribery scandal"),
], ids=["iran-jets", "trudell-recall", "nordhavn-arson", "okafor-resigns"])
def test_paraphrases_the_rules_leave_apart_join_one_claim(encoder, model, stored, new):
    by_rules, learned = _joins(stored, new, encoder, model)
    assert (by_rules, learned) == (False, True)


@pytest.mark.parametrize("stored, new", [
    ("The Marisol ferry was seaworthy", "The Marisol ferry was struck by a mine"),  # same subject, other predicate
    ("The mayor took bribes", "It never paid the mayor"),
    ("Google will buy Tesla", "Apple will buy Tesla"),  # same predicate, another actor
    ("The U.S. will cooperate with Iran", "Iran's strikes were coordinated with U.S. forces"),
    ("Senator Okafor denied taking bribes", "Senator Okafor will resign next week"),
    ("Trudell Motors will close its Linz plant", "Trudell Motors recalled 40,000 cars over faulty brakes"),
])
def test_other_propositions_of_one_story_stay_apart(encoder, model, stored, new):
    assert _joins(stored, new, encoder, model) == (False, False)


def test_the_seed_claims_stay_apart_with_the_learned_reading(encoder, model):
    gold = json.loads(shared_path("seed", "iran-f4-airstrikes.gold.json").read_text(encoding="utf-8"))
    texts = [gold["claims"][name] for name in sorted(gold["claims"])]
    article = shared_path("seed", "iran-f4-airstrikes.txt").read_text(encoding="utf-8")
    features = claim_features(texts, article, encoder)
    for index, wording in enumerate(features):
        registry = ClaimRegistry(model=model)
        for other, known in enumerate(features):
            if other != index:
                registry.add(other, known)
        assert registry.match(wording) is None, texts[index]


def test_stored_features_keep_predicate_and_subject(encoder):
    (features,) = claim_features(["The Marisol ferry was struck by a mine"], "", encoder)
    assert "mine" in features.predicate and "ferry" not in features.predicate
    assert features.subject_names == {"marisol"}
    again = ClaimFeatures.from_stored(features.text, features.vector.tobytes(), features.terms_text())
    assert (again.predicate, again.subject_names, again.words) == (features.predicate, features.subject_names, features.words)


def test_a_claim_stored_without_a_predicate_is_left_to_the_rules(encoder, model):
    """Claims stored before predicates were kept: the learned reading does not guess."""
    known, wording = claim_features(["Scandal-hit senator Okafor resigns", "Okafor resigned after the bribery scandal"], "",
                                    encoder)
    old = ClaimFeatures.from_stored(known.text, known.vector.tobytes(),
                                    "|".join(t for t in known.terms_text().split("|") if not t.startswith(("pred:", "subj:"))))
    registry = ClaimRegistry(model=model)
    registry.add(1, old)
    assert registry.match(wording) is None


def test_a_corrupt_or_foreign_model_is_refused(tmp_path):
    target = tmp_path / "claim_merge"
    shutil.copytree(default_model_dir(), target)
    SameClaimModel.load(target)  # the copy loads
    model_file = target / "same_claim.json"
    model_file.write_text(model_file.read_text(encoding="utf-8").replace('"threshold"', '"threshold" ', 1), encoding="utf-8")
    with pytest.raises(ModelError, match="sha256"):
        SameClaimModel.load(target)
    with pytest.raises(ModelError, match="manifest missing"):
        SameClaimModel.load(tmp_path / "nowhere")
