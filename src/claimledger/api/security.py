"""What every response and every write goes through: security headers, a request body limit, the bearer token.

Article text is untrusted, so besides escaping everything the pages carry a strict
Content-Security-Policy (no script at all, styles only from our own file), and they may not be
framed. Bodies are limited twice: by the declared Content-Length before anything is read, and by
counting the bytes as they stream in, so a chunked or lying request cannot get past the limit.
"""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the security headers to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (name, value) for name, value in SECURITY_HEADERS if name not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, by Content-Length and by the bytes actually received."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(send, 400, "Content-Length is not a number")
                    return
                if declared > self.max_bytes:
                    await _send_json(send, 413, self._message())
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, self._message())

    def _message(self) -> str:
        return f"request body larger than the limit of {self.max_bytes} bytes"


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})


def token_matches(authorization: str | None, token: str) -> bool:
    """Whether an ``Authorization: Bearer …`` header carries ``token`` (compared in constant time)."""
    if not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


class TrustedHosts:
    """Answers 400 to requests whose Host header is not one of ``hosts`` (DNS rebinding against a loopback server)."""

    def __init__(self, app: ASGIApp, hosts: set[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = ""
            for name, value in scope.get("headers", []):
                if name == b"host":
                    host = value.decode("latin-1")
                    break
            hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if hostname.strip("[]").lower() not in self.hosts:
                await _send_json(send, 400, "unexpected Host header")
                return
        await self.app(scope, receive, send)


class HeadAndOptions:
    """HEAD answers as GET without the body; OPTIONS lists the path's methods in ``Allow`` (204).

    FastAPI routes answer only the methods they declare, so HEAD and OPTIONS were 405 everywhere.
    """

    def __init__(self, app: ASGIApp, router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allowed = self._allowed(scope)
            if not allowed:
                await self.app(scope, receive, send)
                return
            allow = ", ".join(sorted(allowed | {"HEAD", "OPTIONS"} if "GET" in allowed else allowed | {"OPTIONS"}))
            await send({"type": "http.response.start", "status": 204,
                        "headers": [(b"allow", allow.encode()), (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)

    def _allowed(self, scope: Scope) -> set[str]:
        from starlette.routing import Match

        allowed: set[str] = set()
        for route in _flat_routes(self.router.routes):
            match, _ = route.matches({**scope, "method": "GET"})
            if match != Match.NONE:
                methods = getattr(route, "methods", None)
                allowed |= set(methods) if methods else {"GET", "HEAD"}
        return allowed


def _flat_routes(routes):
    """Every route, those of included routers too (FastAPI wraps an included router in one object)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _flat_routes(inner.routes)
        else:
            yield route
