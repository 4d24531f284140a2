"""Sources: count, list (most statements first) and one source with its namings, sides and statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, distinct, exists, func, or_, select
from sqlalchemy.engine import Connection

from claimledger.errors import UnknownIdError
from claimledger.records import SIDES
from claimledger.store.queries.articles import published_in
from claimledger.store.queries.filters import Filters, iso, like_pattern, paged, taking_side
from claimledger.store.queries.statements import list_statements
from claimledger.store.records import source_record
from claimledger.store.schema import article_sources, articles, attributions, claims, source_stances, sources


def _source_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.search:
        pattern = like_pattern(filters.search)
        conditions.append(or_(
            sources.c.name.ilike(pattern, escape="\\"),
            sources.c.role.ilike(pattern, escape="\\"),
            sources.c.affiliation.ilike(pattern, escape="\\"),
            sources.c.country.ilike(pattern, escape="\\"),
        ))
    article_conditions = published_in(filters)
    if article_conditions:
        conditions.append(exists(
            select(1).select_from(article_sources.join(articles, articles.c.id == article_sources.c.article_id))
            .where(article_sources.c.source_id == sources.c.id, *article_conditions)
        ))
    side = taking_side(source_stances, source_stances.c.source_id == sources.c.id, filters)
    if side is not None:
        conditions.append(side)
    return conditions


def count_sources(connection: Connection, filters: Filters | None = None) -> int:
    """How many sources match ``filters``."""
    query = select(func.count()).select_from(sources).where(*_source_conditions(filters or Filters()))
    return int(connection.execute(query).scalar_one())


def list_sources(connection: Connection, filters: Filters | None = None, *, limit: int | None = 50,
                 offset: int = 0) -> list[dict[str, Any]]:
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
        .where(*_source_conditions(filters or Filters()))
        .order_by(statement_count.desc(), sources.c.name, sources.c.id)
    )
    return [row._asdict() for row in connection.execute(paged(query, limit, offset))]


def get_source(connection: Connection, source_id: int) -> dict[str, Any]:
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
         "country": n.country, "side": n.side, "title": n.title, "outlet": n.outlet, "published": iso(n.published)}
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
        entry = by_claim.setdefault(s.claim_id, {"claim_id": s.claim_id, "text": s.text, "stances": {k: 0 for k in SIDES}})
        entry["stances"][s.stance] = entry["stances"].get(s.stance, 0) + 1
    source["claims"] = list(by_claim.values())
    source["statements"] = list_statements(connection, Filters(source_id=source_id), limit=None)
    source["record"] = source_record(connection, source_id)  # what it asserted and denied, and how that was resolved
    return source


__all__ = ["count_sources", "list_sources", "get_source"]
