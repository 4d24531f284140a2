"""The server-rendered pages: claims, one claim, articles, one article, sources, one source.

Templates are Jinja2 with autoescape on for every template (HTML and the inline SVG alike); no
value reaches a page unescaped, and links go out only to http(s) addresses. The pages need no
JavaScript: filters are plain GET forms, charts are SVG drawn on the server.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from claimledger.api.routes import MAX_ID, MIN_ID, StoreId
from claimledger.records import CLAIM_STATUSES, SIDES
from claimledger.store import queries
from claimledger.store.queries import Filters
from claimledger.web import charts, highlight

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 25
STATUS_SYMBOLS = {"asserted only": "▲", "disputed": "⇅", "denied only": "▼", "unconfirmed": "?"}
STANCE_WORDS = {"support": "supports", "deny": "denies", "neutral": "neutral"}
STANCE_SYMBOLS = {"support": "▲", "deny": "▼", "neutral": "◆"}
GROUPINGS = {"affiliation": "affiliation", "country": "country"}

router = APIRouter(include_in_schema=False)


def safe_href(url: Any) -> str | None:
    """``url`` if it is an http(s) address, else None: no javascript:, data: or relative tricks from article data."""
    if not isinstance(url, str):
        return None
    stripped = url.strip()
    if stripped.lower().startswith(("http://", "https://")) and not any(c in stripped for c in "\r\n\t\x00 "):
        return stripped
    return None


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["safe_href"] = safe_href
    env.globals.update(STATUS_SYMBOLS=STATUS_SYMBOLS, STANCE_WORDS=STANCE_WORDS, STANCE_SYMBOLS=STANCE_SYMBOLS,
                       STATUSES=CLAIM_STATUSES)
    return env


ENV = _environment()


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    html = ENV.get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    titles = {404: "Not found", 422: "Bad request", 405: "Method not allowed", 413: "Too large"}
    return render(request, "error.html", {"status": status, "title": titles.get(status, "Error"), "detail": detail,
                                          "nav": None}, status=status)


class PageInputError(ValueError):
    pass


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PageInputError(f"{name}: not a date (YYYY-MM-DD): {value[:40]}") from None


def _pager(request: Request, page: int, total: int, params: dict[str, Any]) -> dict[str, Any]:
    pages = max(1, -(-total // PAGE_SIZE))
    keep = {k: v for k, v in params.items() if v not in (None, "")}

    def href(n: int) -> str:
        return request.url.path + "?" + urlencode({**keep, "page": n})

    return {"page": page, "pages": pages, "total": total,
            "prev": href(page - 1) if page > 1 else None, "next": href(page + 1) if page < pages else None}


def _connection(request: Request):
    return request.app.state.engine.connect()


# --- claims ---------------------------------------------------------------------------------


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    q: str = Query("", max_length=500),
    status: str = Query("", max_length=40),
    outlet: str = Query("", max_length=500),
    since: str = Query("", max_length=40),
    until: str = Query("", max_length=40),
    page: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    try:
        filters = Filters(search=q or None, status=status or None, outlet=outlet or None,
                          since=_date(since, "since"), until=_date(until, "until"))
        if status and status not in STATUS_SYMBOLS:
            raise PageInputError(f"status: not one of {', '.join(STATUS_SYMBOLS)}")
    except PageInputError as error:
        return error_page(request, 422, str(error))
    with _connection(request) as connection:
        total = queries.count_claims(connection, filters)
        rows = queries.list_claims(connection, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        outlet_names = queries.outlets(connection)
    items = [
        {"claim": row, "bar": charts.stance_bar(len(row.support), len(row.deny), len(row.neutral))}
        for row in rows
    ]
    params = {"q": q, "status": status, "outlet": outlet, "since": since, "until": until}
    return render(request, "claims.html", {
        "nav": "claims", "items": items, "params": params, "outlets": outlet_names,
        "paging": _pager(request, page, total, params),
    })


def stance_matrix(ledger: Any, group_by: str) -> list[dict[str, Any]]:
    """Sources × stance, grouped by affiliation or country: statement counts per stance and each source's side."""
    claim = ledger.claim
    rows: dict[int, dict[str, Any]] = {}
    for stance in SIDES:
        for side in getattr(claim, stance):
            rows[side.source_id] = {
                "source_id": side.source_id, "name": side.name, "role": side.role,
                "affiliation": side.affiliation, "country": side.country, "anonymous": side.anonymous,
                "outlets": side.outlets, "side": stance, "counts": dict.fromkeys(SIDES, 0),
            }
    for statement in ledger.statements:
        if statement.source_id is None:
            continue
        row = rows.setdefault(statement.source_id, {
            "source_id": statement.source_id, "name": statement.source_name or "unnamed source", "role": None,
            "affiliation": None, "country": None, "anonymous": False, "outlets": [], "side": None,
            "counts": dict.fromkeys(SIDES, 0),
        })
        if statement.stance in row["counts"]:
            row["counts"][statement.stance] += 1
    unknown = "No affiliation given" if group_by == "affiliation" else "No country given"
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows.values():
        groups.setdefault(row.get(group_by) or unknown, []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == unknown, item[0].lower()))
    return [
        {"name": name, "rows": sorted(members, key=lambda r: r["name"].lower()),
         "totals": {s: sum(r["counts"][s] for r in members) for s in SIDES}}
        for name, members in ordered
    ]


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: StoreId, group: str = Query("affiliation", max_length=20)) -> HTMLResponse:
    group_by = GROUPINGS.get(group, "affiliation")
    with _connection(request) as connection:
        ledger = queries.get_claim(connection, claim_id)
    names = {s.source_id: s.name for s in ledger.claim.support + ledger.claim.deny + ledger.claim.neutral}
    names.update({s.source_id: s.source_name for s in ledger.statements if s.source_id is not None and s.source_name})
    titles = {s.article_id: s.article_title or s.article_name or f"article {s.article_id}" for s in ledger.statements}
    conflicts = [
        {"kind": c.kind, "detail": c.detail,
         "sources": [{"id": i, "name": names.get(i, f"source {i}")} for i in c.source_ids],
         "articles": [{"id": i, "title": titles.get(i, f"article {i}")} for i in c.article_ids]}
        for c in ledger.conflicts
    ]
    return render(request, "claim.html", {
        "nav": "claims", "ledger": ledger, "claim": ledger.claim, "group_by": group_by,
        "matrix": stance_matrix(ledger, group_by), "timeline": charts.timeline(ledger.statements),
        "conflicts": conflicts,
        "counts": {"support": len(ledger.claim.support), "deny": len(ledger.claim.deny),
                   "neutral": len(ledger.claim.neutral)},
    })


# --- articles -------------------------------------------------------------------------------


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    q: str = Query("", max_length=500),
    outlet: str = Query("", max_length=500),
    since: str = Query("", max_length=40),
    until: str = Query("", max_length=40),
    page: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    try:
        filters = Filters(search=q or None, outlet=outlet or None, since=_date(since, "since"),
                                 until=_date(until, "until"))
    except PageInputError as error:
        return error_page(request, 422, str(error))
    with _connection(request) as connection:
        total = queries.count_articles(connection, filters)
        items = queries.list_articles(connection, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        outlet_names = queries.outlets(connection)
    params = {"q": q, "outlet": outlet, "since": since, "until": until}
    return render(request, "articles.html", {
        "nav": "articles", "items": items, "params": params, "outlets": outlet_names,
        "paging": _pager(request, page, total, params),
    })


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: StoreId, claim: int | None = Query(None, ge=MIN_ID, le=MAX_ID)) -> HTMLResponse:
    with _connection(request) as connection:
        article = queries.get_article(connection, article_id)
    claim_ids = [c["claim_id"] for c in article["claims"]]
    if claim not in claim_ids:
        counts = {cid: sum(1 for a in article["attributions"] for s in a["stances"]
                           if s["claim_id"] == cid and s["stance"] != "neutral") for cid in claim_ids}
        claim = max(claim_ids, key=lambda cid: (counts[cid], -claim_ids.index(cid))) if claim_ids else None
    selected = next((c for c in article["claims"] if c["claim_id"] == claim), None)
    # two local sources of one article can be one source of the store: list it once
    panel = list({s["source_id"]: s for s in article["sources"]}.values())
    return render(request, "article.html", {
        "nav": "articles", "article": article, "selected": selected, "panel_sources": panel,
        "pieces": highlight.pieces(article["text"], article["attributions"], claim),
        "stance_of": lambda attribution: highlight.stance_toward(attribution, claim),
    })


# --- sources --------------------------------------------------------------------------------


@router.get("/sources", response_class=HTMLResponse)
def sources_page(
    request: Request,
    q: str = Query("", max_length=500),
    stance: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    if stance and stance not in STANCE_WORDS:
        return error_page(request, 422, "stance: not one of support, deny, neutral")
    filters = Filters(search=q or None, stance=stance or None)
    with _connection(request) as connection:
        total = queries.count_sources(connection, filters)
        items = queries.list_sources(connection, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    params = {"q": q, "stance": stance}
    return render(request, "sources.html", {
        "nav": "sources", "items": items, "params": params, "paging": _pager(request, page, total, params),
    })


@router.get("/outlets/{outlet:path}", response_class=HTMLResponse)
def outlet_page(request: Request, outlet: str) -> HTMLResponse:
    from claimledger.store.records import outlet_record

    with _connection(request) as connection:
        record = outlet_record(connection, outlet)
    return render(request, "outlet.html", {"nav": "claims", "record": record})


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: StoreId) -> HTMLResponse:
    with _connection(request) as connection:
        source = queries.get_source(connection, source_id)
    return render(request, "source.html", {"nav": "sources", "source": source})
