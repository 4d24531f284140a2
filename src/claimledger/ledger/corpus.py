"""The ledger of a claim across articles: who supports, denies or stays neutral, when, where, on what.

These records are what the store's claim queries return (``claimledger.store.queries``) and what the
CLI, API and web pages show. A claim's status follows from the sources on each side:
``asserted only`` (supporters, no deniers), ``denied only``, ``disputed`` (both), ``unconfirmed``
(sources speak of it but none takes a side). The conflicts across articles (``corpus_conflicts``)
and the balance of sides over time are worked out here too, from the records the store reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from claimledger.ledger.sides import side_after
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
        if statement.source_id is not None:
            side_of[statement.source_id] = side_after(side_of.get(statement.source_id), statement.stance)
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


def corpus_conflicts(summary: ClaimSummary, statements: list[ClaimStatement]) -> list[CorpusConflict]:
    """Fact conflicts (supporters against deniers, wherever they spoke) and time conflicts
    (supporters dating what happened to ranges that do not overlap)."""
    conflicts: list[CorpusConflict] = []
    articles_of: dict[int, set[int]] = defaultdict(set)
    for statement in statements:
        if statement.source_id is not None:
            articles_of[statement.source_id].add(statement.article_id)
    if summary.support and summary.deny:
        names = lambda sides: ", ".join(s.name for s in sides)  # noqa: E731
        members = [s.source_id for s in summary.support + summary.deny]
        conflicts.append(CorpusConflict(
            kind="fact", detail=f"{names(summary.support)} assert what {names(summary.deny)} deny",
            source_ids=members, article_ids=sorted(set().union(*(articles_of[m] for m in members))),
        ))
    supporters = {s.source_id for s in summary.support}
    dated: list[tuple[ClaimStatement, dict[str, Any]]] = []
    for statement in statements:
        if statement.stance != "support" or statement.source_id not in supporters:
            continue
        for ref in statement.times:
            if ref["role"] == "event" and ref["earliest"] and ref["latest"]:
                dated.append((statement, ref))
    seen_pairs: set[tuple[int | None, str, int | None, str]] = set()
    for i, (first, first_ref) in enumerate(dated):
        for second, second_ref in dated[i + 1:]:
            if first.source_id == second.source_id:
                continue
            if first_ref["latest"] < second_ref["earliest"] or second_ref["latest"] < first_ref["earliest"]:
                pair = (first.source_id, first_ref["text"], second.source_id, second_ref["text"])
                if pair in seen_pairs:
                    continue
                seen_pairs.add(pair)
                conflicts.append(CorpusConflict(
                    kind="time",
                    detail=(f"{first.source_name} dates it \"{first_ref['text']}\" ({_span(first_ref)}); "
                            f"{second.source_name} \"{second_ref['text']}\" ({_span(second_ref)})"),
                    source_ids=[s.source_id for s in (first, second) if s.source_id is not None],
                    article_ids=sorted({first.article_id, second.article_id}),
                ))
    return conflicts


def _span(ref: dict) -> str:
    return ref["earliest"] if ref["earliest"] == ref["latest"] else f"{ref['earliest']} to {ref['latest']}"
