"""`claimledger train`: rebuild a shipped model from its training data (needs the ``train`` extra)."""

from __future__ import annotations

import argparse

import sys
from pathlib import Path

from claimledger.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="rebuild a shipped model from training data")
    models = parser.add_subparsers(dest="train_model", metavar="MODEL", required=True)
    stance = models.add_parser(
        "stance",
        help="the FNC-1 stance model",
        description="Train on the bodies in splits/training_ids.txt, score splits/hold_out_ids.txt, and "
                    "write the model and manifest.json. Takes tens of minutes on 2 CPU cores.",
    )
    stance.add_argument("--data", required=True, type=Path,
                        help="FNC-1 directory: train_bodies.csv, train_stances.csv, splits/")
    stance.add_argument("--out", required=True, type=Path, help="output directory, e.g. models/stance/")
    stance.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    stance.add_argument("--epochs", type=int, default=None, help="cross-encoder epochs (default: the model's)")
    stance.add_argument("--max-length", type=int, default=None, help="cross-encoder tokens per pair")
    stance.add_argument("--head-folds", type=int, default=None, metavar="K",
                        help="also fit the head on out-of-fold outputs of K cross-encoders, each fine-tuned on "
                             "the rest of the training part (K >= 2; about K-1 more fine-tunings of time)")
    stance.add_argument("--validation-by", choices=("body", "topic"), default=None,
                        help="hold out whole bodies (default) or whole topics (a claim with its articles, as a "
                             "test set of new claims would) for the internal validation split")
    stance.add_argument("--no-bag-of-words", dest="bag_of_words", action="store_false", default=None,
                        help="leave the bag-of-words model out of the head (it remembers claims seen in training)")
    stance.add_argument("--topic-weight-power", type=float, default=None, metavar="P",
                        help="weight each pair in the cross-encoder's loss by its topic's size to the power -P "
                             "(0, the default: unweighted), so the largest claims do not dominate")
    stance.add_argument("--claim-memory", dest="claim_memory", action="store_true", default=None,
                        help="keep each training headline's agree/disagree/discuss counts and judge a pair whose "
                             "headline is among them with a head that also reads them (new claims: unchanged)")
    stance.add_argument("--claim-centroids", dest="claim_centroids", action="store_true", default=None,
                        help="with --claim-memory: the seen-claim head also reads the body's cosine with each "
                             "class's centroid of the claim's training bodies")
    stance.add_argument("--memory-folds", type=int, default=None, metavar="K",
                        help="with --claim-memory: fit the seen-claim head on rows from K cross-encoders "
                             "fine-tuned on folds by body (K >= 2; about K-1 more fine-tunings of time)")
    stance.add_argument("--seen-head-rows", choices=("body", "both"), default=None,
                        help="with --memory-folds: fit the seen-claim head on those rows only (default) or on them "
                             "and the usual head's rows")
    stance.add_argument("--threads", type=int, default=None, help="CPU threads (default: all cores, up to 4)")
    stance.add_argument("--reuse-cross-encoder", type=Path, default=None, metavar="DIR",
                        help="take the fine-tuned cross-encoder from an earlier run's model directory with "
                             "the same recipe, seed and data (checked) instead of fine-tuning again")
    stance.add_argument("--no-hold-out", action="store_true",
                        help="do not score the hold-out (for candidate recipes compared on the internal "
                             "validation split only; prints the internal figures instead)")
    stance.set_defaults(handler=run_stance)


def run_stance(args: argparse.Namespace) -> int:
    import json

    from claimledger.stance.train import train_stance

    if not args.data.is_dir():
        raise UsageError(f"--data {args.data}: not a directory")
    if args.out.exists() and not args.out.is_dir():
        # Checked now, not when the model is saved at the end of an hour's training.
        raise UsageError(f"--out {args.out}: exists and is not a directory")
    if args.head_folds is not None and args.head_folds not in range(2, 11) and args.head_folds != 0:
        raise UsageError(f"--head-folds {args.head_folds}: must be 0 (no stacking) or between 2 and 10")
    if args.topic_weight_power is not None and not 0 <= args.topic_weight_power <= 2:
        raise UsageError(f"--topic-weight-power {args.topic_weight_power}: must be between 0 and 2")
    if args.memory_folds is not None and args.memory_folds not in range(2, 11) and args.memory_folds != 0:
        raise UsageError(f"--memory-folds {args.memory_folds}: must be 0 or between 2 and 10")
    if args.memory_folds and not args.claim_memory:
        raise UsageError("--memory-folds: needs --claim-memory (it only trains the seen-claim head)")
    if args.claim_centroids and not args.claim_memory:
        raise UsageError("--claim-centroids: needs --claim-memory (they only feed the seen-claim head)")
    if args.seen_head_rows and not args.memory_folds:
        raise UsageError("--seen-head-rows: needs --memory-folds")
    seen_head_rows = (args.seen_head_rows or "body") if args.memory_folds else None
    params = {name: value for name, value in
              (("epochs", args.epochs), ("max_length", args.max_length), ("n_threads", args.threads),
               ("head_folds", args.head_folds), ("validation_by", args.validation_by),
               ("bag_of_words", args.bag_of_words), ("topic_weight_power", args.topic_weight_power),
               ("claim_memory", args.claim_memory), ("memory_folds", args.memory_folds),
               ("seen_head_rows", seen_head_rows), ("claim_centroids", args.claim_centroids))
              if value is not None}
    manifest = train_stance(args.data, args.out, seed=args.seed, log=lambda m: print(m, file=sys.stderr),
                            reuse_cross_encoder=args.reuse_cross_encoder, score_hold_out=not args.no_hold_out,
                            **params)
    if args.no_hold_out:
        training = manifest["training"]
        print(json.dumps({"cross_encoder": training["stage2"]["internal_validation_macro_f1_3way"],
                          "head": training["head"]}, indent=2))
    else:
        print(json.dumps(manifest["hold_out_metrics"], indent=2))
    return 0
