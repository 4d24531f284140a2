"""Attributed statements: count and list (in date order), each with its article, source, stances and evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Connection

from claimledger.store.queries.articles import published_in
from claimledger.store.queries.filters import Filters, iso, like_pattern, paged, taking_side
from claimledger.store.schema import articles, attributions, claims, evidence, sources, stances


def _statement_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions = published_in(filters)
    if filters.source_id is not None:
        conditions.append(attributions.c.source_id == filters.source_id)
    if filters.search:
        conditions.append(attributions.c.content.ilike(like_pattern(filters.search), escape="\\"))
    side = taking_side(stances, stances.c.attribution_id == attributions.c.id, filters)
    if side is not None:
        conditions.append(side)
    return conditions


def count_statements(connection: Connection, filters: Filters | None = None) -> int:
    """How many attributed statements match ``filters``."""
    query = (
        select(func.count()).select_from(attributions.join(articles, articles.c.id == attributions.c.article_id))
        .where(*_statement_conditions(filters or Filters()))
    )
    return int(connection.execute(query).scalar_one())


def list_statements(connection: Connection, filters: Filters | None = None, *, limit: int | None = 50,
                    offset: int = 0) -> list[dict[str, Any]]:
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
        .where(*_statement_conditions(filters))
        .order_by(articles.c.published.nulls_last(), articles.c.id, attributions.c.start)
    )
    rows = connection.execute(paged(query, limit, offset)).all()
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
            "published": iso(r.published), "source_id": r.source_id, "source_name": r.source_name,
            "source_text": r.source_text, "cue": r.cue, "content": r.content, "start": r.start, "end": r.end,
            "direct": r.direct, "medium": r.medium, "sentence": r.sentence,
            "stances": stance_map.get(r.id, []), "evidence": evidence_map.get(r.id, []),
        }
        for r in rows
    ]


__all__ = ["count_statements", "list_statements"]
