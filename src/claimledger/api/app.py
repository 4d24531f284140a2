"""The web application: REST API under /api, server-rendered pages, one stylesheet, OpenAPI at /openapi.json and /docs.

``create_app(db_url)`` opens the store once; each request takes a connection from the engine's pool.
The API docs page at /docs is rendered on the server from the OpenAPI schema (FastAPI's default
Swagger UI loads scripts from a CDN and runs inline script, which the Content-Security-Policy
forbids and which an offline machine cannot fetch).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Message
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimledger.api import routes
from claimledger.api.analysis import AnalysisWorkers
from claimledger.api.cache import ResponseCache
from claimledger.api.errors import invalid
from claimledger.api.security import BodyLimit, HeadAndOptions, SecurityHeaders, TrustedHosts
from claimledger.errors import UnknownIdError
from claimledger.web import pages

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
DEFAULT_MAX_BODY = 5 * 1024 * 1024
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def create_app(
    db_url: str | Engine | None,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    allowed_hosts: set[str] | None = None,
    analysis_processes: int = 1,
) -> FastAPI:
    """The application over the store at ``db_url`` (a path or URL, or an open engine).

    ``token`` enables ``POST /api/articles``; without it writes are refused. ``allowed_hosts``
    restricts the Host header (``claimledger serve`` passes the loopback names when bound to loopback).
    POSTed articles are analysed in ``analysis_processes`` worker processes (0: a thread of this one).
    """
    from claimledger import __version__

    if isinstance(db_url, Engine):
        engine = db_url
    else:
        from claimledger.store.database import open_engine

        engine = open_engine(db_url, create=bool(token))
    analysis = AnalysisWorkers(analysis_processes)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        analysis.close()

    app = FastAPI(
        lifespan=lifespan,
        title="claimledger",
        version=__version__,
        description="The ledger of contested claims: who said what, to which outlet, with what stance, "
                    "and where accounts conflict.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.state.token = token or None
    app.state.write_lock = threading.Lock()
    app.state.analysis = analysis
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/claims", status_code=307)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        return pages.render(request, "docs.html", {"nav": "docs", "api": _api_reference(app.openapi())})

    @app.exception_handler(UnknownIdError)
    async def unknown_id(request: Request, error: UnknownIdError) -> Response:
        return _error(request, 404, str(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return _error(request, error.status_code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return invalid(error.errors())
        messages = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in error.errors())
        return pages.error_page(request, 422, messages or "invalid request")

    # Added innermost first: the security headers wrap everything, even the host check's refusals.
    app.add_middleware(ResponseCache, engine=engine)
    app.add_middleware(HeadAndOptions, router=app.router)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHosts, hosts={h.lower() for h in allowed_hosts})
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(SecurityHeaders)
    return app


class UnexpectedErrors:
    """A bug or a failing store answers 500 as JSON (API) or an error page (web), inside the security
    headers; Starlette's own last-resort handler sits outside every middleware and answers plain text."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                raise
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            request = Request(scope)
            if _is_api(request) or request.method != "GET":
                response: Response = JSONResponse({"detail": "internal error: the server could not answer this request"},
                                        status_code=500)
            else:
                response = pages.error_page(request, 500, "The server could not answer this request.")
            await response(scope, receive, send)


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path == "/openapi.json"


def _error(request: Request, status: int, detail: str, headers: dict | None = None) -> Response:
    if _is_api(request) or request.method != "GET":
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return pages.error_page(request, status, detail)


def _api_reference(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI paths flattened for the docs page: method, path, summary, parameters, responses."""
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                {"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                 "description": p.get("description") or "", "type": _type_name(p.get("schema", {}))}
                for p in operation.get("parameters", [])
            ]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            operations.append({
                "method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                "parameters": parameters,
                "body": sorted(body.get("properties", {}).items()) if isinstance(body, dict) else [],
                "responses": sorted(operation.get("responses", {}).items()),
            })
    return operations


def _type_name(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if schema.get("format") == "date":
        return "date"
    return schema.get("type", "")
