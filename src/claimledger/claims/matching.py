"""Cross-article claim identity: is this article's claim one the store already tracks?

Two wordings are one claim when they mean the same (sentence-encoder cosine), say it with the same
words for what happened (most of the shorter wording's content words other than names are in the
other: "mine … sank" and "struck by a mine" share "mine"; "was seaworthy" shares nothing with
"a mine sank"), and nothing in them says otherwise: both name places or actors and none of them is
shared ("Iran struck Iraq" is not "Iran struck Syria"; "Apple will buy Tesla" is not "Google will
buy Tesla"). Closeness in meaning alone must be high; named things both wordings share (with the
article's own aliases and demonyms folded: "Iranian" = Iran, "IS" = "Islamic State" when the
article says so) let it be lower.
A wording that negates the stored one ("Apple will not buy Tesla") is the same claim with its
stances turned. The rules keep precision over recall: a wrong merge puts a source on the wrong side.

Wordings the rules leave apart get a second reading by a learned judge (:class:`SameClaimModel`,
``models/claim_merge/``): a logistic regression over how the two wordings relate (cosine, shared
content words, shared and unshared names and numbers), trained on Emergent headline pairs where the
negatives are the closest headlines of *other* rumours (same story, different proposition:
"Apple Watch ships in March" / "Apple Watch sold only in Apple stores"). It is what lets "Iranian
jets struck IS in Diyala" join "Iran bombed Islamic State targets in Iraq". Training:
:mod:`claimledger.claims.merge_train`; figures: ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from claimledger.errors import ModelError
from claimledger.integrity import verified_model_file

from claimledger.stance.statement import _fold_aliases, negation_count

if TYPE_CHECKING:
    from claimledger.nlp.embeddings import TextEncoder

SAME_BY_MEANING = 0.85  # cosine at which two wordings are one claim with no other support
SAME_WITH_A_SHARED_NAME = 0.75  # cosine enough when they share a named thing and their words
SAME_WITH_SHARED_NAMES = 0.55  # cosine enough when they share two or more named things and their words
MIN_WORD_COVERAGE = 0.6  # share of the shorter wording's content words (names aside) the other has
AGENT_LABELS = {"ORG", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass
class ClaimFeatures:
    """What claim matching needs of one wording, computed where the text is parsed."""

    text: str
    vector: np.ndarray | None
    places: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)  # and other named groups
    things: set[str] = field(default_factory=set)  # other named things: events, works, products
    words: set[str] = field(default_factory=set)  # content lemmas that are not part of a name
    predicate: set[str] = field(default_factory=set)  # those of ``words`` outside the subject: what happened
    # (empty for a wording without a subject)
    subject_names: set[str] = field(default_factory=set)  # named things in the subject: who or what did it
    negated: bool = False

    @property
    def names(self) -> set[str]:
        return self.places | self.people | self.organisations | self.things

    def terms_text(self) -> str:
        """The named things as stored in ``claim_vectors.terms``: kind:name|kind:name…"""
        items = [f"place:{t}" for t in sorted(self.places)] + [f"person:{t}" for t in sorted(self.people)]
        items += [f"org:{t}" for t in sorted(self.organisations)]
        items += [f"thing:{t}" for t in sorted(self.things)] + [f"word:{t}" for t in sorted(self.words)]
        items += [f"pred:{t}" for t in sorted(self.predicate)] + [f"subj:{t}" for t in sorted(self.subject_names)]
        return "|".join(items)

    @classmethod
    def from_stored(cls, text: str, vector: bytes | None, terms: str) -> "ClaimFeatures":
        features = cls(text=text, vector=np.frombuffer(vector, dtype=np.float32) if vector else None,
                       negated=negation_count(text) % 2 == 1)
        for item in filter(None, (terms or "").split("|")):
            kind, _, name = item.partition(":")
            kinds = {"place": features.places, "person": features.people, "org": features.organisations,
                     "word": features.words, "pred": features.predicate, "subj": features.subject_names}
            kinds.get(kind, features.things).add(name)
        return features


def claim_features(texts: list[str], article_text: str, encoder: TextEncoder | None = None) -> list[ClaimFeatures]:
    """Features of an article's claim wordings: vectors, named places/actors, negation."""
    from claimledger.nlp.pipeline import load_nlp, tokenizable
    from claimledger.sources.identity import normalise
    from claimledger.sources.resolver import TITLES, demonyms
    from claimledger.stance.statement import content_terms, find_aliases

    if not texts:
        return []
    aliases = find_aliases(article_text)
    folded = [_fold_aliases(text, aliases) for text in texts]
    vectors = encoder.encode(folded) if encoder is not None else [None] * len(texts)
    countries = demonyms()
    features = []
    for text, folded_text, vector, doc in zip(texts, folded, vectors, load_nlp().pipe(tokenizable(f) for f in folded)):
        item = ClaimFeatures(text=text, vector=None if vector is None else np.asarray(vector, dtype=np.float32),
                             negated=negation_count(text) % 2 == 1)
        for entity in doc.ents:
            name = normalise(countries.get(entity.text.lower(), entity.text))
            if name in TITLES:
                continue
            if not name:
                continue
            if entity.label_ in PLACE_LABELS or (entity.label_ == "NORP" and entity.text.lower() in countries):
                item.places.add(name)
            elif entity.label_ == "PERSON":
                item.people.add(name)
            elif entity.label_ in AGENT_LABELS:
                item.organisations.add(name)
            elif entity.label_ in ("EVENT", "PRODUCT", "WORK_OF_ART", "LAW"):
                item.things.add(name)
        name_words = {w for name in item.names for w in name.split()}
        # proper nouns spaCy did not tag as entities ("Marisol" in "Marisol ferry was struck")
        item.things |= {normalise(token.text) for token in doc if token.pos_ == "PROPN" and not token.ent_type_
                        and token.text.lower().rstrip(".") not in TITLES and normalise(token.text) not in name_words}
        name_words |= item.things
        item.words = {w for w in content_terms(text, aliases) if w not in name_words}
        subject = _subject(doc)
        if subject is not None:  # a fragment without a subject ("Laying mines after the disaster") states no proposition
            subject_words = {w for token in subject for w in normalise(countries.get(token.text.lower(), token.text)).split()}
            item.subject_names = {name for name in item.names if set(name.split()) & subject_words}
            rest = doc.text[:subject.start_char] + " " + doc.text[subject.end_char:]
            item.predicate = {w for w in content_terms(rest, aliases) if w in item.words}
        features.append(item)
    return features


def _subject(doc):
    """The subject phrase of the wording's first clause ("The Marisol ferry" in "The Marisol ferry was
    struck by a mine"), or None. A headline without a verb of its own ("Somali militant leader dead
    after US airstrike", "Three soldiers caught at the border") is its head noun with the words
    before it; a clause with no subject ("Laying mines after the disaster") has none."""
    for sentence in doc.sents:
        root = sentence.root
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return doc[child.left_edge.i:child.right_edge.i + 1]
        if root.pos_ in ("NOUN", "PROPN") and root.i + 1 < sentence.end:
            return doc[root.left_edge.i:root.i + 1]
        return None
    return None


@dataclass
class ClaimMatch:
    claim_id: int
    similarity: float
    negated: bool  # the new wording denies the stored one


def _same_name(a: str, b: str) -> bool:
    """'ferry marisol' and 'marisol' name one thing: the words of one contain the other's."""
    left, right = set(a.split()), set(b.split())
    return left <= right or right <= left


def _shared(left: set[str], right: set[str]) -> int:
    return sum(1 for a in left if any(_same_name(a, b) for b in right))


def _contradicts(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Both name people (or both organisations) and share none; or each names a country the other
    does not ("in Iraq", "in Syria"). Places below countries do not count: without a gazetteer
    Diyala may be in Iraq."""
    for left, right in ((a.people, b.people), (a.organisations, b.organisations)):
        if left and right and not _shared(left, right):
            return True
    countries = _countries()
    left, right = a.places & countries, b.places & countries
    return bool(left - right) and bool(right - left)


def different_countries(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Each wording names a country the other does not ("struck in Iraq" / "coordinated with the U.S."):
    two propositions of one story, never one claim."""
    countries = _countries()
    left, right = a.places & countries, b.places & countries
    return bool(left - right) and bool(right - left)


def _countries() -> set[str]:
    from claimledger.sources.identity import normalise
    from claimledger.sources.resolver import demonyms

    return {normalise(country) for country in demonyms().values()}


def _word_coverage(a: ClaimFeatures, b: ClaimFeatures) -> float:
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / min(len(a.words), len(b.words))


# --- The learned second reading ----------------------------------------------------------------

MODEL_FILE = "same_claim.json"
CANDIDATES = 10  # stored claims (closest by cosine) the learned judge reads for one wording
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
PAIR_FEATURES = (
    "cosine", "word_coverage_shorter", "word_coverage_longer", "shared_words", "shared_names",
    "names_only_new", "names_only_known", "numbers_differ", "negation_differs", "cosine_x_coverage",
    "cosine_x_shared_names",
)


def pair_features(new: ClaimFeatures, known: ClaimFeatures, cosine: float) -> list[float]:
    """How two wordings relate, in the order of :data:`PAIR_FEATURES`. Different people, organisations
    or countries are not features: :func:`comparable` keeps such pairs from the model."""
    shared_words = len(new.words & known.words)
    shorter = max(1, min(len(new.words), len(known.words)))
    longer = max(1, len(new.words), len(known.words))
    shared_names = _shared(new.names, known.names)
    only_new = len(new.names) - shared_names
    only_known = len(known.names) - _shared(known.names, new.names)
    new_numbers, known_numbers = set(_NUMBER.findall(new.text)), set(_NUMBER.findall(known.text))
    return [
        cosine, shared_words / shorter, shared_words / longer, float(shared_words), min(shared_names, 3),
        min(only_new, 3), min(only_known, 3),
        float(bool(new_numbers) and bool(known_numbers) and not new_numbers & known_numbers),
        float(new.negated != known.negated), cosine * shared_words / shorter, cosine * min(shared_names, 3),
    ]


def comparable(new: ClaimFeatures, known: ClaimFeatures) -> bool:
    """Whether the learned judge may read a pair at all: the two say what happened with at least one
    same word outside their subjects, their subjects do not name different things, and no guard keeps
    them apart. Meaning alone reads "same story": "the ferry was struck by a mine" and "the ferry was
    seaworthy" are close, and share only their subject; "Apple will buy Tesla" is not "Google will
    buy Tesla". Wordings without a subject, or stored before these facts were kept, have no predicate
    and are left to the rules."""
    if not new.predicate & known.predicate:
        return False
    if new.subject_names and known.subject_names and not _shared(new.subject_names, known.subject_names):
        return False
    return not _contradicts(new, known)


class SameClaimModel:
    """Probability that two wordings state one claim (``models/claim_merge/``), and the threshold
    at which ingest merges them."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: float,
                 threshold: float, manifest: dict | None = None) -> None:
        self.mean, self.scale = np.asarray(mean, dtype=np.float64), np.asarray(scale, dtype=np.float64)
        self.coef, self.intercept = np.asarray(coef, dtype=np.float64), float(intercept)
        self.threshold = float(threshold)
        self.manifest = manifest or {}

    @classmethod
    def load(cls, directory: str | Path) -> SameClaimModel:
        manifest, path = verified_model_file(Path(directory), MODEL_FILE, "claim merging")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if tuple(data["features"]) != PAIR_FEATURES:
                raise ValueError("its features are not this version's PAIR_FEATURES")
            model = cls(data["mean"], data["scale"], data["coef"], data["intercept"], data["threshold"], manifest)
            width = len(PAIR_FEATURES)
            if model.coef.shape != (width,) or model.mean.shape != (width,) or not (model.scale > 0).all():
                raise ValueError(f"coefficients of shape {model.coef.shape} for {width} features")
            if not 0.0 < model.threshold < 1.0 or not np.isfinite(model.coef).all():
                raise ValueError("threshold outside (0, 1) or coefficients not finite")
        except (ValueError, KeyError, TypeError) as error:
            raise ModelError(f"{path}: unreadable claim merging model ({error})") from None
        return model

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """``(n,)`` probabilities that each row of :func:`pair_features` is one claim."""
        z = ((np.asarray(rows, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def default_model_dir() -> Path:
    """``$CLAIMLEDGER_CLAIM_MERGE_MODEL`` if set, else ``models/claim_merge/`` of the checkout."""
    override = os.environ.get("CLAIMLEDGER_CLAIM_MERGE_MODEL")
    return Path(override) if override else Path(__file__).resolve().parents[3] / "models" / "claim_merge"


class ClaimRegistry:
    """The store's claims in memory: wordings are matched against all of them with one product.

    ``model`` (a :class:`SameClaimModel`) reads the closest claims again when the rules find none.
    """

    def __init__(self, model: SameClaimModel | None = None):
        self.ids: list[int] = []
        self.features: list[ClaimFeatures] = []
        self._matrix: np.ndarray | None = None
        self.model = model

    def add(self, claim_id: int, features: ClaimFeatures) -> None:
        self.ids.append(claim_id)
        self.features.append(features)
        self._matrix = None

    def match(self, wording: ClaimFeatures) -> ClaimMatch | None:
        """The stored claim this wording states (or denies), or None."""
        if not self.ids:
            return None
        if wording.vector is None:
            return self._match_exact(wording)
        if self._matrix is None:
            dim = wording.vector.shape[0]
            self._matrix = np.stack([f.vector if f.vector is not None else np.zeros(dim, np.float32) for f in self.features])
        similarities = self._matrix @ wording.vector
        closest = np.argsort(-similarities, kind="stable")[:CANDIDATES]
        for index in closest:
            similarity = float(similarities[index])
            known = self.features[index]
            if similarity < SAME_WITH_SHARED_NAMES:
                break
            if _contradicts(wording, known):
                continue
            shared = _shared(wording.names, known.names)
            same_words = _word_coverage(wording, known) >= MIN_WORD_COVERAGE
            if (
                similarity >= SAME_BY_MEANING
                or (same_words and shared >= 1 and similarity >= SAME_WITH_A_SHARED_NAME)
                or (same_words and shared >= 2)
            ):
                return ClaimMatch(self.ids[index], similarity, wording.negated != known.negated)
        return self._match_exact(wording) or self._match_learned(wording, closest, similarities)

    def _match_learned(self, wording: ClaimFeatures, closest: np.ndarray, similarities: np.ndarray) -> ClaimMatch | None:
        """The closest claim the learned judge calls the same, where the guards allow it."""
        if self.model is None:
            return None
        candidates = [int(i) for i in closest if comparable(wording, self.features[i])]
        if not candidates:
            return None
        # probabilities are rounded so that float noise between CPUs cannot pick another claim
        rows = np.array([pair_features(wording, self.features[i], round(float(similarities[i]), 4)) for i in candidates])
        probabilities = np.round(self.model.probability(rows), 4)
        best = int(np.argmax(probabilities))
        if probabilities[best] < self.model.threshold:
            return None
        index = candidates[best]
        return ClaimMatch(self.ids[index], float(similarities[index]), wording.negated != self.features[index].negated)

    def _match_exact(self, wording: ClaimFeatures) -> ClaimMatch | None:
        key = wording.text.strip().lower()
        for claim_id, known in zip(self.ids, self.features):
            if known.text.strip().lower() == key:
                return ClaimMatch(claim_id, 1.0, False)
        return None


# --- Ranking the store's claims for a wording (`claimledger claim match`) --------------------------
#
# Each stored claim is represented by all its wordings: its own text and how each article that
# carried it worded it (``article_claims.text``). A text's score for a claim is its best score over
# those wordings, each score the MiniLM cosine plus LEXICAL_WEIGHT × (word TF-IDF cosine + character
# 3–5-gram TF-IDF cosine), scaled to [0, 1] (1: the same wording). The encoder reads what a wording
# means; the TF-IDF terms read the names and numbers it carries ("$4,999" is not "$499"). A denial of
# P shares P's words and most of its meaning, so it ranks P first. Weight and threshold were chosen
# on Emergent by claim-wise cross-validation (`bench/claim_matching.py`, `bench/RESULTS.md`).
LEXICAL_WEIGHT = 0.25
NEW_CLAIM_BELOW = 0.584  # a text whose best score is below this starts a new claim


@dataclass
class RankedClaim:
    claim: int
    text: str
    score: float

    def to_dict(self) -> dict:
        return {"claim": self.claim, "text": self.text, "score": round(self.score, 4)}


@dataclass
class ClaimMatchResult:
    """One text against the store: its best claims (best first) and whether it starts a new claim."""

    text: str
    new: bool
    matches: list[RankedClaim]

    def to_dict(self) -> dict:
        return {"text": self.text, "new": self.new, "matches": [m.to_dict() for m in self.matches]}


class ClaimRanker:
    """The store's claims, each with all its wordings; ``scores`` ranks them for new texts.

    ``fit(ids, texts, wordings)`` takes each claim's id, its text and the other wordings it was
    carried under; the encoder (``encode(list[str]) -> (n, d)`` unit vectors) may be None, then the
    score is lexical only.
    """

    def __init__(self, encoder=None, lexical_weight: float = LEXICAL_WEIGHT, threshold: float = NEW_CLAIM_BELOW):
        self.encoder = encoder
        self.lexical_weight = lexical_weight
        self.threshold = threshold

    def fit(self, ids: list[int], texts: list[str], wordings: list[list[str]] | None = None,
            features: list[ClaimFeatures] | None = None) -> "ClaimRanker":
        """``features`` (of each claim's text, optional) let ``match`` keep apart wordings that name
        different countries (:func:`different_countries`)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.features_ = features
        wordings = wordings or [[] for _ in ids]
        self.ids_ = list(ids)
        self.texts_ = list(texts)
        all_wordings, owner = [], []
        for index, (text, others) in enumerate(zip(texts, wordings)):
            for wording in dict.fromkeys([text, *others]):
                all_wordings.append(wording)
                owner.append(index)
        self.wordings_ = all_wordings
        self.owner_ = np.asarray(owner, dtype=np.int64)
        if not all_wordings:
            self.vectors_ = None
            return self
        try:
            self.words_ = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(all_wordings)
        except ValueError:  # only stop words ("It is not so")
            self.words_ = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b").fit(all_wordings)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(all_wordings)
        self.word_matrix_ = self.words_.transform(all_wordings)
        self.char_matrix_ = self.chars_.transform(all_wordings)
        self.vectors_ = (np.asarray(self.encoder.encode(all_wordings), dtype=np.float32)
                         if self.encoder is not None and all_wordings else None)
        return self

    def wording_scores(self, texts: list[str]) -> np.ndarray:
        """``(len(texts), n_wordings)`` scores in [0, 1] of each text against each stored wording."""
        if not self.wordings_:
            return np.zeros((len(texts), 0), dtype=np.float32)
        lexical = (self.words_.transform(texts) @ self.word_matrix_.T).toarray()
        lexical += (self.chars_.transform(texts) @ self.char_matrix_.T).toarray()
        if self.vectors_ is None:
            return (lexical / 2.0).astype(np.float32)
        meaning = np.asarray(self.encoder.encode(texts), dtype=np.float32) @ self.vectors_.T
        return ((meaning + self.lexical_weight * lexical) / (1.0 + 2.0 * self.lexical_weight)).astype(np.float32)

    def claim_scores(self, wording_scores: np.ndarray) -> np.ndarray:
        """Each claim's score: the best over its wordings."""
        scores = np.full((wording_scores.shape[0], len(self.ids_)), -1.0, dtype=np.float32)
        np.maximum.at(scores.T, self.owner_, wording_scores.T)
        return scores

    def scores(self, texts: list[str]) -> np.ndarray:
        return self.claim_scores(self.wording_scores(texts))

    def match(self, texts: list[str], limit: int = 5, features: list[ClaimFeatures] | None = None) -> list[ClaimMatchResult]:
        """For each text, the ``limit`` best claims and whether it would start a new claim: its best
        claim scores below the threshold, or (given ``features`` of the texts and of the claims) the
        two name different countries."""
        if not texts:
            return []
        if not self.ids_:
            return [ClaimMatchResult(text, True, []) for text in texts]
        scores = self.scores(texts)
        results = []
        for index, (text, row) in enumerate(zip(texts, scores)):
            order = np.argsort(-row, kind="stable")[:limit]
            matches = [RankedClaim(self.ids_[i], self.texts_[i], float(row[i])) for i in order]
            new = bool(row[order[0]] < self.threshold) or self.kept_apart(features[index] if features else None, order[0])
            results.append(ClaimMatchResult(text, new, matches))
        return results

    def kept_apart(self, wording: ClaimFeatures | None, claim_index: int) -> bool:
        """Whether a wording cannot be the claim at ``claim_index`` whatever its score."""
        if wording is None or not self.features_ or self.features_[claim_index] is None:
            return False
        return different_countries(wording, self.features_[claim_index])
