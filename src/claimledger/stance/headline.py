"""Headline stance: does a short text (a headline, one statement) support, deny or only report a claim?

A logistic regression over cheap features of the (claim, text) pair, after Ferreira & Vlachos (2016),
who built the Emergent corpus: refuting, hedging and reporting cue words in the text
(``data/headline_cues.tsv``), question form, negation in the text against negation in the claim, how
close the two are (MiniLM cosine, word overlap) and which common headline words occur (a bag of words
learnt in training). Inference is numpy (plus the shipped sentence encoder for the cosine); the
coefficients are a JSON file checked against ``manifest.json``. Training is
``stance/headline_train.py``; the model card is ``docs/headline_stance.md``.

    model = HeadlineStance.load("models/headline_stance")
    model.predict_proba(claims, texts)   # (n, 3): support, deny, neutral
    model.predict(claims, texts)         # ["support", "deny", "neutral", ...]
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from claimledger.errors import ModelError
from claimledger.integrity import verified_model_file
from claimledger.nlp.text import HEADLINE_STOP_WORDS, prefix_stem
from claimledger.records import STANCES

if TYPE_CHECKING:
    from claimledger.nlp.embeddings import TextEncoder

LABELS: tuple[str, ...] = STANCES[:3]  # support, deny, neutral: a headline that reports a claim is related
MODEL_FILE = "headline_stance.json"
CUES_FILE = Path(__file__).with_name("data") / "headline_cues.tsv"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# feature groups; a recipe names the groups it uses, in this order
LEXICAL = (
    "refute", "refute_any", "refute_claim", "refute_new", "hedge", "hedge_any", "hedge_claim", "report",
    "negation", "negation_claim", "negation_diff", "negation_parity", "question_mark", "question_start",
    "no_start", "length", "length_claim", "affirm", "colon", "colon_early", "modal_new",
)
SIMILARITY = ("cosine", "overlap_claim", "overlap_text", "jaccard", "refute_x_cosine", "negation_x_cosine")
GROUPS = {"lexical": LEXICAL, "similarity": SIMILARITY}


class HeadlineModelError(ModelError):
    """The headline stance model cannot be loaded (missing, unreadable or corrupt file)."""


def words(text: str) -> list[str]:
    """Lower-cased word tokens; curly apostrophes read as straight ones."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def content_stems(tokens: list[str]) -> set[str]:
    """Content words cut to five letters (a crude stemmer: 'denies'/'denied', 'bomb'/'bombed')."""
    return {prefix_stem(t, 5) for t in tokens if t not in HEADLINE_STOP_WORDS and len(t) > 1}


@lru_cache(maxsize=1)
def cue_lexicon(path: str = str(CUES_FILE)) -> dict[str, frozenset[tuple[str, ...]]]:
    """The cue words and phrases of each kind, from the data file (comments start with '#')."""
    kinds: dict[str, set[tuple[str, ...]]] = {}
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    for line in lines[1:]:  # header: key, kind
        key, kind = line.split("\t")[:2]
        kinds.setdefault(kind, set()).add(tuple(key.split()))
    return {kind: frozenset(keys) for kind, keys in kinds.items()}


def _count(tokens: list[str], keys: frozenset[tuple[str, ...]]) -> int:
    """How many times the keys (words or phrases) occur in the tokens."""
    lengths = {len(key) for key in keys}
    return sum(1 for i in range(len(tokens)) for n in lengths if tuple(tokens[i:i + n]) in keys)


_MODALS = frozenset({("could",), ("may",), ("might",), ("would",), ("maybe",), ("possibly",), ("perhaps",)})


def lexical_features(claim: str, text: str) -> list[float]:
    """The LEXICAL features of one pair."""
    cues = cue_lexicon()
    tw, cw = words(text), words(claim)
    refute, refute_claim = _count(tw, cues["refute"]), _count(cw, cues["refute"])
    hedge, hedge_claim = _count(tw, cues["hedge"]), _count(cw, cues["hedge"])
    negation, negation_claim = _count(tw, cues["negation"]), _count(cw, cues["negation"])
    first = tw[0] if tw else ""
    return [
        np.log1p(refute), float(refute > 0), float(refute_claim > 0), float(refute > refute_claim),
        np.log1p(hedge), float(hedge > 0), float(hedge_claim > 0), np.log1p(_count(tw, cues["report"])),
        np.log1p(negation), np.log1p(negation_claim), float(negation - negation_claim),
        float((negation % 2) != (negation_claim % 2)), float("?" in text),
        float((first,) in cues["question"]), float(first in ("no", "nope")),
        np.log1p(len(tw)), np.log1p(len(cw)), np.log1p(_count(tw, cues["affirm"])), float(":" in text),
        float(":" in text and len(words(text.split(":")[0])) <= 3),
        float(_count(tw, _MODALS) > _count(cw, _MODALS)),
    ]


def similarity_features(claim: str, text: str, cosine: float) -> list[float]:
    """The SIMILARITY features of one pair, given the MiniLM cosine of the two."""
    cues = cue_lexicon()
    tw = words(text)
    cs, ts = content_stems(words(claim)), content_stems(tw)
    both = len(cs & ts)
    refute = float(_count(tw, cues["refute"]) > 0)
    negation = float(_count(tw, cues["negation"]) > 0)
    return [cosine, both / max(len(cs), 1), both / max(len(ts), 1), both / max(len(cs | ts), 1),
            refute * cosine, negation * cosine]


def pair_features(claims: Sequence[str], texts: Sequence[str], groups: Sequence[str], *,
                  cosines: np.ndarray | None = None) -> np.ndarray:
    """The dense feature matrix ``(n, d)`` of the named groups (``cosines`` (n,) for "similarity")."""
    n = len(claims)
    blocks = []
    for group in groups:
        if group == "lexical":
            blocks.append(np.array([lexical_features(c, t) for c, t in zip(claims, texts)], dtype=np.float64).reshape(n, -1))
        elif group == "similarity":
            if cosines is None:
                raise ValueError("the similarity features need the claim-text cosines")
            blocks.append(np.array([similarity_features(c, t, float(s)) for c, t, s in zip(claims, texts, cosines)],
                                   dtype=np.float64).reshape(n, -1))
        else:
            raise ValueError(f"unknown feature group {group!r}")
    return np.hstack(blocks) if blocks else np.zeros((n, 0))


def feature_names(groups: Sequence[str]) -> list[str]:
    return [name for group in groups for name in GROUPS[group]]


def cosines_of(encoder: TextEncoder, claims: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """Row-wise cosine of the encoder's vectors; each distinct text is encoded once."""
    distinct = sorted(set(claims) | set(texts))
    vectors = np.asarray(encoder.encode(distinct), dtype=np.float32) if distinct else np.zeros((0, 1), np.float32)
    row = {text: i for i, text in enumerate(distinct)}
    a, b = vectors[[row[c] for c in claims]], vectors[[row[t] for t in texts]]
    a /= np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b /= np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return (a * b).sum(axis=1).astype(np.float64)


def default_model_dir() -> Path:
    """The shipped model: ``$CLAIMLEDGER_HEADLINE_MODEL`` if set, else ``models/headline_stance/`` of
    the checkout (like the article model, it lives in the repository, not in the wheel)."""
    override = os.environ.get("CLAIMLEDGER_HEADLINE_MODEL")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "models" / "headline_stance"


class HeadlineStance:
    """A fitted headline stance model: ``load``, ``predict_proba``, ``predict``."""

    def __init__(self, groups: Sequence[str], mean: np.ndarray, scale: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, vocabulary: Sequence[str] = (), manifest: dict | None = None) -> None:
        self.groups = tuple(groups)
        self.vocabulary_ = list(vocabulary)  # words of the text read as present/absent after the dense features
        self._index = {word: i for i, word in enumerate(self.vocabulary_)}
        self.mean_, self.scale_ = np.asarray(mean, dtype=np.float64), np.asarray(scale, dtype=np.float64)
        self.coef_, self.intercept_ = np.asarray(coef, dtype=np.float64), np.asarray(intercept, dtype=np.float64)
        self.manifest_ = manifest or {}
        self._encoder: Any = None  # the sentence encoder, loaded when first needed

    @classmethod
    def load(cls, directory: str | Path, encoder: TextEncoder | None = None) -> HeadlineStance:
        """Load a saved model, checking its file's sha256 against ``manifest.json``. ``encoder`` defaults
        to the shipped sentence encoder, loaded when first needed."""
        manifest, path = verified_model_file(Path(directory), MODEL_FILE, "headline stance", HeadlineModelError)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if tuple(data["labels"]) != LABELS:
                raise ValueError(f"labels {data['labels']} are not {list(LABELS)}")
            model = cls(data["groups"], data["mean"], data["scale"], data["coef"], data["intercept"],
                        data.get("vocabulary", []), manifest)
            width = len(feature_names(model.groups))
            if model.coef_.shape != (len(LABELS), width + len(model.vocabulary_)) or model.mean_.shape != (width,):
                raise ValueError(f"coefficients of shape {model.coef_.shape} for {width} features")
            if model.scale_.shape != (width,) or not (model.scale_ > 0).all() or not np.isfinite(model.coef_).all():
                raise ValueError("scales must be positive and coefficients finite")
        except (ValueError, KeyError, TypeError) as error:
            raise HeadlineModelError(f"{path}: unreadable headline stance model ({error})") from None
        model._encoder = encoder
        return model

    def features(self, claims: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        claims, texts = list(claims), list(texts)
        if len(claims) != len(texts):
            raise ValueError(f"{len(claims)} claims but {len(texts)} texts")
        cosines = None
        if "similarity" in self.groups:
            if self._encoder is None:
                from claimledger.nlp.embeddings import load_default_encoder

                self._encoder = load_default_encoder()
            cosines = cosines_of(self._encoder, claims, texts)
        return pair_features(claims, texts, self.groups, cosines=cosines)

    def bag_of_words(self, texts: Sequence[str]) -> np.ndarray:
        """``(n, len(vocabulary))``: 1 where the text has the word."""
        bow = np.zeros((len(texts), len(self.vocabulary_)))
        for row, text in enumerate(texts):
            for word in set(words(text)):
                if word in self._index:
                    bow[row, self._index[word]] = 1.0
        return bow

    def relatedness(self, claims: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """``(n,)``: the sentence encoder's cosine of each text with its claim (the model presumes the
        two are related; callers gate on this)."""
        if self._encoder is None:
            from claimledger.nlp.embeddings import load_default_encoder

            self._encoder = load_default_encoder()
        return cosines_of(self._encoder, list(claims), list(texts))

    def predict_proba(self, claims: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """``(n, 3)`` probabilities in LABELS order (support, deny, neutral) of each text toward its claim."""
        if len(claims) == 0:
            return np.zeros((0, len(LABELS)))
        return self.proba_from_features(self.features(claims, texts), self.bag_of_words(list(texts)))

    def proba_from_features(self, x: np.ndarray, bow: np.ndarray | None = None) -> np.ndarray:
        """Probabilities from the dense features (``features``) and the bag of words (``bag_of_words``)."""
        scaled = (np.asarray(x, dtype=np.float64) - self.mean_) / self.scale_
        if self.vocabulary_:
            scaled = np.hstack([scaled, np.asarray(bow, dtype=np.float64)])
        z = scaled @ self.coef_.T + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, claims: Sequence[str], texts: Sequence[str]) -> list[str]:
        """The most probable of support / deny / neutral for each (claim, text) pair."""
        return [LABELS[i] for i in self.predict_proba(claims, texts).argmax(axis=1)]
