"""Find quotations in the raw text: curly or straight, across sentences and paragraphs.

News convention: a quotation that runs on into the next paragraph leaves its first paragraph
unclosed and opens the next one with a fresh quote mark; such pieces form one quotation here.
Unbalanced marks never raise: an unclosed quote ends at its paragraph's end (best effort).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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
        # pieces are in text order and disjoint: the only candidate is the last one starting at or before
        pieces = self.pieces
        if len(pieces) < 8:
            return any(start <= offset < end for start, end in pieces)
        index = bisect_right(pieces, (offset, float("inf"))) - 1
        return index >= 0 and offset < pieces[index][1]

    def overlap(self, start: int, end: int) -> int:
        pieces = self.pieces
        if len(pieces) < 8:
            return sum(max(0, min(end, p_end) - max(start, p_start)) for p_start, p_end in pieces)
        total = 0
        index = max(0, bisect_right(pieces, (start, float("inf"))) - 1)
        while index < len(pieces) and pieces[index][0] < end:
            p_start, p_end = pieces[index]
            total += max(0, min(end, p_end) - max(start, p_start))
            index += 1
        return total

    def length(self) -> int:
        return sum(end - start for start, end in self.pieces)


class Quotations(list):
    """The article's quotations in text order, with an index over their pieces.

    Lookups ("is this offset quoted?", "which quotations touch this range?") bisect the sorted,
    disjoint pieces instead of scanning every quotation, so work per article stays near-linear
    however many quotations it holds. The index is built on first use; do not change the
    quotations after that.
    """

    _index: tuple[list[int], list[int], list[int]] | None = None
    _first_starts: list[int] | None = None
    _indexed = 0

    def _pieces(self) -> tuple[list[int], list[int], list[int]]:
        if self._index is None or self._indexed != len(self):
            self._indexed = len(self)
            flat = sorted((start, end, number) for number, q in enumerate(self) for start, end in q.pieces)
            self._index = ([p[0] for p in flat], [p[1] for p in flat], [p[2] for p in flat])
        return self._index

    def covers(self, offset: int) -> bool:
        """True when ``offset`` is inside some quotation (any piece)."""
        starts, ends, _ = self._pieces()
        index = bisect_right(starts, offset) - 1
        return index >= 0 and offset < ends[index]

    def touching(self, start: int, end: int) -> list[Quotation]:
        """Quotations with a piece that overlaps or borders [start, end], in list order."""
        starts, ends, owners = self._pieces()
        first = bisect_left(ends, start)
        last = bisect_right(starts, end)
        return [self[number] for number in sorted({owners[i] for i in range(first, last)})]

    def starting_from(self, start: int, end: int) -> list[Quotation]:
        """Quotations that begin in [start, end), in list order (the list is ordered by start)."""
        if self._first_starts is None or len(self._first_starts) != len(self):
            self._first_starts = [q.start for q in self]
        return self[bisect_left(self._first_starts, start) : bisect_left(self._first_starts, end)]


def quoted(quotations: list[Quotation], offset: int) -> bool:
    """True when ``offset`` lies inside one of ``quotations`` (indexed when they are :class:`Quotations`)."""
    if isinstance(quotations, Quotations):
        return quotations.covers(offset)
    return any(q.contains(offset) for q in quotations)


def touching(quotations: list[Quotation], start: int, end: int) -> list[Quotation]:
    """The quotations that may overlap [start, end), in list order (all of them for a plain list)."""
    if isinstance(quotations, Quotations):
        return quotations.touching(start, end)
    return quotations


def starting_from(quotations: list[Quotation], start: int, end: int) -> list[Quotation]:
    """The quotations that begin in [start, end) (all of them for a plain list)."""
    if isinstance(quotations, Quotations):
        return quotations.starting_from(start, end)
    return quotations


def find_quotations(text: str, paragraphs: list[tuple[int, int]]) -> Quotations:
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


def _merge_adjacent(quotations: list[Quotation], text: str) -> Quotations:
    """'"We will win," "we always do," …': quotations with only punctuation between are one."""
    merged = Quotations()
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
