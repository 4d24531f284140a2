"""The claim–statement stance model at run time: (claim, statement) -> support/deny/neutral/unrelated.

A MiniLM-L6 cross-encoder fine-tuned on claim–statement pairs (see
:mod:`claimledger.stance.statement_train` and ``models/statement_stance/manifest.json``), run as an
int8 ONNX graph with onnxruntime. It reads the statement's content as its speaker's assertion; the
cue ("denied", "declined to confirm") is applied on top by :class:`~claimledger.stance.statement.StatementStance`.

Not the FNC-1 article model (:mod:`claimledger.stance.model`), which judges a whole article body
against a headline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from claimledger.errors import ModelError
from claimledger.integrity import sha256_file
from claimledger.nlp.onnx_session import open_session
from claimledger.records import STANCES

if TYPE_CHECKING:
    from tokenizers import Encoding

LABELS = STANCES
MAX_LENGTH = 96  # word pieces of claim + statement; longer statements are cut from the end
MODEL_DIR = Path(__file__).resolve().parents[3] / "models" / "statement_stance"
BATCH = 64


def pad(encodings: Sequence[Encoding]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, attention mask and segment ids of tokenizer encodings, padded to the longest."""
    width = max((len(e.ids) for e in encodings), default=1)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        ids[row, :n] = e.ids
        mask[row, :n] = 1
        types[row, :n] = e.type_ids
    return ids, mask, types


class StatementStanceModel:
    """``predict_proba(claims, statements)`` -> probabilities over :data:`LABELS` (calibrated)."""

    def __init__(self, directory: Path = MODEL_DIR, threads: int = 2):
        from tokenizers import Tokenizer

        directory = Path(directory)
        manifest_path = directory / "manifest.json"
        if not manifest_path.exists():
            raise ModelError(f"no statement stance model in {directory}")
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for name, digest in self.manifest.get("files", {}).items():
            if sha256_file(directory / name) != digest:
                raise ModelError(f"{directory / name}: sha256 differs from the manifest")
        self.labels = tuple(self.manifest.get("labels", LABELS))
        self.temperature = float(self.manifest.get("temperature", 1.0))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_LENGTH, strategy="longest_first")
        self.tokenizer.no_padding()
        # int8 products computed in float32: the same judgments on CPUs with and without VNNI
        self.session = open_session(directory / "model.int8.onnx", threads)

    def logits(self, claims: list[str], statements: list[str]) -> np.ndarray:
        if not claims:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(zip(claims, statements)))
        # batches of similar length: less padding, the same result for a pair whatever its neighbours
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(encodings), len(self.labels)), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            ids, mask, types = pad([encodings[i] for i in rows])
            out[rows] = self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        return out

    def predict_proba(self, claims: list[str], statements: list[str]) -> np.ndarray:
        z = self.logits(claims, statements) / self.temperature
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)


@lru_cache(maxsize=2)
def load_statement_model(directory: str | None = None, threads: int = 2) -> StatementStanceModel | None:
    """The shipped model, loaded once; None when it is not installed (the rules then decide)."""
    path = Path(directory) if directory else MODEL_DIR
    if not (path / "manifest.json").exists():
        return None
    return StatementStanceModel(path, threads)
