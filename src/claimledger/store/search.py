"""Full-text search of the store: statements, claims and sources by the words in them.

One function, ``search``, over the indexes migration 0003 made: FTS5 tables on SQLite, GIN indexes
on ``to_tsvector('english', …)`` on PostgreSQL. Whatever the user types is reduced to its words,
each quoted, so FTS5's query syntax (``"``, ``AND``, ``*``, ``NEAR(``) is never parsed and bad input
finds nothing instead of raising. All words must occur (in any order); words are stemmed
("denied" finds "denies").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text as sql
from sqlalchemy.engine import Connection

from claimledger.errors import UsageError
from claimledger.records import SEARCH_KINDS, SearchKind  # noqa: F401 - SearchKind is this module's API too

KINDS = SEARCH_KINDS

# The highlighted words in a snippet are [bracketed]: plain text that any terminal or page can show
# after its own escaping.
MARK_START, MARK_END, ELLIPSIS = "[", "]", "…"

# PostgreSQL: the expressions migration 0003 indexes; they must stay identical for the index to be used.
PG_DOCUMENTS = {
    "attributions": "to_tsvector('english', content)",
    "claims": "to_tsvector('english', text)",
    "sources": "to_tsvector('english', coalesce(name, '') || ' ' || coalesce(role, '') || ' ' || coalesce(affiliation, ''))",
}
PG_TEXTS = {
    "attributions": "content",
    "claims": "text",
    "sources": "coalesce(name, '') || ' ' || coalesce(role, '') || ' ' || coalesce(affiliation, '')",
}

# kind -> (base table, FTS5 table, the row's text shown as the hit's text, its article)
_TARGETS = {
    "statement": ("attributions", "statements_fts", "b.content", "b.article_id"),
    "claim": ("claims", "claims_fts", "b.text", "NULL"),
    "source": ("sources", "sources_fts", "b.name", "NULL"),
}


@dataclass(frozen=True)
class SearchHit:
    """One row that has every searched word: a statement (attributions.id), a claim or a source."""

    kind: SearchKind
    id: int
    text: str  # the statement's content, the claim's text, or the source's name
    snippet: str  # the matching passage, matched words [bracketed]
    article_id: int | None  # the statement's article; None for claims and sources
    rank: float  # higher is a better match (only comparable within one search)


def search_words(text: str) -> list[str]:
    """The words of ``text`` that are searched: runs of letters and digits, operators and quotes dropped."""
    return re.findall(r"\w+", text or "")


def fts5_query(text: str) -> str:
    """An FTS5 MATCH expression that finds rows having every word of ``text``; '' when it has none.

    Each word is a quoted string, so nothing the user types is read as FTS5 syntax.
    """
    return " ".join('"' + word.replace('"', '""') + '"' for word in search_words(text))


def search(connection: Connection, text: str, kind: SearchKind | None = None, limit: int = 20) -> list[SearchHit]:
    """Rows of ``kind`` (all three kinds when None) matching every word of ``text``, best first."""
    if kind is not None and kind not in KINDS:
        raise UsageError(f"search kind must be one of {', '.join(KINDS)}, not {kind!r}")
    words = search_words(text)
    if not words:
        return []
    kinds = [kind] if kind else list(KINDS)
    postgresql = connection.dialect.name == "postgresql"
    hits: list[SearchHit] = []
    for one in kinds:
        rows = _postgresql(connection, one, words, limit) if postgresql else _sqlite(connection, one, words, limit)
        hits.extend(SearchHit(one, row.id, row.text, row.snippet, row.article_id, float(row.rank)) for row in rows)
    hits.sort(key=lambda hit: -hit.rank)
    return hits[:limit] if limit else hits


def _sqlite(connection: Connection, kind: SearchKind, words: list[str], limit: int):
    base, fts, shown, article = _TARGETS[kind]
    # bm25 is lower for better matches; negated so that higher is better on both databases.
    # Column -1: the snippet comes from whichever column matched best (a source's name or role).
    query = sql(
        f"SELECT b.id AS id, {shown} AS text, {article} AS article_id, "
        f"snippet({fts}, -1, :start, :end, :ellipsis, 12) AS snippet, -bm25({fts}) AS rank "
        f"FROM {fts} JOIN {base} b ON b.id = {fts}.rowid "
        f"WHERE {fts} MATCH :match ORDER BY bm25({fts}), b.id LIMIT :limit"
    )
    return connection.execute(query, {"match": fts5_query(" ".join(words)), "start": MARK_START,
                                      "end": MARK_END, "ellipsis": ELLIPSIS, "limit": limit or -1}).all()


def _postgresql(connection: Connection, kind: SearchKind, words: list[str], limit: int):
    base, _fts, shown, article = _TARGETS[kind]
    document, body = PG_DOCUMENTS[base], PG_TEXTS[base]
    # plainto_tsquery ANDs the words and ignores any operator characters, like the quoted FTS5 terms.
    query = sql(
        f"SELECT b.id AS id, {shown} AS text, {article} AS article_id, "
        f"ts_headline('english', {body}, q, :options) AS snippet, ts_rank({document}, q) AS rank "
        f"FROM {base} b, plainto_tsquery('english', :words) q "
        f"WHERE {document} @@ q ORDER BY rank DESC, b.id LIMIT :limit"
    )
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=20, MinWords=6, MaxFragments=1, FragmentDelimiter={ELLIPSIS}"
    return connection.execute(query, {"words": " ".join(words), "options": options, "limit": limit or None}).all()
