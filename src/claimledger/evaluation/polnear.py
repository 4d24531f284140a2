"""Read PolNeAR articles (a ``.txt`` with its brat standoff ``.ann``) into typed gold attributions.

PolNeAR annotates every attribution as a brat event ``E<n>  Attribution:T4 Content:T3 Cue:T2
Source:T1`` (the event type is ``Attribution-no-source`` when the text names no source) over text
spans ``T<n>  Label START END[;START END...]  text``. Spans may be discontinuous (``;`` between
pieces), an event may carry a second content span (``Content2``), and annotator notes (``#`` lines)
or span texts with embedded newlines appear; offsets, never the span text, are what we trust.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int]

__all__ = [
    "GoldAttribution",
    "PolnearArticle",
    "parse_ann",
    "read_article",
    "iter_split",
    "read_metadata",
    "span_text",
]


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: its source, cue and content as lists of ``(start, end)`` pieces.

    A list is empty when the annotation lacks that part (no source named, and in a handful of
    annotator slips no cue or no content). Pieces are sorted and character offsets index the
    article text.
    """

    id: str
    source_spans: list[Span] = field(default_factory=list)
    cue_spans: list[Span] = field(default_factory=list)
    content_spans: list[Span] = field(default_factory=list)

    @property
    def has_source(self) -> bool:
        return bool(self.source_spans)

    @property
    def content_start(self) -> int | None:
        return self.content_spans[0][0] if self.content_spans else None

    @property
    def content_end(self) -> int | None:
        return self.content_spans[-1][1] if self.content_spans else None


@dataclass
class PolnearArticle:
    """One article: its name (file stem), text, gold attributions and what metadata.tsv says."""

    name: str
    text: str
    attributions: list[GoldAttribution]
    publisher: str
    split: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def span_text(text: str, spans: list[Span], joiner: str = " ") -> str:
    """The text of a (possibly discontinuous) span, pieces joined by ``joiner``."""
    return joiner.join(text[start:end] for start, end in spans)


def _parse_offsets(field_text: str) -> list[Span]:
    pieces = []
    for piece in field_text.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return pieces


def parse_ann(ann: str, text_length: int | None = None) -> list[GoldAttribution]:
    """Parse the content of a ``.ann`` file into gold attributions, in event order.

    Lines that are not well-formed ``T``/``E`` lines (notes, continuation lines of a span text that
    contained a newline) are ignored; pieces outside ``[0, text_length]`` are dropped.
    """
    spans: dict[str, tuple[str, list[Span]]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.splitlines():
        columns = line.split("\t")
        if len(columns) < 2:
            continue
        ident = columns[0]
        if ident.startswith("T") and ident[1:].isdigit():
            label, _, offsets = columns[1].partition(" ")
            try:
                pieces = _parse_offsets(offsets)
            except ValueError:
                continue
            if text_length is not None:
                pieces = [(s, e) for s, e in pieces if 0 <= s <= e <= text_length]
            spans[ident] = (label, pieces)
        elif ident.startswith("E") and ident[1:].isdigit():
            arguments = []
            for argument in columns[1].split():
                role, _, target = argument.partition(":")
                if target:
                    arguments.append((role, target))
            events.append((ident, arguments))

    attributions = []
    for ident, arguments in events:
        parts: dict[str, list[Span]] = {"source": [], "cue": [], "content": []}
        for role, target in arguments:
            # Content2 is a second content piece of the same attribution; roles may be numbered.
            base = role.rstrip("0123456789").lower()
            if base in parts and target in spans:
                parts[base].extend(spans[target][1])
        attributions.append(
            GoldAttribution(
                id=ident,
                source_spans=sorted(set(parts["source"])),
                cue_spans=sorted(set(parts["cue"])),
                content_spans=sorted(set(parts["content"])),
            )
        )
    return attributions


def read_metadata(root: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """Rows of ``metadata.tsv`` keyed by file name stem; empty when the file is missing."""
    path = Path(root) / "metadata.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}


def read_article(
    txt_path: str | os.PathLike[str], metadata: dict[str, str] | None = None
) -> PolnearArticle:
    """Read ``NAME.txt`` and the ``NAME.ann`` beside it (a missing .ann means no attributions)."""
    txt_path = Path(txt_path)
    # newline="" keeps offsets exact even if a file ever carries \r\n.
    with txt_path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    ann_path = txt_path.with_suffix(".ann")
    ann = ann_path.read_text(encoding="utf-8") if ann_path.exists() else ""
    metadata = metadata or {}
    publisher = metadata.get("publisher") or txt_path.stem.split("_", 1)[0]
    return PolnearArticle(
        name=txt_path.stem,
        text=text,
        attributions=parse_ann(ann, len(text)),
        publisher=publisher,
        split=metadata.get("compartment"),
        metadata=dict(metadata),
    )


def iter_split(split_dir: str | os.PathLike[str], limit: int | None = None) -> Iterator[PolnearArticle]:
    """Yield the articles of one split directory (e.g. ``polnear/dev``) in file-name order."""
    split_dir = Path(split_dir)
    metadata = read_metadata(split_dir.parent)
    for count, txt_path in enumerate(sorted(split_dir.glob("*.txt"))):
        if limit is not None and count >= limit:
            return
        article = read_article(txt_path, metadata.get(txt_path.stem))
        if article.split is None:
            article.split = split_dir.name
        yield article
