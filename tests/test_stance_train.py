"""Training helpers of the stance model that need no torch: class weights and the choice of head.

The data here is synthetic (seeded Gaussian scores standing in for the two models' outputs), so the
tests check the mechanics of the choice, not FNC-1 accuracy (that is in bench/RESULTS.md).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimledger.stance.model import StanceModel, default_model_dir
from claimledger.stance.train import _fit_head, class_weights


def test_class_weights_power_zero_is_uniform_and_mean_weight_is_one():
    counts = np.array([427.0, 105.0, 1124.0])
    assert class_weights(counts, 0.0) == pytest.approx([1.0, 1.0, 1.0])
    for power in (0.5, 1.0):
        weights = class_weights(counts, power)
        assert (weights * counts).sum() / counts.sum() == pytest.approx(1.0)
        assert weights[1] > weights[0] > weights[2]  # rarest class weighs most
    # power 1 is "balanced": every class carries the same total weight.
    balanced = class_weights(counts, 1.0) * counts
    assert balanced == pytest.approx(np.full(3, balanced[0]))
    # power 0.5: the weight ratio is the square root of the frequency ratio.
    half = class_weights(counts, 0.5)
    assert half[1] / half[2] == pytest.approx(np.sqrt(1124 / 105))


def _synthetic(seed: int = 0, n: int = 1200):
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=n, p=[0.26, 0.07, 0.67])
    logits = rng.normal(0.0, 1.0, (n, 3))
    logits[np.arange(n), y] += 1.2
    bow = np.exp(rng.normal(0.0, 1.0, (n, 3)))
    bow[np.arange(n), y] *= 3.0
    bow /= bow.sum(1, keepdims=True)
    cues = rng.poisson(0.5, (n, 10)).astype(np.float32)
    return logits, bow, cues, y


def test_fit_head_scores_every_candidate_and_records_its_choice():
    logits, bow, cues, y = _synthetic()
    messages = []
    bodies = [i // 30 for i in range(len(y))]  # FNC-like: about 30 headlines per body
    head, info = _fit_head(logits, bow, cues, y, bodies, seed=0, class_weight_power=0.5, log=messages.append)
    candidates = {"cross_encoder", "bag_of_words", "logreg", "logreg_weighted", "logreg_balanced"}
    assert set(info["cv_macro_f1"]) == candidates == set(info["cv_f1_agree_disagree_discuss"])
    assert info["choice"] == max(info["cv_macro_f1"], key=info["cv_macro_f1"].get)
    assert ("class_weights" in info) == (info["choice"] == "logreg_weighted")
    n = StanceModel._head_inputs(logits, bow, cues).shape[1]
    assert np.asarray(head["coef"]).shape == (3, n) and len(StanceModel.HEAD_FEATURES) == n
    assert "logreg_weighted" in messages[0]


def test_weighted_head_finds_more_of_the_rare_class_than_the_plain_one():
    logits, bow, cues, y = _synthetic(seed=1)
    x = StanceModel._head_inputs(logits, bow, cues)
    predictions = {}
    for power in (0.0, 0.5):
        from sklearn.linear_model import LogisticRegression

        weights = dict(enumerate(class_weights(np.bincount(y).astype(float), power).tolist()))
        clf = LogisticRegression(max_iter=2000, class_weight=weights).fit((x - x.mean(0)) / x.std(0), y)
        predictions[power] = clf.predict((x - x.mean(0)) / x.std(0))
    assert (predictions[0.5] == 1).sum() > (predictions[0.0] == 1).sum()


def test_shipped_head_is_the_one_its_manifest_says_was_chosen():
    manifest = json.loads((default_model_dir() / "manifest.json").read_text(encoding="utf-8"))
    head = manifest["training"]["head"]
    assert head["choice"] == max(head["cv_macro_f1"], key=head["cv_macro_f1"].get)
    if head["choice"] == "logreg_weighted":
        agree, disagree, discuss = head["class_weights"]
        assert disagree > agree > discuss > 0

