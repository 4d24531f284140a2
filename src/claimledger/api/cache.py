"""A response cache for the read pages and API, valid while the store does not change.

Under many readers the server spends its time rebuilding the same claim pages and lists; the store
only changes when an article or a claim is written. Every GET answer with status 200 is kept
(per worker process, least recently used first out) under its URL and the store's version: the
highest article, claim and stance ids and the number of registered claims, one indexed query per
request. A write anywhere (this server, another server, `claimledger ingest`) changes the version,
so no stale page is ever served.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimledger.records import REGISTERED
from claimledger.store import schema as t

MAX_ENTRIES = 512
MAX_BODY_BYTES = 2 * 1024 * 1024
CACHED_PREFIXES = ("/claims", "/articles", "/sources", "/api/claims", "/api/articles", "/api/sources", "/api/statements")


def store_version(engine: Engine) -> tuple:
    """What changes whenever anything readers see changes (rows are only ever added, claims promoted)."""
    query = select(
        select(func.max(t.articles.c.id)).scalar_subquery(),
        select(func.max(t.claims.c.id)).scalar_subquery(),
        select(func.max(t.stances.c.id)).scalar_subquery(),
        select(func.count()).select_from(t.claims).where(t.claims.c.origin == REGISTERED).scalar_subquery(),
        select(func.max(t.claim_decisions.c.id)).scalar_subquery(),  # an editor's merge or split
        select(func.max(t.claim_resolutions.c.id)).scalar_subquery(),  # a verdict
    )
    with engine.connect() as connection:
        return tuple(connection.execute(query).one())


class ResponseCache:
    """ASGI middleware: replays a cached 200 answer to a GET of a read page or API for the same store version."""

    def __init__(self, app: ASGIApp, engine: Engine, max_entries: int = MAX_ENTRIES) -> None:
        self.app = app
        self.engine = engine
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple, tuple[Message, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(CACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        version = await run_in_threadpool(store_version, self.engine)
        key = (scope["path"], scope.get("query_string", b""), version)
        cached = self.entries.get(key)
        if cached is not None:
            self.entries.move_to_end(key)
            start, body = cached
            await send(dict(start))
            await send({"type": "http.response.body", "body": body})
            return
        start_message: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start_message, size
            if message["type"] == "http.response.start":
                start_message = message
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
                if size <= MAX_BODY_BYTES:
                    chunks.append(message.get("body", b""))
                if not message.get("more_body") and start_message and start_message["status"] == 200 \
                        and size <= MAX_BODY_BYTES:
                    self.entries[key] = (dict(start_message, headers=list(start_message.get("headers", []))),
                                         b"".join(chunks))
                    if len(self.entries) > self.max_entries:
                        self.entries.popitem(last=False)
            await send(message)

        await self.app(scope, receive, keep)
