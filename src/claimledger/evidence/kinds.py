"""Evidence kind of a statement, when the text shows what it rests on.

Kinds: video, photo, document, intelligence, eyewitness, expert_inference, official_statement.
Read from the statement's content and its sentence with phrase patterns; each hit keeps the words
that showed it, so a reader can check.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from claimledger.records import Evidence, EvidenceKind

if TYPE_CHECKING:
    from claimledger.attribution.extractor import RawAttribution
    from claimledger.nlp.pipeline import ParsedArticle

PATTERNS: list[tuple[EvidenceKind, re.Pattern]] = [
    ("video", re.compile(r"\b(video(?: footage)?|footage|livestream|broadcast images|filmed|recording)\b[^.;]{0,60}", re.I)),
    ("photo", re.compile(r"\b(photo(?:graph)?s?|pictures?|satellite (?:images?|imagery)|images?|snapshots?)\b[^.;]{0,60}", re.I)),
    ("document", re.compile(r"\b(documents?|memos?|e-?mails?|records|filings?|court papers|leaked [a-z]+|letters?|transcripts?|contracts?|invoices?|spreadsheets?)\b[^.;]{0,60}", re.I)),
    ("intelligence", re.compile(r"\b(indications?|intelligence|intercept(?:s|ed)?|surveillance|reconnaissance|radar data)\b[^.;]{0,60}", re.I)),
    ("eyewitness", re.compile(r"\b(eye-?witness(?:es)?|witness(?:es|ed)?|residents? (?:said|saw|reported|told)|(?:we|I|they) saw|saw (?:the|a|it))\b[^.;]{0,60}", re.I)),
    ("expert_inference", re.compile(r"\b(almost certainly|given the|judging by|it seems likely|seems likely|it is likely|likely that|probably|most likely|consistent with|suggests? that|appears? to (?:be|have)|being that|analysis of)\b[^.;]{0,60}", re.I)),
    ("official_statement", re.compile(r"\b((?:in|issued) a (?:written |brief )?statement|citing a statement|a statement (?:from|by|issued)|press release|press conference|news conference|official communiqu[ée])\b[^.;]{0,40}", re.I)),
]


def find_evidence(text: str, attribution: RawAttribution, article: ParsedArticle) -> list[Evidence]:
    """The evidence kinds named in an attribution's content and sentence, first occurrence of each."""
    low = min(attribution.sentence.start, attribution.content_start)
    high = max(attribution.sentence.end, attribution.content_end)
    found: list[Evidence] = []
    for kind, pattern in PATTERNS:
        match = pattern.search(text, low, high)
        if match is None:
            continue
        snippet_end = match.end()
        # stop at a comma-boundary to keep the snippet a phrase, not half a sentence
        comma = text.find(",", match.start(), snippet_end)
        if comma != -1 and comma - match.start() > 10:
            snippet_end = comma
        found.append(Evidence(kind=kind, text=text[match.start() : snippet_end].strip(), start=match.start(), end=snippet_end))
    return found
