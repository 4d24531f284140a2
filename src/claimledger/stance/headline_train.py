"""Train the headline stance model (``stance/headline.py``) on Emergent and measure it on held-out claims.

    python -m claimledger.stance.headline_train ../shared/data models/headline_stance [--oof OOF.csv]
        [--cache DIR] [--compare-fnc]

Emergent's 2,071 (claim, article headline) pairs, for / against / observing -> support / deny / neutral.
Everything that is measured is cross-validated by claim (GroupKFold on claimId, 5 folds): the
vocabulary of the bag of words (headline words that occur under at least MIN_CLAIMS different
training claims) and the regularisation C (chosen by accuracy on 3 inner folds by claim of the
training folds) are learnt inside each training fold, so every row is judged by a model that never
saw its claim. ``--oof`` writes those out-of-fold probabilities (what ``bench/claim_estimate.py
--stances headline`` reads). The shipped model is then fitted on all rows, C chosen by the same
5 folds. ``--compare-fnc`` also measures the recipe with the FNC-1 article model's probabilities
added (rejected: see docs/headline_stance.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from claimledger.integrity import sha256_file, training_provenance
from claimledger.stance.headline import LABELS, MODEL_FILE, cosines_of, feature_names, pair_features, words

GROUPS = ("lexical", "similarity")
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
MIN_CLAIMS = 3
FOLDS, INNER_FOLDS = 5, 3
GOLD = {"for": 0, "against": 1, "observing": 2}  # -> LABELS: support, deny, neutral


def load_emergent(data_dir: Path) -> list[dict]:
    path = data_dir / "emergent" / "train_articles.csv"
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def vocabulary(texts: list[str], groups: np.ndarray, min_claims: int = MIN_CLAIMS) -> list[str]:
    """Words found in the texts of at least ``min_claims`` different claims (general headline words,
    not one rumour's names)."""
    claims_of: dict[str, set] = defaultdict(set)
    for text, group in zip(texts, groups):
        for word in set(words(text)):
            claims_of[word].add(group)
    return sorted(word for word, claims in claims_of.items() if len(claims) >= min_claims)


def bag(texts: list[str], vocab: list[str]) -> np.ndarray:
    index = {w: i for i, w in enumerate(vocab)}
    out = np.zeros((len(texts), len(vocab)))
    for row, text in enumerate(texts):
        for word in set(words(text)):
            if word in index:
                out[row, index[word]] = 1.0
    return out


class Fitted:
    """A fitted recipe: dense scaling, vocabulary and the logistic regression."""

    def __init__(self, dense: np.ndarray, texts: list[str], groups: np.ndarray, y: np.ndarray, c: float) -> None:
        from sklearn.linear_model import LogisticRegression

        self.mean = dense.mean(axis=0)
        self.scale = dense.std(axis=0)
        self.scale[self.scale < 1e-6] = 1.0  # a (nearly) constant feature is left unscaled
        self.vocab = vocabulary(texts, groups)
        self.c = c
        self.lr = LogisticRegression(C=c, max_iter=5000).fit(self.design(dense, texts), y)

    def design(self, dense: np.ndarray, texts: list[str]) -> np.ndarray:
        return np.hstack([(dense - self.mean) / self.scale, bag(texts, self.vocab)])

    def proba(self, dense: np.ndarray, texts: list[str]) -> np.ndarray:
        return self.lr.predict_proba(self.design(dense, texts))


def choose_c(dense: np.ndarray, texts: list[str], groups: np.ndarray, y: np.ndarray, folds: int) -> tuple[float, dict]:
    """The C of C_GRID with the best accuracy over ``folds`` folds by claim of these rows."""
    from sklearn.model_selection import GroupKFold

    splits = list(GroupKFold(folds).split(dense, y, groups))
    scores = {}
    for c in C_GRID:
        right = 0
        for train, test in splits:
            model = Fitted(dense[train], [texts[i] for i in train], groups[train], y[train], c)
            right += int((model.proba(dense[test], [texts[i] for i in test]).argmax(1) == y[test]).sum())
        scores[c] = right / len(y)
    return max(C_GRID, key=lambda c: (scores[c], -c)), scores


def cross_validate(dense: np.ndarray, texts: list[str], groups: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, list]:
    """Out-of-fold probabilities (n, 3), every row judged by a model fitted without its claim; C nested."""
    from sklearn.model_selection import GroupKFold

    oof = np.zeros((len(y), len(LABELS)))
    chosen = []
    for train, test in GroupKFold(FOLDS).split(dense, y, groups):
        train_texts = [texts[i] for i in train]
        c, _ = choose_c(dense[train], train_texts, groups[train], y[train], INNER_FOLDS)
        model = Fitted(dense[train], train_texts, groups[train], y[train], c)
        oof[test] = model.proba(dense[test], [texts[i] for i in test])
        chosen.append(c)
    return oof, chosen


def metrics(y: np.ndarray, proba: np.ndarray) -> dict:
    from sklearn.metrics import confusion_matrix, f1_score

    pred = proba.argmax(1)
    f1 = f1_score(y, pred, average=None, labels=[0, 1, 2])
    return {"rows": int(len(y)), "accuracy": round(float((pred == y).mean()), 4),
            "f1": {label: round(float(v), 4) for label, v in zip(LABELS, f1)},
            "macro_f1": round(float(f1.mean()), 4),
            "confusion (rows gold support/deny/neutral, columns predicted)": confusion_matrix(y, pred, labels=[0, 1, 2]).tolist()}


def fnc_training_headlines(data_dir: Path, texts: list[str]) -> np.ndarray:
    """Which texts are headlines of the FNC-1 pairs the shipped FNC-1 model was trained on (FNC-1 is
    built from Emergent: its headlines are Emergent's article headlines)."""
    import re

    def norm(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    fnc = data_dir / "fnc1"
    ids = set((fnc / "splits" / "training_ids.txt").read_text(encoding="utf-8").split())
    with open(fnc / "train_stances.csv", encoding="utf-8") as handle:
        seen = {norm(r["Headline"]) for r in csv.DictReader(handle) if r["Body ID"] in ids}
    return np.array([norm(t) in seen for t in texts])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the shared data folder (holds emergent/)")
    parser.add_argument("out", type=Path, help="model directory to write")
    parser.add_argument("--oof", type=Path, help="write the out-of-fold probabilities (CSV) here")
    parser.add_argument("--cache", type=Path, help="folder for the claim-headline cosines (computed once)")
    parser.add_argument("--groups", default=",".join(GROUPS),
                        help=f"feature groups, comma-separated (default {','.join(GROUPS)})")
    parser.add_argument("--compare-fnc", action="store_true",
                        help="also measure the recipe plus the FNC-1 model's probabilities (slow, not shipped)")
    args = parser.parse_args(argv)
    if not (args.data / "emergent" / "train_articles.csv").is_file():
        parser.error(f"{args.data}: no emergent/train_articles.csv in it (give the shared data folder)")
    started = time.time()
    rows = load_emergent(args.data)
    claims, texts = [r["claimHeadline"] for r in rows], [r["articleHeadline"] for r in rows]
    y = np.array([GOLD[r["articleHeadlineStance"]] for r in rows])
    groups = np.array([r["claimId"] for r in rows])
    cache = args.cache / "headline_cosines.npy" if args.cache else None
    if cache is not None and cache.exists():
        cosines = np.load(cache)
    else:
        from claimledger.nlp.embeddings import load_default_encoder

        cosines = cosines_of(load_default_encoder(), claims, texts)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, cosines)
    groups_used = tuple(args.groups.split(","))
    dense = pair_features(claims, texts, groups_used, cosines=cosines)
    oof, chosen = cross_validate(dense, texts, groups, y)
    cv = metrics(y, oof)
    print(json.dumps({"cross-validated by claim": cv, "C per fold": chosen}, indent=1))
    if args.oof:
        with open(args.oof, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["articleId", "claimId", *LABELS])
            for row, p in zip(rows, oof):
                writer.writerow([row["articleId"], row["claimId"], *(f"{v:.6f}" for v in p)])
    comparison = None
    if args.compare_fnc:
        from claimledger.stance.model import StanceModel

        fnc = StanceModel.load(n_threads=1)
        extra = np.hstack([fnc.predict_proba(claims, texts), fnc.statement_proba(claims, texts)])
        with_fnc = cross_validate(np.hstack([dense, extra]), texts, groups, y)[0]
        seen = fnc_training_headlines(args.data, texts)
        comparison = {"all rows": metrics(y, with_fnc)}
        for name, mask in (("headline in FNC-1 training", seen), ("headline not in FNC-1 training", ~seen)):
            comparison[name] = {"with FNC-1 probabilities": metrics(y[mask], with_fnc[mask]),
                                "shipped recipe": metrics(y[mask], oof[mask])}
        print(json.dumps({"with FNC-1 probabilities, cross-validated by claim": comparison}, indent=1))
    c, scores = choose_c(dense, texts, groups, y, FOLDS)
    final = Fitted(dense, texts, groups, y, c)
    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / MODEL_FILE
    model_path.write_text(json.dumps({
        "labels": list(LABELS), "groups": list(groups_used), "features": feature_names(groups_used),
        "mean": final.mean.tolist(), "scale": final.scale.tolist(), "vocabulary": final.vocab,
        "coef": final.lr.coef_.tolist(), "intercept": final.lr.intercept_.tolist(), "C": c}) + "\n", encoding="utf-8")
    data_path = args.data / "emergent" / "train_articles.csv"
    manifest = {
        "model": "headline stance: logistic regression over lexical cue, similarity and bag-of-words features",
        **training_provenance("claimledger.stance.headline_train", sys.argv[1:] if argv is None else argv),
        "data": {"emergent/train_articles.csv": {"rows": len(rows), "claims": len(set(groups)), "sha256": sha256_file(data_path),
                                                 "licence": "MIT (github.com/thanhan/fc-aaai18 copy of Emergent)"}},
        "labels": {"for": "support", "against": "deny", "observing": "neutral"},
        "recipe": {"groups": list(groups_used), "bag_of_words_min_claims": MIN_CLAIMS, "C_grid": list(C_GRID),
                   "C": c, "C_accuracy_5_folds_by_claim": {str(k): round(v, 4) for k, v in scores.items()},
                   "vocabulary": len(final.vocab), "cue_file": "src/claimledger/stance/data/headline_cues.tsv"},
        "cross_validation": {"folds": f"{FOLDS} GroupKFold by claimId; C and vocabulary learnt inside each training fold "
                                      f"({INNER_FOLDS} inner folds by claim)", "C_per_fold": chosen, **cv},
        "files": {MODEL_FILE: {"sha256": sha256_file(model_path), "bytes": model_path.stat().st_size}},
    }
    if comparison is not None:
        manifest["rejected_with_fnc_probabilities"] = comparison
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (C={c}, {len(final.vocab)} words) in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
