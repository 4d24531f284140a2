"""Re-join hard-wrapped lines into paragraphs, when a document is hard-wrapped.

Wire copy, e-mail newsletters and many text exports break lines every ~65-80 characters inside
sentences and mark paragraphs by a blank line or an indented first line. The rest of claimledger
reads one paragraph per line (a newline ends a paragraph), so a wrapped sentence would be cut in
pieces. The convention is decided per document, from the text alone: most lines that go on to
another line end near one width, and many of them end inside a sentence. Cleanly paragraphed text
(one paragraph per line) is returned unchanged.

Joining replaces the newline by a space, so the text keeps its length and every offset into it is
an offset into the original file.
"""

from __future__ import annotations

import re

# A document needs at least this many lines that end inside a sentence, near the wrap width, to be
# taken as hard-wrapped (a headline and a byline are not a convention).
MIN_WRAPPED_LINES = 3
# ... and they must be this share of the lines followed by another non-blank line.
MIN_WRAPPED_SHARE = 0.4
# Wrapped text is narrow: the common line length (90th percentile) is at most this wide.
MAX_WRAP_WIDTH = 120
# A line at least this share of the wrap width was broken by the wrap (a shorter one ends its paragraph).
FULL_LINE_SHARE = 0.6
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$|[\"”]$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def wrap_width(lines: list[str]) -> int | None:
    """The width a document is hard-wrapped at, or None when its lines are paragraphs."""
    body = [line.rstrip() for line in lines if line.strip()]
    if len(body) < MIN_WRAPPED_LINES + 1:
        return None
    lengths = sorted(len(line) for line in body)
    width = lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))]
    if width > MAX_WRAP_WIDTH:
        return None
    continued = [
        line.rstrip()
        for line, following in zip(lines, lines[1:])
        if line.strip() and following.strip()
    ]
    inside = [
        line for line in continued if len(line) >= FULL_LINE_SHARE * width and not _SENTENCE_END.search(line)
    ]
    if len(inside) < MIN_WRAPPED_LINES or len(inside) < MIN_WRAPPED_SHARE * len(continued):
        return None
    return width


def unwrap(text: str) -> str:
    """``text`` with the line breaks of hard-wrapped paragraphs replaced by spaces (same length).

    A newline is kept where a paragraph ends: before a blank line, after a short line (the wrap did
    not break it), and before a line indented more than the document's usual indentation.
    """
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    indents = sorted(_indent(line) for line in lines if line.strip())
    usual_indent = indents[len(indents) // 2]
    out: list[str] = []
    for number, line in enumerate(lines):
        out.append(line)
        if number == len(lines) - 1:
            break
        following = lines[number + 1]
        joined = (
            line.strip()
            and following.strip()
            and len(line.rstrip()) >= FULL_LINE_SHARE * width
            and _indent(following) <= usual_indent
        )
        out.append(" " if joined else "\n")
    return "".join(out)
