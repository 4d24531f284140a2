"""Claim memory: how the training articles stood toward each claim (headline) they were paired with.

For every distinct headline of the related training pairs the memory keeps how many bodies
agreed with it, disagreed and discussed it, keyed by a hash of its normalized wording (no headline
text is stored). The stance model consults it only for a headline it has seen: a new or reworded
claim finds nothing here and is judged as before.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

MEMORY_FEATURES = ("memory_logp_agree", "memory_logp_disagree", "memory_logp_discuss", "memory_log1p_bodies")

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def claim_key(headline: str) -> str:
    """A stable key for a headline's wording: case, Unicode form, punctuation and spacing ignored."""
    text = _NOT_ALPHANUMERIC.sub(" ", unicodedata.normalize("NFKC", headline).lower()).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class ClaimMemory:
    """Counts of agree/disagree/discuss bodies per claim key."""

    def __init__(self, counts: dict[str, np.ndarray] | None = None):
        self.counts = counts or {}

    @classmethod
    def from_pairs(cls, headlines: list[str], labels: Sequence[int] | np.ndarray) -> "ClaimMemory":
        """The memory of related pairs: ``labels`` are class indices 0-2 (agree, disagree, discuss)."""
        counts: dict[str, np.ndarray] = {}
        for headline, label in zip(headlines, labels):
            counts.setdefault(claim_key(headline), np.zeros(3))[int(label)] += 1
        return cls(counts)

    def lookup(self, headlines: list[str]) -> np.ndarray:
        """Counts ``(n, 3)`` for each headline; zeros for a headline the memory has not seen."""
        empty = np.zeros(3)
        return np.array([self.counts.get(claim_key(h), empty) for h in headlines], dtype=np.float64).reshape(-1, 3)

    def __len__(self) -> int:
        return len(self.counts)

    def to_dict(self) -> dict:
        return {"key": "sha256 of the normalized headline, first 16 hex digits",
                "labels": ["agree", "disagree", "discuss"],
                "counts": {key: [int(c) for c in value] for key, value in sorted(self.counts.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> "ClaimMemory":
        return cls({key: np.asarray(value, dtype=np.float64) for key, value in data["counts"].items()})


def counts_from_other_groups(headlines: list[str], groups: list, labels: Sequence[int] | np.ndarray, known: np.ndarray,
                             query: np.ndarray) -> np.ndarray:
    """For each ``query`` row, the counts of its headline among the ``known`` rows of *other* groups.

    A group is a body: a row's own body is left out, as a new article is never in the memory it is
    judged with, while other articles about the same claim are.
    """
    by_key: dict[str, np.ndarray] = {}
    by_key_group: dict[tuple, np.ndarray] = {}
    keys = [claim_key(h) for h in headlines]
    for i in known:
        by_key.setdefault(keys[i], np.zeros(3))[int(labels[i])] += 1
        by_key_group.setdefault((keys[i], groups[i]), np.zeros(3))[int(labels[i])] += 1
    empty = np.zeros(3)
    return np.array([by_key.get(keys[i], empty) - by_key_group.get((keys[i], groups[i]), empty) for i in query],
                    dtype=np.float64).reshape(-1, 3)


def memory_features(counts: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Features :data:`MEMORY_FEATURES`: each class's share smoothed by one pseudo-count spread as
    the ``prior``, in logs, and how many bodies the share rests on (log 1 + n)."""
    n = counts.sum(axis=1, keepdims=True)
    share = (counts + prior[None, :]) / (n + 1.0)
    return np.hstack([np.log(share), np.log1p(n)])


# ---------------------------------------------------------------------------------------- centroids
# Which of a seen claim's articles a new one resembles: per claim and class, the centroid of the
# TF-IDF vectors of the training bodies with that label, cut to its largest weights.

CENTROID_FEATURES = ("centroid_cos_agree", "centroid_cos_disagree", "centroid_cos_discuss")
CENTROID_TERMS = 100  # weights kept per centroid: a summary of many articles, not a copy of one


def truncated_unit(indices: np.ndarray, weights: np.ndarray, terms: int = CENTROID_TERMS) -> tuple[np.ndarray, np.ndarray]:
    """The ``terms`` largest weights of a sparse vector, L2-normalized: ``(indices, weights)``."""
    if len(weights) > terms:
        keep = np.argpartition(-weights, terms - 1)[:terms]
        indices, weights = indices[keep], weights[keep]
    order = np.argsort(indices)
    indices, weights = indices[order], weights[order]
    norm = np.linalg.norm(weights)
    return (indices, weights / norm) if norm > 0 else (indices[:0], weights[:0])


def _cosine(row, centroid) -> float:
    """Cosine of a unit-length sparse row (scipy, one row) with a unit centroid ``(indices, weights)``."""
    indices, weights = centroid
    if not len(indices):
        return 0.0
    common, at_row, at_centroid = np.intersect1d(row.indices, indices, assume_unique=True, return_indices=True)
    return float(row.data[at_row] @ weights[at_centroid]) if len(common) else 0.0


def _class_sums(body_vectors, keys: list[str], groups: list, labels, rows) -> tuple[dict, dict]:
    """Per (claim key, class): the sum of the bodies' vectors over ``rows``, each body once, and the
    set of those bodies."""
    sums: dict[tuple, object] = {}
    members: dict[tuple, set] = {}
    for i in rows:
        slot = (keys[i], int(labels[i]))
        if groups[i] in members.setdefault(slot, set()):
            continue  # a body counts once per claim and class
        members[slot].add(groups[i])
        sums[slot] = body_vectors[i] if slot not in sums else sums[slot] + body_vectors[i]
    return sums, members


def centroid_cosines(body_vectors: sparse.csr_matrix, headlines: list[str], groups: list,
                     labels: Sequence[int] | np.ndarray, known: np.ndarray,
                     query: np.ndarray) -> np.ndarray:
    """For each ``query`` row, the cosine of its body with each class's centroid of the bodies of its
    claim among the ``known`` rows of *other* groups (bodies): ``(n, 3)``, 0 where a class has none.

    ``body_vectors`` holds one unit TF-IDF row per row (scipy CSR). A row's own body is left out,
    as a new article is never among the centroids it is compared with.
    """
    keys = [claim_key(h) for h in headlines]
    sums, members = _class_sums(body_vectors, keys, groups, labels, known)
    whole: dict[tuple, tuple] = {}
    out = np.zeros((len(query), 3))
    for row, i in enumerate(query):
        for c in range(3):
            slot = (keys[i], c)
            if slot not in sums:
                continue
            if groups[i] in members[slot]:
                if len(members[slot]) == 1:
                    continue
                rest = (sums[slot] - body_vectors[i]).tocsr()
                rest.eliminate_zeros()
                centroid = truncated_unit(rest.indices, rest.data)
            else:
                if slot not in whole:
                    total = sums[slot].tocsr()
                    whole[slot] = truncated_unit(total.indices, total.data)
                centroid = whole[slot]
            out[row, c] = _cosine(body_vectors[i], centroid)
    return out


class ClaimCentroids:
    """Per claim key, the truncated unit centroid of each class's training bodies (or none)."""

    def __init__(self, centroids: dict[tuple, tuple] | None = None):
        self.centroids = centroids or {}

    @classmethod
    def from_pairs(cls, body_vectors: sparse.csr_matrix, headlines: list[str], groups: list,
                   labels: Sequence[int] | np.ndarray) -> "ClaimCentroids":
        sums, _ = _class_sums(body_vectors, [claim_key(h) for h in headlines], groups, labels, range(len(headlines)))
        centroids = {}
        for slot, total in sums.items():
            total = total.tocsr()
            indices, weights = truncated_unit(total.indices, total.data)
            # Rounded as saved, so a loaded model predicts exactly as the one just trained.
            centroids[slot] = (indices.astype(np.int32), weights.astype(np.float32).astype(np.float64))
        return cls(centroids)

    def cosines(self, headlines: list[str], body_vectors: sparse.csr_matrix) -> np.ndarray:
        """``(n, 3)`` cosines of each body with its headline's class centroids (0 where none)."""
        out = np.zeros((len(headlines), 3))
        for row, headline in enumerate(headlines):
            key = claim_key(headline)
            for c in range(3):
                if (key, c) in self.centroids:
                    out[row, c] = _cosine(body_vectors[row], self.centroids[(key, c)])
        return out

    def __len__(self) -> int:
        return len(self.centroids)

    def to_arrays(self) -> dict:
        slots = sorted(self.centroids)
        lengths = [len(self.centroids[s][0]) for s in slots]
        return {"keys": np.array([s[0] for s in slots]), "labels": np.array([s[1] for s in slots], dtype=np.int8),
                "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                "indices": np.concatenate([self.centroids[s][0] for s in slots] or [np.zeros(0)]).astype(np.int32),
                "weights": np.concatenate([self.centroids[s][1] for s in slots] or [np.zeros(0)]).astype(np.float32)}

    @classmethod
    def from_arrays(cls, data: Mapping[str, np.ndarray]) -> "ClaimCentroids":
        # Each lookup in an npz file decompresses the array again: read every array once.
        keys, labels, offsets = data["keys"].tolist(), data["labels"].tolist(), data["offsets"]
        indices, weights = data["indices"].astype(np.int32), data["weights"].astype(np.float64)
        return cls({(key, label): (indices[offsets[k]:offsets[k + 1]], weights[offsets[k]:offsets[k + 1]])
                    for k, (key, label) in enumerate(zip(keys, labels))})
