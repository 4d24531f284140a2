"""`claimledger serve`: the store as web pages and a REST API (uvicorn running ``claimledger.api.create_app``)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import TYPE_CHECKING

from claimledger.budget import use_time_budget
from claimledger.errors import UsageError

if TYPE_CHECKING:
    from fastapi import FastAPI

TOKEN_ENV = "CLAIMLEDGER_TOKEN"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the store as web pages and a REST API",
        description=(
            "Serve the store as web pages (/claims, /articles, /sources) and a REST API (/api, OpenAPI at /docs). "
            "Reads are open to whoever can reach the address (loopback by default); POST /api/articles needs "
            f"the token given by --token or ${TOKEN_ENV}, and is refused when there is none."
        ),
    )
    parser.add_argument("--db", default=None, metavar="URL", help="store: a SQLite path (default ledger.db) or postgresql://…")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--token", default=None, help=f"bearer token that allows POST /api/articles (or ${TOKEN_ENV})")
    parser.add_argument("--max-body-mb", type=float, default=5.0, help="refuse request bodies larger than this (default 5)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="uvicorn worker processes (default 1)")
    parser.add_argument("--time-budget", metavar="SECONDS", default=None,
                        help="fail an article whose analysis takes longer (default 60, or $CLAIMLEDGER_TIME_BUDGET; 0: none)")
    parser.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_factory() -> FastAPI:
    """Build the app from the environment set by `run` (uvicorn's worker processes import this)."""
    from claimledger.api import create_app

    settings = os.environ
    hosts = settings.get("CLAIMLEDGER_SERVE_HOSTS")
    return create_app(
        settings.get("CLAIMLEDGER_SERVE_DB") or None,
        token=settings.get(TOKEN_ENV) or None,
        max_body_bytes=int(settings["CLAIMLEDGER_SERVE_MAX_BODY"]),
        allowed_hosts=set(hosts.split(",")) if hosts else None,
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from claimledger.store.database import open_engine

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
    if args.max_body_mb <= 0:
        raise UsageError(f"--max-body-mb must be positive, got {args.max_body_mb:g}")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    use_time_budget(args.time_budget)
    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV)
    if token is not None and len(token.strip()) < 8:
        raise UsageError("--token must be at least 8 characters")
    # Open (and migrate) once here, so a bad store is one line on stderr before anything listens.
    open_engine(args.db, create=bool(token)).dispose()
    loopback = is_loopback(args.host)
    os.environ["CLAIMLEDGER_SERVE_DB"] = args.db or ""
    os.environ["CLAIMLEDGER_SERVE_MAX_BODY"] = str(int(args.max_body_mb * 1024 * 1024))
    os.environ["CLAIMLEDGER_SERVE_HOSTS"] = "127.0.0.1,localhost,::1" if loopback else ""
    if token:
        os.environ[TOKEN_ENV] = token
    else:
        os.environ.pop(TOKEN_ENV, None)
    if not loopback:
        print(f"claimledger: warning: listening on {args.host}: the read pages and API are open to that network",
              file=sys.stderr)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"claimledger: serving {args.db or 'ledger.db'} at http://{shown}:{args.port}/claims "
          f"(writes {'need the token' if token else 'disabled: no token'})", file=sys.stderr)
    uvicorn.run("claimledger.cli.serve_cmd:app_factory", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="warning", access_log=False, proxy_headers=False,
                server_header=False)
    return 0
