"""The server-rendered pages (claimledger.web): what each shows, built from a store made by the real ingest.

Pages are parsed with the standard library's HTMLParser so assertions read the document, not
substrings of markup; the geometry and highlighting helpers are tested on their own too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from claimledger.api import create_app
from claimledger.web import charts, highlight
from claimledger.web.pages import safe_href
from web_fixtures import FOLLOW_UPS, ingested_store


class Page(HTMLParser):
    """Elements (tag, attrs) in document order, and the text inside selected elements."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self._article_depth = 0
        self.article_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag == "article" and "article-text" in attributes.get("class", ""):
            self._article_depth = 1
        elif self._article_depth and tag == "article":
            self._article_depth += 1

    def handle_endtag(self, tag):
        if self._article_depth and tag == "article":
            self._article_depth -= 1

    def handle_data(self, data):
        self.text_parts.append(data)
        if self._article_depth:
            self.article_text += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        found = []
        for name, attributes in self.elements:
            if name != tag:
                continue
            if all((value in attributes.get(key.rstrip("_"), "").split()) if key == "class_"
                   else attributes.get(key) == value for key, value in attrs.items()):
                found.append(attributes)
        return found


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(str(ingested_store()))) as c:
        yield c


def page(client, path: str, status: int = 200) -> Page:
    response = client.get(path)
    assert response.status_code == status, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def dam_claim(client) -> int:
    return client.get("/api/claims", params={"search": "Selna dam was deliberately"}).json()["items"][0]["id"]


def test_home_redirects_to_the_claims(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/claims"


def test_claims_list_with_counts_and_text_badges(client):
    doc = page(client, "/claims")
    rows = doc.find("a")
    claim_links = [a["href"] for a in rows if re.fullmatch(r"/claims/\d+", a.get("href", ""))]
    assert len(claim_links) >= 9
    assert "disputed" in doc.text and "asserted only" in doc.text  # status in words, not colour only
    assert doc.find("span", class_="status-disputed")
    assert doc.find("table") and doc.find("th", scope="col")
    assert doc.find("form", role="search") and doc.find("label", **{"for": "q"})
    assert doc.find("svg", class_="stance-bar")


def test_claims_search_and_filters(client):
    doc = page(client, "/claims?q=sprinkler")
    links = [a for a in doc.find("a") if re.fullmatch(r"/claims/\d+", a.get("href", ""))]
    assert len(links) == 1 and "sprinkler" in doc.text
    doc = page(client, "/claims?status=denied+only&since=&until=&outlet=")
    badges = [span["class"].split()[-1] for span in doc.find("span", class_="status")]
    assert badges and set(badges) == {"status-denied-only"}
    page(client, "/claims?since=2026-99-01", status=422)
    page(client, "/claims?status=lies", status=422)


def test_claims_paging_links(client):
    doc = page(client, "/claims?q=&page=1")
    total = client.get("/api/claims").json()["total"]
    if total > 25:
        assert doc.find("a", rel="next")
    doc = page(client, "/claims?page=2&q=dam")
    assert "page 2 of" in doc.text and doc.find("a", rel="prev")


def test_claim_page_matrix_timeline_conflicts_statements(client):
    cid = dam_claim(client)
    doc = page(client, f"/claims/{cid}")
    ledger = client.get(f"/api/claims/{cid}").json()
    assert "Selna dam was deliberately blown up" in doc.text
    # stance matrix: a table with one row group per affiliation and one row per source
    assert doc.find("table", class_="matrix")
    groups = doc.find("th", scope="rowgroup")
    sources = {s["source_id"] for side in ("support", "deny", "neutral") for s in ledger["claim"][side]}
    assert len(doc.find("th", scope="row")) >= len(sources) and len(groups) >= 2
    assert "Supports" in doc.text and "Denies" in doc.text
    # timeline: an SVG with a lane per stance and one linked mark per dated statement
    assert doc.find("svg", class_="timeline-svg")
    assert len(doc.find("g", class_="lane")) == 3
    marks = doc.find("a", class_="point")
    assert len(marks) == min(len(ledger["statements"]), len(marks)) and len(marks) >= 4
    assert {m["class"].split()[-1] for m in marks} >= {"point-support", "point-deny"}
    assert "2026-06-04" in doc.text and "2026-06-12" in doc.text
    # conflicts spelled out
    assert "Fact conflict:" in doc.text
    # statements quoted with outlet, evidence and a link into the article
    assert len(doc.find("blockquote")) == len(ledger["statements"])
    assert "Outlet: Northern Courier" in doc.text and "Evidence:" in doc.text
    context = [a["href"] for a in doc.find("a") if re.fullmatch(rf"/articles/\d+\?claim={cid}#a\d+", a.get("href", ""))]
    assert len(context) == len(ledger["statements"])


def test_claim_matrix_groups_by_country_too(client):
    cid = dam_claim(client)
    by_country = page(client, f"/claims/{cid}?group=country")
    assert "grouped by country" in by_country.text
    assert by_country.find("a", **{"aria-current": "true", "href": f"/claims/{cid}?group=country#matrix"})


def test_statement_links_land_on_their_marks(client):
    cid = dam_claim(client)
    ledger = client.get(f"/api/claims/{cid}").json()
    statement = next(s for s in ledger["statements"] if s["stance"] == "deny")
    doc = page(client, f"/articles/{statement['article_id']}?claim={cid}")
    assert doc.find("span", id=f"a{statement['attribution_id']}")
    marks = doc.find("mark", **{"data-attribution": str(statement["attribution_id"])})
    assert any("st-deny" in m["class"].split() for m in marks)


def test_article_page_highlights_every_attribution(client):
    item = client.get("/api/articles", params={"search": "spillway"}).json()["items"][0]
    article = client.get(f"/api/articles/{item['id']}").json()
    doc = page(client, f"/articles/{item['id']}")
    # the article's text is all there, in order, between the marks (labels aside)
    labels = re.compile(r" [▲▼◆○] (supports|denies|neutral|no stance)")
    assert labels.sub("", doc.article_text) == article["text"]
    for a in article["attributions"]:
        assert doc.find("span", id=f"a{a['id']}")
        roles = {m["class"].split()[0] for m in doc.find("mark", **{"data-attribution": str(a["id"])})}
        assert roles  # a content wholly inside a narrower mark of another statement shows through that one
    contents = {m["data-attribution"] for m in doc.find("mark", class_="m-content")}
    assert len(contents) >= len(article["attributions"]) - 1
    assert doc.find("mark", class_="m-source") and doc.find("mark", class_="m-cue")
    assert {"supports", "denies"} <= set(re.findall(r"supports|denies", doc.article_text))
    # side panel of sources, linked to their pages
    assert doc.find("aside", class_="side")
    source_links = {a["href"] for a in doc.find("a") if a.get("href", "").startswith("/sources/")}
    assert source_links == {f"/sources/{s['source_id']}" for s in article["sources"]}
    assert FOLLOW_UPS[0]["title"] in doc.text and "Northern Courier" in doc.text


def test_article_page_claim_choice(client):
    item = client.get("/api/articles", params={"search": "spillway"}).json()["items"][0]
    article = client.get(f"/api/articles/{item['id']}").json()
    for claim in article["claims"]:
        doc = page(client, f"/articles/{item['id']}?claim={claim['claim_id']}")
        assert doc.find("option", value=str(claim["claim_id"]), selected="")


def test_articles_and_sources_lists(client):
    doc = page(client, "/articles?q=spillway")
    assert FOLLOW_UPS[0]["title"] in doc.text
    doc = page(client, "/articles?outlet=Danube+Wire")
    assert "Engineers doubt" in doc.text and "Heart drug" not in doc.text
    page(client, "/articles?since=never", status=422)
    doc = page(client, "/sources?q=Voss")
    assert "Alek Voss" in doc.text
    doc = page(client, "/sources?stance=deny")
    assert doc.find("a") and "Sources" in doc.text
    page(client, "/sources?stance=furious", status=422)


def test_source_page_lists_every_statement_and_side(client):
    voss = client.get("/api/sources", params={"search": "Voss"}).json()["items"][0]
    detail = client.get(f"/api/sources/{voss['id']}").json()
    doc = page(client, f"/sources/{voss['id']}")
    assert "Alek Voss" in doc.text and "Sides taken" in doc.text
    assert len(doc.find("blockquote")) == len(detail["statements"])
    claim_links = {a["href"] for a in doc.find("a") if re.fullmatch(r"/claims/\d+", a.get("href", ""))}
    assert claim_links >= {f"/claims/{c['claim_id']}" for c in detail["claims"]}
    assert "supports" in doc.text


def test_unknown_pages_are_404_in_html(client):
    for path in ("/claims/99999", "/articles/99999", "/sources/99999", "/no/such/page"):
        doc = page(client, path, status=404)
        assert "Not found" in doc.text
    page(client, "/claims/notanumber", status=422)


def test_pages_are_accessible_and_phone_ready(client):
    cid = dam_claim(client)
    for path in ("/claims", f"/claims/{cid}", "/articles/1", "/sources", "/docs"):
        doc = page(client, path)
        assert doc.find("html", lang="en")
        assert doc.find("meta", name="viewport")
        assert doc.find("main", id="main") and doc.find("a", href="#main", class_="skip")
        assert doc.find("nav") and len(doc.find("h1")) == 1
        assert not doc.find("script") and not [e for e in doc.elements if "style" in e[1]]
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "@media (max-width" in css.text and ":focus-visible" in css.text


# --- helpers on their own -------------------------------------------------------------------


def test_pieces_join_back_to_the_text_and_prefer_the_narrowest_mark():
    text = 'Voss said "the dam was blown up," adding that Stal lied.'
    attributions = [
        {"id": 1, "source_start": 0, "source_end": 4, "cue_start": 5, "cue_end": 9, "start": 11, "end": 31,
         "stances": [{"claim_id": 7, "stance": "support"}]},
        {"id": 2, "source_start": 11, "source_end": 14, "cue_start": None, "cue_end": None, "start": 46, "end": 55,
         "stances": [{"claim_id": 7, "stance": "deny"}]},
    ]
    pieces = highlight.pieces(text, attributions, 7)
    assert "".join(p.text for p in pieces) == text
    kinds = [(p.text, p.kind, p.attribution_id) for p in pieces if p.kind]
    assert ("Voss", "source", 1) in kinds and ("said", "cue", 1) in kinds
    assert ("the", "source", 2) in kinds  # a source inside another statement's content wins over that content
    assert [(p.text, p.anchors) for p in pieces if p.anchors] == [("the", [1]), ("Stal lied", [2])]  # "the" is statement 2's source
    labels = [label for p in pieces for label in p.label_after]
    assert [(item["attribution_id"], item["label"]) for item in labels] == [(1, "supports"), (2, "denies")]
    assert highlight.pieces("", [], None) == []


def test_pieces_survive_offsets_out_of_range():
    pieces = highlight.pieces("short", [{"id": 1, "start": 3, "end": 99, "source_start": -5, "source_end": 2,
                                         "stances": []}], None)
    assert "".join(p.text for p in pieces) == "short"


def test_timeline_places_marks_by_date_and_stance():
    statements = [
        {"published": "2026-06-04", "stance": "support", "source_name": "A", "content": "x", "article_id": 1, "attribution_id": 1},
        {"published": "2026-06-12", "stance": "deny", "source_name": "B", "content": "y", "article_id": 2, "attribution_id": 2},
        {"published": None, "stance": "neutral", "source_name": "C", "content": "z", "article_id": 3, "attribution_id": 3},
    ] + [{"published": "2026-06-04", "stance": "support", "source_name": "D", "content": "w", "article_id": 1,
          "attribution_id": 10 + i} for i in range(6)]
    chart = charts.timeline(statements)
    assert chart.undated == 1 and chart.first == "2026-06-04" and chart.last == "2026-06-12"
    xs = {p.stance: p.x for p in chart.points}
    assert xs["support"] == chart.left and xs["deny"] == chart.width - chart.right
    assert len(chart.points) == 1 + charts.MAX_STACK and chart.overflow[0]["text"] == "+3"
    assert len({charts.marker(s, 0, 0) for s in charts.STANCE_ORDER}) == 3  # a shape per stance
    assert chart.points[0].href == "/articles/1#a1"
    assert charts.timeline([]).points == []


def test_safe_href_lets_only_http_through():
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example", "/local",
                "https://ex ample.org", None, 42):
        assert safe_href(bad) is None
