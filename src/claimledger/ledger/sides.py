"""Which side a source takes on a claim: within one article, across articles, and when a wording turns it.

A stance toward a claim's negation is the opposite stance toward the claim (``turned``). Within one
article, two local sources may be one stored source: the first side either takes beats neutral
(``article_sides``). Across articles, a source's side is its latest side taken, by article date;
a neutral account does not undo a side taken (``side_after``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from claimledger.records import SIDES, Claim

TURNED = {"support": "deny", "deny": "support", "neutral": "neutral", "unrelated": "unrelated"}


def turned(stance: str) -> str:
    """The stance toward the claim of a stance toward its negation: "support" → "deny", neutral unchanged."""
    return TURNED[stance]


def side_after(current: str | None, stance: str) -> str:
    """A source's side once it takes ``stance`` (date order): a side taken overrides, neutrality does not.

    ``side_after("deny", "neutral") == "deny"``; ``side_after("deny", "support") == "support"``.
    """
    return stance if stance != "neutral" or current is None else current


def article_sides(claims: Iterable[Claim], claim_ids: Mapping[str, int], source_ids: Mapping[str, int],
                  turned_claims: set[str]) -> dict[tuple[int, int], str]:
    """The side each stored source takes on each stored claim in one article: (claim id, source id) → side.

    ``claim_ids`` and ``source_ids`` map the article's local ids to stored ones; the claims in
    ``turned_claims`` were worded as the negation of the stored claim, so their sides turn. Two local
    sources that are one stored source: a side taken beats neutral, the first side taken stands.
    """
    sides: dict[tuple[int, int], str] = {}
    for claim in claims:
        if claim.id not in claim_ids:
            continue
        for stance in SIDES:
            for local_source in getattr(claim, stance):
                key = (claim_ids[claim.id], source_ids[local_source])
                side = turned(stance) if claim.id in turned_claims else stance
                if sides.get(key) in (None, "neutral"):
                    sides[key] = side
    return sides


__all__ = ["TURNED", "turned", "side_after", "article_sides"]
