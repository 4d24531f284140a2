"""The shipped int8 models compute the same ledger on any CPU (nlp/onnx_session.py).

Integer kernels differ between CPUs with and without AVX-512 VNNI, and a seed judgment flipped with
the machine. The session rewrites each quantised product as a float32 one; these tests check that no
integer kernel is left, that the rewrite keeps what the weights compute, that a vector no longer
depends on its batch, and that the seed's claim ledger holds under perturbations far larger than
float32 rounding differences between CPUs.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest

from claimledger.nlp import embeddings
from claimledger.nlp.embeddings import SentenceEncoder, find_model_dir
from claimledger.nlp.onnx_session import float_compute_model, open_session
from ledger_matcher import as_dict
from shared_data import shared_path

INTEGER_KERNELS = {"MatMulInteger", "DynamicQuantizeLinear", "ConvInteger", "QLinearMatMul", "MatMulIntegerToFloat"}
SENTENCES = [
    "The ministry denied that any troops had crossed the border.",
    "Officials said the bridge collapsed after weeks of heavy rain, and engineers are still inspecting it.",
    "Fire crews were called shortly after midnight.",
    "The company declined to say whether the recall would be extended to other markets.",
]


def _model_paths():
    root = find_model_dir().parent
    return [root / "minilm" / "model.onnx", root / "stance" / "stance.int8.onnx"]


@pytest.mark.parametrize("path", _model_paths(), ids=lambda p: p.parent.name)
def test_no_integer_kernel_is_left(path):
    stored = onnx.load(str(path))
    assert any(node.op_type == "MatMulInteger" for node in stored.graph.node), "the stored model is int8"
    rewritten = onnx.load_from_string(float_compute_model(path))
    assert not {node.op_type for node in rewritten.graph.node} & INTEGER_KERNELS


def test_float_compute_keeps_what_the_int8_model_computes():
    import onnxruntime
    from tokenizers import Tokenizer

    model_dir = find_model_dir()
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    integer = SentenceEncoder(
        onnxruntime.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"]),
        tokenizer, manifest,
    )
    floating = SentenceEncoder(open_session(model_dir / "model.onnx"), Tokenizer.from_file(str(model_dir / "tokenizer.json")), manifest)
    cosines = np.sum(integer.encode(SENTENCES) * floating.encode(SENTENCES), axis=1)
    assert cosines.min() > 0.97  # same weights: only activation rounding differs


def test_a_vector_does_not_depend_on_its_batch():
    encoder = embeddings.load_default_encoder()
    together = encoder.encode(SENTENCES)
    alone = np.stack([encoder.encode([sentence])[0] for sentence in SENTENCES])
    assert np.sum(together * alone, axis=1).min() > 0.99999


def test_seed_claim_ledger_holds_under_rounding_far_beyond_cpu_differences(monkeypatch):
    """Float32 results differ between CPUs by about 1e-6; the seed's sides must hold at 1e-2."""
    import claimledger

    gold = json.loads(shared_path("seed", "iran-f4-airstrikes.gold.json").read_text(encoding="utf-8"))
    claims = [gold["claims"][key] for key in sorted(gold["claims"])]
    text = shared_path("seed", "iran-f4-airstrikes.txt").read_text(encoding="utf-8")

    def sides() -> dict:
        ledger = as_dict(claimledger.analyze(text, published="2014-12-03", claims=claims))
        return {
            claim["id"]: {side: sorted(map(str, claim.get(side, []))) for side in ("support", "deny", "neutral")}
            for claim in ledger["claims"]
        }

    unperturbed = sides()
    encode = SentenceEncoder.encode
    for seed in range(3):
        rng = np.random.default_rng(seed)

        def perturbed(self, texts, batch_size=64, _rng=rng):
            vectors = encode(self, texts, batch_size)
            vectors = vectors + _rng.normal(0.0, 0.01 / np.sqrt(vectors.shape[1]), vectors.shape).astype(np.float32)
            return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

        monkeypatch.setattr(SentenceEncoder, "encode", perturbed)
        assert sides() == unperturbed, f"noise seed {seed}"
