"""The one error body of the API: ``{"detail": "one line"}``, plus ``errors`` (what is wrong, field by field) on a 422.

Every error the API sends has this shape, from a bad parameter to an unexpected 500, so a client
reads ``detail`` as a string everywhere; the OpenAPI schema declares it (``Error``) on every status.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class FieldError(BaseModel):
    """One thing wrong with a request: where (``["query", "until"]``, ``["body", "text"]``), what, and its kind."""

    loc: list[str | int]
    msg: str
    type: str


class Error(BaseModel):
    """Every error body: a one-line message; on a 422, also each field that is wrong."""

    detail: str = Field(description="what went wrong, in one line")
    errors: list[FieldError] | None = Field(None, description="on a 422: each field that is wrong")


def field_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's or FastAPI's validation errors as ``FieldError`` dicts."""
    return [{"loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in errors]


def summary(errors: list[dict[str, Any]]) -> str:
    """The field errors in one line: ``query.until: must be a date …; query.limit: …``."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" if e["loc"] else e["msg"]
                     for e in errors) or "invalid request"


def invalid(errors: Iterable[dict[str, Any]]) -> JSONResponse:
    """The 422 for a request whose parameters or body are not what the schema says."""
    listed = field_errors(errors)
    return JSONResponse({"detail": summary(listed), "errors": listed}, status_code=422)
