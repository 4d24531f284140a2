"""Compare stance model directories on the internal validation split only (never the hold-out).

Usage (from the repo root, FNC-1 data in ../shared/data/fnc1):

    python bench/stance_candidates.py models/stance DIR_R1 DIR_R2 [--fold-seeds 10]
    python bench/stance_candidates.py --seen-claims models/stance DIR_TBSM

Each directory is a model written by ``claimledger train stance`` (candidates with ``--no-hold-out``).
For each, the internal validation split of its recipe is rebuilt from the bodies in
``splits/training_ids.txt`` (the same split training used: by body, or by topic for
``--validation-by topic``), the int8 cross-encoder is run on it, the bag-of-words model is refit on the
cross-encoder's training part (as training does, so its validation outputs are honest), and every head
the recipe can choose is scored by 5-fold CV grouped as the split is (body or topic), repeated over
several fold seeds: one fold seed moves ``disagree`` F1 by several hundredths with only ~36
``disagree`` bodies in the split. ``splits/hold_out_ids.txt`` is not opened.

A stacked recipe (``--head-folds K``) also fits its head on out-of-fold rows for the cross-encoder's
training part; those need the discarded fold cross-encoders to rebuild, so they are read from the
model's ``head_training.npz`` (checked against the manifest when the model loads) and join every
fold's training rows, never its test rows.

``--seen-claims`` scores instead what a claim memory is for, claims seen in training with new
articles (as in the hold-out, whose headlines all occur in training): over every row a stacked head
is fit on (the validation rows and the out-of-fold rows), 5-fold CV grouped by body. In each fold
the memory is built from the training folds only, each training row without its own body; the
usual head is fit on all training-fold rows and, for a recipe with ``--claim-memory``, the
seen-claim head on those whose claim the memory holds; both are scored on the test-fold rows whose
claim the memory holds. It also counts the validation rows whose claim occurs in another topic:
those, and only those, would reach the seen-claim head in the new-claims score above, which is
otherwise the usual head's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def _internal_inputs(model, data: Path):
    """Cross-encoder logits, bag-of-words probabilities, cues, labels and body groups of the internal split."""
    from claimledger.stance import train as T
    from claimledger.stance.fnc import LABELS, read_bodies, read_stances

    bodies = read_bodies(data / "train_bodies.csv")
    training_ids = T._read_ids(data / "splits" / "training_ids.txt")
    pairs = [p for p in read_stances(data / "train_stances.csv", bodies, require_stance=True)
             if p.body_id in training_ids and p.stance != "unrelated"]
    headlines = [p.headline for p in pairs]
    texts = [bodies[p.body_id] for p in pairs]
    groups = [p.body_id for p in pairs]
    y = np.array([LABELS.index(p.stance) for p in pairs])
    _, key_texts = model._featurize(headlines, texts)
    tr, va, split_groups, _ = T.internal_split(model, headlines, groups, y)
    pick = lambda idx, seq: [seq[i] for i in idx]  # noqa: E731
    model.split_ = {"train": tr, "validation": va, "headlines": headlines, "bodies": groups, "labels": y,
                    "topics": split_groups, "texts": texts}
    logits = model.cross_encoder_logits(pick(va, headlines), pick(va, key_texts))
    cues_tr = model._cues(pick(tr, headlines), pick(tr, key_texts), pick(tr, texts))
    cues = model._cues(pick(va, headlines), pick(va, key_texts), pick(va, texts))
    if model.bag_of_words:
        model.bow_ = T._fit_bow(model, model._bow_matrix(pick(tr, headlines), pick(tr, key_texts), pick(tr, texts),
                                                         cues_tr), y[tr])
    bow = model.bow_proba(pick(va, headlines), pick(va, key_texts), pick(va, texts), cues)
    return logits, bow, cues, y[va], [split_groups[i] for i in va]


def _out_of_fold_rows(model, directory: Path):
    """The stacked head's out-of-fold inputs and labels, or (None, None) for a recipe without them."""
    from claimledger.stance.model import HEAD_TRAINING_FILE

    if HEAD_TRAINING_FILE not in model.manifest_["files"]:
        return None, None
    with np.load(directory / HEAD_TRAINING_FILE, allow_pickle=False) as saved:
        oof = saved["out_of_fold"]
        return saved["inputs"][oof], saved["labels"][oof]


def _cv_heads(logits, bow, cues, y, groups, class_weight_power: float, fold_seeds: int,
              extra_x=None, extra_y=None, bag_of_words: bool = True) -> dict:
    from sklearn.model_selection import StratifiedGroupKFold

    from claimledger.stance import train as T
    from claimledger.stance.model import StanceModel

    z, extra_z, _, every_y, _, _ = T.head_rows(StanceModel._head_inputs(logits, bow, cues), y, extra_x, extra_y)
    heads = T.head_candidates(T.class_weights(np.bincount(every_y, minlength=3).astype(np.float64),
                                              class_weight_power), bag_of_words)
    columns = T.head_columns(bag_of_words)
    scores = {name: [] for name in heads}
    for fold_seed in range(fold_seeds):
        folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=fold_seed).split(z, y, groups))
        for name, class_weight in heads.items():
            pred = T.cv_predict_head(name, class_weight, logits, bow, z[:, columns], y, folds, extra_z[:, columns],
                                     every_y[len(y):])
            scores[name].append([T._macro_f1(y, pred), *T._f1_per_class(y, pred)])
    return {name: dict(zip(("macro_f1", "agree_f1", "disagree_f1", "discuss_f1"),
                           np.round(np.mean(values, axis=0), 6).tolist()))
            for name, values in scores.items()}


def _body_fold_rows(directory: Path):
    """A ``--memory-folds`` model's seen-claim rows (every related pair, scored by a cross-encoder
    that did not see its body), with their labels, or (None, None)."""
    from claimledger.stance.model import SEEN_HEAD_TRAINING_FILE, StanceModel

    model = StanceModel.load(directory)
    if SEEN_HEAD_TRAINING_FILE not in model.manifest_["files"]:
        return None, None
    with np.load(directory / SEEN_HEAD_TRAINING_FILE, allow_pickle=False) as saved:
        return saved["inputs"], saved["labels"]


def _seen_claim_scores(model, logits, bow, cues, extra_x, fold_seeds: int, body_rows=None) -> dict:
    """Macro-F1 on rows whose claim is in a memory built without their body: see the module doc.

    Rows come in two kinds, scored separately. "topic_out_of_fold": the stacked head's rows, whose
    cross-encoder had not seen their claim (split T's pairs and the out-of-fold rows). Optionally
    "body_out_of_fold" (``body_rows``, in related-pair order, from a ``--memory-folds`` run on the same
    data): the same pairs scored by cross-encoders that had seen their claim in other articles, as
    the shipped cross-encoder has for most hold-out pairs. Each head is fit on its recipe's rows.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    from claimledger.stance import train as T
    from claimledger.stance.memory import (CENTROID_FEATURES, MEMORY_FEATURES, centroid_cosines,
                                           counts_from_other_groups)
    from claimledger.stance.model import StanceModel, _transform_distinct

    split = model.split_
    vectors = _transform_distinct(model.vectorizer_, split["texts"]) if model.claim_centroids else None
    if extra_x is None:
        raise SystemExit("stance_candidates: --seen-claims needs a stacked recipe (--head-folds)")
    rows = np.concatenate([split["validation"], split["train"]])
    row_sets = {"topic_out_of_fold": np.vstack([StanceModel._head_inputs(logits, bow, cues), extra_x])}
    if body_rows is not None:
        row_sets["body_out_of_fold"] = body_rows[rows]  # related-pair order -> the order of ``rows``
    labels, bodies, headlines = split["labels"], split["bodies"], split["headlines"]
    y = labels[rows]
    prior = np.bincount(y, minlength=3) / len(y)
    usual_columns = T.head_columns(model.bag_of_words)
    seen_columns = T.seen_head_columns(model.bag_of_words, model.claim_centroids)
    n_memory_inputs = len(MEMORY_FEATURES) + (len(CENTROID_FEATURES) if model.claim_centroids else 0)
    weights = T.head_candidates(T.class_weights(np.bincount(y, minlength=3).astype(np.float64),
                                                model.class_weight_power), model.bag_of_words)
    usual_choice = model.manifest_["training"]["head"]["choice"]
    heads = {"usual_head": (["topic_out_of_fold"], usual_choice)}
    if model.claim_memory:
        fit_on = {"usual": ["topic_out_of_fold"], "body": ["body_out_of_fold"],
                  "both": ["topic_out_of_fold", "body_out_of_fold"]}[model.seen_head_rows]
        heads["seen_claim_head"] = (fit_on, model.manifest_["training"]["claim_memory"]["seen_claim_head"]["choice"])
        if not set(fit_on) <= set(row_sets):
            raise SystemExit("stance_candidates: this recipe's seen-claim head needs its body_out_of_fold rows")

    scores = {(head, rows_name): [] for head in heads for rows_name in row_sets}
    for fold_seed in range(fold_seeds):
        folds = StratifiedGroupKFold(5, shuffle=True, random_state=fold_seed).split(y, y, [bodies[i] for i in rows])
        gold, pred = [], {key: [] for key in scores}
        for train_idx, test_idx in folds:
            counts = counts_from_other_groups(headlines, bodies, labels, rows[train_idx], rows)
            cosines = (centroid_cosines(vectors, headlines, bodies, labels, rows[train_idx], rows)
                       if model.claim_centroids else None)
            seen = counts.sum(1) >= 1
            seen_test = test_idx[seen[test_idx]]
            gold.append(y[seen_test])
            for head, (fit_rows, choice) in heads.items():
                if head == "usual_head":
                    fit_idx, columns, class_weight = train_idx, usual_columns, weights[choice]
                    inputs_of = dict(row_sets)
                else:
                    fit_idx = train_idx[seen[train_idx]]
                    class_weight = T.head_candidates(T.class_weights(
                        np.bincount(y[seen], minlength=3).astype(np.float64), model.class_weight_power), False)[choice]
                    inputs_of = {name: np.hstack([x_rows, np.zeros((len(x_rows), n_memory_inputs))])
                                 for name, x_rows in row_sets.items()}
                    for name in inputs_of:
                        inputs_of[name][seen] = T.seen_head_inputs(row_sets[name], counts, prior, cosines)[1]
                    columns = seen_columns
                if choice == "cross_encoder":
                    for name, x_rows in inputs_of.items():
                        pred[(head, name)].append(x_rows[seen_test, :3].argmax(1))  # the logits come first
                    continue
                x = np.vstack([inputs_of[name][fit_idx] for name in fit_rows])
                fit_y = np.concatenate([y[fit_idx]] * len(fit_rows))
                mean, scale = x.mean(0), x.std(0) + 1e-6
                clf = LogisticRegression(C=1.0, class_weight=class_weight, max_iter=2000)
                clf.fit(((x - mean) / scale)[:, columns], fit_y)
                for name, x_rows in inputs_of.items():
                    pred[(head, name)].append(clf.predict(((x_rows[seen_test] - mean) / scale)[:, columns]))
        gold = np.concatenate(gold)
        for key in scores:
            p = np.concatenate(pred[key])
            scores[key].append([T._macro_f1(gold, p), *T._f1_per_class(gold, p)])
    result = {}
    for (head, rows_name), values in scores.items():
        result.setdefault(head, {"fit_on": " + ".join(heads[head][0])})[rows_name] = dict(zip(
            ("macro_f1", "agree_f1", "disagree_f1", "discuss_f1"), np.round(np.mean(values, axis=0), 6).tolist()))
    topics = split["topics"]
    va = split["validation"]
    reach = 0
    for topic in sorted({topics[i] for i in va}, key=str):
        in_topic = np.array([i for i in va if topics[i] == topic])
        known = np.array([i for i in rows if topics[i] != topic])
        reach += int((counts_from_other_groups(headlines, bodies, labels, known, in_topic).sum(1) >= 1).sum())
    return {"rows": int(len(rows)), "scores": result,
            "validation_rows_whose_claim_is_in_another_topic": reach}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fnc1")
    parser.add_argument("--fold-seeds", type=int, default=10)
    parser.add_argument("--seen-claims", action="store_true",
                        help="score claims seen in training with new articles, by body (see above)")
    parser.add_argument("--body-rows", type=Path, default=None, metavar="DIR",
                        help="with --seen-claims: also score on the body-fold rows of this --memory-folds model")
    args = parser.parse_args(argv)

    from claimledger.stance.model import StanceModel

    report = {}
    for directory in args.models:
        model = StanceModel.load(directory, use_claim_memory=True)
        chosen = model.manifest_["training"]["head"]["choice"]
        inputs = _internal_inputs(model, args.data)
        extra_x, extra_y = _out_of_fold_rows(model, directory)
        if args.seen_claims:
            body_rows = _body_fold_rows(args.body_rows or directory)[0]
            report[str(directory)] = _seen_claim_scores(model, *inputs[:3], extra_x, args.fold_seeds, body_rows)
            print(json.dumps({str(directory): report[str(directory)]}, indent=1))
            continue
        heads = _cv_heads(*inputs, model.class_weight_power, args.fold_seeds, extra_x, extra_y, model.bag_of_words)
        report[str(directory)] = {
            "recipe": {k: getattr(model, k)
                       for k in ("max_length", "epochs", "key_sentences", "head_folds", "validation_by",
                                 "bag_of_words")},
            "out_of_fold_rows": 0 if extra_y is None else int(len(extra_y)),
            "best_epoch": model.manifest_["training"]["stage2"]["best_epoch"],
            "head_chosen_by_recipe": chosen, "chosen_head_cv": heads[chosen], "all_heads_cv": heads,
            "validation_pairs": int(len(inputs[3])),
        }
        print(json.dumps({str(directory): report[str(directory)]}, indent=1), file=sys.stderr)
    print(json.dumps({name: {"macro_f1": r["chosen_head_cv"]["macro_f1"],
                             "disagree_f1": r["chosen_head_cv"]["disagree_f1"], "head": r["head_chosen_by_recipe"]}
                      for name, r in report.items()}, indent=1))
    return 0


if __name__ == "__main__":
    from claimledger.errors import ClaimledgerError

    try:
        sys.exit(main())
    except ClaimledgerError as error:  # a directory that is not a model, unreadable FNC-1 data
        sys.exit(f"stance_candidates: {error}")
