"""Cross-article claim identity: is this article's claim one the store already tracks?

Two wordings are one claim when they mean the same (sentence-encoder cosine) and nothing in them
says otherwise: both name places or actors and none of them is shared ("Iran struck Iraq" is not
"Iran struck Syria"; "Apple will buy Tesla" is not "Google will buy Tesla"). Closeness in meaning
alone must be high; named things both wordings share (with the article's own aliases and demonyms
folded: "Iranian" = Iran, "IS" = "Islamic State" when the article says so) let it be lower.
A wording that negates the stored one ("Apple will not buy Tesla") is the same claim with its
stances turned. The rules keep precision over recall: a wrong merge puts a source on the wrong side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from claimledger.stance.statement import _fold_aliases, negation_count

SAME_BY_MEANING = 0.80  # cosine at which two wordings are one claim with no other support
SAME_WITH_SHARED_NAMES = 0.55  # cosine enough when they share two or more named things
MIN_SHARED_NAMES = 2
AGENT_LABELS = {"PERSON", "ORG", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass
class ClaimFeatures:
    """What claim matching needs of one wording, computed where the text is parsed."""

    text: str
    vector: np.ndarray | None
    places: set[str] = field(default_factory=set)
    agents: set[str] = field(default_factory=set)
    things: set[str] = field(default_factory=set)  # other named things: events, works, products
    negated: bool = False

    @property
    def names(self) -> set[str]:
        return self.places | self.agents | self.things

    def terms_text(self) -> str:
        """The named things as stored in ``claim_vectors.terms``: kind:name|kind:name…"""
        items = [f"place:{t}" for t in sorted(self.places)] + [f"agent:{t}" for t in sorted(self.agents)]
        return "|".join(items + [f"thing:{t}" for t in sorted(self.things)])

    @classmethod
    def from_stored(cls, text: str, vector: bytes | None, terms: str) -> "ClaimFeatures":
        features = cls(text=text, vector=np.frombuffer(vector, dtype=np.float32) if vector else None,
                       negated=negation_count(text) % 2 == 1)
        for item in filter(None, (terms or "").split("|")):
            kind, _, name = item.partition(":")
            {"place": features.places, "agent": features.agents}.get(kind, features.things).add(name)
        return features


def claim_features(texts: list[str], article_text: str, encoder=None) -> list[ClaimFeatures]:
    """Features of an article's claim wordings: vectors, named places/actors, negation."""
    from claimledger.nlp.pipeline import load_nlp
    from claimledger.sources.identity import normalise
    from claimledger.sources.resolver import demonyms
    from claimledger.stance.statement import find_aliases

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
            if not name:
                continue
            if entity.label_ in PLACE_LABELS or (entity.label_ == "NORP" and entity.text.lower() in countries):
                item.places.add(name)
            elif entity.label_ in AGENT_LABELS:
                item.agents.add(name)
            elif entity.label_ in ("EVENT", "PRODUCT", "WORK_OF_ART", "LAW"):
                item.things.add(name)
        features.append(item)
    return features


@dataclass
class ClaimMatch:
    claim_id: int
    similarity: float
    negated: bool  # the new wording denies the stored one


def _contradicts(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Both name places (or actors) and share none of them."""
    for left, right in ((a.places, b.places), (a.agents, b.agents)):
        if left and right and not (left & right):
            return True
    return False


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
            shared = len(wording.names & known.names)
            if similarity >= SAME_BY_MEANING or shared >= MIN_SHARED_NAMES:
                return ClaimMatch(self.ids[index], similarity, wording.negated != known.negated)
        return self._match_exact(wording)

    def _match_exact(self, wording: ClaimFeatures) -> ClaimMatch | None:
        key = wording.text.strip().lower()
        for claim_id, known in zip(self.ids, self.features):
            if known.text.strip().lower() == key:
                return ClaimMatch(claim_id, 1.0, False)
        return None
