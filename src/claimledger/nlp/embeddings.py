"""Sentence embeddings from the shipped all-MiniLM-L6-v2 ONNX export, on onnxruntime without torch.

Used to tell whether a statement speaks to a claim and to merge the same claim across articles.
The transformer runs in onnxruntime; tokenisation is the upstream WordPiece ``tokenizer.json``;
mean pooling over real tokens and L2 normalisation are done here in numpy, as sentence-transformers
does. The model files are checked against the sha256 sums in ``manifest.json`` before use, so a
truncated or swapped file fails loudly instead of giving quietly wrong vectors.
``scripts/export_minilm.py`` rebuilds the files and records their fidelity to the torch model.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from claimledger.integrity import read_manifest, sha256_file
from claimledger.errors import ModelError
from claimledger.nlp.onnx_session import open_session

MODEL_SUBDIR = Path("models") / "minilm"
MANIFEST = "manifest.json"
DIMENSION = 384
DEFAULT_MAX_LENGTH = 128
# Position embeddings go to 512, but upstream trained on ≤ 128 tokens and sentence-transformers
# caps it at 256; longer input degrades rather than helps.
MAX_MAX_LENGTH = 256
# On the shared 2-core target a second intra-op thread was slower, not faster (bench/RESULTS.md);
# override with load(threads=…) or CLAIMLEDGER_ENCODER_THREADS.
DEFAULT_THREADS = 1


def find_model_dir(start: Path | None = None) -> Path:
    """Return the shipped ``models/minilm`` directory, searching upward from this module's file."""
    here = (start or Path(__file__)).resolve()
    for parent in [here, *here.parents]:
        if (parent / MODEL_SUBDIR / MANIFEST).is_file():
            return parent / MODEL_SUBDIR
    raise ModelError(f"sentence encoder not found: no {MODEL_SUBDIR / MANIFEST} above {here.parent}")


def read_verified_manifest(model_dir: Path) -> dict:
    """Read ``manifest.json`` and check every listed file's sha256; raise ModelError on any mismatch."""
    manifest_path = model_dir / MANIFEST
    manifest, files = read_manifest(manifest_path, "sentence encoder")
    for required in ("model.onnx", "tokenizer.json"):
        if required not in files:
            raise ModelError(f"sentence encoder manifest lists no {required}: {manifest_path}")
    for name, entry in files.items():
        path = model_dir / name
        if not path.is_file():
            raise ModelError(f"sentence encoder file missing: {path}")
        if sha256_file(path) != entry.get("sha256"):
            raise ModelError(f"sentence encoder file does not match its manifest sha256: {path}")
    return manifest


class TextEncoder(Protocol):
    """What claim proposal, claim matching and headline stance need of an encoder: texts in, an
    ``(n, d)`` array of their vectors out (:class:`SentenceEncoder`, or a cache in front of one)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceEncoder:
    """Encode sentences to 384-d L2-normalised float32 vectors (all-MiniLM-L6-v2, ONNX)."""

    def __init__(self, session, tokenizer, manifest: dict, max_length: int = DEFAULT_MAX_LENGTH) -> None:
        if not 2 <= max_length <= MAX_MAX_LENGTH:
            raise ValueError(f"max_length must be between 2 and {MAX_MAX_LENGTH}, got {max_length}")
        self.session = session
        self.tokenizer = tokenizer
        self.manifest = manifest
        self.max_length = max_length
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self._input_names = {node.name for node in session.get_inputs()}

    @classmethod
    def load(
        cls,
        path: str | os.PathLike | None = None,
        threads: int | None = None,
        max_length: int = DEFAULT_MAX_LENGTH,
    ) -> "SentenceEncoder":
        """Load the encoder from ``path`` (default: the shipped ``models/minilm``), verifying sha256 sums.

        ``threads`` is onnxruntime's intra-op thread count (default 1, or $CLAIMLEDGER_ENCODER_THREADS).
        """
        from tokenizers import Tokenizer

        model_dir = Path(path) if path is not None else find_model_dir()
        manifest = read_verified_manifest(model_dir)
        if threads is None:
            threads = int(os.environ.get("CLAIMLEDGER_ENCODER_THREADS", DEFAULT_THREADS))
        try:
            session = open_session(model_dir / "model.onnx", threads=threads)
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except ModelError:
            raise
        except Exception as error:  # tokenizers raises its own untyped errors
            raise ModelError(f"sentence encoder cannot be loaded from {model_dir}: {error}") from None
        return cls(session, tokenizer, manifest, max_length=max_length)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Return an (n, 384) float32 array of L2-normalised embeddings, in the order of ``texts``.

        Texts are batched by token length so that little time goes on padding. The int8 weights
        compute in float32 (``nlp/onnx_session.py``), so a vector does not depend on its batch
        neighbours or on the CPU beyond float rounding.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of strings, not one string")
        texts = list(texts)
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), max(1, batch_size)):
            batch = order[start : start + batch_size]
            out[batch] = self._encode_batch([encodings[i].ids for i in batch])
        return out

    def _encode_batch(self, id_lists: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in id_lists)
        input_ids = np.zeros((len(id_lists), width), dtype=np.int64)
        mask = np.zeros((len(id_lists), width), dtype=np.int64)
        for row, ids in enumerate(id_lists):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        (hidden,) = self.session.run(["last_hidden_state"], feeds)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def similarity(self, a: str | Sequence[str], b: str | Sequence[str]) -> float | np.ndarray:
        """Cosine similarity: a float for two strings, else the (len(a), len(b)) matrix."""
        single = isinstance(a, str) and isinstance(b, str)
        left = self.encode([a] if isinstance(a, str) else a)
        right = self.encode([b] if isinstance(b, str) else b)
        matrix = left @ right.T
        return float(matrix[0, 0]) if single else matrix


@lru_cache(maxsize=1)
def load_default_encoder() -> SentenceEncoder:
    """Return the shipped encoder, loaded (and verified) once per process."""
    return SentenceEncoder.load()
