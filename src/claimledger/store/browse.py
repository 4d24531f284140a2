"""Read queries for the web pages and the REST API: articles, sources, statements, with search, filters and paging.

The claim queries (list, count, one claim's ledger) are ``claimledger.store.queries``; these are the
rest of what a reader browses. Plain SQLAlchemy Core over ``store/schema.py``, so the same code runs
on SQLite and PostgreSQL. Every function takes an open connection and returns plain dicts, ready
for JSON and for templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import distinct, exists, func, or_, select
from sqlalchemy.engine import Connection

from claimledger.errors import UnknownIdError
from claimledger.records import SIDES
from claimledger.store.schema import (
    article_claims,
    article_sources,
    articles,
    attributions,
    claims,
    evidence,
    source_stances,
    sources,
    stances,
    times,
)

STANCES = SIDES  # the sides a page counts


@dataclass
class Filters:
    """What a list can be narrowed by; every field optional."""

    search: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    stance: str | None = None
    claim_id: int | None = None


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with the user's % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _article_conditions(filters: Filters) -> list:
    conditions = []
    if filters.search:
        pattern = _like(filters.search)
        conditions.append(or_(
            articles.c.title.ilike(pattern, escape="\\"),
            articles.c.text.ilike(pattern, escape="\\"),
            articles.c.name.ilike(pattern, escape="\\"),
        ))
    if filters.outlet:
        conditions.append(func.lower(articles.c.outlet) == filters.outlet.lower())
    if filters.since:
        conditions.append(articles.c.published >= filters.since)
    if filters.until:
        conditions.append(articles.c.published <= filters.until)
    return conditions


# --- articles -------------------------------------------------------------------------------


def count_articles(connection: Connection, filters: Filters) -> int:
    query = select(func.count()).select_from(articles).where(*_article_conditions(filters))
    return int(connection.execute(query).scalar_one())


def list_articles(connection: Connection, filters: Filters, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Articles newest first, each with how many statements and sources it holds."""
    statement_count = (
        select(func.count()).select_from(attributions)
        .where(attributions.c.article_id == articles.c.id).scalar_subquery()
    )
    source_count = (
        select(func.count()).select_from(article_sources)
        .where(article_sources.c.article_id == articles.c.id).scalar_subquery()
    )
    query = (
        select(
            articles.c.id, articles.c.title, articles.c.name, articles.c.url, articles.c.outlet,
            articles.c.published, articles.c.length,
            statement_count.label("statements"), source_count.label("sources"),
        )
        .where(*_article_conditions(filters))
        .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
        .limit(limit).offset(offset)
    )
    return [
        {**row._asdict(), "published": _iso(row.published)}
        for row in connection.execute(query)
    ]


def article_detail(connection: Connection, article_id: int) -> dict[str, Any]:
    """One article: its text, every attribution with offsets, stances, evidence and times; its sources and claims."""
    row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        raise UnknownIdError(f"article {article_id}: no such article in the store")
    article = {
        "id": row.id, "title": row.title, "name": row.name, "url": row.url, "outlet": row.outlet,
        "published": _iso(row.published), "language": row.language, "input_format": row.input_format,
        "length": row.length, "text": row.text, "ingested_at": _iso(row.ingested_at),
    }
    source_rows = connection.execute(
        select(
            article_sources.c.source_id, article_sources.c.local_id, article_sources.c.name,
            article_sources.c.role, article_sources.c.affiliation, article_sources.c.country,
            article_sources.c.anonymous, article_sources.c.kind, article_sources.c.side,
            sources.c.name.label("canonical_name"),
        )
        .join(sources, sources.c.id == article_sources.c.source_id)
        .where(article_sources.c.article_id == article_id)
        .order_by(article_sources.c.id)
    ).all()
    claim_rows = connection.execute(
        select(
            article_claims.c.claim_id, article_claims.c.local_id, article_claims.c.text,
            article_claims.c.origin, article_claims.c.similarity, article_claims.c.negated,
            article_claims.c.article_stance, article_claims.c.article_stance_confidence,
            claims.c.text.label("claim_text"),
        )
        .join(claims, claims.c.id == article_claims.c.claim_id)
        .where(article_claims.c.article_id == article_id)
        .order_by(article_claims.c.id)
    ).all()
    stance_rows = connection.execute(
        select(stances.c.attribution_id, stances.c.claim_id, stances.c.stance, stances.c.confidence, stances.c.because)
        .where(stances.c.article_id == article_id)
        .order_by(stances.c.claim_id)
    ).all()
    evidence_rows = connection.execute(
        select(evidence.c.attribution_id, evidence.c.kind, evidence.c.text, evidence.c.start, evidence.c.end)
        .where(evidence.c.article_id == article_id).order_by(evidence.c.id)
    ).all()
    time_rows = connection.execute(
        select(times.c.attribution_id, times.c.text, times.c.start, times.c.end, times.c.earliest,
               times.c.latest, times.c.relative, times.c.role)
        .where(times.c.article_id == article_id).order_by(times.c.id)
    ).all()
    by_attribution: dict[int, dict[str, list]] = defaultdict(lambda: {"stances": [], "evidence": [], "times": []})
    for s in stance_rows:
        by_attribution[s.attribution_id]["stances"].append(
            {"claim_id": s.claim_id, "stance": s.stance, "confidence": s.confidence, "because": s.because})
    for e in evidence_rows:
        by_attribution[e.attribution_id]["evidence"].append(
            {"kind": e.kind, "text": e.text, "start": e.start, "end": e.end})
    for t in time_rows:
        by_attribution[t.attribution_id]["times"].append(
            {"text": t.text, "start": t.start, "end": t.end, "earliest": _iso(t.earliest),
             "latest": _iso(t.latest), "relative": t.relative, "role": t.role})
    attribution_rows = connection.execute(
        select(attributions, sources.c.name.label("source_name"))
        .outerjoin(sources, sources.c.id == attributions.c.source_id)
        .where(attributions.c.article_id == article_id)
        .order_by(attributions.c.start, attributions.c.id)
    ).all()
    article["attributions"] = [
        {
            "id": a.id, "local_id": a.local_id, "source_id": a.source_id, "source_name": a.source_name,
            "source_text": a.source_text, "source_start": a.source_start, "source_end": a.source_end,
            "cue": a.cue, "cue_class": a.cue_class, "negated_cue": a.negated_cue,
            "cue_start": a.cue_start, "cue_end": a.cue_end,
            "content": a.content, "start": a.start, "end": a.end, "direct": a.direct, "quote": a.quote,
            "medium": a.medium, "anonymous": a.anonymous, "sentence": a.sentence,
            **by_attribution.get(a.id, {"stances": [], "evidence": [], "times": []}),
        }
        for a in attribution_rows
    ]
    article["sources"] = [
        {
            "source_id": s.source_id, "local_id": s.local_id, "name": s.name, "canonical_name": s.canonical_name,
            "role": s.role, "affiliation": s.affiliation, "country": s.country, "anonymous": s.anonymous,
            "kind": s.kind, "side": s.side,
            "statements": sum(1 for a in attribution_rows if a.source_id == s.source_id),
        }
        for s in source_rows
    ]
    article["claims"] = [
        {
            "claim_id": c.claim_id, "local_id": c.local_id, "text": c.text, "claim_text": c.claim_text,
            "origin": c.origin, "similarity": c.similarity, "negated": c.negated,
            "article_stance": c.article_stance, "article_stance_confidence": c.article_stance_confidence,
        }
        for c in claim_rows
    ]
    return article


# --- sources --------------------------------------------------------------------------------


def _source_conditions(filters: Filters) -> list:
    conditions = []
    if filters.search:
        pattern = _like(filters.search)
        conditions.append(or_(
            sources.c.name.ilike(pattern, escape="\\"),
            sources.c.role.ilike(pattern, escape="\\"),
            sources.c.affiliation.ilike(pattern, escape="\\"),
            sources.c.country.ilike(pattern, escape="\\"),
        ))
    article_conditions = [c for c in _article_conditions(Filters(outlet=filters.outlet, since=filters.since, until=filters.until))]
    if article_conditions:
        conditions.append(exists(
            select(1).select_from(article_sources.join(articles, articles.c.id == article_sources.c.article_id))
            .where(article_sources.c.source_id == sources.c.id, *article_conditions)
        ))
    if filters.stance or filters.claim_id is not None:
        stance_conditions = [source_stances.c.source_id == sources.c.id]
        if filters.stance:
            stance_conditions.append(source_stances.c.stance == filters.stance)
        if filters.claim_id is not None:
            stance_conditions.append(source_stances.c.claim_id == filters.claim_id)
        conditions.append(exists(select(1).select_from(source_stances).where(*stance_conditions)))
    return conditions


def count_sources(connection: Connection, filters: Filters) -> int:
    query = select(func.count()).select_from(sources).where(*_source_conditions(filters))
    return int(connection.execute(query).scalar_one())


def list_sources(connection: Connection, filters: Filters, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Sources with the most statements first, each with its statement and article counts."""
    statement_count = (
        select(func.count()).select_from(attributions)
        .where(attributions.c.source_id == sources.c.id).scalar_subquery()
    )
    article_count = (
        select(func.count(distinct(article_sources.c.article_id)))
        .where(article_sources.c.source_id == sources.c.id).scalar_subquery()
    )
    query = (
        select(
            sources.c.id, sources.c.name, sources.c.kind, sources.c.role, sources.c.affiliation,
            sources.c.country, sources.c.anonymous,
            statement_count.label("statements"), article_count.label("articles"),
        )
        .where(*_source_conditions(filters))
        .order_by(statement_count.desc(), sources.c.name, sources.c.id)
        .limit(limit).offset(offset)
    )
    return [row._asdict() for row in connection.execute(query)]


def source_detail(connection: Connection, source_id: int) -> dict[str, Any]:
    """One source: who it is, how each article named it, its side on each claim, and every statement it made."""
    row = connection.execute(select(sources).where(sources.c.id == source_id)).first()
    if row is None:
        raise UnknownIdError(f"source {source_id}: no such source in the store")
    source = {
        "id": row.id, "name": row.name, "kind": row.kind, "role": row.role, "affiliation": row.affiliation,
        "country": row.country, "anonymous": row.anonymous,
    }
    namings = connection.execute(
        select(article_sources.c.article_id, article_sources.c.name, article_sources.c.role,
               article_sources.c.affiliation, article_sources.c.country, article_sources.c.side,
               articles.c.title, articles.c.outlet, articles.c.published)
        .join(articles, articles.c.id == article_sources.c.article_id)
        .where(article_sources.c.source_id == source_id)
        .order_by(articles.c.published.nulls_last(), articles.c.id)
    ).all()
    source["articles"] = [
        {"article_id": n.article_id, "named_as": n.name, "role": n.role, "affiliation": n.affiliation,
         "country": n.country, "side": n.side, "title": n.title, "outlet": n.outlet, "published": _iso(n.published)}
        for n in namings
    ]
    sides = connection.execute(
        select(source_stances.c.claim_id, source_stances.c.article_id, source_stances.c.stance, claims.c.text)
        .join(claims, claims.c.id == source_stances.c.claim_id)
        .where(source_stances.c.source_id == source_id)
        .order_by(source_stances.c.claim_id, source_stances.c.article_id)
    ).all()
    by_claim: dict[int, dict[str, Any]] = {}
    for s in sides:
        entry = by_claim.setdefault(s.claim_id, {"claim_id": s.claim_id, "text": s.text, "stances": {k: 0 for k in STANCES}})
        entry["stances"][s.stance] = entry["stances"].get(s.stance, 0) + 1
    source["claims"] = list(by_claim.values())
    source["statements"] = statements(connection, source_id=source_id, limit=None)
    from claimledger.store.records import source_record

    source["record"] = source_record(connection, source_id)  # what it asserted and denied, and how that was resolved
    return source


# --- statements -----------------------------------------------------------------------------


def _statement_conditions(filters: Filters, source_id: int | None) -> list:
    conditions = list(_article_conditions(Filters(outlet=filters.outlet, since=filters.since, until=filters.until)))
    if source_id is not None:
        conditions.append(attributions.c.source_id == source_id)
    if filters.search:
        conditions.append(attributions.c.content.ilike(_like(filters.search), escape="\\"))
    if filters.stance or filters.claim_id is not None:
        stance_conditions = [stances.c.attribution_id == attributions.c.id]
        if filters.stance:
            stance_conditions.append(stances.c.stance == filters.stance)
        if filters.claim_id is not None:
            stance_conditions.append(stances.c.claim_id == filters.claim_id)
        conditions.append(exists(select(1).select_from(stances).where(*stance_conditions)))
    return conditions


def count_statements(connection: Connection, filters: Filters | None = None, *, source_id: int | None = None) -> int:
    query = (
        select(func.count()).select_from(attributions.join(articles, articles.c.id == attributions.c.article_id))
        .where(*_statement_conditions(filters or Filters(), source_id))
    )
    return int(connection.execute(query).scalar_one())


def statements(connection: Connection, filters: Filters | None = None, *, source_id: int | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Attributed statements in date order, each with its article, source and stance toward each claim."""
    filters = filters or Filters()
    query = (
        select(
            attributions.c.id, attributions.c.article_id, attributions.c.source_id, attributions.c.source_text,
            attributions.c.cue, attributions.c.content, attributions.c.start, attributions.c.end,
            attributions.c.direct, attributions.c.medium, attributions.c.sentence,
            articles.c.title, articles.c.outlet, articles.c.published, sources.c.name.label("source_name"),
        )
        .select_from(
            attributions.join(articles, articles.c.id == attributions.c.article_id)
            .outerjoin(sources, sources.c.id == attributions.c.source_id)
        )
        .where(*_statement_conditions(filters, source_id))
        .order_by(articles.c.published.nulls_last(), articles.c.id, attributions.c.start)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = connection.execute(query).all()
    ids = [r.id for r in rows]
    stance_map: dict[int, list[dict[str, Any]]] = defaultdict(list)
    evidence_map: dict[int, list[str]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for s in connection.execute(
            select(stances.c.attribution_id, stances.c.claim_id, stances.c.stance, stances.c.confidence, claims.c.text)
            .join(claims, claims.c.id == stances.c.claim_id)
            .where(stances.c.attribution_id.in_(chunk))
            .order_by(stances.c.claim_id)
        ):
            stance_map[s.attribution_id].append(
                {"claim_id": s.claim_id, "claim_text": s.text, "stance": s.stance, "confidence": s.confidence})
        for e in connection.execute(
            select(evidence.c.attribution_id, evidence.c.kind).where(evidence.c.attribution_id.in_(chunk)).order_by(evidence.c.id)
        ):
            if e.kind not in evidence_map[e.attribution_id]:
                evidence_map[e.attribution_id].append(e.kind)
    return [
        {
            "attribution_id": r.id, "article_id": r.article_id, "article_title": r.title, "outlet": r.outlet,
            "published": _iso(r.published), "source_id": r.source_id, "source_name": r.source_name,
            "source_text": r.source_text, "cue": r.cue, "content": r.content, "start": r.start, "end": r.end,
            "direct": r.direct, "medium": r.medium, "sentence": r.sentence,
            "stances": stance_map.get(r.id, []), "evidence": evidence_map.get(r.id, []),
        }
        for r in rows
    ]


# --- odds and ends --------------------------------------------------------------------------


def outlets(connection: Connection) -> list[str]:
    """Every outlet in the store, for the filter menus."""
    rows = connection.execute(
        select(distinct(articles.c.outlet)).where(articles.c.outlet.is_not(None)).order_by(articles.c.outlet)
    )
    return [r[0] for r in rows]


def totals(connection: Connection) -> dict[str, int]:
    """How much the store holds, for the page footer and the API root."""
    count = lambda table: int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # noqa: E731
    return {"articles": count(articles), "sources": count(sources), "claims": count(claims),
            "statements": count(attributions)}


__all__ = [
    "Filters", "STANCES", "count_articles", "list_articles", "article_detail", "count_sources", "list_sources",
    "source_detail", "count_statements", "statements", "outlets", "totals",
]
