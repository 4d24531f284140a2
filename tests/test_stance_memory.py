"""The claim memory of the stance model and its seen-claim head.

The memory keeps, per training headline, how many bodies agreed, disagreed and discussed; a pair
whose headline it holds is judged by a head that also reads those counts, every other pair exactly
as without the memory. Headlines here are written for these tests.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from claimledger.cli import main
from claimledger.errors import ModelError
from claimledger.stance.memory import (CENTROID_FEATURES, MEMORY_FEATURES, ClaimCentroids, ClaimMemory,
                                       centroid_cosines, claim_key, counts_from_other_groups, memory_features,
                                       truncated_unit)
from claimledger.stance.model import (CLAIM_MEMORY_FILE, SEEN_HEAD_TRAINING_FILE, StanceModel,
                                      default_model_dir)
from claimledger.stance.train import fit_seen_head, seen_head_columns

CLAIM = "Mayor resigns over bridge contract"
BODY = (
    "The mayor has not resigned, her office said on Monday, calling reports of a resignation over the "
    "bridge contract false. 'She is at her desk and will finish her term,' a spokesman said. The city "
    "council is reviewing the contract, which was awarded last year without a public tender."
)


def test_claim_key_ignores_case_punctuation_spacing_and_unicode_form():
    assert claim_key(CLAIM) == claim_key("  mayor RESIGNS over bridge-contract! ")
    assert claim_key("Café owner fined") == claim_key("Cafe\u0301 owner fined")  # NFKC joins the accent
    assert claim_key(CLAIM) != claim_key("Mayor resigns over tunnel contract")
    assert len(claim_key(CLAIM)) == 16 and int(claim_key(CLAIM), 16) >= 0


def test_memory_counts_labels_per_claim_and_knows_nothing_of_new_claims():
    memory = ClaimMemory.from_pairs([CLAIM, CLAIM.upper(), CLAIM, "Another claim"], [0, 1, 1, 2])
    assert len(memory) == 2
    np.testing.assert_array_equal(memory.lookup([CLAIM, "A claim never seen", "another claim."]),
                                  [[1, 2, 0], [0, 0, 0], [0, 0, 1]])
    assert memory.lookup([]).shape == (0, 3)
    restored = ClaimMemory.from_dict(json.loads(json.dumps(memory.to_dict())))
    np.testing.assert_array_equal(restored.lookup([CLAIM]), [[1, 2, 0]])
    # Only hashes are stored: no headline text.
    assert "Mayor" not in json.dumps(memory.to_dict()) and CLAIM.lower() not in json.dumps(memory.to_dict())


def test_counts_from_other_groups_leave_out_the_rows_own_body_and_unknown_rows():
    headlines = [CLAIM, CLAIM, CLAIM, CLAIM, "Other"]
    bodies = [1, 1, 2, 3, 1]
    labels = [0, 1, 1, 2, 0]
    known = np.array([0, 1, 2, 4])  # row 3 (body 3) is not in the memory
    counts = counts_from_other_groups(headlines, bodies, labels, known, np.arange(5))
    np.testing.assert_array_equal(counts, [[0, 1, 0],   # body 1's own two rows left out: body 2's remains
                                           [0, 1, 0],
                                           [1, 1, 0],   # body 1's rows count for body 2
                                           [1, 2, 0],   # an unknown body sees every known row of its claim
                                           [0, 0, 0]])  # "Other" occurs only in its own body


def test_memory_features_are_smoothed_log_shares_and_a_count():
    prior = np.array([0.3, 0.1, 0.6])
    features = memory_features(np.array([[0.0, 0.0, 0.0], [3.0, 0.0, 1.0]]), prior)
    assert features.shape == (2, len(MEMORY_FEATURES))
    np.testing.assert_allclose(np.exp(features[0, :3]), prior)  # nothing known: the prior
    np.testing.assert_allclose(np.exp(features[:, :3]).sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(features[1, :3]), [3.3 / 5, 0.1 / 5, 1.6 / 5])
    np.testing.assert_allclose(features[:, 3], [0.0, np.log(5.0)])


@pytest.fixture(scope="module")
def shipped() -> StanceModel:
    return StanceModel.load(use_claim_memory=True)


def _with_memory(model: StanceModel, memory: ClaimMemory) -> StanceModel:
    """A copy of a claim-memory model with another memory and a seen-claim head that reads only it."""
    if not model.claim_memory:
        pytest.skip("the shipped model has no claim memory")
    other = copy.copy(model)
    other.memory_ = memory
    features = other.seen_head_features()
    n = len(features)
    coef = np.zeros((3, n))
    shares = features.index("memory_logp_agree")
    coef[:, shares:shares + 3] = 5 * np.eye(3)  # follow the memory's shares
    other.seen_head_ = {"coef": coef, "intercept": np.zeros(3), "mean": np.zeros(n), "scale": np.ones(n),
                        "low": np.full(n, -1e9), "high": np.full(n, 1e9)}
    return other


def test_new_claims_get_exactly_the_usual_head_and_seen_claims_the_seen_claim_head(shipped):
    model = _with_memory(shipped, ClaimMemory.from_pairs([CLAIM] * 9, [1] * 9))
    usual = copy.copy(model)
    usual.claim_memory = False
    unseen = "Bridge contract was awarded without a tender"
    np.testing.assert_array_equal(model.predict_proba([unseen], [BODY]), usual.predict_proba([unseen], [BODY]))
    seen = model.predict_proba([CLAIM, unseen], [BODY, BODY])
    assert seen[0, :3].argmax() == 1  # the memory says disagree, nine times out of nine
    # Same batch: the new claim's row is untouched.
    np.testing.assert_array_equal(seen[1], usual.predict_proba([CLAIM, unseen], [BODY, BODY])[1])
    assert model.predict([CLAIM], [BODY]) == ["disagree"]


def test_the_memory_is_used_only_when_asked(shipped):
    """Users' claims are new: by default a seen headline gets the head validated on new claims."""
    model = _with_memory(shipped, ClaimMemory.from_pairs([CLAIM] * 9, [1] * 9))
    default = copy.copy(model)
    default.use_claim_memory = False
    usual = copy.copy(model)
    usual.claim_memory = False
    np.testing.assert_array_equal(default.predict_proba([CLAIM], [BODY]), usual.predict_proba([CLAIM], [BODY]))
    assert not np.allclose(model.predict_proba([CLAIM], [BODY]), usual.predict_proba([CLAIM], [BODY]))
    assert not StanceModel.load().use_claim_memory


def test_shipped_memory_matches_its_manifest_and_holds_no_text():
    directory = default_model_dir()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    if not manifest["parameters"].get("claim_memory"):
        pytest.skip("the shipped model has no claim memory")
    data = json.loads((directory / CLAIM_MEMORY_FILE).read_text(encoding="utf-8"))
    info = manifest["training"]["claim_memory"]
    assert len(data["counts"]) == info["claims"]
    assert sum(sum(counts) for counts in data["counts"].values()) == info["pairs"]
    assert all(len(key) == 16 and int(key, 16) >= 0 for key in data["counts"])
    seen_head = info["seen_claim_head"]
    assert seen_head["choice"] == max(seen_head["cv_macro_f1"], key=seen_head["cv_macro_f1"].get)


def test_a_claim_memory_model_saves_reloads_and_refuses_a_missing_memory(tmp_path, shipped):
    model = _with_memory(shipped, ClaimMemory.from_pairs([CLAIM, CLAIM], [1, 1]))
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert CLAIM_MEMORY_FILE in manifest["files"] and manifest["parameters"]["claim_memory"] is True
    reloaded = StanceModel.load(tmp_path / "m", use_claim_memory=True)
    np.testing.assert_array_equal(reloaded.memory_.lookup([CLAIM]), [[0, 2, 0]])
    np.testing.assert_allclose(reloaded.predict_proba([CLAIM], [BODY]), model.predict_proba([CLAIM], [BODY]))
    (tmp_path / "m" / CLAIM_MEMORY_FILE).unlink()
    with pytest.raises(ModelError, match=f"{CLAIM_MEMORY_FILE}: model file missing"):
        StanceModel.load(tmp_path / "m")


def _synthetic_seen(seed: int = 0, n: int = 1500):
    """Rows whose label the memory of the claim predicts well and the cross-encoder poorly."""
    rng = np.random.default_rng(seed)
    claims = rng.integers(0, 60, n)
    claim_label = rng.choice(3, size=60, p=[0.3, 0.15, 0.55])
    y = np.where(rng.random(n) < 0.8, claim_label[claims], rng.choice(3, size=n))
    logits = rng.normal(0.0, 1.0, (n, 3))
    logits[np.arange(n), y] += 0.5
    cues = rng.poisson(0.5, (n, 10)).astype(np.float32)
    inputs = StanceModel._head_inputs(logits, np.full((n, 3), 1 / 3), cues)
    headlines = [f"claim {c}" for c in claims]
    bodies = list(range(n))  # one pair per body
    counts = counts_from_other_groups(headlines, bodies, y, np.arange(n), np.arange(n))
    return inputs, counts, y, bodies


def test_seen_claim_head_reads_the_memory_and_ignores_absent_inputs():
    inputs, counts, y, bodies = _synthetic_seen()
    prior = np.bincount(y, minlength=3) / len(y)
    messages = []
    head, info = fit_seen_head(inputs, counts, y, bodies, prior, seed=0, class_weight_power=0.5,
                               log=messages.append, bag_of_words=False)
    assert set(info["cv_macro_f1"]) == {"logreg", "logreg_weighted", "logreg_balanced"}
    assert info["choice"] == max(info["cv_macro_f1"], key=info["cv_macro_f1"].get)
    assert info["rows"] == int((counts.sum(1) >= 1).sum()) and "seen-claim head" in messages[0]
    unused = sorted(set(range(len(StanceModel.SEEN_HEAD_FEATURES))) - set(seen_head_columns(False)))
    assert unused and np.all(head["coef"][:, unused] == 0)  # the bag-of-words inputs of a recipe without it
    # The memory carries most of the signal here: the head's CV score is far above the logits' argmax.
    seen = counts.sum(1) >= 1
    argmax_accuracy = np.mean(inputs[seen, :3].argmax(1) == y[seen])
    proba = StanceModel._apply_head(head, np.hstack([inputs[seen], memory_features(counts[seen], prior)]))
    assert np.mean(proba.argmax(1) == y[seen]) > argmax_accuracy + 0.2


def test_model_refuses_memory_folds_without_a_memory_and_unknown_seen_head_rows():
    with pytest.raises(ModelError, match="memory_folds needs claim_memory"):
        StanceModel(memory_folds=2)
    with pytest.raises(ModelError, match="seen_head_rows"):
        StanceModel(claim_memory=True, memory_folds=2, seen_head_rows="usual")
    with pytest.raises(ModelError, match="seen_head_rows"):
        StanceModel(claim_memory=True, seen_head_rows="both")
    assert StanceModel(claim_memory=True, memory_folds=2, seen_head_rows="both").get_params()["memory_folds"] == 2


@pytest.mark.parametrize("arguments, message", [
    (["--memory-folds", "2"], "--memory-folds: needs --claim-memory"),
    (["--claim-memory", "--memory-folds", "1"], "--memory-folds 1"),
    (["--claim-memory", "--seen-head-rows", "both"], "--seen-head-rows: needs --memory-folds"),
])
def test_cli_train_rejects_memory_options_that_do_not_fit_together(tmp_path, capsys, arguments, message):
    data = tmp_path / "fnc"
    data.mkdir()
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"), *arguments]) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert not (tmp_path / "m").exists()


def test_seen_head_rows_of_a_memory_folds_model_are_listed_and_checked(tmp_path, shipped):
    model = _with_memory(shipped, ClaimMemory.from_pairs([CLAIM], [0]))
    n = len(StanceModel.HEAD_FEATURES)
    model.seen_head_training_ = {"inputs": np.ones((3, n)), "labels": np.array([0, 1, 2]),
                                 "groups": np.array([4, 5, 6]), "out_of_fold": np.ones(3, bool)}
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert SEEN_HEAD_TRAINING_FILE in manifest["files"]
    StanceModel.load(tmp_path / "m")
    with open(tmp_path / "m" / SEEN_HEAD_TRAINING_FILE, "ab") as saved:
        saved.write(b"\0")  # one byte more: the file is no longer the one the manifest lists
    with pytest.raises(ModelError, match=f"{SEEN_HEAD_TRAINING_FILE}: sha256"):
        StanceModel.load(tmp_path / "m")


# ---------------------------------------------------------------------------------------- centroids

def _unit_rows(dense: list[list[float]]):
    from scipy import sparse

    rows = np.asarray(dense, dtype=np.float64)
    return sparse.csr_matrix(rows / np.linalg.norm(rows, axis=1, keepdims=True))


def test_truncated_unit_keeps_the_largest_weights_and_unit_length():
    indices, weights = truncated_unit(np.array([9, 2, 5, 7]), np.array([0.1, 3.0, 2.0, 0.5]), terms=2)
    np.testing.assert_array_equal(indices, [2, 5])  # sorted by column
    np.testing.assert_allclose(weights, np.array([3.0, 2.0]) / np.sqrt(13.0))
    empty = truncated_unit(np.array([1]), np.array([0.0]))
    assert len(empty[0]) == 0


def test_centroid_cosines_leave_out_the_rows_own_body_and_classes_without_other_bodies():
    # Five articles about one claim: two debunk it with the same words, two agree, one (unknown) new.
    vectors = _unit_rows([[1, 1, 0, 0], [1, 0.9, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0.8], [1, 0.95, 0.1, 0]])
    headlines = [CLAIM] * 5
    bodies = [1, 2, 3, 4, 5]
    labels = [1, 1, 0, 0, 2]
    known = np.arange(4)
    cos = centroid_cosines(vectors, headlines, bodies, labels, known, np.arange(5))
    assert cos[0, 1] > 0.99 and cos[0, 0] < 0.01  # body 1 vs the other debunker (body 2) alone
    assert cos[2, 0] > 0.99 and cos[2, 1] < 0.01
    assert np.all(cos[:4, 2] == 0)  # no known discuss body
    assert cos[4, 1] > 0.95 > cos[4, 0]  # the new article reads like the debunkers
    # A class whose only body is the row's own gives 0, not a cosine with itself.
    alone = centroid_cosines(vectors, headlines, bodies, [1, 0, 0, 0, 2], known, np.array([0]))
    assert alone[0, 1] == 0
    # The shipped form (all known bodies) agrees with the leave-own-body-out form for a new body.
    shipped = ClaimCentroids.from_pairs(vectors[:4], headlines[:4], bodies[:4], labels[:4])
    np.testing.assert_allclose(shipped.cosines([CLAIM], vectors[4]), cos[4:5], atol=1e-6)
    np.testing.assert_array_equal(shipped.cosines(["A claim never seen"], vectors[4]), [[0, 0, 0]])
    restored = ClaimCentroids.from_arrays(shipped.to_arrays())
    np.testing.assert_array_equal(restored.cosines([CLAIM], vectors[4]), shipped.cosines([CLAIM], vectors[4]))


def test_a_body_like_the_claims_debunkers_is_called_disagree_by_a_head_that_reads_the_centroids(shipped):
    if not shipped.claim_centroids:
        pytest.skip("the shipped model has no claim centroids")
    model = _with_memory(shipped, ClaimMemory.from_pairs([CLAIM] * 4, [0, 0, 1, 2]))
    features = model.seen_head_features()
    coef = np.zeros_like(model.seen_head_["coef"])
    first = features.index(CENTROID_FEATURES[0])
    coef[:, first:first + 3] = 10 * np.eye(3)  # follow the most similar class of articles
    model.seen_head_ = {**model.seen_head_, "coef": coef}
    other = "The council approved a new budget for road repairs and school buildings on Tuesday evening."
    vectors = model.vectorizer_.transform([BODY, other, other])
    model.centroids_ = ClaimCentroids.from_pairs(vectors, [CLAIM] * 3, [1, 2, 3], [1, 0, 2])
    assert model.predict([CLAIM], [BODY]) == ["disagree"]


def test_model_and_cli_refuse_centroids_without_a_memory(tmp_path, capsys):
    with pytest.raises(ModelError, match="claim_centroids needs claim_memory"):
        StanceModel(claim_centroids=True)
    data = tmp_path / "fnc"
    data.mkdir()
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"), "--claim-centroids"]) == 2
    error = capsys.readouterr().err
    assert "--claim-centroids: needs --claim-memory" in error and len(error.strip().splitlines()) == 1


def test_shipped_centroids_match_the_memory_and_load_quickly():
    import time

    directory = default_model_dir()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    if not manifest["parameters"].get("claim_centroids"):
        pytest.skip("the shipped model has no claim centroids")
    started = time.perf_counter()
    model = StanceModel.load(directory)
    assert time.perf_counter() - started < 5.0
    memory_keys = set(model.memory_.counts)
    assert {key for key, _ in model.centroids_.centroids} == memory_keys
    for (key, label), (indices, weights) in model.centroids_.centroids.items():
        assert model.memory_.counts[key][label] >= 1  # a centroid only where the class has bodies
        assert len(indices) <= 100 and abs(np.linalg.norm(weights) - 1) < 1e-5
