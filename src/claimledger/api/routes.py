"""The REST API under /api: claims, articles, sources and statements to read; articles to add (with the token).

Lists answer ``{"total", "limit", "offset", "items"}``; unknown ids are 404, bad parameters 422.
Reads are open (the server binds to loopback unless told otherwise); ``POST /api/articles`` needs
``Authorization: Bearer TOKEN`` with the token the server was started with, and is refused outright
when it was started without one.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from claimledger.api.errors import Error, invalid
from claimledger.api.security import token_matches
from claimledger.errors import ClaimledgerError, UnknownIdError
from claimledger.records import ClaimStatus, CueClass, EvidenceKind, Side, Verdict
from claimledger.store import queries
from claimledger.store.queries import Filters

# Any operation can fail unexpectedly: a 500 is JSON in the one error shape (app.UnexpectedErrors).
router = APIRouter(prefix="/api", responses={500: {"model": Error, "description": "the server could not answer"}})
# Declares the bearer scheme in the OpenAPI schema (generated clients send the token); the check
# itself is post_article's, which answers 403 when writes are off and 401 for a missing or wrong token.
BEARER = HTTPBearer(scheme_name="bearer", auto_error=False,
                    description="the token `claimledger serve` was started with (--token or CLAIMLEDGER_TOKEN)")

Stance = Side  # the API filters by the side a source takes
Status = ClaimStatus
MAX_PAGE = 200
# Ids and offsets end up in SQL; SQLite's integers are 64-bit signed (a larger one was a 500).
MIN_ID, MAX_ID = -(2**63), 2**63 - 1
MAX_OFFSET = 2**62
# Links must be web addresses (never javascript: or data:), in any case; the schema says so (ECMA regex).
HTTP_URL = r"^[hH][tT][tT][pP][sS]?://"
# Some character that is not whitespace (as Python's str.split() counts it): the store keeps names
# with their spaces collapsed, so a name of spaces alone is no name.
NOT_ONLY_SPACE = r"[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
StoreId = Annotated[int, Path(ge=MIN_ID, le=MAX_ID)]


def _iso_day(value: Any) -> Any:
    """Only a YYYY-MM-DD day: pydantic alone would read until=0 as 1970-01-01 (a Unix time)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date of the form YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_day)]


class ArticleIn(BaseModel):
    """An article to analyze and store: the fields of an ingest JSON Lines record."""

    # the schema says what the server enforces: exactly one of text or html, neither empty
    model_config = ConfigDict(extra="ignore", json_schema_extra={
        "oneOf": [{"required": ["text"], "not": {"required": ["html"]}},
                  {"required": ["html"], "not": {"required": ["text"]}}]})

    text: str | None = Field(None, min_length=1, description="the article as plain text or Markdown")
    html: str | None = Field(None, min_length=1, description="the article as a web page")
    title: str | None = None
    url: str | None = Field(None, pattern=HTTP_URL, description="an http:// or https:// address")
    outlet: str | None = None
    published: date | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _one_body(self) -> "ArticleIn":
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        return self


class Page(BaseModel):
    """A page of a list: how many match in all, and this page's items."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class _Open(BaseModel):
    """A response whose named fields are typed; fields added later still come through."""

    model_config = ConfigDict(extra="allow")


class ClaimItem(_Open):
    """A claim of the list: its text and status, who supports, denies or is neutral, counts, articles."""

    id: int
    text: str
    status: Status
    origin: str | None
    first_seen: str | None
    last_seen: str | None
    support: list[dict[str, Any]]
    deny: list[dict[str, Any]]
    neutral: list[dict[str, Any]]
    estimate: dict[str, Any] | None
    resolution: dict[str, Any] | None
    articles: int
    counts: dict[str, int]


class _ArticleFields(_Open):
    id: int
    title: str | None
    name: str | None
    url: str | None
    outlet: str | None
    published: str | None


class ArticleItem(_ArticleFields):
    """An article of the list: title, outlet, date, length, how many statements and sources."""

    length: int | None
    statements: int
    sources: int


class SourceItem(_Open):
    """A source of the list: who it is, how many statements, in how many articles."""

    id: int
    name: str | None
    kind: str | None
    role: str | None
    affiliation: str | None
    country: str | None
    anonymous: bool | None
    statements: int
    articles: int


class StatementItem(_Open):
    """An attributed statement: who said it, in which article, with what cue, its offsets and stances."""

    attribution_id: int
    article_id: int
    article_title: str | None
    outlet: str | None
    published: str | None
    source_id: int | None
    source_name: str | None
    cue: str | None
    content: str
    start: int
    end: int
    direct: bool | None
    stances: list[dict[str, Any]]
    source_text: str | None
    medium: str | None
    sentence: str
    evidence: list[EvidenceKind]  # the fields in the order the JSON has them


class ClaimPage(Page):
    items: list[ClaimItem]  # type: ignore[assignment]


class ArticlePage(Page):
    items: list[ArticleItem]  # type: ignore[assignment]


class SourcePage(Page):
    items: list[SourceItem]  # type: ignore[assignment]


class StatementPage(Page):
    items: list[StatementItem]  # type: ignore[assignment]


class Stored(BaseModel):
    """The answer to a stored article: its id, whether it was already there, and where to read it."""

    article_id: int
    duplicate: bool
    links: dict[str, str]


class Root(_Open):
    """What the store holds (counts of articles, sources, claims, statements) and where to look."""

    totals: dict[str, int]
    endpoints: list[str]
    openapi: str
    docs: str


class ClaimLedger(_Open):
    """One claim's ledger: the claim, its statements in date order, conflicts, wordings, verdicts, merges."""

    claim: dict[str, Any]
    statements: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    wordings: list[str]
    resolutions: list[dict[str, Any]]
    merged: list[Any]
    merged_into: int | None
    balance: list[Any]
    changed: list[Any]


class ArticleAttribution(_Open):
    """One attribution of an article, with character offsets into its text (then its stances,
    evidence and times); the fields in the order the JSON has them."""

    id: int
    local_id: str
    source_id: int | None
    source_name: str | None
    source_text: str | None
    source_start: int | None
    source_end: int | None
    cue: str
    cue_class: CueClass
    negated_cue: bool
    cue_start: int | None
    cue_end: int | None
    content: str
    start: int
    end: int
    direct: bool
    quote: str
    medium: str | None
    anonymous: bool
    sentence: str


class ArticleDetail(_ArticleFields):
    """One article: its fields and text, its attributions with offsets, its sources and its claims."""

    text: str
    attributions: list[ArticleAttribution]
    sources: list[dict[str, Any]]
    claims: list[dict[str, Any]]


class SourceDetail(_Open):
    """One source: who it is, the articles quoting it, its claims, every statement and its record."""

    id: int
    name: str
    kind: str | None
    anonymous: bool
    articles: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    record: dict[str, Any]


class OutletRecord(_Open):
    """An outlet's record: the claims its articles carried, the side taken, how they turned out."""

    outlet: str
    claims: list[dict[str, Any]]


class Resolved(BaseModel):
    """A verdict recorded on a claim."""

    claim: int
    verdict: Verdict
    by: str
    at: str
    evidence: str | None
    note: str | None


WRITE_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": Error, "description": "no or wrong token"},
                403: {"model": Error, "description": "the server was started without a token"},
                413: {"model": Error, "description": "body over the limit"}}
LIST_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": Error, "description": "a bad parameter"}}
ONE_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Error, "description": "no such id in the store"},
              422: {"model": Error, "description": "a bad id"}}


def _page(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _connection(request: Request):
    return request.app.state.engine.connect()


def claim_item(summary: Any) -> dict[str, Any]:
    """A claim of the list: the CLI's JSON plus counts, origin and article count."""
    item = summary.to_dict()
    item["origin"] = summary.origin
    item["articles"] = summary.articles
    item["counts"] = {"support": len(summary.support), "deny": len(summary.deny), "neutral": len(summary.neutral)}
    return item


@router.get("", summary="What the store holds, and where to look", response_model=Root)
def api_root(request: Request) -> dict[str, Any]:
    with _connection(request) as connection:
        totals = queries.totals(connection)
    return {"totals": totals, "endpoints": ["/api/claims", "/api/articles", "/api/sources", "/api/statements"],
            "openapi": "/openapi.json", "docs": "/docs"}


@router.get("/claims", summary="List and search claims", response_model=ClaimPage, responses=LIST_ERRORS)
def list_claims(
    request: Request,
    search: str | None = Query(None, max_length=500, description="words in the claim text"),
    status: Status | None = Query(None, description="asserted only | disputed | denied only | unconfirmed"),
    stance: Stance | None = Query(None, description="only claims some source takes this stance on"),
    outlet: str | None = Query(None, max_length=500, description="only claims carried by this outlet"),
    since: IsoDate | None = Query(None, description="articles published on or after (YYYY-MM-DD)"),
    until: IsoDate | None = Query(None, description="articles published on or before (YYYY-MM-DD)"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    filters = Filters(search=search, status=status, stance=stance, outlet=outlet, since=since, until=until)
    with _connection(request) as connection:
        total = queries.count_claims(connection, filters)
        rows = queries.list_claims(connection, filters, limit=limit, offset=offset)
    return _page(total, limit, offset, [claim_item(row) for row in rows])


@router.get(
    "/claims/{claim_id}",
    summary="One claim with its ledger: sides, statements in date order, conflicts",
    response_model=ClaimLedger, responses=ONE_ERRORS,
)
def get_claim(request: Request, claim_id: StoreId) -> dict[str, Any]:
    with _connection(request) as connection:
        ledger = queries.get_claim(connection, claim_id)
    result = ledger.to_dict()
    result["claim"] = {**result["claim"], **{"counts": claim_item(ledger.claim)["counts"]}}
    return result


@router.get("/articles", summary="List and search articles", response_model=ArticlePage, responses=LIST_ERRORS)
def list_articles(
    request: Request,
    search: str | None = Query(None, max_length=500, description="words in the title or text"),
    outlet: str | None = Query(None, max_length=500),
    since: IsoDate | None = Query(None, description="published on or after (YYYY-MM-DD)"),
    until: IsoDate | None = Query(None, description="published on or before (YYYY-MM-DD)"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    filters = Filters(search=search, outlet=outlet, since=since, until=until)
    with _connection(request) as connection:
        total = queries.count_articles(connection, filters)
        items = queries.list_articles(connection, filters, limit=limit, offset=offset)
    return _page(total, limit, offset, items)


@router.get(
    "/articles/{article_id}",
    summary="One article: text, attributions with offsets, sources, claims",
    response_model=ArticleDetail, responses=ONE_ERRORS,
)
def get_article(request: Request, article_id: StoreId) -> dict[str, Any]:
    with _connection(request) as connection:
        return queries.get_article(connection, article_id)


@router.get("/sources", summary="List and search sources", response_model=SourcePage, responses=LIST_ERRORS)
def list_sources(
    request: Request,
    search: str | None = Query(None, max_length=500, description="words in the name, role, affiliation or country"),
    outlet: str | None = Query(None, max_length=500, description="sources quoted by this outlet"),
    since: IsoDate | None = Query(None),
    until: IsoDate | None = Query(None),
    stance: Stance | None = Query(None, description="sources taking this side on some claim (or on `claim`)"),
    claim: int | None = Query(None, ge=MIN_ID, le=MAX_ID, description="sources that spoke to this claim"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    filters = Filters(search=search, outlet=outlet, since=since, until=until, stance=stance, claim_id=claim)
    with _connection(request) as connection:
        total = queries.count_sources(connection, filters)
        items = queries.list_sources(connection, filters, limit=limit, offset=offset)
    return _page(total, limit, offset, items)


@router.get(
    "/sources/{source_id}",
    summary="One source with every statement it made, across articles",
    response_model=SourceDetail, responses=ONE_ERRORS,
)
def get_source(request: Request, source_id: StoreId) -> dict[str, Any]:
    with _connection(request) as connection:
        return queries.get_source(connection, source_id)


@router.get(
    "/statements",
    summary="List attributed statements, filtered by claim, stance, source, outlet, dates",
    response_model=StatementPage, responses=LIST_ERRORS,
)
def list_statements(
    request: Request,
    search: str | None = Query(None, max_length=500, description="words in the statement"),
    claim: int | None = Query(None, ge=MIN_ID, le=MAX_ID),
    stance: Stance | None = Query(None, description="statements with this stance (toward `claim` if given)"),
    source: int | None = Query(None, ge=MIN_ID, le=MAX_ID),
    outlet: str | None = Query(None, max_length=500),
    since: IsoDate | None = Query(None),
    until: IsoDate | None = Query(None),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    filters = Filters(search=search, outlet=outlet, since=since, until=until, stance=stance, claim_id=claim,
                      source_id=source)
    with _connection(request) as connection:
        total = queries.count_statements(connection, filters)
        items = queries.list_statements(connection, filters, limit=limit, offset=offset)
    return _page(total, limit, offset, items)


_ARTICLE_BODY = {
    "required": True,
    "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
}


@router.post(
    "/articles",
    status_code=201,
    summary="Analyze and store an article (needs Authorization: Bearer TOKEN)",
    openapi_extra={"requestBody": _ARTICLE_BODY},
    dependencies=[Security(BEARER)],
    response_model=Stored,
    responses={200: {"model": Stored, "description": "already in the store"}, **WRITE_ERRORS,
               415: {"model": Error, "description": "the body is not JSON"},
               422: {"model": Error, "description": "not a readable article"}},
)
async def post_article(request: Request) -> JSONResponse:
    token = request.app.state.token
    if not token:
        raise HTTPException(403, "writes are disabled: start the server with --token or CLAIMLEDGER_TOKEN")
    if not token_matches(request.headers.get("authorization"), token):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
    body = await request.body()  # first: a body over the limit is 413 whatever it claims to be
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        shown = media_type or "none"
        raise HTTPException(415, f"the body must be JSON (Content-Type: application/json), not '{shown}'")
    try:
        article = ArticleIn.model_validate_json(body)
    except ValidationError as error:
        return invalid([{**e, "loc": ("body", *e["loc"])} for e in error.errors()])
    try:
        outcome = await _store(request.app.state, article)
    except ClaimledgerError as error:  # not an article we can read: empty, binary, not English, bad date, too slow
        return JSONResponse({"detail": str(error)}, status_code=422)
    status = 200 if outcome.duplicate else 201
    return JSONResponse(
        {"article_id": outcome.article_id, "duplicate": outcome.duplicate,
         "links": {"api": f"/api/articles/{outcome.article_id}", "page": f"/articles/{outcome.article_id}"}},
        status_code=status,
        headers={"Location": f"/api/articles/{outcome.article_id}"},
    )


async def _store(app_state, article: ArticleIn):
    """Analyse and store one article: reading and writing in threads, the analysis in a worker process.

    The analysis (seconds to minutes of CPU) runs in the app's analysis process, so the event loop
    and its threads keep answering reads meanwhile; writes go one at a time (the store's
    registries are per writer).
    """
    from claimledger.ingest.batch import document_from_record
    from claimledger.services.analysis import failure
    from claimledger.services.ingest import known_or_registered, write_analyzed
    from claimledger.store.writer import StoreOutcome

    record = article.model_dump(mode="json", exclude_none=True)
    name = article.name or article.url or "POST /api/articles"
    document = await run_in_threadpool(document_from_record, record, name)
    known = await run_in_threadpool(known_or_registered, app_state.engine, document)
    if isinstance(known, StoreOutcome):
        return known
    result = await app_state.analysis.run(document, known)
    if isinstance(result, str):
        from claimledger.errors import InputError

        raise InputError(failure(document, result))

    def write() -> StoreOutcome:
        with app_state.write_lock:
            return write_analyzed(app_state.engine, result)

    return await run_in_threadpool(write)


class ResolutionIn(BaseModel):
    """A verdict on a claim: the body of POST /api/claims/{id}/resolution."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    by: str = Field(min_length=1, max_length=200, pattern=NOT_ONLY_SPACE, description="who decided (not only spaces)")
    evidence: str | None = Field(None, max_length=2000, pattern=HTTP_URL, description="an http:// or https:// address")
    note: str | None = Field(None, max_length=5000)


def _token_required(request: Request) -> None:
    """Writes need the server's bearer token (checked before the body is read)."""
    token = request.app.state.token
    if not token:
        raise HTTPException(403, "writes are disabled: start the server with --token or CLAIMLEDGER_TOKEN")
    if not token_matches(request.headers.get("authorization"), token):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


@router.post(
    "/claims/{claim_id}/resolution",
    status_code=201,
    dependencies=[Security(BEARER)],
    summary="Record a dated verdict on a claim (needs Authorization: Bearer TOKEN)",
    response_model=Resolved,
    responses={**WRITE_ERRORS, 400: {"model": Error, "description": "the body could not be read (not UTF-8 JSON)"},
               404: {"model": Error, "description": "no such claim"},
               422: {"model": Error, "description": "not a verdict, or a bad id"}},
)
def post_resolution(request: Request, claim_id: StoreId, resolution: ResolutionIn,
                    _writer: None = Depends(_token_required)) -> JSONResponse:
    from claimledger.services.decisions import resolve_claim

    try:
        with request.app.state.write_lock:
            done = resolve_claim(request.app.state.engine, claim_id, resolution.verdict, by=resolution.by,
                                 evidence=resolution.evidence, note=resolution.note)
    except ClaimledgerError as error:
        if isinstance(error, UnknownIdError):
            raise
        return JSONResponse({"detail": str(error)}, status_code=422)
    return JSONResponse({"claim": claim_id, **done.to_dict()}, status_code=201,
                        headers={"Location": f"/api/claims/{claim_id}"})


@router.get("/outlets/{outlet:path}", summary="An outlet's record: the claims its articles carried, their sides and verdicts",
            response_model=OutletRecord,
            responses={404: {"model": Error, "description": "no article of the store comes from this outlet"},
                       422: {"model": Error, "description": "a bad outlet name"}})
def get_outlet(request: Request, outlet: str) -> dict[str, Any]:
    from claimledger.store.records import outlet_record

    with _connection(request) as connection:
        return outlet_record(connection, outlet)
