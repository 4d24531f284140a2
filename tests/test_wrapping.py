"""Hard-wrapped text (wire copy, newsletters) is re-joined into paragraphs; paragraphed text is not touched."""

from __future__ import annotations

import textwrap

import pytest

from claimledger.ingest.reader import document_from_text
from claimledger.ingest.wrapping import unwrap, wrap_width
from tests.shared_data import shared_path

PARAGRAPHS = [
    "The water utility said on Monday that tests had found traces of a solvent in two of the "
    "city's wells and that it had closed both of them while it searched for the source.",
    "\"There is no risk to anyone drinking tap water today, because those wells are no longer "
    "connected to the network,\" said utility director Maren Falk at a briefing.",
    "Falk said the solvent was most likely used at a dry-cleaning business that closed a decade "
    "ago, though she added that the investigation had only just begun.",
]


def _blank_separated(width: int = 66) -> str:
    return "Utility closes two wells after solvent found\n\n" + "\n\n".join(
        "\n".join(textwrap.wrap(p, width)) for p in PARAGRAPHS
    ) + "\n"


def _indented(width: int = 70) -> str:
    return "\n".join(
        line for p in PARAGRAPHS for line in textwrap.wrap(p, width, initial_indent="   ")
    ) + "\n"


def test_blank_line_paragraphs_are_rejoined():
    text = _blank_separated()
    joined = unwrap(text)
    assert len(joined) == len(text)  # offsets into the file stay valid
    paragraphs = [p.strip() for p in joined.split("\n") if p.strip()]
    assert paragraphs == ["Utility closes two wells after solvent found"] + [
        " ".join(textwrap.wrap(p, 66)) for p in PARAGRAPHS
    ]


def test_indented_paragraphs_are_rejoined():
    joined = unwrap(_indented())
    paragraphs = [" ".join(p.split()) for p in joined.split("\n") if p.strip()]
    assert paragraphs == PARAGRAPHS


def test_one_paragraph_per_line_is_unchanged():
    text = "\n".join(PARAGRAPHS) + "\n"
    assert wrap_width(text.split("\n")) is None
    assert unwrap(text) == text


def test_short_lines_that_are_not_wrapped_stay_apart():
    text = "Headline about a thing\nBy A. Writer\nLONDON\n\nOne sentence here.\nAnother one.\n"
    assert unwrap(text) == text


def test_seed_is_unchanged():
    text = shared_path("seed", "iran-f4-airstrikes.txt").read_text(encoding="utf-8")
    assert unwrap(text) == text


@pytest.mark.parametrize("make", [_blank_separated, _indented])
def test_wrapped_article_keeps_its_statements(make):
    document = document_from_text(make())
    from claimledger.pipeline import analyze_document

    ledger = analyze_document(document, use_stance_model=False)
    contents = [a.content for a in ledger.attributions]
    assert any("tests had found traces of a solvent" in c for c in contents)
    assert any(c.startswith("There is no risk") for c in contents)
    assert any("the solvent was most likely used" in c for c in contents)
    falk = [a for a in ledger.attributions if a.content.startswith("There is no risk")][0]
    source = next(s for s in ledger.sources if s.id == falk.source)
    assert "Falk" in source.name
