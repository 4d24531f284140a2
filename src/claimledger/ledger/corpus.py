"""The ledger of a claim across articles: who supports, denies or stays neutral, when, where, on what.

These records are what the store's claim queries return (``claimledger.store.queries``) and what the
CLI, API and web pages show. A claim's status follows from the sources on each side:
``asserted only`` (supporters, no deniers), ``denied only``, ``disputed`` (both), ``unconfirmed``
(sources speak of it but none takes a side).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from claimledger.records import CLAIM_STATUSES, SIDES

STATUSES = CLAIM_STATUSES


def claim_status(support: int, deny: int) -> str:
    if support and deny:
        return "disputed"
    if support:
        return "asserted only"
    if deny:
        return "denied only"
    return "unconfirmed"


@dataclass
class SourceSide:
    """One source's side on a claim across the store, with the outlets that carried its words."""

    source_id: int
    name: str
    outlets: list[str] = field(default_factory=list)
    kind: str = "person"
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    anonymous: bool = False
    statements: int = 0
    last_said: str | None = None  # ISO date of the latest article in which it spoke to the claim


@dataclass
class ClaimSummary:
    """One row of `claimledger claims`."""

    id: int
    text: str
    origin: str
    status: str
    first_seen: str | None
    last_seen: str | None
    support: list[SourceSide] = field(default_factory=list)
    deny: list[SourceSide] = field(default_factory=list)
    neutral: list[SourceSide] = field(default_factory=list)
    articles: int = 0
    estimate: dict[str, Any] | None = None  # {"p_true", "basis"}: claims/estimate.py
    resolution: dict[str, Any] | None = None  # the latest verdict: {"verdict", "by", "at", "evidence", "note"}

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `claimledger claims`: sides as {source_id, name, outlets}."""
        side = lambda rows: [{"source_id": s.source_id, "name": s.name, "outlets": s.outlets} for s in rows]  # noqa: E731
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "support": side(self.support),
            "deny": side(self.deny),
            "neutral": side(self.neutral),
            "estimate": self.estimate,
            "resolution": self.resolution,
        }


@dataclass
class ClaimStatement:
    """One statement on a claim, placed in its article."""

    attribution_id: int
    article_id: int
    article_title: str | None
    article_name: str | None
    outlet: str | None
    medium: str | None
    published: str | None
    source_id: int | None
    source_name: str | None
    stance: str
    confidence: float
    content: str
    sentence: str
    because: str
    cue: str
    direct: bool
    start: int
    end: int
    evidence: list[str] = field(default_factory=list)  # evidence kinds
    times: list[dict[str, Any]] = field(default_factory=list)  # {text, earliest, latest, role}


@dataclass
class CorpusConflict:
    """Accounts of one claim that cannot all be true, possibly from different articles."""

    kind: str  # fact | time
    detail: str
    source_ids: list[int]
    article_ids: list[int]


@dataclass
class ClaimLedger:
    """`claimledger claim ID`: the claim, each source's side, every statement in date order, conflicts."""

    claim: ClaimSummary
    statements: list[ClaimStatement] = field(default_factory=list)
    conflicts: list[CorpusConflict] = field(default_factory=list)
    wordings: list[str] = field(default_factory=list)  # how the articles worded the claim
    resolutions: list[dict[str, Any]] = field(default_factory=list)  # every verdict, oldest first
    merged: list[int] = field(default_factory=list)  # claims an editor folded into this one
    merged_into: int | None = None  # the claim this one was folded into
    balance: list[dict[str, Any]] = field(default_factory=list)  # per date: sources on each side so far
    changed: list[dict[str, Any]] = field(default_factory=list)  # sources that changed their account

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def balance_over_time(statements: list[ClaimStatement]) -> list[dict[str, Any]]:
    """For each date with statements (date order): how many sources support, deny and stay neutral so
    far, each source on its latest side taken by then (as on the claim page)."""
    side_of: dict[int, str] = {}
    balance: list[dict[str, Any]] = []
    for statement in sorted(statements, key=lambda s: s.published or ""):
        if statement.source_id is not None and (statement.stance != "neutral" or statement.source_id not in side_of):
            side_of[statement.source_id] = statement.stance
        counts = {side: sum(1 for v in side_of.values() if v == side) for side in SIDES}
        if balance and balance[-1]["date"] == statement.published:
            balance[-1].update(counts)
        else:
            balance.append({"date": statement.published, **counts})
    return balance


def changed_accounts(statements: list[ClaimStatement]) -> list[dict[str, Any]]:
    """Sources that took one side and later the other: who, from what to what, and when."""
    last: dict[int, ClaimStatement] = {}
    changes = []
    for statement in sorted(statements, key=lambda s: s.published or ""):
        if statement.source_id is None or statement.stance == "neutral":
            continue
        before = last.get(statement.source_id)
        if before is not None and before.stance != statement.stance:
            changes.append({"source_id": statement.source_id, "name": statement.source_name, "from": before.stance,
                            "to": statement.stance, "since": before.published, "on": statement.published})
        last[statement.source_id] = statement
    return changes
