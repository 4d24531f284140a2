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



def test_out_of_fold_rows_that_mislead_are_caught_because_only_validation_rows_are_scored():
    # Out-of-fold rows where the cross-encoder's logits are reliable, validation rows where they
    # are noise: heads that learn from the out-of-fold rows trust the logits and do worse on the
    # validation rows; an honest CV shows it (scored on the out-of-fold rows, they would shine).
    logits, bow, cues, y = _synthetic(seed=2, n=600)
    logits = np.random.default_rng(3).normal(0.0, 1.0, logits.shape)
    bodies = [i // 30 for i in range(len(y))]
    extra_logits, extra_bow, extra_cues, extra_y = _synthetic(seed=4, n=3000)
    extra_logits[np.arange(len(extra_y)), extra_y] += 4.0
    extra_x = StanceModel._head_inputs(extra_logits, extra_bow, extra_cues)
    _, alone = _fit_head(logits, bow, cues, y, bodies, 0, 0.5, lambda m: None)
    _, stacked = _fit_head(logits, bow, cues, y, bodies, 0, 0.5, lambda m: None, extra_x, extra_y)
    assert "3000 out-of-fold rows" in stacked["cv"] and "out-of-fold" not in alone["cv"]
    for name in ("cross_encoder", "bag_of_words"):  # read validation rows only: unchanged
        assert stacked["cv_macro_f1"][name] == alone["cv_macro_f1"][name]
    for name in ("logreg", "logreg_weighted", "logreg_balanced"):
        assert stacked["cv_macro_f1"][name] < alone["cv_macro_f1"][name] - 0.01
    assert stacked["choice"] == "bag_of_words"


def test_stacked_head_is_fit_on_validation_and_out_of_fold_rows_together():
    from sklearn.linear_model import LogisticRegression

    logits, bow, cues, y = _synthetic(seed=5, n=600)
    bodies = [i // 30 for i in range(len(y))]
    extra = _synthetic(seed=6, n=2400)
    extra_x, extra_y = StanceModel._head_inputs(*extra[:3]), extra[3]
    head, info = _fit_head(logits, bow, cues, y, bodies, 0, 0.5, lambda m: None, extra_x, extra_y)
    assert info["choice"] == "logreg_weighted"
    every_x = np.vstack([StanceModel._head_inputs(logits, bow, cues), extra_x])
    every_y = np.concatenate([y, extra_y])
    np.testing.assert_allclose(head["mean"], every_x.mean(0))
    np.testing.assert_allclose(head["low"], every_x.min(0))
    weights = class_weights(np.bincount(every_y).astype(float), 0.5)
    assert info["class_weights"] == pytest.approx(weights, abs=1e-4)
    expected = LogisticRegression(C=1.0, class_weight=dict(enumerate(weights)), max_iter=2000).fit(
        (every_x - head["mean"]) / head["scale"], every_y)
    np.testing.assert_allclose(head["coef"], expected.coef_, rtol=1e-6, atol=1e-8)


def test_cv_predict_head_adds_the_extra_rows_to_every_fold_and_never_predicts_them():
    from claimledger.stance.train import cv_predict_head

    rng = np.random.default_rng(0)
    z = np.column_stack([np.tile(np.linspace(-3, 3, 30), 3), rng.normal(0.0, 1.0, 90)])
    y = rng.choice(2, size=90)  # validation rows: no class 2, so alone a head never says 2
    folds = [(np.arange(90)[np.arange(90) % 3 != k], np.arange(90)[np.arange(90) % 3 == k]) for k in range(3)]
    alone = cv_predict_head("logreg", None, None, None, z, y, folds)
    assert len(alone) == 90 and not (alone == 2).any()
    # Out-of-fold rows teach "class 2 when the first input is high"; every fold must use them.
    extra_z = np.column_stack([np.linspace(-3, 3, 300), np.zeros(300)])
    extra_y = np.where(extra_z[:, 0] > 0.5, 2, 0)
    stacked = cv_predict_head("logreg", None, None, None, z, y, folds, extra_z, extra_y)
    assert len(stacked) == 90
    for _, test_idx in folds:
        high = test_idx[z[test_idx, 0] > 1.5]
        assert len(high) and (stacked[high] == 2).all()


def test_group_folds_keep_each_group_in_one_fold_and_are_reproducible():
    from claimledger.stance.train import _group_folds

    groups = [body for body in range(101) for _ in range(1 + body % 7)]
    folds = _group_folds(groups, 2, seed=0)
    assert np.array_equal(folds, _group_folds(groups, 2, seed=0))
    assert not np.array_equal(folds, _group_folds(groups, 2, seed=1))
    for body in set(groups):
        assert len({folds[i] for i, g in enumerate(groups) if g == body}) == 1
    bodies_per_fold = np.bincount([folds[groups.index(body)] for body in set(groups)])
    assert sorted(bodies_per_fold.tolist()) == [50, 51]


AGREE, DISAGREE, DISCUSS, UNRELATED = range(4)


def test_topics_join_headlines_and_bodies_through_related_pairs_only():
    from claimledger.stance.train import topic_of_pairs

    headlines = ["squid", "squid", "giant squid", "bridge", "bridge", "squid", "bakery"]
    bodies = [11, 12, 12, 20, 21, 20, 30]
    labels = np.array([AGREE, DISCUSS, DISAGREE, AGREE, DISCUSS, UNRELATED, UNRELATED])
    topics = topic_of_pairs(headlines, bodies, labels)
    # Bodies 11 and 12 share the squid claim; "giant squid" joins through body 12; the unrelated
    # pair (squid, 20) must not merge the two topics; body 30 has no related pair.
    assert topics == [11, 11, 11, 20, 20, 20, 30]
    # Names do not depend on order or on which unrelated pairs come along.
    order = [6, 5, 4, 3, 2, 1, 0]
    shuffled = topic_of_pairs([headlines[i] for i in order], [bodies[i] for i in order], labels[order])
    assert shuffled == [topics[i] for i in order]
    assert topic_of_pairs(headlines[:5], bodies[:5], labels[:5]) == topics[:5]


def test_topic_split_holds_out_whole_topics_worth_the_asked_share_of_pairs():
    from claimledger.stance.train import internal_split

    rng = np.random.default_rng(0)
    headlines, bodies, labels = [], [], []
    for claim in range(40):  # claims with 1-6 bodies and 2-4 wordings each
        for body in range(int(rng.integers(1, 7))):
            for wording in range(int(rng.integers(2, 5))):
                headlines.append(f"claim {claim} wording {wording}")
                bodies.append(claim * 100 + body)
                labels.append(int(rng.choice([AGREE, DISAGREE, DISCUSS])))
            headlines.append(f"claim {(claim + 1) % 40} wording 0")  # an unrelated pairing
            bodies.append(claim * 100 + body)
            labels.append(UNRELATED)
    labels = np.array(labels)
    model = StanceModel(validation_by="topic", validation_fraction=0.2, seed=3)
    tr, va, topics, n_topics = internal_split(model, headlines, bodies, labels)
    related = np.flatnonzero(labels != UNRELATED)
    assert sorted(np.concatenate([tr, va]).tolist()) == related.tolist()
    assert not {topics[i] for i in tr} & {topics[i] for i in va}
    assert not {headlines[i] for i in tr} & {headlines[i] for i in va}  # no claim seen in training
    assert len({topics[i] for i in va}) == n_topics
    share = len(va) / len(related)
    assert 0.2 <= share < 0.2 + 25 / len(related)  # stops at the first topic past the share
    again = internal_split(model, headlines, bodies, labels)
    assert np.array_equal(again[1], va)
    by_body = internal_split(StanceModel(validation_fraction=0.2, seed=3), headlines, bodies, labels)
    assert not {bodies[i] for i in by_body[0]} & {bodies[i] for i in by_body[1]}
    assert {headlines[i] for i in by_body[0]} & {headlines[i] for i in by_body[1]}  # claims shared


def test_topic_weights_give_each_topic_a_share_that_grows_slower_than_its_size():
    from claimledger.stance.train import topic_weights

    topics = ["big"] * 100 + ["mid"] * 25 + ["small"] * 4 + ["lone"]
    weights = topic_weights(topics, 0.5)
    assert weights.shape == (130,) and weights.mean() == pytest.approx(1.0)
    per_pair = {t: weights[topics.index(t)] for t in set(topics)}
    assert per_pair["big"] < per_pair["mid"] < per_pair["small"] < per_pair["lone"]
    assert per_pair["small"] / per_pair["big"] == pytest.approx(5.0)  # (100 / 4) ** 0.5
    total = {t: weights[[i for i, x in enumerate(topics) if x == t]].sum() for t in set(topics)}
    assert total["big"] / total["small"] == pytest.approx(5.0)  # 25 times the pairs, 5 times the weight
    assert np.all(weights[:100] == weights[0])  # the same weight within a topic
    np.testing.assert_allclose(topic_weights(topics, 0.0), 1.0)
    np.testing.assert_allclose(topic_weights(topics, 1.0)[:100].sum(), topic_weights(topics, 1.0)[-1])
    assert topic_weights([], 0.5).shape == (0,)


def test_head_without_bag_of_words_ignores_it():
    from claimledger.stance.train import head_columns

    logits, bow, cues, y = _synthetic(seed=7)
    bodies = [i // 30 for i in range(len(y))]
    head, info = _fit_head(logits, bow, cues, y, bodies, 0, 0.5, lambda m: None, bag_of_words=False)
    assert "bag_of_words" not in info["cv_macro_f1"] and len(info["cv_macro_f1"]) == 4
    bow_columns = [i for i, name in enumerate(StanceModel.HEAD_FEATURES) if name.startswith("bow_")]
    assert len(bow_columns) == 3 and not set(bow_columns) & set(head_columns(False).tolist())
    if info["choice"] != "cross_encoder":
        assert np.allclose(np.asarray(head["coef"])[:, bow_columns], 0.0)
        assert np.abs(np.asarray(head["coef"])).sum() > 0
    model = StanceModel(bag_of_words=False)
    model.head_ = head
    flat = np.full_like(bow, 1 / 3)
    np.testing.assert_allclose(model._related_proba(logits, bow, cues), model._related_proba(logits, flat, cues))


def test_manifest_command_carries_every_recipe_option():
    from claimledger.stance.train import _recipe_flags

    flags = _recipe_flags({"epochs": 4, "max_length": 96, "n_threads": 1, "head_folds": 2,
                           "validation_by": "topic", "bag_of_words": False, "topic_weight_power": 0.5})
    assert flags == ["--epochs 4", "--max-length 96", "--threads 1", "--head-folds 2", "--validation-by topic",
                     "--no-bag-of-words", "--topic-weight-power 0.5"]
    assert _recipe_flags({"bag_of_words": True}) == []


def test_reused_cross_encoder_must_come_from_the_same_validation_split():
    from claimledger.errors import ModelError
    from claimledger.stance.train import _reusable_cross_encoder

    directory = default_model_dir()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    hashes = {name: digest for name, digest in manifest["data"].items() if name != "trained_on"}
    params = {k: v for k, v in manifest["parameters"].items() if k in StanceModel._RECIPE}
    # The shipped manifest may predate validation_by: it then meant the default split, by body.
    onnx, _ = _reusable_cross_encoder(directory, StanceModel(**params), hashes)
    assert onnx.name == "stance.int8.onnx"
    other = "topic" if manifest["parameters"].get("validation_by", "body") == "body" else "body"
    with pytest.raises(ModelError, match="validation_by"):
        _reusable_cross_encoder(directory, StanceModel(**{**params, "validation_by": other}), hashes)
    # A topic-weighted loss gives another cross-encoder; the shipped one is unweighted unless it says so.
    power = manifest["parameters"].get("topic_weight_power", 0.0)
    with pytest.raises(ModelError, match="topic_weight_power"):
        _reusable_cross_encoder(directory, StanceModel(**{**params, "topic_weight_power": power + 0.5}), hashes)
