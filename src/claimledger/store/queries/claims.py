"""Read claims out of the store: the list with sides and status, and one claim's whole ledger.

A source's side on a claim across articles is its side in the latest article (by publication
date, then order of ingest) in which it took one; a source that only ever reported the claim
without a side is neutral. ``refresh_claim`` keeps the claims table's counts and status in step
with that rule after each write, so listing claims is a plain indexed query.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.engine import Connection

from claimledger.errors import UnknownIdError
from claimledger.ledger.corpus import (
    ClaimLedger,
    ClaimStatement,
    ClaimSummary,
    SourceSide,
    balance_over_time,
    changed_accounts,
    claim_status,
    corpus_conflicts,
)
from claimledger.ledger.sides import side_after
from claimledger.records import SIDES
from claimledger.store import schema as t
from claimledger.store.queries.filters import Filters, like_pattern, paged
from claimledger.timex.resolver import parse_iso_date


def _article_date():
    """An article's date: its publication date; unknown (NULL) when it has none (never the ingest day)."""
    return t.articles.c.published


def _by_date():
    """Order by article date, articles of unknown date last, then by order of ingest."""
    return (t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id)


def source_sides(connection: Connection, claim_ids: list[int]) -> dict[int, dict[str, list[SourceSide]]]:
    """For each claim, the sources on each side (see the module doc for the rule)."""
    result: dict[int, dict[str, list[SourceSide]]] = {cid: {side: [] for side in SIDES} for cid in claim_ids}
    if not claim_ids:
        return result
    query = (
        select(
            t.source_stances.c.claim_id, t.source_stances.c.source_id, t.source_stances.c.stance,
            t.articles.c.id.label("article_id"), t.articles.c.published, t.articles.c.ingested_at, t.articles.c.outlet,
            t.sources.c.name, t.sources.c.kind, t.sources.c.role, t.sources.c.affiliation, t.sources.c.country,
            t.sources.c.anonymous,
        )
        .join(t.articles, t.articles.c.id == t.source_stances.c.article_id)
        .join(t.sources, t.sources.c.id == t.source_stances.c.source_id)
        .where(t.source_stances.c.claim_id.in_(claim_ids))
        .order_by(*_by_date())
    )
    rows = connection.execute(query)
    mediums = _mediums(connection, claim_ids)
    per_source: dict[tuple[int, int], SourceSide] = {}
    side_of: dict[tuple[int, int], str] = {}
    latest_row = {}
    for row in rows:  # oldest first: a later side taken overrides
        key = (row.claim_id, row.source_id)
        item = per_source.get(key)
        if item is None:
            item = per_source[key] = SourceSide(
                source_id=row.source_id, name=row.name, kind=row.kind, role=row.role, affiliation=row.affiliation,
                country=row.country, anonymous=bool(row.anonymous),
            )
        item.statements += 1
        latest_row[key] = row
        if row.outlet and row.outlet not in item.outlets:
            item.outlets.append(row.outlet)
        side_of[key] = side_after(side_of.get(key), row.stance)
    for key, item in per_source.items():
        item.last_said = _day(latest_row[key])
        for medium in mediums.get(key, []):
            if medium not in item.outlets:
                item.outlets.append(medium)
        result[key[0]][side_of[key]].append(item)
    return result


def _mediums(connection: Connection, claim_ids: list[int]) -> dict[tuple[int, int], list[str]]:
    """Outlets a source's statements on a claim were given to ("told AFP")."""
    query = (
        select(t.stances.c.claim_id, t.stances.c.source_id, t.attributions.c.medium)
        .join(t.attributions, t.attributions.c.id == t.stances.c.attribution_id)
        .where(t.stances.c.claim_id.in_(claim_ids), t.attributions.c.medium.is_not(None), t.stances.c.source_id.is_not(None))
        .distinct()
    )
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for row in connection.execute(query):
        found[(row.claim_id, row.source_id)].append(row.medium)
    return found


def _day(row) -> str | None:
    """The article's publication date (ISO), or None when unknown."""
    if row.published:
        return row.published.isoformat() if isinstance(row.published, date) else str(row.published)[:10]
    return None


def refresh_claim(connection: Connection, claim_id: int) -> None:
    """Recompute a claim's counts, status and first/last seen from its rows (after a write)."""
    sides = source_sides(connection, [claim_id])[claim_id]
    seen = connection.execute(
        select(func.min(_article_date()), func.max(_article_date()), func.count(func.distinct(t.articles.c.id)))
        .join(t.article_claims, t.article_claims.c.article_id == t.articles.c.id)
        .where(t.article_claims.c.claim_id == claim_id)
    ).one()
    connection.execute(
        update(t.claims).where(t.claims.c.id == claim_id).values(
            status=claim_status(len(sides["support"]), len(sides["deny"])),
            support_sources=len(sides["support"]),
            deny_sources=len(sides["deny"]),
            neutral_sources=len(sides["neutral"]),
            articles=seen[2] or 0,
            first_seen=parse_iso_date(seen[0]),
            last_seen=parse_iso_date(seen[1]),
        )
    )


_SIDE_COUNTS = {"support": t.claims.c.support_sources, "deny": t.claims.c.deny_sources,
                "neutral": t.claims.c.neutral_sources}


def _filtered(query: Select, filters: Filters) -> Select:
    # a claim an editor merged into another is listed as that one
    query = query.where(t.claims.c.id.notin_(select(t.claim_decisions.c.other_claim_id).where(t.claim_decisions.c.kind == "merge")))
    if filters.search:
        pattern = like_pattern(filters.search.lower())
        wordings = select(t.article_claims.c.claim_id).where(
            func.lower(t.article_claims.c.text).like(pattern, escape="\\"))
        query = query.where(or_(func.lower(t.claims.c.text).like(pattern, escape="\\"), t.claims.c.id.in_(wordings)))
    if filters.status:
        query = query.where(t.claims.c.status == filters.status)
    if filters.stance:
        query = query.where(_SIDE_COUNTS[filters.stance] > 0)  # some source takes this side
    if filters.origin:
        query = query.where(t.claims.c.origin == filters.origin)
    if filters.outlet:
        carried = (
            select(t.article_claims.c.claim_id)
            .join(t.articles, t.articles.c.id == t.article_claims.c.article_id)
            .where(func.lower(t.articles.c.outlet) == filters.outlet.lower())
        )
        query = query.where(t.claims.c.id.in_(carried))
    if filters.since:
        query = query.where(t.claims.c.last_seen >= parse_iso_date(filters.since))
    if filters.until:
        query = query.where(t.claims.c.first_seen <= parse_iso_date(filters.until))
    return query


def count_claims(connection: Connection, filters: Filters | None = None) -> int:
    """How many claims match ``filters`` (a merged claim counts as the one it was merged into)."""
    return int(connection.execute(_filtered(select(func.count()).select_from(t.claims), filters or Filters())).scalar_one())


def list_claims(connection: Connection, filters: Filters | None = None, *, limit: int | None = 50,
                offset: int = 0) -> list[ClaimSummary]:
    """Claims, most-sourced and most-disputed first, with the sources on each side (no ``limit``: all of them)."""
    query = _filtered(select(t.claims), filters or Filters()).order_by(
        (t.claims.c.status == "disputed").desc(),
        (t.claims.c.support_sources + t.claims.c.deny_sources + t.claims.c.neutral_sources).desc(),
        t.claims.c.id,
    )
    rows = list(connection.execute(paged(query, limit, offset)))
    sides = source_sides(connection, [row.id for row in rows])
    from claimledger.store.decisions import resolutions

    verdicts = resolutions(connection, [row.id for row in rows])
    headlines = headline_reports(connection, [row.id for row in rows])
    records = voice_records(connection, [row.id for row in rows])
    return [_summary(row, sides[row.id], verdicts[row.id], headlines[row.id], records[row.id]) for row in rows]


def headline_reports(connection: Connection, claim_ids: list[int]) -> dict[int, list]:
    """Claim id → its articles' headlines read toward it (``estimate.Report``: side, outlet, title), oldest first."""
    from claimledger.claims.estimate import Report

    reports: dict[int, list] = {claim_id: [] for claim_id in claim_ids}
    if not claim_ids:
        return reports
    rows = connection.execute(
        select(t.article_claims.c.claim_id, t.article_claims.c.headline_stance, t.articles.c.outlet,
               t.articles.c.title, t.articles.c.id.label("article_id"))
        .join(t.articles, t.articles.c.id == t.article_claims.c.article_id)
        .where(t.article_claims.c.claim_id.in_(claim_ids), t.article_claims.c.headline_stance.is_not(None))
        .order_by(*_by_date())
    ).all()
    for order, row in enumerate(rows):
        reports[row.claim_id].append(Report(side=row.headline_stance, outlet=row.outlet or f"article {row.article_id}",
                                            wording=row.title, order=order))
    return reports


def voice_records(connection: Connection, claim_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """For each of ``claim_ids``, each voice's record (``estimate.records_from``) over the store's
    claims resolved true or false other than that claim: the sources' sides and the outlets' headlines."""
    from claimledger.claims.estimate import claim_reports, records_from
    from claimledger.store.decisions import resolutions

    resolved_ids = list(connection.execute(select(t.claim_resolutions.c.claim_id).distinct()).scalars())
    verdicts = resolutions(connection, resolved_ids)
    settled = {cid: v[-1].verdict == "true" for cid, v in verdicts.items() if v and v[-1].verdict in ("true", "false")}
    if not settled:
        return {claim_id: {} for claim_id in claim_ids}
    sides = source_sides(connection, list(settled))
    headlines = headline_reports(connection, list(settled))
    own = {cid: records_from([(claim_reports(sides[cid]["support"], sides[cid]["deny"], sides[cid]["neutral"],
                                             headlines[cid]), true)]) for cid, true in settled.items()}
    everything: dict[str, list[int]] = {}
    for tally in own.values():
        for key, (right, total) in tally.items():
            both = everything.setdefault(key, [0, 0])
            both[0] += right
            both[1] += total
    result = {}
    for claim_id in claim_ids:
        mine = own.get(claim_id, {})  # a resolved claim's own sides never count toward its estimate
        result[claim_id] = {key: (right - mine.get(key, (0, 0))[0], total - mine.get(key, (0, 0))[1])
                            for key, (right, total) in everything.items() if total - mine.get(key, (0, 0))[1] > 0}
    return result


def _summary(row, sides, verdicts=(), headlines=(), records=None) -> ClaimSummary:
    from claimledger.claims.estimate import claim_estimate

    return ClaimSummary(
        id=row.id, text=row.text, origin=row.origin, status=row.status,
        first_seen=row.first_seen.isoformat() if row.first_seen else None,
        last_seen=row.last_seen.isoformat() if row.last_seen else None,
        support=sides["support"], deny=sides["deny"], neutral=sides["neutral"], articles=row.articles,
        estimate=claim_estimate(sides["support"], sides["deny"], sides["neutral"], headlines, records),
        resolution=verdicts[-1].to_dict() if verdicts else None,
    )


def get_claim(connection: Connection, claim_id: int) -> ClaimLedger:
    """One claim: sides, every statement in date order with outlet, evidence and times, conflicts."""
    row = connection.execute(select(t.claims).where(t.claims.c.id == claim_id)).first()
    if row is None:
        raise UnknownIdError(f"claim {claim_id}: no such claim in the store")
    from claimledger.store.decisions import merged_claims, resolutions

    verdicts = resolutions(connection, [claim_id])[claim_id]
    summary = _summary(row, source_sides(connection, [claim_id])[claim_id], verdicts,
                       headline_reports(connection, [claim_id])[claim_id], voice_records(connection, [claim_id])[claim_id])
    query = (
        select(
            t.stances.c.stance, t.stances.c.confidence, t.stances.c.because, t.stances.c.source_id,
            t.attributions.c.id.label("attribution_id"), t.attributions.c.content, t.attributions.c.sentence,
            t.attributions.c.cue, t.attributions.c.direct, t.attributions.c.start, t.attributions.c.end,
            t.attributions.c.medium, t.articles.c.id.label("article_id"), t.articles.c.title, t.articles.c.name,
            t.articles.c.outlet, t.articles.c.published, t.articles.c.ingested_at, t.sources.c.name.label("source_name"),
        )
        .join(t.attributions, t.attributions.c.id == t.stances.c.attribution_id)
        .join(t.articles, t.articles.c.id == t.stances.c.article_id)
        .outerjoin(t.sources, t.sources.c.id == t.stances.c.source_id)
        .where(t.stances.c.claim_id == claim_id)
    )
    rows = sorted(connection.execute(query), key=lambda r: (_day(r) is None, _day(r) or "", r.article_id, r.start))
    attribution_ids = [r.attribution_id for r in rows]
    evidence: dict[int, list[str]] = defaultdict(list)
    times: dict[int, list[dict]] = defaultdict(list)
    if attribution_ids:
        for item in connection.execute(select(t.evidence.c.attribution_id, t.evidence.c.kind).where(t.evidence.c.attribution_id.in_(attribution_ids))):
            if item.kind not in evidence[item.attribution_id]:
                evidence[item.attribution_id].append(item.kind)
        for item in connection.execute(select(t.times).where(t.times.c.attribution_id.in_(attribution_ids))):
            times[item.attribution_id].append({
                "text": item.text, "earliest": item.earliest.isoformat() if item.earliest else None,
                "latest": item.latest.isoformat() if item.latest else None, "role": item.role,
            })
    statements = [
        ClaimStatement(
            attribution_id=r.attribution_id, article_id=r.article_id, article_title=r.title, article_name=r.name,
            outlet=r.outlet, medium=r.medium, published=_day(r), source_id=r.source_id, source_name=r.source_name,
            stance=r.stance, confidence=round(float(r.confidence), 3), content=r.content, sentence=r.sentence,
            because=r.because, cue=r.cue, direct=bool(r.direct), start=r.start, end=r.end,
            evidence=evidence.get(r.attribution_id, []), times=times.get(r.attribution_id, []),
        )
        for r in rows
    ]
    wordings = list(dict.fromkeys(connection.execute(
        select(t.article_claims.c.text).where(t.article_claims.c.claim_id == claim_id).order_by(t.article_claims.c.id)
    ).scalars()))
    merged = merged_claims(connection)
    return ClaimLedger(claim=summary, statements=statements, conflicts=corpus_conflicts(summary, statements),
                       wordings=wordings, resolutions=[v.to_dict() for v in verdicts],
                       merged=sorted(c for c, (target, _) in merged.items() if target == claim_id),
                       merged_into=merged.get(claim_id, (None, False))[0],
                       balance=balance_over_time(statements), changed=changed_accounts(statements))


__all__ = ["count_claims", "list_claims", "get_claim", "source_sides", "refresh_claim"]
