"""The FNC-1 stance model: relatedness from lexical features, then a MiniLM cross-encoder.

Stage 1 (LightGBM over overlap/TF-IDF/BM25 features) decides related vs unrelated. Stage 2, run
only on pairs stage 1 calls related, is all-MiniLM-L6-v2 fine-tuned as a cross-encoder on the
headline and the body's most headline-like sentences, exported to int8 ONNX; a small
logistic-regression head over its logits and refuting/hedging/negation cue counts gives
agree/disagree/discuss. Recipes with ``bag_of_words`` (the default; not the shipped model) also feed
the head a bag-of-words logistic regression over the TF-IDF of headline, key sentences and body.
Recipes with ``claim_memory`` send pairs whose headline occurs in the training pairs to a second
head that also reads how the training articles stood toward that claim (:mod:`.memory`).
Inference needs onnxruntime, onnx, tokenizers, lightgbm and numpy only; training lives apart in
:mod:`.train` (``fit_model``), which needs the ``train`` extra.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from claimledger.integrity import sha256_file
from claimledger.errors import ModelError
from claimledger.nlp.onnx_session import open_session
from claimledger.stance import features as F
from claimledger.stance.fnc import LABELS
from claimledger.stance.memory import CENTROID_FEATURES, MEMORY_FEATURES, ClaimCentroids, ClaimMemory, memory_features

if TYPE_CHECKING:
    import lightgbm
    import onnxruntime
    from tokenizers import Encoding, Tokenizer

RELATED_LABELS = LABELS[:3]
MODEL_FILES = ("stance.int8.onnx", "tokenizer.json", "relatedness.lgb.txt", "vectorizer.json", "bow.npz",
               "heads.json")
BAG_OF_WORDS_FILE = "bow.npz"  # not written by recipes without the bag-of-words (``bag_of_words`` False)
# Written only by recipes that fit the head on out-of-fold rows (``head_folds`` > 0): those rows
# cannot be rebuilt without the fold cross-encoders, which are not kept.
HEAD_TRAINING_FILE = "head_training.npz"
CLAIM_MEMORY_FILE = "claim_memory.json"  # written only by recipes with ``claim_memory``
CLAIM_CENTROIDS_FILE = "claim_centroids.npz"  # written only by recipes with ``claim_centroids``
# Written only by recipes that fit the seen-claim head on rows of fold cross-encoders (``memory_folds``).
SEEN_HEAD_TRAINING_FILE = "seen_head_training.npz"


def default_model_dir() -> Path:
    """The shipped model: ``$CLAIMLEDGER_STANCE_MODEL`` if set, else ``models/stance/`` of the checkout.

    The model lives in the repository (not in the wheel), so an editable install or a checkout finds
    it two levels above ``src/claimledger``; a plain ``pip install`` must point the variable at a copy.
    """
    override = os.environ.get("CLAIMLEDGER_STANCE_MODEL")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "models" / "stance"


def _transform_distinct(vectorizer: F.TfidfVectorizer, texts: list[str]):
    """TF-IDF rows for ``texts``, vectorising each distinct text once (bodies repeat a lot)."""
    index: dict[str, int] = {}
    rows = [index.setdefault(text, len(index)) for text in texts]
    return vectorizer.transform(list(index))[rows]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def pad_encodings(encodings: Sequence[Encoding], indices: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, attention mask and type ids of the chosen encodings, right-padded to the longest."""
    width = max(len(encodings[i].ids) for i in indices)
    ids = np.zeros((len(indices), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for row, i in enumerate(indices):
        encoding = encodings[i]
        ids[row, : len(encoding.ids)] = encoding.ids
        types[row, : len(encoding.ids)] = encoding.type_ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask, types


class StanceModel:
    """Headline-vs-body stance in FNC-1 classes :data:`LABELS` (agree, disagree, discuss, unrelated).

    Parameters are the training recipe; ``n_threads`` and ``batch_size`` only affect inference speed.
    ``head_folds`` > 1 also fits the head on out-of-fold outputs of that many cross-encoders, each
    fine-tuned on the rest of the cross-encoder's training part (0: the head sees the internal
    validation pairs only). ``validation_by`` "topic" holds out whole topics (claims with their
    articles) instead of bodies for the internal validation split, as a test set of new claims
    would; ``bag_of_words`` False leaves the bag-of-words model out of the head.
    ``topic_weight_power`` p > 0 weights each pair in the cross-encoder's loss by the size of its topic
    to the power -p, so a claim with a thousand articles counts less against one with ten.
    ``claim_memory`` True keeps the label counts of each training headline and judges a pair whose
    headline is among them with a seen-claim head that also reads those counts; every other pair
    gets the usual head, exactly as without the memory. ``memory_folds`` K > 1 fits that head on
    rows from K cross-encoders fine-tuned on folds by body, so its rows are like a seen claim in a
    new article (0: on the usual head's rows, whose claims their cross-encoders had not seen);
    ``seen_head_rows`` "body" fits it on those rows only, "both" on them and the usual head's rows.
    ``claim_centroids`` True also gives that head the cosine of the body with each class's centroid
    of the claim's training bodies (which of the claim's articles this one resembles).
    """

    # What training (:func:`.train.fit_model`) or :meth:`load` sets, declared for the type checker:
    # annotations without values, so a model that has not been given one still lacks the attribute.
    manifest_: dict
    onnx_path_: Path
    tokenizer_: Tokenizer
    relatedness_: lightgbm.Booster
    vectorizer_: F.TfidfVectorizer
    avg_body_stems_: float
    head_: dict[str, np.ndarray]
    related_prior_: np.ndarray
    seen_head_: dict[str, np.ndarray]
    memory_: ClaimMemory
    centroids_: ClaimCentroids
    bow_: dict[str, np.ndarray]
    head_training_: dict[str, np.ndarray] | None
    seen_head_training_: dict[str, np.ndarray] | None
    training_info_: dict
    _onnx_sessions: dict[int, onnxruntime.InferenceSession]

    def __init__(
        self,
        max_length: int = 64,
        key_sentences: int = 4,
        epochs: int = 3,
        learning_rate: float = 5e-5,
        train_batch_size: int = 32,
        class_weight_power: float = 0.5,
        bow_c: float = 4.0,
        validation_fraction: float = 0.15,
        relatedness_threshold: float = 0.5,
        seed: int = 0,
        head_folds: int = 0,
        validation_by: str = "body",
        bag_of_words: bool = True,
        topic_weight_power: float = 0.0,
        claim_memory: bool = False,
        memory_folds: int = 0,
        seen_head_rows: str = "usual",
        claim_centroids: bool = False,
        batch_size: int = 64,
        n_threads: int | None = None,
    ):
        self.max_length = max_length
        self.key_sentences = key_sentences
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.train_batch_size = train_batch_size
        self.class_weight_power = class_weight_power
        self.bow_c = bow_c
        self.validation_fraction = validation_fraction
        self.relatedness_threshold = relatedness_threshold
        self.seed = seed
        self.head_folds = head_folds
        if validation_by not in ("body", "topic"):
            raise ModelError(f"validation_by {validation_by!r}: must be 'body' or 'topic'")
        self.validation_by = validation_by
        self.bag_of_words = bag_of_words
        if not topic_weight_power >= 0:
            raise ModelError(f"topic_weight_power {topic_weight_power!r}: must be 0 or more")
        self.topic_weight_power = topic_weight_power
        self.claim_memory = claim_memory
        # A model trained here judges seen headlines with its memory; a loaded one only when asked.
        self.use_claim_memory = claim_memory
        if memory_folds and not claim_memory:
            raise ModelError("memory_folds needs claim_memory: they only train the seen-claim head")
        self.memory_folds = memory_folds
        if seen_head_rows not in (("body", "both") if memory_folds else ("usual",)):
            raise ModelError(f"seen_head_rows {seen_head_rows!r}: must be 'body' or 'both' with memory_folds, "
                             "else 'usual'")
        self.seen_head_rows = seen_head_rows
        if claim_centroids and not claim_memory:
            raise ModelError("claim_centroids needs claim_memory: they only feed the seen-claim head")
        self.claim_centroids = claim_centroids
        self.batch_size = batch_size
        self.n_threads = n_threads

    # ------------------------------------------------------------------ parameters

    _RECIPE = ("max_length", "key_sentences", "epochs", "learning_rate", "train_batch_size",
               "class_weight_power", "bow_c", "validation_fraction", "relatedness_threshold", "seed", "head_folds",
               "validation_by", "bag_of_words", "topic_weight_power", "claim_memory",
               "memory_folds", "seen_head_rows", "claim_centroids")

    def get_params(self) -> dict:
        return {name: getattr(self, name) for name in self._RECIPE}

    # ------------------------------------------------------------------ features

    def _featurize(self, headlines: list[str], bodies: list[str], progress: bool = False):
        """Relatedness features and the cross-encoder body text (key sentences) for every pair.

        Bodies repeat across many headlines (FNC has ~30 headlines per body), so body-level work is
        done once per distinct body text.
        """
        from tqdm import tqdm

        vectorizer = self.vectorizer_
        pairs_of_body: dict[str, list[int]] = {}
        for i, body in enumerate(bodies):
            pairs_of_body.setdefault(body, []).append(i)
        head_index: dict[str, int] = {}
        head_of_pair = np.array([head_index.setdefault(h, len(head_index)) for h in headlines], dtype=np.int64)
        head_vectors = vectorizer.transform(list(head_index))

        n = len(headlines)
        relatedness = np.zeros((n, len(F.RELATEDNESS_FEATURES)), dtype=np.float32)
        key_texts: list[str] = [""] * n
        with tqdm(total=n, desc="features", unit="pair", disable=not progress, leave=False) as bar:
            for body, members in pairs_of_body.items():
                info = F.body_info(body, vectorizer)
                # One sparse product per body: every headline against every sentence/body/lead row.
                cosines = (head_vectors[head_of_pair[members]] @ info.vectors.T).toarray()
                for row, i in enumerate(members):
                    relatedness[i] = F.relatedness_features(
                        headlines[i], cosines[row], info, vectorizer, self.avg_body_stems_
                    )
                    key_texts[i] = F.key_sentences(info, cosines[row, :-2], self.key_sentences)
                bar.update(len(members))
        return relatedness, key_texts

    def _cues(self, headlines, key_texts, bodies) -> np.ndarray:
        if not headlines:
            return np.zeros((0, len(F.CUE_FEATURES)), dtype=np.float32)
        per_body: dict[str, np.ndarray] = {}
        return np.stack([
            F.cue_features(h, k, per_body[b] if b in per_body else per_body.setdefault(b, F.body_cues(b)))
            for h, k, b in zip(headlines, key_texts, bodies)
        ])

    # ------------------------------------------------------------------ stage 2

    def _threads(self) -> int:
        return self.n_threads or min(os.cpu_count() or 1, 4)

    def _session(self, intra_op_threads: int | None = None):
        """The ONNX session running each batch on ``intra_op_threads`` threads (default: all the model's).

        Kept per thread count: a lone batch is fastest split across every thread, many batches are
        fastest side by side on one thread each, and both give the same logits.
        """
        threads = intra_op_threads or self._threads()
        sessions = self.__dict__.setdefault("_onnx_sessions", {})
        if threads not in sessions:
            # No busy-waiting between ops: on a shared machine spinning threads steal the cores the
            # other thread needs, and throughput collapses instead of degrading gently.
            sessions[threads] = open_session(self.onnx_path_, threads=threads, spinning=False)
        return sessions[threads]

    def _encode(self, headlines: list[str], key_texts: list[str]):
        tokenizer = self.tokenizer_
        # longest_first cuts the body first (it is longer) but cannot fail on a very long headline.
        tokenizer.enable_truncation(self.max_length, strategy="longest_first")
        tokenizer.no_padding()
        return tokenizer.encode_batch(list(zip(headlines, key_texts)))

    def cross_encoder_logits(self, headlines: list[str], key_texts: list[str], progress: bool = False) -> np.ndarray:
        """Raw agree/disagree/discuss logits of the int8 cross-encoder for each pair."""
        from tqdm import tqdm

        if not headlines:
            return np.zeros((0, 3), dtype=np.float32)
        encodings = self._encode(headlines, key_texts)
        # Length-sorted batches waste little on padding; results go back to input order.
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        logits = np.zeros((len(encodings), 3), dtype=np.float32)
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        # Several batches run side by side, one thread each (onnxruntime releases the GIL): 5-13 %
        # faster on 2 cores than one batch at a time across both. A lone batch (a few statements in
        # `analyze`) gets every thread: on one thread it takes almost twice as long.
        workers = min(self._threads(), len(batches))
        session = self._session(1 if workers > 1 else None)

        def run(batch: np.ndarray) -> int:
            ids, mask, types = pad_encodings(encodings, batch)
            logits[batch] = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
            return len(batch)

        with tqdm(total=len(order), desc="stance", unit="pair", disable=not progress, leave=False) as bar, \
                ThreadPoolExecutor(workers) as pool:
            for done in pool.map(run, batches):
                bar.update(done)
        return logits

    def _bow_matrix(self, headlines: list[str], key_texts: list[str], bodies: list[str], cues: np.ndarray):
        """Bag-of-words inputs: TF-IDF of headline, key sentences and body side by side, plus cues."""
        from scipy import sparse

        v = self.vectorizer_
        return sparse.hstack([_transform_distinct(v, headlines), v.transform(key_texts),
                              _transform_distinct(v, bodies), sparse.csr_matrix(np.log1p(cues))]).tocsr()

    def bow_proba(self, headlines: list[str], key_texts: list[str], bodies: list[str], cues: np.ndarray) -> np.ndarray:
        """agree/disagree/discuss probabilities of the bag-of-words logistic regression.

        A recipe without it gives a flat 1/3 each: its head gives those inputs no weight.
        """
        if not self.bag_of_words:
            return np.full((len(headlines), 3), 1 / 3)
        x = self._bow_matrix(headlines, key_texts, bodies, cues)
        return _softmax(np.asarray(x @ self.bow_["coef"].T) + self.bow_["intercept"])

    HEAD_FEATURES = (
        *("logit_" + label for label in RELATED_LABELS), *("bow_logp_" + label for label in RELATED_LABELS),
        *("log1p_" + name for name in F.CUE_FEATURES), "refute_key_headline_not_refuting",
        "refute_body_headline_not_refuting",
    )

    @staticmethod
    def _head_inputs(logits: np.ndarray, bow: np.ndarray, cues: np.ndarray) -> np.ndarray:
        """Head features: both models' outputs, log cue counts, and refuting words in the body when
        the headline has none (a body calling a claim a hoax disagrees with "X happened" but
        agrees with "X is a hoax", so refuting words alone point both ways)."""
        logged = np.log1p(cues)
        headline_not_refuting = (cues[:, F.CUE_FEATURES.index("refute_headline")] == 0).astype(np.float64)
        interactions = logged[:, [F.CUE_FEATURES.index("refute_key"), F.CUE_FEATURES.index("refute_body")]]
        return np.hstack([logits, np.log(np.clip(bow, 1e-6, 1.0)), logged,
                          interactions * headline_not_refuting[:, None]]).astype(np.float64)

    SEEN_HEAD_FEATURES = (*HEAD_FEATURES, *MEMORY_FEATURES)

    def seen_head_features(self) -> tuple:
        """The seen-claim head's inputs for this recipe."""
        return (*self.SEEN_HEAD_FEATURES, *(CENTROID_FEATURES if self.claim_centroids else ()))

    @staticmethod
    def _apply_head(head: dict, x: np.ndarray) -> np.ndarray:
        # Clipped to the range seen when the head was fit: a short text can have a cue density no
        # training article has, and a linear head must not extrapolate from it.
        x = (np.clip(x, head["low"], head["high"]) - head["mean"]) / head["scale"]
        return _softmax(x @ head["coef"].T + head["intercept"])

    def _related_proba(self, logits: np.ndarray, bow: np.ndarray, cues: np.ndarray,
                       headlines: list[str] | None = None, bodies: list[str] | None = None) -> np.ndarray:
        """agree/disagree/discuss probabilities from the head over both models' outputs and the cues.

        With a claim memory and the ``headlines`` (and ``bodies``, for a recipe with centroids),
        pairs whose headline the memory holds are judged by the seen-claim head, which also reads
        the memory's counts for it.
        """
        inputs = self._head_inputs(logits, bow, cues)
        proba = self._apply_head(self.head_, inputs)
        if self.claim_memory and self.use_claim_memory and headlines is not None:
            counts = self.memory_.lookup(headlines)
            seen = np.flatnonzero(counts.sum(axis=1) >= 1)
            if len(seen):
                seen_inputs = np.hstack([inputs[seen], memory_features(counts[seen], self.related_prior_)])
                if self.claim_centroids:
                    vectors = _transform_distinct(self.vectorizer_, [bodies[i] for i in seen])
                    cosines = self.centroids_.cosines([headlines[i] for i in seen], vectors)
                    seen_inputs = np.hstack([seen_inputs, cosines])
                proba[seen] = self._apply_head(self.seen_head_, seen_inputs)
        return proba

    # ------------------------------------------------------------------ public API

    def predict_proba(self, headlines: list[str], bodies: list[str], progress: bool = False) -> np.ndarray:
        """Probabilities ``(n, 4)`` in :data:`LABELS` order for each (headline, body) pair.

        ``P(unrelated)`` comes from stage 1; the related mass is split by stage 2. Pairs stage 1
        calls unrelated skip the cross-encoder (the slow part) and share their related mass by the
        training prior of agree/disagree/discuss.
        """
        self._check_fitted()
        headlines, bodies = list(headlines), list(bodies)
        if len(headlines) != len(bodies):
            raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
        proba = np.zeros((len(headlines), 4), dtype=np.float64)
        if not headlines:
            return proba
        relatedness, key_texts = self._featurize(headlines, bodies, progress)
        # a dense matrix in, so lightgbm gives an array (its annotation also allows sparse outputs)
        p_related = cast(np.ndarray, self.relatedness_.predict(relatedness, num_threads=self.n_threads or 0))
        p3 = np.tile(self.related_prior_, (len(headlines), 1))
        chosen = np.flatnonzero(p_related >= self.relatedness_threshold)
        if len(chosen):
            sub_h = [headlines[i] for i in chosen]
            sub_k = [key_texts[i] for i in chosen]
            sub_b = [bodies[i] for i in chosen]
            logits = self.cross_encoder_logits(sub_h, sub_k, progress)
            cues = self._cues(sub_h, sub_k, sub_b)
            p3[chosen] = self._related_proba(logits, self.bow_proba(sub_h, sub_k, sub_b, cues), cues, sub_h, sub_b)
        proba[:, :3] = p_related[:, None] * p3
        proba[:, 3] = 1.0 - p_related
        return proba

    def statement_proba(self, claims: list[str], statements: list[str]) -> np.ndarray:
        """agree/disagree/discuss probabilities ``(n, 3)`` of short statements toward claims.

        For statement-level stance in ``analyze``: a statement of a sentence or two is already what
        the cross-encoder was trained to read (headline against the body's key sentences), so this
        is its softmax alone, without the relatedness stage or the whole-body features of the head.
        """
        self._check_fitted()
        claims, statements = list(claims), list(statements)
        if len(claims) != len(statements):
            raise ValueError(f"{len(claims)} claims but {len(statements)} statements")
        return _softmax(self.cross_encoder_logits(claims, statements).astype(np.float64))

    def predict(self, headlines: list[str], bodies: list[str], progress: bool = False) -> list[str]:
        """FNC labels: unrelated when stage 1 says so, else the most probable related class.

        This two-stage rule is what the model was tuned for; it differs from ``argmax(predict_proba)``
        only for pairs just above the relatedness threshold.
        """
        proba = self.predict_proba(headlines, bodies, progress)
        related = proba[:, 3] <= 1.0 - self.relatedness_threshold
        best = proba[:, :3].argmax(axis=1)
        return [LABELS[b] if r else "unrelated" for b, r in zip(best, related)]

    # ------------------------------------------------------------------ persistence

    def _check_fitted(self) -> None:
        if not hasattr(self, "relatedness_"):
            raise ModelError("stance model is not fitted or loaded")

    def save(self, directory: str | os.PathLike, manifest_extra: dict | None = None) -> Path:
        """Write the model files and ``manifest.json`` (with each file's sha256) to ``directory``.

        The files are written to a staging directory beside it, which then takes its place: a save
        cut short leaves the previous model whole (and a ``.<name>.saving-*`` directory to delete),
        never a mix of old and new files. Files in ``directory`` that are not model files are kept.
        """
        import shutil
        import uuid

        self._check_fitted()
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = directory.parent / f".{directory.name}.saving-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            manifest = self._write_files(staging, manifest_extra)
            ours = set(MODEL_FILES) | {HEAD_TRAINING_FILE, CLAIM_MEMORY_FILE, CLAIM_CENTROIDS_FILE,
                                       SEEN_HEAD_TRAINING_FILE, "manifest.json"}
            if directory.exists():
                for other in directory.iterdir():
                    if other.name not in ours and not (staging / other.name).exists():
                        (shutil.copytree if other.is_dir() else shutil.copy2)(other, staging / other.name)
                retired = directory.parent / f".{directory.name}.replaced-{uuid.uuid4().hex[:8]}"
                directory.rename(retired)
                staging.rename(directory)
                shutil.rmtree(retired, ignore_errors=True)
            else:
                staging.rename(directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.manifest_ = manifest
        self.onnx_path_ = directory / "stance.int8.onnx"
        return directory

    def _write_files(self, directory: Path, manifest_extra: dict | None) -> dict:
        import shutil

        shutil.copyfile(self.onnx_path_, directory / "stance.int8.onnx")
        self.tokenizer_.no_truncation()
        self.tokenizer_.no_padding()
        self.tokenizer_.save(str(directory / "tokenizer.json"))
        self.relatedness_.save_model(str(directory / "relatedness.lgb.txt"))
        (directory / "vectorizer.json").write_text(
            json.dumps({**self.vectorizer_.to_dict(), "avg_body_stems": self.avg_body_stems_}), encoding="utf-8"
        )
        files = self.model_files()
        if self.bag_of_words:
            np.savez(directory / BAG_OF_WORDS_FILE, coef=self.bow_["coef"].astype(np.float32),
                     intercept=self.bow_["intercept"].astype(np.float32))
        heads = {key: np.asarray(value).tolist() for key, value in self.head_.items()}
        if (head_training := getattr(self, "head_training_", None)) is not None:
            np.savez_compressed(directory / HEAD_TRAINING_FILE, **head_training)
            files.append(HEAD_TRAINING_FILE)
        if (seen_head_training := getattr(self, "seen_head_training_", None)) is not None:
            np.savez_compressed(directory / SEEN_HEAD_TRAINING_FILE, **seen_head_training)
            files.append(SEEN_HEAD_TRAINING_FILE)
        seen = {}
        if self.claim_memory:
            (directory / CLAIM_MEMORY_FILE).write_text(json.dumps(self.memory_.to_dict(), indent=0), encoding="utf-8")
            seen = {"seen_head": {key: np.asarray(value).tolist() for key, value in self.seen_head_.items()},
                    "seen_head_features": list(self.seen_head_features())}
            if self.claim_centroids:
                np.savez_compressed(directory / CLAIM_CENTROIDS_FILE, **self.centroids_.to_arrays())
        (directory / "heads.json").write_text(
            json.dumps({"head": heads, "related_prior": self.related_prior_.tolist(),
                        "head_features": list(self.HEAD_FEATURES), **seen},
                       indent=1), encoding="utf-8")
        manifest = {
            "model": "claimledger FNC-1 stance model",
            "labels": list(LABELS),
            "parameters": self.get_params(),
            **(manifest_extra or {}),
            "files": {name: {"sha256": sha256_file(directory / name), "bytes": (directory / name).stat().st_size}
                      for name in files},
        }
        (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return manifest

    def model_files(self) -> list[str]:
        """The files every model of this recipe has (the stacked head's rows come on top)."""
        return [name for name in MODEL_FILES if self.bag_of_words or name != BAG_OF_WORDS_FILE] + (
            [CLAIM_MEMORY_FILE] if self.claim_memory else []) + ([CLAIM_CENTROIDS_FILE] if self.claim_centroids else [])

    @classmethod
    def load(cls, directory: str | os.PathLike | None = None, n_threads: int | None = None,
             verify: bool = True, use_claim_memory: bool = False) -> "StanceModel":
        """Load a saved model (default: the shipped one), checking every file against the manifest.

        A recipe's claim memory is read only with ``use_claim_memory``: it helps only for headlines
        that occur in FNC-1's training pairs, and a user's claims are new, so by default every pair
        gets the head that was validated on claims absent from training.
        """
        import lightgbm
        from tokenizers import Tokenizer

        directory = Path(directory) if directory is not None else default_model_dir()
        manifest_path = directory / "manifest.json"
        if not manifest_path.exists():
            raise ModelError(f"{directory}: no stance model here (manifest.json missing)")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files = manifest["files"]
            params = manifest["parameters"]
        except (ValueError, KeyError) as error:
            raise ModelError(f"{manifest_path}: unreadable stance manifest ({error})") from None
        optional = [name for name in (HEAD_TRAINING_FILE, SEEN_HEAD_TRAINING_FILE) if name in files]
        model = cls(**{k: v for k, v in params.items() if k in cls._RECIPE}, n_threads=n_threads)
        for name in (*model.model_files(), *optional):
            path = directory / name
            if name not in files:
                raise ModelError(f"{manifest_path}: does not list model file {name}")
            if not path.exists():
                raise ModelError(f"{path}: model file missing")
            if verify and sha256_file(path) != files[name]["sha256"]:
                raise ModelError(f"{path}: sha256 does not match manifest.json (file corrupt or replaced)")

        model.manifest_ = manifest
        model.onnx_path_ = directory / "stance.int8.onnx"
        model.tokenizer_ = Tokenizer.from_file(str(directory / "tokenizer.json"))
        model.relatedness_ = lightgbm.Booster(model_file=str(directory / "relatedness.lgb.txt"))
        data = json.loads((directory / "vectorizer.json").read_text(encoding="utf-8"))
        model.vectorizer_ = F.TfidfVectorizer.from_dict(data)
        model.avg_body_stems_ = float(data["avg_body_stems"])
        heads = json.loads((directory / "heads.json").read_text(encoding="utf-8"))
        model.head_ = {key: np.asarray(value, dtype=np.float64) for key, value in heads["head"].items()}
        model.related_prior_ = np.asarray(heads["related_prior"], dtype=np.float64)
        model.use_claim_memory = bool(use_claim_memory and model.claim_memory)
        if model.claim_memory:  # read (and saved again) either way; used only when asked
            try:
                model.seen_head_ = {key: np.asarray(value, dtype=np.float64)
                                    for key, value in heads["seen_head"].items()}
                model.memory_ = ClaimMemory.from_dict(
                    json.loads((directory / CLAIM_MEMORY_FILE).read_text(encoding="utf-8")))
                if model.claim_centroids:
                    with np.load(directory / CLAIM_CENTROIDS_FILE, allow_pickle=False) as data:
                        model.centroids_ = ClaimCentroids.from_arrays(data)
            except (KeyError, ValueError) as error:
                raise ModelError(f"{directory}: claim memory or seen-claim head unreadable ({error})") from None
        if model.bag_of_words:
            with np.load(directory / BAG_OF_WORDS_FILE, allow_pickle=False) as bow:
                model.bow_ = {"coef": bow["coef"].astype(np.float64),
                              "intercept": bow["intercept"].astype(np.float64)}
        model._session()  # fail at load time, not at first prediction, if the ONNX file is bad
        return model


_default_model: StanceModel | None = None
_default_lock = threading.Lock()


def load_default() -> StanceModel:
    """The shipped model, loaded once per process and shared."""
    global _default_model
    with _default_lock:
        if _default_model is None:
            _default_model = StanceModel.load()
        return _default_model
