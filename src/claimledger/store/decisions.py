"""Editors' decisions about claims as the store keeps them: merges, splits and verdicts, read back.

Each decision is a row (``claim_decisions``, ``claim_resolutions``) with who made it and when, so the
store remembers it: a merged claim's rows move to the claim kept and later ingests that match the
merged claim write to the kept one (``merged_claims``); articles split off a claim carry a new claim,
and a later article that words the claim as one of them did joins the new claim (``split_wordings``).
A verdict is dated and never overwritten: the latest is the claim's, the others are its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.engine import Connection

from claimledger.store import schema as t


@dataclass
class Resolution:
    claim_id: int
    verdict: str
    decided_by: str
    decided_at: str
    evidence_url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "by": self.decided_by, "at": self.decided_at,
                "evidence": self.evidence_url, "note": self.note}


def merged_claims(connection: Connection) -> dict[int, tuple[int, bool]]:
    """Each merged claim → (the claim it now is, whether its stances turn), chains followed."""
    direct = {row.other_claim_id: (row.claim_id, bool(row.turned)) for row in connection.execute(
        select(t.claim_decisions.c.claim_id, t.claim_decisions.c.other_claim_id, t.claim_decisions.c.turned)
        .where(t.claim_decisions.c.kind == "merge").order_by(t.claim_decisions.c.id))}
    result = {}
    for merged in direct:
        target, turned, seen = merged, False, set()
        while target in direct and target not in seen:
            seen.add(target)
            target, step = direct[target]
            turned ^= step
        result[merged] = (target, turned)
    return result


def split_wordings(connection: Connection) -> dict[tuple[int, str], int]:
    """(claim split, a wording that left it, case-folded) → the claim that wording now belongs to."""
    query = (
        select(t.claim_decisions.c.claim_id, t.claim_decisions.c.other_claim_id, t.claim_decision_articles.c.wording)
        .join(t.claim_decision_articles, t.claim_decision_articles.c.decision_id == t.claim_decisions.c.id)
        .where(t.claim_decisions.c.kind == "split")
    )
    return {(row.claim_id, wording_key(row.wording)): row.other_claim_id for row in connection.execute(query)}


def wording_key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def resolutions(connection: Connection, claim_ids: list[int]) -> dict[int, list[Resolution]]:
    """Each claim's verdicts, oldest first (the last is the claim's verdict)."""
    result: dict[int, list[Resolution]] = {cid: [] for cid in claim_ids}
    if not claim_ids:
        return result
    query = (select(t.claim_resolutions).where(t.claim_resolutions.c.claim_id.in_(claim_ids))
             .order_by(t.claim_resolutions.c.decided_at, t.claim_resolutions.c.id))
    for row in connection.execute(query):
        result[row.claim_id].append(Resolution(row.claim_id, row.verdict, row.decided_by, utc_stamp(row.decided_at),
                                               row.evidence_url, row.note))
    return result


def utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive datetimes: they were written in UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
