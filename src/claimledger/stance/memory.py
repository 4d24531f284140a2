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

import numpy as np

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
    def from_pairs(cls, headlines: list[str], labels) -> "ClaimMemory":
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


def counts_from_other_groups(headlines: list[str], groups: list, labels, known: np.ndarray,
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
