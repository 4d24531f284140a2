"""`claimledger stance`: FNC-1 stance of headlines toward article bodies (predict, eval, one pair)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from claimledger.errors import InputError, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stance",
        help="stance of a headline toward an article body (FNC-1 labels)",
        description="Stance of a headline (claim) toward an article body: agree, disagree, discuss or "
                    "unrelated. With --headline/--body judges one pair; 'predict' and 'eval' work on "
                    "FNC-1 CSV files.",
    )
    parser.add_argument("--headline", help="the headline or claim (one-pair mode)")
    parser.add_argument("--body", help="file with the article body, '-' for stdin (one-pair mode)")
    _common(parser)
    parser.set_defaults(handler=run_pair)
    actions = parser.add_subparsers(dest="stance_command", metavar="ACTION")

    predict = actions.add_parser("predict", help="label every pair of an FNC stances CSV")
    predict.add_argument("--bodies", required=True, type=Path, help="FNC bodies CSV (Body ID,articleBody)")
    predict.add_argument("--stances", required=True, type=Path, help="FNC pairs CSV (Headline,Body ID[,Stance])")
    predict.add_argument("--out", required=True, type=Path, help="output CSV (Headline,Body ID,Stance)")
    _common(predict)
    predict.set_defaults(handler=run_predict)

    evaluate = actions.add_parser("eval", help="FNC score, macro-F1, per-class F1 and confusion matrix")
    evaluate.add_argument("--bodies", required=True, type=Path, help="FNC bodies CSV")
    evaluate.add_argument("--stances", required=True, type=Path, help="gold FNC stances CSV (with Stance)")
    evaluate.add_argument("--pred", type=Path, help="predictions CSV; without it the model predicts")
    _common(evaluate)
    evaluate.set_defaults(handler=run_eval)


def _common(parser) -> None:
    parser.add_argument("--model", type=Path, default=argparse.SUPPRESS,
                        help="model directory (default: the shipped models/stance/)")
    parser.add_argument("--threads", type=int, default=argparse.SUPPRESS,
                        help="CPU threads for inference (default: all cores, up to 4)")
    parser.add_argument("--claim-memory", action="store_true", default=argparse.SUPPRESS,
                        help="judge headlines that occur in FNC-1's training pairs with the model's memory of "
                             "how the training articles stood on them (seen claims only; off by default)")


def _model(args):
    from claimledger.stance.model import StanceModel, load_default

    model_dir, threads = getattr(args, "model", None), getattr(args, "threads", None)
    claim_memory = getattr(args, "claim_memory", False)
    if threads is not None and threads < 1:
        raise UsageError(f"--threads must be at least 1, got {threads}")
    if model_dir is None and threads is None and not claim_memory:
        return load_default()
    return StanceModel.load(model_dir, n_threads=threads, use_claim_memory=claim_memory)


def _read_body(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not valid UTF-8 (byte offset {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


def run_pair(args: argparse.Namespace) -> int:
    from claimledger.stance.fnc import LABELS

    if args.headline is None or args.body is None:
        raise UsageError("stance: give --headline TEXT and --body FILE, or an action: predict, eval")
    body = _read_body(args.body)
    if not args.headline.strip() or not body.strip():
        raise InputError("stance: headline and body must not be empty")
    model = _model(args)
    proba = model.predict_proba([args.headline], [body])[0]
    label = model.predict([args.headline], [body])[0]
    print(label)
    for name, p in zip(LABELS, proba):
        print(f"  {name:<10} {p:.3f}")
    return 0


def run_predict(args: argparse.Namespace) -> int:
    from claimledger.stance.fnc import read_bodies, read_stances, write_stances

    bodies = read_bodies(args.bodies)
    pairs = read_stances(args.stances, bodies)
    model = _model(args)
    started = time.perf_counter()
    labels = model.predict([p.headline for p in pairs], [bodies[p.body_id] for p in pairs], progress=True)
    elapsed = time.perf_counter() - started
    write_stances(args.out, pairs, labels)
    print(f"wrote {len(labels)} predictions to {args.out} ({len(labels) / max(elapsed, 1e-9):.0f} pairs/s)",
          file=sys.stderr)
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from claimledger.errors import DataFormatError
    from claimledger.stance.fnc import read_bodies, read_stances, score

    bodies = read_bodies(args.bodies)
    gold = read_stances(args.stances, bodies, require_stance=True)
    if args.pred is not None:
        pred = read_stances(args.pred, bodies, require_stance=True)
        if len(pred) != len(gold):
            raise DataFormatError(f"{args.pred}: {len(pred)} rows but {args.stances} has {len(gold)}")
        for row, (g, p) in enumerate(zip(gold, pred), start=1):
            if (g.headline, g.body_id) != (p.headline, p.body_id):
                raise DataFormatError(f"{args.pred}: row {row}: pair differs from row {row} of {args.stances}")
        labels = [p.stance for p in pred]
    else:
        model = _model(args)
        labels = model.predict([p.headline for p in gold], [bodies[p.body_id] for p in gold], progress=True)
    print(score([g.stance for g in gold], labels).report())
    return 0
