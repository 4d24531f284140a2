"""Score a stance model's stage 2 on new claims: the validation topics of split T (never the hold-out).

Usage (from the repo root, FNC-1 data in ../shared/data/fnc1):

    python bench/stance_new_claims.py MODEL_DIR [--data DIR]
    python bench/stance_new_claims.py --bag-of-words-by-group [MODEL_DIR] [--data DIR]
    python bench/stance_new_claims.py --topic-sizes [--data DIR]
    python bench/stance_new_claims.py --near-duplicates [MODEL_DIR] [--data DIR]

Split T holds out whole topics: a topic is a claim with every article about it (see
``claimledger.stance.train.topic_of_pairs``). Its validation pairs are rebuilt from the bodies in
``splits/training_ids.txt``, as ``claimledger train stance --validation-by topic`` builds them. The
model must have been trained without those topics (for example on a copy of the data whose
``training_ids.txt`` leaves their bodies out); a model trained on the full training split is
refused, since it has seen those claims. The score is the macro-F1 over agree/disagree/discuss of
the model's whole stage 2 (cross-encoder, bag-of-words, cues and head) on the gold-related pairs.
``splits/hold_out_ids.txt`` is not opened.

``--bag-of-words-by-group`` is the diagnostic behind split T: the bag-of-words model alone (the
recipe's, on MODEL_DIR's TF-IDF vocabulary, default the shipped model), 5-fold CV over every related
training pair, once with folds by body and once with folds by topic. ``--topic-sizes`` counts how
unequal the claims are: topic sizes, and the share of related pairs their headline's (or topic's)
majority label gets right. ``--near-duplicates`` is the count behind the claim centroids: for each
related training pair whose claim has another body, the TF-IDF cosine (MODEL_DIR's vectorizer) of
its body with the most similar other body of the claim, and how often that body has the same label;
and how many (claim, class) centroids rest on a single article.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def new_claim_pairs(data: Path):
    """Headlines, bodies and labels of split T's validation pairs, and the bodies of their topics."""
    from claimledger.stance import train as T
    from claimledger.stance.fnc import LABELS, read_bodies, read_stances
    from claimledger.stance.model import StanceModel

    bodies = read_bodies(data / "train_bodies.csv")
    training_ids = T._read_ids(data / "splits" / "training_ids.txt")
    pairs = [p for p in read_stances(data / "train_stances.csv", bodies, require_stance=True)
             if p.body_id in training_ids]
    y = np.array([LABELS.index(p.stance) for p in pairs])
    _, va, topics, _ = T.internal_split(StanceModel(validation_by="topic"), [p.headline for p in pairs],
                                        [p.body_id for p in pairs], y)
    held_topics = {topics[i] for i in va}
    held_bodies = {p.body_id for p, topic in zip(pairs, topics) if topic in held_topics}
    return ([pairs[i].headline for i in va], [bodies[pairs[i].body_id] for i in va], y[va], held_bodies)


def bag_of_words_by_group(model, data: Path) -> dict:
    """Macro-F1 and per-class F1 of the bag-of-words alone, 5-fold CV grouped by body, then by topic."""
    from sklearn.model_selection import GroupKFold

    from claimledger.stance import train as T
    from claimledger.stance.fnc import LABELS, read_bodies, read_stances
    from claimledger.stance.model import _softmax

    bodies = read_bodies(data / "train_bodies.csv")
    training_ids = T._read_ids(data / "splits" / "training_ids.txt")
    pairs = [p for p in read_stances(data / "train_stances.csv", bodies, require_stance=True)
             if p.body_id in training_ids and p.stance != "unrelated"]
    headlines, texts = [p.headline for p in pairs], [bodies[p.body_id] for p in pairs]
    y = np.array([LABELS.index(p.stance) for p in pairs])
    _, key_texts = model._featurize(headlines, texts)
    x = model._bow_matrix(headlines, key_texts, texts, model._cues(headlines, key_texts, texts))
    by = {"body": [p.body_id for p in pairs], "topic": T.topic_of_pairs(headlines, [p.body_id for p in pairs], y)}
    report = {"pairs": int(len(y))}
    for name, groups in by.items():
        pred = np.zeros_like(y)
        for fit, held in GroupKFold(5).split(x, y, groups):
            bow = T._fit_bow(model, x[fit], y[fit])
            pred[held] = _softmax(np.asarray(x[held] @ bow["coef"].T) + bow["intercept"]).argmax(1)
        report[f"folds_by_{name}"] = {"macro_f1": round(T._macro_f1(y, pred), 4),
                                      "f1_agree_disagree_discuss": [round(f, 4) for f in T._f1_per_class(y, pred)]}
    return report


def topic_sizes(data: Path) -> dict:
    """How unequal FNC-1's claims are, over the related training pairs: topic sizes, and how many
    pairs the majority label of their headline (or topic) gets right. The reason for
    ``--topic-weight-power``."""
    from collections import Counter, defaultdict

    from claimledger.stance import train as T
    from claimledger.stance.fnc import LABELS, read_bodies, read_stances

    bodies = read_bodies(data / "train_bodies.csv")
    training_ids = T._read_ids(data / "splits" / "training_ids.txt")
    pairs = [p for p in read_stances(data / "train_stances.csv", bodies, require_stance=True)
             if p.body_id in training_ids and p.stance != "unrelated"]
    y = [LABELS.index(p.stance) for p in pairs]
    topics = T.topic_of_pairs([p.headline for p in pairs], [p.body_id for p in pairs], np.array(y))

    def majority_accuracy(keys) -> float:
        labels = defaultdict(Counter)
        for key, label in zip(keys, y):
            labels[key][label] += 1
        return round(sum(max(c.values()) for c in labels.values()) / len(y), 4)

    sizes = sorted(Counter(topics).values(), reverse=True)
    return {"related_pairs": len(y), "topics": len(sizes), "largest_topics": sizes[:5],
            "share_of_five_largest": round(sum(sizes[:5]) / len(y), 4),
            "majority_label_accuracy": {"by_headline": majority_accuracy([p.headline for p in pairs]),
                                        "by_topic": majority_accuracy(topics)}}


def near_duplicates(model, data: Path) -> dict:
    """Same-claim bodies by similarity, and how often the most similar one carries the same label."""
    from collections import defaultdict

    from claimledger.stance import train as T
    from claimledger.stance.fnc import read_bodies, read_stances
    from claimledger.stance.memory import claim_key

    bodies = read_bodies(data / "train_bodies.csv")
    training_ids = T._read_ids(data / "splits" / "training_ids.txt")
    pairs = [p for p in read_stances(data / "train_stances.csv", bodies, require_stance=True)
             if p.body_id in training_ids and p.stance != "unrelated"]
    body_ids = sorted({p.body_id for p in pairs})
    row_of = {body_id: row for row, body_id in enumerate(body_ids)}
    vectors = model.vectorizer_.transform([bodies[b] for b in body_ids])
    similarity = (vectors @ vectors.T).toarray()
    by_claim, by_class = defaultdict(list), defaultdict(set)
    for p in pairs:
        by_claim[claim_key(p.headline)].append(p)
        by_class[(claim_key(p.headline), p.stance)].add(p.body_id)
    edges = [0.0, 0.3, 0.5, 0.7, 0.9, 1.01]
    counted = {f"{low}-{high}": [0, 0] for low, high in zip(edges, edges[1:])}
    for same_claim in by_claim.values():
        for p in same_claim:
            others = [q for q in same_claim if q.body_id != p.body_id]
            if not others:
                continue
            cosines = [similarity[row_of[p.body_id], row_of[q.body_id]] for q in others]
            nearest = int(np.argmax(cosines))
            for low, high in zip(edges, edges[1:]):
                if low <= cosines[nearest] < high:
                    counted[f"{low}-{high}"][0] += 1
                    counted[f"{low}-{high}"][1] += int(others[nearest].stance == p.stance)
    sizes = np.array([len(members) for members in by_class.values()])
    return {"pairs_whose_claim_has_another_body": sum(n for n, _ in counted.values()),
            "nearest_other_body_cosine": {band: {"pairs": n, "same_label": round(same / n, 4) if n else None}
                                          for band, (n, same) in counted.items()},
            "claim_class_centroids": int(len(sizes)), "resting_on_one_article": int((sizes == 1).sum()),
            "median_articles": float(np.median(sizes))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, nargs="?", default=None)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fnc1")
    parser.add_argument("--bag-of-words-by-group", action="store_true")
    parser.add_argument("--topic-sizes", action="store_true")
    parser.add_argument("--near-duplicates", action="store_true")
    args = parser.parse_args(argv)
    if args.topic_sizes:
        print(json.dumps(topic_sizes(args.data), indent=1))
        return 0

    from claimledger.errors import ModelError
    from claimledger.integrity import sha256_file
    from claimledger.stance import train as T
    from claimledger.stance.model import StanceModel

    model = StanceModel.load(args.model, use_claim_memory=True)
    if args.bag_of_words_by_group:
        print(json.dumps(bag_of_words_by_group(model, args.data), indent=1))
        return 0
    if args.near_duplicates:
        print(json.dumps(near_duplicates(model, args.data), indent=1))
        return 0
    if args.model is None:
        parser.error("MODEL_DIR is required (a model trained without split T's topics)")
    headlines, texts, y, held_bodies = new_claim_pairs(args.data)  # first: a bad --data fails here, in one line
    if model.manifest_["data"].get("splits/training_ids.txt") == sha256_file(args.data / "splits" / "training_ids.txt"):
        raise ModelError(f"{args.model}: trained on every training body, so it has seen split T's claims")
    _, key_texts = model._featurize(headlines, texts)
    logits = model.cross_encoder_logits(headlines, key_texts)
    cues = model._cues(headlines, key_texts, texts)
    # With the headlines and bodies, a model with a claim memory runs as it does in predict (split T's
    # claims are not in a memory built without them, so its seen-claim head is not used).
    pred = model._related_proba(logits, model.bow_proba(headlines, key_texts, texts, cues), cues, headlines,
                                texts).argmax(1)
    confusion = np.zeros((3, 3), dtype=int)
    np.add.at(confusion, (y, pred), 1)
    print(json.dumps({
        "model": str(args.model), "pairs": int(len(y)), "topic_bodies": len(held_bodies),
        "macro_f1": round(T._macro_f1(y, pred), 6),
        "f1_agree_disagree_discuss": [round(f, 4) for f in T._f1_per_class(y, pred)],
        "cross_encoder_alone_macro_f1": round(T._macro_f1(y, logits.argmax(1)), 4),
        "confusion_rows_gold_agree_disagree_discuss": confusion.tolist(),
    }, indent=1))
    return 0


if __name__ == "__main__":
    from claimledger.errors import ClaimledgerError

    try:
        sys.exit(main())
    except ClaimledgerError as error:  # a directory that is not a model, unreadable FNC-1 data
        sys.exit(f"stance_new_claims: {error}")
