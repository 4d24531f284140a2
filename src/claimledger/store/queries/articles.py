"""Articles: count, list (newest first) and one article with its attributions, sources and claims; the
outlets for the filter menus and what the store holds.

Plain SQLAlchemy Core over ``store/schema.py`` (SQLite and PostgreSQL alike); plain dicts out, ready
for JSON and for templates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, or_, select
from sqlalchemy.engine import Connection

from claimledger.errors import UnknownIdError
from claimledger.store.queries.filters import Filters, iso, like_pattern, paged
from claimledger.store.schema import (
    article_claims,
    article_sources,
    articles,
    attributions,
    claims,
    evidence,
    sources,
    stances,
    times,
)
from claimledger.timex.resolver import parse_iso_date


def published_in(filters: Filters) -> list[ColumnElement[bool]]:
    """Conditions on an article's outlet and publication date (for the lists joined to articles)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.outlet:
        conditions.append(func.lower(articles.c.outlet) == filters.outlet.lower())
    if filters.since:
        conditions.append(articles.c.published >= parse_iso_date(filters.since))
    if filters.until:
        conditions.append(articles.c.published <= parse_iso_date(filters.until))
    return conditions


def article_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Conditions on an article: words in its title, text or name, and ``published_in``."""
    conditions = published_in(filters)
    if filters.search:
        pattern = like_pattern(filters.search)
        conditions.insert(0, or_(
            articles.c.title.ilike(pattern, escape="\\"),
            articles.c.text.ilike(pattern, escape="\\"),
            articles.c.name.ilike(pattern, escape="\\"),
        ))
    return conditions


def count_articles(connection: Connection, filters: Filters | None = None) -> int:
    """How many articles match ``filters``."""
    query = select(func.count()).select_from(articles).where(*article_conditions(filters or Filters()))
    return int(connection.execute(query).scalar_one())


def list_articles(connection: Connection, filters: Filters | None = None, *, limit: int | None = 50,
                  offset: int = 0) -> list[dict[str, Any]]:
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
        .where(*article_conditions(filters or Filters()))
        .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
    )
    return [
        {**row._asdict(), "published": iso(row.published)}
        for row in connection.execute(paged(query, limit, offset))
    ]


def get_article(connection: Connection, article_id: int) -> dict[str, Any]:
    """One article: its text, every attribution with offsets, stances, evidence and times; its sources and claims."""
    row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        raise UnknownIdError(f"article {article_id}: no such article in the store")
    article = {
        "id": row.id, "title": row.title, "name": row.name, "url": row.url, "outlet": row.outlet,
        "published": iso(row.published), "language": row.language, "input_format": row.input_format,
        "length": row.length, "text": row.text, "ingested_at": iso(row.ingested_at),
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
            article_claims.c.headline_stance, article_claims.c.headline_stance_confidence,
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
            {"text": t.text, "start": t.start, "end": t.end, "earliest": iso(t.earliest),
             "latest": iso(t.latest), "relative": t.relative, "role": t.role})
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
            "headline_stance": c.headline_stance, "headline_stance_confidence": c.headline_stance_confidence,
        }
        for c in claim_rows
    ]
    return article


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


__all__ = ["published_in", "article_conditions", "count_articles", "list_articles", "get_article", "outlets", "totals"]
