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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from claimledger.stance.statement import _fold_aliases, negation_count

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
    negated: bool = False

    @property
    def names(self) -> set[str]:
        return self.places | self.people | self.organisations | self.things

    def terms_text(self) -> str:
        """The named things as stored in ``claim_vectors.terms``: kind:name|kind:name…"""
        items = [f"place:{t}" for t in sorted(self.places)] + [f"person:{t}" for t in sorted(self.people)]
        items += [f"org:{t}" for t in sorted(self.organisations)]
        items += [f"thing:{t}" for t in sorted(self.things)] + [f"word:{t}" for t in sorted(self.words)]
        return "|".join(items)

    @classmethod
    def from_stored(cls, text: str, vector: bytes | None, terms: str) -> "ClaimFeatures":
        features = cls(text=text, vector=np.frombuffer(vector, dtype=np.float32) if vector else None,
                       negated=negation_count(text) % 2 == 1)
        for item in filter(None, (terms or "").split("|")):
            kind, _, name = item.partition(":")
            kinds = {"place": features.places, "person": features.people, "org": features.organisations,
                     "word": features.words}
            kinds.get(kind, features.things).add(name)
        return features


def claim_features(texts: list[str], article_text: str, encoder=None) -> list[ClaimFeatures]:
    """Features of an article's claim wordings: vectors, named places/actors, negation."""
    from claimledger.nlp.pipeline import load_nlp
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
    for text, folded_text, vector, doc in zip(texts, folded, vectors, load_nlp().pipe(folded)):
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
        features.append(item)
    return features


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


def _countries() -> set[str]:
    from claimledger.sources.identity import normalise
    from claimledger.sources.resolver import demonyms

    return {normalise(country) for country in demonyms().values()}


def _word_coverage(a: ClaimFeatures, b: ClaimFeatures) -> float:
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / min(len(a.words), len(b.words))


class ClaimRegistry:
    """The store's claims in memory: wordings are matched against all of them with one product."""

    def __init__(self):
        self.ids: list[int] = []
        self.features: list[ClaimFeatures] = []
        self._matrix: np.ndarray | None = None

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
        for index in np.argsort(-similarities)[:10]:
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
        return self._match_exact(wording)

    def _match_exact(self, wording: ClaimFeatures) -> ClaimMatch | None:
        key = wording.text.strip().lower()
        for claim_id, known in zip(self.ids, self.features):
            if known.text.strip().lower() == key:
                return ClaimMatch(claim_id, 1.0, False)
        return None
