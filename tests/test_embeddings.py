"""Sentence encoder: the shipped MiniLM ONNX model, its manifest check, and similarity on real text."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from claimledger.errors import ModelError
from claimledger.nlp.embeddings import SentenceEncoder, find_model_dir, load_default_encoder

PARAPHRASES = [
    ("The minister resigned on Friday.", "On Friday the minister stepped down."),
    ("Police arrested two men after the shooting.", "Two men were detained by police following the shooting."),
    ("The central bank raised interest rates by half a point.",
     "Interest rates were increased by 0.5 percentage points by the central bank."),
    ("The ceasefire collapsed within hours.", "Within a few hours the truce had broken down."),
    ("The company denied any wrongdoing.", "The firm said it had done nothing wrong."),
    ("Floods forced thousands of people from their homes.", "Thousands were displaced by flooding."),
]
UNRELATED = [
    "The recipe calls for two cups of flour.",
    "The striker scored a hat-trick in the cup final.",
    "Our cat likes to sleep on the windowsill.",
    "The museum's new wing opens in the spring.",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return load_default_encoder()


def test_shapes_dtype_and_normalisation(encoder):
    vectors = encoder.encode(["One sentence.", "Another, somewhat longer sentence about the economy.", ""])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_rejects_a_bare_string(encoder):
    with pytest.raises(TypeError):
        encoder.encode("not a list")


def test_paraphrases_are_closer_than_unrelated_sentences(encoder):
    for left, right in PARAPHRASES:
        paraphrase = encoder.similarity(left, right)
        unrelated = encoder.similarity(left, UNRELATED)
        assert paraphrase > 0.5, (left, right, paraphrase)
        assert paraphrase > unrelated.max() + 0.25, (left, right, paraphrase, unrelated)


def test_statement_speaks_to_its_claim(encoder):
    claim = "Iran's strikes were coordinated with U.S. forces."
    denial = "Any cooperation in such strikes with America is out of question."
    off_topic = "The museum's new wing opens in the spring."
    assert encoder.similarity(claim, denial) > encoder.similarity(claim, off_topic) + 0.2


def test_order_is_kept_and_batching_changes_vectors_only_slightly(encoder):
    texts = [pair[0] for pair in PARAPHRASES] + UNRELATED + ["A short one.", "x " * 300]
    together = encoder.encode(texts, batch_size=64)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    # int8 activations are quantised per batch, so neighbours and padding move a vector a little.
    assert np.min(np.sum(together * alone, axis=1)) > 0.97
    assert np.min(np.sum(together * encoder.encode(texts, batch_size=3), axis=1)) > 0.97
    # ... but the row of each text stays its own: it is closest to its solo encoding.
    assert list(np.argmax(together @ alone.T, axis=1)) == list(range(len(texts)))
    np.testing.assert_array_equal(encoder.encode(texts), together)  # deterministic


def test_batch_size_one_gives_context_free_vectors(encoder):
    texts = [pair[1] for pair in PARAPHRASES]
    first = encoder.encode(texts, batch_size=1)
    shuffled = encoder.encode(texts[::-1] + UNRELATED, batch_size=1)[: len(texts)][::-1]
    np.testing.assert_array_equal(first, shuffled)


def test_similarity_matrix_shape(encoder):
    matrix = encoder.similarity(["a claim", "another claim"], UNRELATED)
    assert matrix.shape == (2, len(UNRELATED))


def test_long_input_is_truncated(encoder):
    long_text = "The committee met again. " * 200
    assert encoder.encode([long_text]).shape == (1, 384)
    with pytest.raises(ValueError):
        SentenceEncoder.load(max_length=1024)


def test_manifest_lists_every_shipped_file_with_its_sha256(encoder):
    manifest = json.loads((find_model_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert {"model.onnx", "tokenizer.json"} <= set(manifest["files"])
    assert manifest["upstream_license"] == "Apache-2.0"
    assert manifest["fidelity"]["int8_onnx"]["mean_cosine"] >= 0.98 or manifest["precision"] == "fp32"
    for entry in manifest["files"].values():
        assert len(entry["sha256"]) == 64
    assert encoder.manifest["files"] == manifest["files"]  # load() verified the same sums


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "minilm"
    shutil.copytree(find_model_dir(), target)
    return target


def test_copied_model_loads_with_threads(model_copy):
    vectors = SentenceEncoder.load(model_copy, threads=2).encode(["Hello there."])
    assert vectors.shape == (1, 384)


def test_corrupted_model_raises_model_error(model_copy):
    with open(model_copy / "model.onnx", "r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelError, match="does not match its manifest"):
        SentenceEncoder.load(model_copy)


def test_missing_file_raises_model_error(model_copy):
    (model_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="missing"):
        SentenceEncoder.load(model_copy)


def test_missing_manifest_raises_model_error(model_copy, tmp_path):
    (model_copy / "manifest.json").unlink()
    with pytest.raises(ModelError, match="manifest missing"):
        SentenceEncoder.load(model_copy)
    with pytest.raises(ModelError, match="not found"):
        find_model_dir(tmp_path / "nowhere" / "module.py")


def test_model_error_message_is_one_line(model_copy):
    (model_copy / "model.onnx").write_bytes(b"")
    with pytest.raises(ModelError) as caught:
        SentenceEncoder.load(model_copy)
    assert "\n" not in str(caught.value)
