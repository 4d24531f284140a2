"""The REST API (claimledger.api) over a store built with the real ingest: every endpoint, and 401/403/404/413/422."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from claimledger.api import create_app
from web_fixtures import FOLLOW_UPS, HOSTILE, client, ingested_store, store  # noqa: F401 (fixtures)

TOKEN = "test-token-0123456789"


@pytest.fixture()
def writable(store, tmp_path):
    """A client with a token, over a copy of the store (so writes do not leak into other tests)."""
    copy = tmp_path / "copy.db"
    shutil.copy(store, copy)
    with TestClient(create_app(str(copy), token=TOKEN, max_body_bytes=64 * 1024)) as c:
        yield c


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claim_id(client, text: str) -> int:
    items = client.get("/api/claims", params={"search": text}).json()["items"]
    assert items, f"no claim matching {text!r}"
    return items[0]["id"]


# --- reads ----------------------------------------------------------------------------------


def test_root_counts_what_the_store_holds(client):
    body = client.get("/api").json()
    assert body["totals"]["articles"] == 7 - (0 if _has_seed(client) else 1)
    assert body["totals"]["claims"] >= 9 and body["totals"]["statements"] > 50


def _has_seed(client) -> bool:
    return client.get("/api/articles", params={"outlet": "hngn.com"}).json()["total"] == 1


def test_claims_list_pages_and_counts(client):
    first = client.get("/api/claims", params={"limit": 3}).json()
    assert first["limit"] == 3 and first["offset"] == 0 and len(first["items"]) == 3
    second = client.get("/api/claims", params={"limit": 3, "offset": 3}).json()
    assert second["total"] == first["total"]
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    item = first["items"][0]
    assert set(item) >= {"id", "text", "status", "support", "deny", "neutral", "counts", "articles", "first_seen"}
    assert item["counts"]["support"] == len(item["support"])


def test_claims_filters(client):
    dam = client.get("/api/claims", params={"search": "Selna dam was deliberately"}).json()
    assert dam["total"] == 1 and dam["items"][0]["status"] == "disputed"
    assert dam["items"][0]["articles"] >= 3  # the example, both follow-ups (and the hostile article)
    disputed = client.get("/api/claims", params={"status": "disputed", "limit": 200}).json()
    assert disputed["items"] and all(i["status"] == "disputed" for i in disputed["items"])
    medwire = client.get("/api/claims", params={"outlet": "medwire daily", "limit": 200}).json()
    assert medwire["total"] >= 3 and all("Selna" not in i["text"] for i in medwire["items"])
    june = client.get("/api/claims", params={"since": "2026-06-01", "until": "2026-06-30", "limit": 200}).json()
    assert june["total"] >= 3 and all(i["last_seen"] >= "2026-06-01" for i in june["items"])
    assert client.get("/api/claims", params={"since": "2030-01-01"}).json()["total"] == 0
    denied = client.get("/api/claims", params={"stance": "deny", "limit": 200}).json()
    assert denied["items"] and all(i["deny"] for i in denied["items"])
    assert client.get("/api/claims", params={"stance": "angry"}).status_code == 422


@pytest.mark.parametrize("params", [
    {"status": "maybe"}, {"limit": 0}, {"limit": 1000}, {"offset": -1}, {"since": "yesterday"}, {"until": "2026-13-01"},
])
def test_claims_bad_parameters_are_422(client, params):
    response = client.get("/api/claims", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] in params


def test_one_claim_with_its_ledger(client):
    cid = claim_id(client, "Selna dam was deliberately")
    ledger = client.get(f"/api/claims/{cid}").json()
    assert ledger["claim"]["id"] == cid and ledger["claim"]["counts"]["support"] >= 1
    statements = ledger["statements"]
    assert statements and [s["published"] for s in statements] == sorted(s["published"] for s in statements)
    assert {s["stance"] for s in statements} >= {"support", "deny"}
    assert any(c["kind"] == "fact" for c in ledger["conflicts"])
    first = statements[0]
    assert {"outlet", "evidence", "times", "start", "end", "article_id", "attribution_id"} <= set(first)


def test_unknown_ids_are_404(client):
    for path in ("/api/claims/99999", "/api/articles/99999", "/api/sources/99999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "no such" in response.json()["detail"]
    assert client.get("/api/claims/abc").status_code == 422
    assert client.get("/api/nothing-here").status_code == 404


def test_articles_list_search_and_filters(client):
    everything = client.get("/api/articles").json()
    dates = [a["published"] for a in everything["items"]]
    assert dates == sorted(dates, reverse=True)
    found = client.get("/api/articles", params={"search": "spillway"}).json()
    assert {a["title"] for a in found["items"]} >= {FOLLOW_UPS[0]["title"]}
    wire = client.get("/api/articles", params={"outlet": "Danube Wire"}).json()
    assert wire["total"] == 2 and all(a["outlet"] == "Danube Wire" for a in wire["items"])
    window = client.get("/api/articles", params={"since": "2026-06-05", "until": "2026-06-10"}).json()
    assert {a["published"] for a in window["items"]} == {"2026-06-09", "2026-06-10"}
    literal = client.get("/api/articles", params={"search": "100%_"}).json()
    assert literal["total"] == 0  # % and _ are taken literally, not as wildcards
    assert client.get("/api/articles", params={"since": "soon"}).status_code == 422


def test_one_article_with_attributions_and_offsets(client):
    aid = client.get("/api/articles", params={"search": "spillway"}).json()["items"][0]["id"]
    article = client.get(f"/api/articles/{aid}").json()
    text = article["text"]
    assert article["attributions"] and article["sources"] and article["claims"]
    for a in article["attributions"]:
        assert text[a["start"]:a["end"]] == a["content"]
        if a["source_start"] is not None:
            assert text[a["source_start"]:a["source_end"]] == a["source_text"]
    names = {s["name"] for s in article["sources"]}
    assert any("Stal" in n for n in names) and any("Voss" in n for n in names)
    assert any(s["stance"] == "deny" for a in article["attributions"] for s in a["stances"])


def test_sources_list_filters_and_one_source(client):
    listing = client.get("/api/sources", params={"search": "Voss"}).json()
    assert listing["total"] == 1
    voss = listing["items"][0]
    assert voss["statements"] >= 3 and voss["articles"] >= 2
    detail = client.get(f"/api/sources/{voss['id']}").json()
    assert len(detail["statements"]) == voss["statements"]
    assert {s["article_id"] for s in detail["statements"]} == {a["article_id"] for a in detail["articles"]}
    assert any(c["stances"]["support"] for c in detail["claims"])
    cid = claim_id(client, "Selna dam was deliberately")
    deniers = client.get("/api/sources", params={"stance": "deny", "claim": cid}).json()["items"]
    assert deniers and all(s["id"] != voss["id"] for s in deniers)
    by_outlet = client.get("/api/sources", params={"outlet": "Northern Courier"}).json()["items"]
    assert {s["id"] for s in by_outlet} >= {voss["id"]}
    assert client.get("/api/sources", params={"stance": "angry"}).status_code == 422


def test_statements_filtered_by_claim_and_stance(client):
    cid = claim_id(client, "Selna dam was deliberately")
    denials = client.get("/api/statements", params={"claim": cid, "stance": "deny"}).json()
    assert denials["total"] >= 1
    for item in denials["items"]:
        assert any(s["claim_id"] == cid and s["stance"] == "deny" for s in item["stances"])
    june = client.get("/api/statements", params={"since": "2026-06-09", "until": "2026-06-09"}).json()
    assert june["total"] >= 3 and {i["published"] for i in june["items"]} == {"2026-06-09"}


def test_openapi_and_docs_list_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert paths >= {"/api/claims", "/api/claims/{claim_id}", "/api/articles", "/api/articles/{article_id}",
                     "/api/sources", "/api/sources/{source_id}", "/api/statements"}
    assert "post" in schema["paths"]["/api/articles"]
    assert "text" in json.dumps(schema["paths"]["/api/articles"]["post"]["requestBody"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/claims/{claim_id}" in docs.text and "<script" not in docs.text


def test_security_headers_on_api_responses(client):
    for path in ("/api/claims", "/api/claims/99999", "/openapi.json"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_host_header_is_checked_when_asked(store):
    with TestClient(create_app(str(store), allowed_hosts={"127.0.0.1", "localhost"}), base_url="http://127.0.0.1") as c:
        assert c.get("/api").status_code == 200
        assert c.get("/api", headers={"Host": "attacker.example"}).status_code == 400


# --- writes ---------------------------------------------------------------------------------


ARTICLE = {
    "title": "Ferry operator blames fog for collision",
    "outlet": "Harbour Times",
    "published": "2026-07-01",
    "url": "https://example.org/ferry",
    "text": ("The operator of the Kessling ferry, Lund Lines, said on Tuesday that thick fog caused the collision. "
             "\"Our crew followed every rule,\" the company's director, Anja Berg, told reporters. "
             "The harbour master, Tomas Ek, said the ferry had been sailing too fast for the conditions."),
}


def test_writes_refused_without_a_configured_token(client):
    response = client.post("/api/articles", json=ARTICLE, headers=auth())
    assert response.status_code == 403
    assert "token" in response.json()["detail"]


@pytest.mark.parametrize("headers", [{}, auth("wrong-token-000000"), {"Authorization": TOKEN},
                                     {"Authorization": "Basic " + TOKEN}, {"Authorization": "Bearer "}])
def test_wrong_or_missing_token_is_401(writable, headers):
    response = writable.post("/api/articles", json=ARTICLE, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_post_article_stores_it_then_knows_it(writable):
    before = writable.get("/api").json()["totals"]["articles"]
    response = writable.post("/api/articles", json=ARTICLE, headers=auth())
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/articles/{body['article_id']}"
    article = writable.get(body["links"]["api"]).json()
    assert article["title"] == ARTICLE["title"] and article["outlet"] == "Harbour Times"
    assert article["published"] == "2026-07-01" and article["attributions"]
    assert writable.get("/api").json()["totals"]["articles"] == before + 1
    again = writable.post("/api/articles", json=ARTICLE, headers=auth())
    assert again.status_code == 200 and again.json() == {**body, "duplicate": True}
    assert writable.get(body["links"]["page"]).status_code == 200


def test_post_html_article(writable):
    html = ("<html><head><title>Fog report</title></head><body><article><h1>Fog report</h1><p>"
            + ARTICLE["text"].replace("Tuesday", "Wednesday") + "</p></article></body></html>")
    response = writable.post("/api/articles", json={"html": html, "outlet": "Harbour Times"}, headers=auth())
    assert response.status_code == 201, response.text
    article = writable.get(response.json()["links"]["api"]).json()
    assert "<p>" not in article["text"] and "Wednesday" in article["text"]


@pytest.mark.parametrize("payload", [
    {},
    {"title": "no text"},
    {"text": "both", "html": "<p>both</p>"},
    {"text": 42},
    {**ARTICLE, "published": "last Tuesday"},
    {**ARTICLE, "url": "javascript:alert(1)"},
    {"text": "   "},
    {"text": "Der Bürgermeister sagte am Dienstag, dass die Brücke nächste Woche wieder geöffnet werde, "
             "und die Polizei erklärte, es habe keine Verletzten gegeben."},
])
def test_bad_article_bodies_are_422(writable, payload):
    response = writable.post("/api/articles", json=payload, headers=auth())
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_body_that_is_not_json_is_422(writable):
    response = writable.post("/api/articles", content=b"{not json", headers={**auth(), "Content-Type": "application/json"})
    assert response.status_code == 422


def test_body_over_the_limit_is_413_by_content_length(writable):
    big = {**ARTICLE, "text": ARTICLE["text"] + " x" * 40_000}
    response = writable.post("/api/articles", json=big, headers=auth())
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_body_over_the_limit_is_413_when_streamed_without_length(writable):
    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"a" * 1024
        yield b'"}'

    response = writable.post("/api/articles", content=chunks(), headers=auth())
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


def test_body_over_the_limit_is_413_even_without_a_token(writable):
    response = writable.post("/api/articles", content=b"x" * (65 * 1024))
    assert response.status_code == 413


def test_hostile_fields_come_back_as_data(client):
    article = client.get("/api/articles", params={"search": "Petr Halm"}).json()["items"][0]
    assert article["title"] == HOSTILE["title"] and article["url"] == HOSTILE["url"]


# --- the serve command ------------------------------------------------------------------------


def test_serve_refuses_bad_options_in_one_line(tmp_path, capsys):
    from claimledger.cli import main

    assert main(["serve", "--db", str(tmp_path / "missing.db")]) != 0
    assert main(["serve", "--db", str(ingested_store()), "--port", "0"]) != 0
    assert main(["serve", "--db", str(ingested_store()), "--token", "short"]) != 0
    assert main(["serve", "--db", str(ingested_store()), "--max-body-mb", "-1"]) != 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 4 and all(line.startswith("claimledger: error: ") for line in lines)
    assert "no such store" in lines[0] and "--token" in lines[2]


def test_loopback_hosts():
    from claimledger.cli.serve_cmd import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "example.org", "::"))


# --- integers past 64 bits, and errors that are nobody's fault but ours ---------------------------

HUGE = str(2**63)
SECURITY_HEADER_NAMES = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")


@pytest.mark.parametrize("path", [
    f"/api/claims/{HUGE}", f"/api/articles/{HUGE}", f"/api/sources/{HUGE}", f"/api/claims/-{HUGE}1",
    f"/api/claims?offset={HUGE}", f"/api/sources?claim={HUGE}", f"/api/statements?claim={HUGE}",
    f"/api/statements?source={HUGE}", f"/api/articles?offset={HUGE}", f"/api/sources?offset={HUGE}",
    f"/api/statements?offset={HUGE}",
])
def test_integers_past_64_bits_are_422_json_with_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 422, (path, response.status_code, response.text[:200])
    assert response.json()["detail"]
    assert all(name in response.headers for name in SECURITY_HEADER_NAMES)


@pytest.mark.parametrize("path", [f"/claims/{HUGE}", f"/articles/{HUGE}", f"/sources/{HUGE}", f"/articles/1?claim={HUGE}"])
def test_integers_past_64_bits_on_pages_are_an_error_page(client, path):
    response = client.get(path)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert all(name in response.headers for name in SECURITY_HEADER_NAMES)


def test_an_unexpected_error_is_a_500_in_json_or_html_with_the_security_headers(store, monkeypatch):
    from claimledger.store import queries

    def broken(*_args, **_kwargs):
        raise RuntimeError("the store went away")

    monkeypatch.setattr(queries, "totals", broken)
    monkeypatch.setattr(queries, "count_articles", broken)
    with TestClient(create_app(str(store))) as fresh:
        api = fresh.get("/api")
        page = fresh.get("/articles")
    assert api.status_code == 500 and api.json() == {"detail": "internal error: the server could not answer this request"}
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "the store went away" not in page.text + api.text
    for response in (api, page):
        assert all(name in response.headers for name in SECURITY_HEADER_NAMES)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_article_bodies_that_are_not_declared_json_are_415(writable, content_type):
    before = writable.get("/api").json()["totals"]["articles"]
    headers = {**auth(), **({"Content-Type": content_type} if content_type else {})}
    response = writable.post("/api/articles", content=json.dumps(ARTICLE).encode(), headers=headers)
    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["detail"]
    assert writable.get("/api").json()["totals"]["articles"] == before


@pytest.mark.parametrize("path", ["/api/claims", "/api/articles/1", "/claims", "/static/style.css"])
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    assert all(name in head.headers for name in SECURITY_HEADER_NAMES)


def test_options_lists_the_methods_of_a_path(client):
    response = client.options("/api/claims")
    assert response.status_code == 204 and response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert all(name in response.headers for name in SECURITY_HEADER_NAMES)
    assert client.options("/api/articles").headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert client.options("/api/nothing-here").status_code == 404


def test_openapi_declares_the_bearer_scheme_on_writes_only(client):
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer",
        "description": "the token `claimledger serve` was started with (--token or CLAIMLEDGER_TOKEN)"}
    assert schema["paths"]["/api/articles"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in schema["paths"]["/api/articles"]["get"]
    assert "415" in schema["paths"]["/api/articles"]["post"]["responses"]


@pytest.mark.parametrize("path", ["/api/claims", "/api/articles", "/api/sources", "/api/statements"])
@pytest.mark.parametrize("value", ["0", "1700000000", "2026-7-1", "20260701"])
def test_dates_must_be_written_as_days(client, path, value):
    response = client.get(path, params={"until": value})
    assert response.status_code == 422, (path, value)
    assert response.json()["errors"][0]["loc"][-1] == "until" and "until" in response.json()["detail"]
    assert client.get(path, params={"since": "2026-07-01", "until": "2026-07-31"}).status_code == 200


def test_post_body_schema_says_what_the_server_enforces(client):
    body = client.get("/openapi.json").json()["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    assert {tuple(option["required"]) for option in schema["oneOf"]} == {("text",), ("html",)}
    assert schema["properties"]["text"]["anyOf"][0]["minLength"] == 1
    assert schema["properties"]["html"]["anyOf"][0]["minLength"] == 1


def test_empty_text_is_422(writable):
    response = writable.post("/api/articles", json={"text": ""}, headers=auth())
    assert response.status_code == 422


def test_openapi_declares_response_and_error_models(client):
    schema = client.get("/openapi.json").json()
    paths, models = schema["paths"], schema["components"]["schemas"]
    assert "detail" in models["Error"]["properties"]
    for path, page, item in (("/api/claims", "ClaimPage", "ClaimItem"), ("/api/articles", "ArticlePage", "ArticleItem"),
                             ("/api/sources", "SourcePage", "SourceItem"),
                             ("/api/statements", "StatementPage", "StatementItem")):
        assert set(models[page]["properties"]) == {"total", "limit", "offset", "items"}
        assert models[page]["properties"]["items"]["items"] == {"$ref": f"#/components/schemas/{item}"}
        responses = paths[path]["get"]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{page}"}
        assert responses["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    for path in ("/api/claims/{claim_id}", "/api/articles/{article_id}", "/api/sources/{source_id}"):
        assert paths[path]["get"]["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}
    post = paths["/api/articles"]["post"]["responses"]
    assert post["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Stored"}
    assert all(post[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
               for code in ("401", "403", "413", "415", "422"))


def test_one_error_shape_declared_everywhere(client):
    """Every error is {"detail": str} (a 422 adds the field errors), and every API operation declares it, 500 too."""
    bad = client.get("/api/claims", params={"limit": 0}).json()
    assert isinstance(bad["detail"], str) and "limit" in bad["detail"]
    assert bad["errors"][0]["loc"] == ["query", "limit"] and set(bad["errors"][0]) == {"loc", "msg", "type"}
    assert set(client.get("/api/claims/999999").json()) == {"detail"}
    schema = client.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert "500" in operation["responses"], (method, path)
            assert "200" in operation["responses"] or "201" in operation["responses"]
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, (method, path, status)
                else:
                    assert response["content"]["application/json"]["schema"] != {}, (method, path, status)
