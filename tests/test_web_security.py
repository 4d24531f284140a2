"""Untrusted article text stays text: hostile titles, outlets, URLs and quotes never execute, in markup or in Chromium.

The store holds an article (see web_fixtures.HOSTILE) whose every field carries `<script>`,
`"><img onerror=…>`, `<svg onload=…>` or `javascript:` payloads. The pages are checked twice: their
HTML has no live element or attribute from the payloads, and a real browser that opens them sees
no dialog, no injected element and no javascript: link. Every response carries the strict CSP.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from claimledger.api import create_app
from claimledger.api.security import CONTENT_SECURITY_POLICY
from web_fixtures import HOSTILE, browser, client, running_server, store  # noqa: F401 (fixtures)

TOKEN = "security-token-0123456789"


def hostile_paths(client) -> list[str]:
    article = client.get("/api/articles", params={"search": "Petr Halm"}).json()["items"][0]
    detail = client.get(f"/api/articles/{article['id']}").json()
    claim_ids = {s["claim_id"] for a in detail["attributions"] for s in a["stances"]} | {c["claim_id"] for c in detail["claims"]}
    source_ids = {s["source_id"] for s in detail["sources"]}
    return (["/claims", "/articles", "/sources", f"/articles/{article['id']}", "/claims?q=%3Cscript%3E",
             "/articles?q=%3Cscript%3Ealert(1)%3C/script%3E", "/sources?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"]
            + [f"/claims/{cid}" for cid in sorted(claim_ids)] + [f"/sources/{sid}" for sid in sorted(source_ids)]
            + [f"/articles/{article['id']}?claim={cid}" for cid in sorted(claim_ids)])


def test_hostile_values_are_escaped_in_every_page(client):
    paths = hostile_paths(client)
    assert len(paths) >= 10
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text.lower()
        assert "<script" not in html, path
        assert "<img" not in html and "<svg onload" not in html, path
        assert "<iframe" not in html and " onload=" not in html.replace("&lt;svg onload=", ""), path
        assert 'href="javascript:' not in html and "href='javascript:" not in html, path
    article_html = client.get(paths[3]).text
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in article_html  # shown, as text
    assert "&#34;&gt;&lt;img src=x onerror=alert(&#39;outlet&#39;)&gt;" in article_html
    assert "javascript:alert(&#39;url&#39;)" in article_html  # the bad URL is shown but not linked


def test_every_response_has_the_security_headers(client):
    for path in ("/claims", "/articles/1", "/static/style.css", "/claims/99999", "/docs", "/api/claims"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_posted_hostile_article_is_escaped(store, tmp_path):
    import shutil

    copy = tmp_path / "copy.db"
    shutil.copy(store, copy)
    with TestClient(create_app(str(copy), token=TOKEN)) as c:
        body = {**HOSTILE, "url": "https://example.org/x?a=1&b=<script>",
                "text": HOSTILE["text"].replace("Petr Halm", "Jan Oder"), "title": "<iframe src=javascript:alert(2)>"}
        response = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 201, response.text
        html = c.get(response.json()["links"]["page"]).text
    assert "<iframe" not in html and "<script" not in html
    assert 'href="https://example.org/x?a=1&amp;b=&lt;script&gt;"' in html


def test_nothing_executes_in_chromium(store, client):
    paths = hostile_paths(client)
    with running_server(store) as base, browser() as chromium:
        page = chromium.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, path
            counts = page.evaluate("""() => ({
                scripts: document.querySelectorAll('script').length,
                images: document.querySelectorAll('img').length,
                iframes: document.querySelectorAll('iframe').length,
                handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                jsLinks: [...document.querySelectorAll('a')].filter(a => a.protocol === 'javascript:').length,
                svgOnload: document.querySelectorAll('svg[onload]').length,
            })""")
            assert counts == {"scripts": 0, "images": 0, "iframes": 0, "handlers": 0, "jsLinks": 0, "svgOnload": 0}, path
        # the payloads are on the page as visible text
        article_path = paths[3]
        page.goto(base + article_path)
        assert "<script>alert('quote')</script>" in page.inner_text("article.article-text")
        assert page.title().startswith("<script>alert('title')</script>")
        # following every link of the hostile article page runs nothing either
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            assert href.startswith(("/", "#", "http://", "https://")), href
        page.wait_for_timeout(300)
        assert dialogs == [] and errors == []
