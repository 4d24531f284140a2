"""Find quotations in the raw text: curly or straight, across sentences and paragraphs.

News convention: a quotation that runs on into the next paragraph leaves its first paragraph
unclosed and opens the next one with a fresh quote mark; such pieces form one quotation here.
Unbalanced marks never raise: an unclosed quote ends at its paragraph's end (best effort).
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPENING = {"“": "”", "„": "“", "«": "»"}
CLOSING = {"”", "»"}
STRAIGHT = '"'


@dataclass
class Quotation:
    """A quotation: one or more (start, end) pieces, offsets of the words inside the marks."""

    pieces: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def contains(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.pieces)

    def overlap(self, start: int, end: int) -> int:
        return sum(max(0, min(end, p_end) - max(start, p_start)) for p_start, p_end in self.pieces)

    def length(self) -> int:
        return sum(end - start for start, end in self.pieces)


def find_quotations(text: str, paragraphs: list[tuple[int, int]]) -> list[Quotation]:
    quotations: list[Quotation] = []
    carried: Quotation | None = None  # a quotation left open at the end of the previous paragraph
    for p_start, p_end in paragraphs:
        opened_at: int | None = None
        closer = ""
        continuing = carried
        carried = None
        position = p_start
        while position < p_end:
            char = text[position]
            if opened_at is None:
                if char in OPENING or (char == STRAIGHT and _opens(text, position, p_start)):
                    opened_at, closer = position + 1, OPENING.get(char, STRAIGHT)
                    if continuing is not None and position != p_start:
                        continuing = None  # the next paragraph did not continue the quote
                elif char in CLOSING or char == STRAIGHT:
                    pass  # a stray closing mark: ignore
            elif char == closer or (closer == STRAIGHT and char in CLOSING) or (closer != STRAIGHT and char == STRAIGHT):
                piece = _trim(text, opened_at, position)
                if piece:
                    if continuing is not None:
                        continuing.pieces.append(piece)
                        continuing.closed = True
                        continuing = None
                    else:
                        quotations.append(Quotation([piece]))
                opened_at = None
            position += 1
        if opened_at is not None:
            # Unclosed at paragraph end: the quote may go on in the next paragraph.
            piece = _trim(text, opened_at, p_end)
            if piece:
                if continuing is not None:
                    continuing.pieces.append(piece)
                    carried = continuing
                else:
                    quotation = Quotation([piece], closed=False)
                    quotations.append(quotation)
                    carried = quotation
    return _merge_adjacent([quotation for quotation in quotations if quotation.pieces], text)


def _merge_adjacent(quotations: list[Quotation], text: str) -> list[Quotation]:
    """'"We will win," "we always do," …': quotations with only punctuation between are one."""
    merged: list[Quotation] = []
    for quotation in quotations:
        if merged:
            between = text[merged[-1].end : quotation.start]
            if "\n" not in between and len(between) <= 6 and all(not c.isalnum() for c in between):
                merged[-1].pieces.extend(quotation.pieces)
                merged[-1].closed = quotation.closed
                continue
        merged.append(quotation)
    return merged


def _opens(text: str, position: int, paragraph_start: int) -> bool:
    """A straight quote opens when it starts a paragraph or follows a space/bracket/dash/colon."""
    if position == paragraph_start:
        return True
    before = text[position - 1]
    after = text[position + 1] if position + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:/") and not after.isspace()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return (start, end) if end > start else None
