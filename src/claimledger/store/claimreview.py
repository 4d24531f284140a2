"""Resolved claims as schema.org ``ClaimReview`` JSON-LD: the format fact-checkers publish in.

One ``ClaimReview`` per claim whose latest verdict is true or false: the claim (``itemReviewed``, a
``Claim`` with the articles it appeared in, the earliest as ``firstAppearance``), who decided
(``author``), when (``datePublished``), the verdict as a ``Rating`` on a 1 (false) to 5 (true) scale
with its name in ``alternateName``, the editor's note as ``reviewBody`` and the evidence as ``citation``.
Claims resolved "unresolved" (or never) are not reviews and are left out.
"""

from __future__ import annotations

import json
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from claimledger.store import schema as t
from claimledger.store.decisions import merged_claims, resolutions

RATINGS = {"true": (5, "True"), "false": (1, "False")}


def claim_reviews(connection: Connection, claim_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The ClaimReview JSON-LD of every resolved claim (or of ``claim_ids``), in claim id order."""
    merged = merged_claims(connection)
    query = select(t.claims.c.id, t.claims.c.text).order_by(t.claims.c.id)
    if claim_ids is not None:
        query = query.where(t.claims.c.id.in_(claim_ids))
    claims = [row for row in connection.execute(query) if row.id not in merged]
    verdicts = resolutions(connection, [row.id for row in claims])
    reviews = []
    for claim in claims:
        history = verdicts[claim.id]
        if not history or history[-1].verdict not in RATINGS:
            continue
        reviews.append(_review(connection, claim.id, claim.text, history[-1]))
    return reviews


def _review(connection: Connection, claim_id: int, text: str, verdict) -> dict[str, Any]:
    value, name = RATINGS[verdict.verdict]
    appearances = [
        _appearance(row) for row in connection.execute(
            select(t.articles.c.title, t.articles.c.url, t.articles.c.outlet, t.articles.c.published)
            .join(t.article_claims, t.article_claims.c.article_id == t.articles.c.id)
            .where(t.article_claims.c.claim_id == claim_id)
            .order_by(t.articles.c.published, t.articles.c.id))
    ]
    claim: dict[str, Any] = {"@type": "Claim", "name": text}
    if appearances:
        claim["appearance"] = appearances
        claim["firstAppearance"] = appearances[0]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": f"claimledger-claim-{claim_id}",
        "claimReviewed": text,
        "datePublished": verdict.decided_at[:10],
        "author": {"@type": "Person", "name": verdict.decided_by},
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1, "alternateName": name},
    }
    if verdict.note:
        review["reviewBody"] = verdict.note
    if verdict.evidence_url:
        review["citation"] = verdict.evidence_url
    return review


def _appearance(row) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "NewsArticle"}
    if row.title:
        item["headline"] = row.title
    if row.url:
        item["url"] = row.url
    if row.published:
        item["datePublished"] = row.published.isoformat()
    if row.outlet:
        item["publisher"] = {"@type": "Organization", "name": row.outlet}
    return item


def export_claimreview(engine: Engine, out: IO[str]) -> int:
    """Write the resolved claims' ClaimReview JSON-LD as one JSON array; returns how many."""
    with engine.connect() as connection:
        reviews = claim_reviews(connection)
    out.write(json.dumps(reviews, ensure_ascii=False, indent=1) + "\n")
    return len(reviews)
