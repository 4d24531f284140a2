"""A source's record: what it asserted and denied, and how those claims were resolved.

For each claim a source spoke to: its side (its latest side taken, by article date, as on the claim
page), the claim's verdict if it has one, and whether the source spoke to it on the day the claim was
first seen in the store (early). The totals say how often its assertions were confirmed and how
often it carried a claim that turned out false.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from claimledger.ledger.sides import side_after
from claimledger.records import SIDES
from claimledger.store import schema as t
from claimledger.store.decisions import resolutions


def source_record(connection: Connection, source_id: int) -> dict[str, Any]:
    day = func.coalesce(t.articles.c.published, func.date(t.articles.c.ingested_at))
    rows = connection.execute(
        select(t.source_stances.c.claim_id, t.source_stances.c.stance, day.label("day"), t.claims.c.text,
               t.claims.c.first_seen)
        .join(t.articles, t.articles.c.id == t.source_stances.c.article_id)
        .join(t.claims, t.claims.c.id == t.source_stances.c.claim_id)
        .where(t.source_stances.c.source_id == source_id)
        .order_by(day, t.articles.c.id)
    ).all()
    claims: dict[int, dict[str, Any]] = {}
    for row in rows:  # oldest first: a later side taken overrides, neutrality does not
        said = str(row.day)[:10] if row.day else None
        entry = claims.setdefault(row.claim_id, {
            "claim_id": row.claim_id, "text": row.text, "side": row.stance, "first_said": said,
            "early": bool(said and row.first_seen and said <= row.first_seen.isoformat()), "verdict": None})
        entry["side"] = side_after(entry["side"], row.stance)
    verdicts = resolutions(connection, list(claims))
    for claim_id, entry in claims.items():
        if verdicts[claim_id] and verdicts[claim_id][-1].verdict != "unresolved":
            entry["verdict"] = verdicts[claim_id][-1].verdict
    items = list(claims.values())

    def count(side: str, verdict: str | None) -> int:
        return sum(1 for c in items if c["side"] == side and c["verdict"] == verdict)

    return {
        "claims": items,
        "asserted": sum(1 for c in items if c["side"] == "support"),
        "asserted_confirmed": count("support", "true"),
        "asserted_false": count("support", "false"),
        "denied": sum(1 for c in items if c["side"] == "deny"),
        "denied_false": count("deny", "false"),
        "denied_true": count("deny", "true"),
        "early": sum(1 for c in items if c["early"]),
    }


def outlet_record(connection: Connection, outlet: str) -> dict[str, Any]:
    """An outlet's record: the claims its articles carried, the side its articles took (the headline
    stance model's reading of the title where the title speaks of the claim, else the article stance
    model's reading of the whole article; the latest side taken counts), the verdicts, and whether it
    carried the claim on the day the claim was first seen."""
    from claimledger.errors import UnknownIdError

    day = func.coalesce(t.articles.c.published, func.date(t.articles.c.ingested_at))
    rows = connection.execute(
        select(t.article_claims.c.claim_id,
               # the outlet's own side: its headline's, else the stance model's reading of the whole article
               func.coalesce(t.article_claims.c.headline_stance, t.article_claims.c.article_stance).label("article_stance"),
               t.articles.c.id.label("article_id"),
               t.articles.c.outlet, day.label("day"), t.claims.c.text, t.claims.c.first_seen)
        .join(t.articles, t.articles.c.id == t.article_claims.c.article_id)
        .join(t.claims, t.claims.c.id == t.article_claims.c.claim_id)
        .where(func.lower(t.articles.c.outlet) == outlet.strip().lower())
        .order_by(day, t.articles.c.id)
    ).all()
    named = connection.execute(select(t.articles.c.outlet).where(
        func.lower(t.articles.c.outlet) == outlet.strip().lower()).limit(1)).scalar()
    if named is None:
        raise UnknownIdError(f"outlet '{outlet}': no article of the store comes from it")
    claims: dict[int, dict[str, Any]] = {}
    for row in rows:
        said = str(row.day)[:10] if row.day else None
        entry = claims.setdefault(row.claim_id, {
            "claim_id": row.claim_id, "text": row.text, "side": None, "articles": 0, "first_carried": said,
            "early": bool(said and row.first_seen and said <= row.first_seen.isoformat()), "verdict": None})
        entry["articles"] += 1
        if row.article_stance in SIDES:  # the latest side taken counts, as for a source
            entry["side"] = side_after(entry["side"], row.article_stance)
    verdicts = resolutions(connection, list(claims))
    for claim_id, entry in claims.items():
        if verdicts[claim_id] and verdicts[claim_id][-1].verdict != "unresolved":
            entry["verdict"] = verdicts[claim_id][-1].verdict
    items = list(claims.values())
    return {
        "outlet": named,
        "claims": items,
        "carried": len(items),
        "carried_false": sum(1 for c in items if c["verdict"] == "false"),
        "carried_true": sum(1 for c in items if c["verdict"] == "true"),
        "asserted_confirmed": sum(1 for c in items if c["side"] == "support" and c["verdict"] == "true"),
        "asserted_false": sum(1 for c in items if c["side"] == "support" and c["verdict"] == "false"),
        "early": sum(1 for c in items if c["early"]),
    }
