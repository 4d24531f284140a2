"""Write docs/datasette-metadata.json: Datasette's metadata for a claimledger store.

Table and column descriptions (the schema's own column comments where it has them), the column
that labels each table's rows in links (a claim's text, an article's title, a source's name), and
three canned queries for the questions journalists ask first. Rerun after a schema change:

    .venv/bin/python scripts/datasette_metadata.py

then open a store with ``datasette ledger.db -m docs/datasette-metadata.json`` (the database key is
the store's file name without ``.db``: ``ledger`` here).
"""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.store.schema import metadata

OUT = Path(__file__).resolve().parent.parent / "docs" / "datasette-metadata.json"

TABLES = {
    "articles": ("One stored article: its text and where it came from; offsets elsewhere index `text`.", "title"),
    "sources": ("A person or body that speaks, the same across articles (see sources.identity_key).", "name"),
    "article_sources": ("How one article names and describes one source.", "name"),
    "source_mentions": ("Each place in an article's text that names or points to a source.", "text"),
    "attributions": ("Each attributed statement: who (source), the cue (said, denied…), the content, with offsets.", "content"),
    "claims": ("A proposition followed across articles, with its status and side counts.", "text"),
    "claim_vectors": ("What cross-article claim matching needs: the claim's embedding and named terms.", None),
    "article_claims": ("How one article words a claim, and the whole article's stance to it.", "text"),
    "stances": ("Each statement's stance toward each claim it speaks to, with the deciding sentence.", None),
    "source_stances": ("Each source's side on a claim in one article, from all its statements there.", None),
    "times": ("Time expressions of a statement, resolved to a date range against the publication date.", "text"),
    "evidence": ("Evidence a statement cites (video, document, eyewitness…).", "text"),
    "conflicts": ("Conflicts inside one article: supporters against deniers (fact), or dates that cannot both hold (time).", "detail"),
    "conflict_sources": ("The sources on either side of a conflict.", None),
    "claim_decisions": ("An editor's merge or split of claims; later ingests follow it.", None),
    "claim_decision_articles": ("The articles a split took to the new claim, with how each worded the old one.", "wording"),
    "claim_resolutions": ("Dated verdicts on a claim with their evidence; the latest is the claim's verdict.", "verdict"),
}

COMMON = {
    "id": "row id",
    "article_id": "the article (articles.id)",
    "source_id": "the source (sources.id)",
    "claim_id": "the claim (claims.id)",
    "attribution_id": "the statement (attributions.id)",
    "conflict_id": "the conflict (conflicts.id)",
    "start": "offset of the first character in articles.text",
    "end": "offset after the last character in articles.text",
    "text": "the words, as in the article",
}

COLUMNS = {
    ("articles", "title"): "headline (from the HTML, a sidecar .meta.json, or the JSON Lines record)",
    ("articles", "url"): "where it was published",
    ("articles", "outlet"): "the outlet that published it",
    ("articles", "published"): "publication date; NULL when unknown (never the ingest date)",
    ("articles", "language"): "ISO 639-1 code detected from the text",
    ("articles", "input_format"): "text | html | markdown",
    ("articles", "length"): "characters in text",
    ("articles", "text"): "the article text that every offset indexes",
    ("articles", "ingested_at"): "when it was stored (UTC)",
    ("sources", "name"): "the fullest name the source was given",
    ("sources", "role"): "role or title (spokesman, commander…)",
    ("sources", "affiliation"): "organisation the source speaks for",
    ("sources", "country"): "country the source belongs to",
    ("sources", "anonymous"): "1 when the source has no name",
    ("article_sources", "role"): "role as this article gives it",
    ("article_sources", "affiliation"): "affiliation as this article gives it",
    ("article_sources", "country"): "country as this article gives it",
    ("article_sources", "anonymous"): "1 when this article does not name the source",
    ("article_sources", "kind"): "person | organization | group | outlet | document",
    ("article_sources", "side"): "the side (a government…) the source is on, when known",
    ("attributions", "local_id"): "the statement's id inside the article's ledger (a1, a2…)",
    ("attributions", "source_start"): "offset of the source's words",
    ("attributions", "source_end"): "offset after the source's words",
    ("attributions", "cue"): "the words that attribute (said, denied, according to…)",
    ("attributions", "cue_class"): "speech | denial | confirmation | belief | position | refusal | mined | continuation | …",
    ("attributions", "negated_cue"): "1 when the cue is negated (did not deny)",
    ("attributions", "cue_start"): "offset of the cue",
    ("attributions", "cue_end"): "offset after the cue",
    ("attributions", "content"): "what was said",
    ("attributions", "direct"): "1 when quoted (direct or mixed)",
    ("attributions", "quote"): "direct | indirect | mixed",
    ("attributions", "anonymous"): "1 when the speaker is not named",
    ("attributions", "sentence"): "the sentence(s) the statement stands in",
    ("claims", "text"): "the claim",
    ("claims", "created_at"): "when the claim was first stored (UTC)",
    ("claims", "support_sources"): "distinct sources whose latest side is support",
    ("claims", "deny_sources"): "distinct sources whose latest side is deny",
    ("claims", "neutral_sources"): "distinct sources that spoke to it without a side",
    ("claims", "articles"): "articles that speak to it",
    ("claims", "first_seen"): "earliest publication date of those articles (NULL when none is dated)",
    ("claims", "last_seen"): "latest publication date of those articles (NULL when none is dated)",
    ("claim_vectors", "model"): "the sentence encoder that made the vector",
    ("article_claims", "origin"): "registered | headline | proposed",
    ("article_claims", "article_stance_confidence"): "the model's probability for article_stance",
    ("article_claims", "headline_stance_confidence"): "the headline stance model's probability for headline_stance",
    ("stances", "confidence"): "how sure the stance is (0–1)",
    ("times", "earliest"): "first day of the resolved range",
    ("times", "latest"): "last day of the resolved range",
    ("times", "relative"): "1 when the article had no publication date to resolve it against",
    ("evidence", "kind"): "video | photo | document | intelligence | eyewitness | expert_inference | official_statement",
    ("conflicts", "detail"): "the conflict in words",
    ("claim_decisions", "decided_by"): "who decided (the editor's name as given)",
    ("claim_decisions", "decided_at"): "when it was decided (UTC)",
    ("claim_decisions", "note"): "the editor's note",
    ("claim_decision_articles", "decision_id"): "the decision (claim_decisions.id)",
    ("claim_resolutions", "decided_by"): "who gave the verdict",
    ("claim_resolutions", "evidence_url"): "where the evidence for the verdict is",
    ("claim_resolutions", "note"): "the note given with the verdict",
    ("claim_resolutions", "decided_at"): "when the verdict was given (UTC)",
}

# The views of migration 0003 (store/migrations/versions/0003_search_and_views.py), column by column.
VIEWS = {
    "claim_deniers": ("Every source that denies a claim, with the claim, the article, its outlet and date; "
                      "filter on claim_id for one claim.", {
        "claim_id": "the claim (claims.id)",
        "claim": "the claim's text",
        "source_id": "the source (sources.id)",
        "source": "the source's name",
        "role": "the source's role or title",
        "affiliation": "organisation the source speaks for",
        "anonymous": "1 when the source has no name",
        "article_id": "the article (articles.id) in which it denies",
        "title": "the article's headline",
        "outlet": "the outlet that published it",
        "published": "publication date; NULL when unknown",
    }),
    "disputed_claims": ("Claims some source supports and another denies, most sources first.", {
        "id": "the claim (claims.id)",
        "text": "the claim",
        "support_sources": "distinct sources whose latest side is support",
        "deny_sources": "distinct sources whose latest side is deny",
        "neutral_sources": "distinct sources that spoke to it without a side",
        "articles": "articles that speak to it",
        "first_seen": "earliest publication date of those articles",
        "last_seen": "latest publication date of those articles",
    }),
    "anonymous_statements": ("Every statement whose speaker is not named, with the article, its outlet and date.", {
        "attribution_id": "the statement (attributions.id)",
        "speaker": "the words that describe the unnamed speaker (officials, a source close to…)",
        "cue": "the words that attribute (said, denied…)",
        "content": "what was said",
        "article_id": "the article (articles.id)",
        "title": "the article's headline",
        "outlet": "the outlet that published it",
        "published": "publication date; NULL when unknown",
    }),
}

# SQLite full-text search (migration 0003): FTS table -> the table it indexes. FTS5 keeps its index
# in shadow tables (SUFFIXES); none of them is for reading, so all are hidden.
FTS = {"statements_fts": "attributions", "claims_fts": "claims", "sources_fts": "sources"}
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config")

# The canned queries read the views of migration 0003, where their SQL is written once.
QUERIES = {
    "who_denies": {
        "title": "Who denies a claim",
        "description": "Every source that denies claim :claim, with the article, its outlet and date (undated last).",
        "sql": (
            "select source, role, affiliation, anonymous, article_id, title, outlet, published\n"
            "from claim_deniers\n"
            "where claim_id = :claim\n"
            "order by published is null, published, article_id, source"
        ),
    },
    "disputed_claims": {
        "title": "Claims both supported and denied",
        "description": "Claims some source supports and another denies, most sources first.",
        "sql": "select * from disputed_claims order by support_sources + deny_sources desc, id",
    },
    "anonymous_statements": {
        "title": "Statements by anonymous sources",
        "description": "Every statement whose speaker is not named, with the article, its outlet and date.",
        "sql": "select * from anonymous_statements order by published is null, published, article_id, attribution_id",
    },
}


def build() -> dict:
    tables = {}
    for table in metadata.sorted_tables:
        description, label = TABLES[table.name]
        columns = {
            column.name: column.comment or COLUMNS.get((table.name, column.name)) or COMMON[column.name]
            for column in table.columns
        }
        entry = {"description": description, "columns": columns}
        if label:
            entry["label_column"] = label
        tables[table.name] = entry
    for fts, base in FTS.items():
        tables[base]["fts_table"] = fts
        tables[base]["fts_pk"] = "id"
        tables[fts] = {"description": f"Full-text index of {base} (FTS5, kept in step by triggers).", "hidden": True}
        for suffix in FTS_SHADOW_SUFFIXES:
            tables[fts + suffix] = {"description": f"FTS5's own storage for {fts}.", "hidden": True}
    for view, (description, columns) in VIEWS.items():
        tables[view] = {"description": description, "columns": columns}
    return {
        "title": "claimledger store",
        "description": "Who said what, to which outlet, with what stance toward which claim, and where accounts conflict.",
        "source": "claimledger",
        "databases": {"ledger": {"tables": dict(sorted(tables.items())), "queries": QUERIES}},
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
