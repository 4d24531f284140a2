"""What every list of the store can be narrowed by (one `Filters` for claims, articles, sources and
statements), and the one LIKE pattern the searches use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, exists, select


@dataclass
class Filters:
    """What a list can be narrowed by; every field optional, and each list reads the fields that apply to it.

    claims: search, status, stance, origin, outlet, since, until; articles: search, outlet, since, until;
    sources: search, outlet, since, until, stance, claim_id; statements: all but status and origin.
    """

    search: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    stance: str | None = None
    claim_id: int | None = None
    source_id: int | None = None
    status: str | None = None
    origin: str | None = None


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching ``text`` anywhere, with the user's % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def taking_side(table: Table, link: ColumnElement[bool], filters: Filters) -> ColumnElement[bool] | None:
    """Some row of ``table`` (``stances`` or ``source_stances``), tied to the listed row by ``link``, with
    the filters' stance and claim; None when the filters name neither."""
    if not filters.stance and filters.claim_id is None:
        return None
    conditions = [link]
    if filters.stance:
        conditions.append(table.c.stance == filters.stance)
    if filters.claim_id is not None:
        conditions.append(table.c.claim_id == filters.claim_id)
    return exists(select(1).select_from(table).where(*conditions))


def paged(query: Select, limit: int | None, offset: int) -> Select:
    """``query`` cut to one page; no ``limit`` (None or 0) is every row from ``offset`` on."""
    if limit:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def iso(value: Any) -> str | None:
    """A date (or datetime) as ISO text, None kept."""
    return value.isoformat() if value is not None else None


__all__ = ["Filters", "like_pattern", "taking_side", "paged", "iso"]
