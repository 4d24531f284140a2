"""The store's one read API, for the CLI, the REST API and the web pages alike.

Each entity has the same three questions, narrowed by one :class:`Filters`:
``count_X(connection, filters)``, ``list_X(connection, filters, limit=, offset=)`` and
``get_X(connection, id)`` (an unknown id raises ``UnknownIdError``). Claims come back as the ledger's
records (``claimledger.ledger.corpus``); articles, sources and statements as plain dicts ready for
JSON and for templates. Plain SQLAlchemy Core over ``store/schema.py``, so the same code runs on
SQLite and PostgreSQL.
"""

from claimledger.store.queries.articles import count_articles, get_article, list_articles, outlets, totals
from claimledger.store.queries.claims import count_claims, get_claim, list_claims, refresh_claim, source_sides
from claimledger.store.queries.filters import Filters
from claimledger.store.queries.sources import count_sources, get_source, list_sources
from claimledger.store.queries.statements import count_statements, list_statements

__all__ = [
    "Filters",
    "count_claims", "list_claims", "get_claim", "source_sides", "refresh_claim",
    "count_articles", "list_articles", "get_article",
    "count_sources", "list_sources", "get_source",
    "count_statements", "list_statements",
    "outlets", "totals",
]
