"""Cut an article's text into pieces for the article page: plain text, and marks for each attribution's source, cue and content.

Attributions may overlap (a quote inside another statement's content, a speaker named inside a
longer quote), so the text is cut at every span boundary and each piece takes the most specific
mark covering it: a cue over a source over content, and a narrower span over a wider one. The
pieces are plain data; the template escapes their text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KIND_ORDER = {"cue": 0, "source": 1, "content": 2}
STANCE_LABELS = {"support": "supports", "deny": "denies", "neutral": "neutral", None: "no stance"}
STANCE_SYMBOLS = {"support": "▲", "deny": "▼", "neutral": "◆", None: "○"}


@dataclass
class Piece:
    """One run of article text: plain (kind None) or inside one attribution's source, cue or content."""

    text: str
    kind: str | None = None
    attribution_id: int | None = None
    stance: str | None = None
    anchors: list[int] = field(default_factory=list)  # attribution ids whose content starts here
    label_after: list[dict[str, Any]] = field(default_factory=list)  # stance labels of contents ending here


def stance_toward(attribution: dict[str, Any], claim_id: int | None) -> str | None:
    """The attribution's stance toward ``claim_id`` (None when it has none)."""
    for stance in attribution.get("stances", []):
        if stance["claim_id"] == claim_id:
            return stance["stance"]
    return None


def _spans(attribution: dict[str, Any], length: int) -> list[tuple[int, int, str]]:
    spans = []
    for kind, start_key, end_key in (("source", "source_start", "source_end"),
                                     ("cue", "cue_start", "cue_end"),
                                     ("content", "start", "end")):
        start, end = attribution.get(start_key), attribution.get(end_key)
        if start is None or end is None:
            continue
        start, end = max(0, int(start)), min(length, int(end))
        if start < end:
            spans.append((start, end, kind))
    return spans


def pieces(text: str, attributions: list[dict[str, Any]], claim_id: int | None) -> list[Piece]:
    """The article text as pieces in order; joined, their texts give back ``text`` exactly."""
    length = len(text)
    spans: list[tuple[int, int, str, dict[str, Any]]] = []
    starting_at: dict[int, list[int]] = {}
    ending_at: dict[int, list[dict[str, Any]]] = {}
    for attribution in attributions:
        own = _spans(attribution, length)
        for start, end, kind in own:
            spans.append((start, end, kind, attribution))
        content = [(start, end) for start, end, kind in own if kind == "content"]
        if own:  # links land on the statement's content (its source and cue may be shared with others)
            anchor = content[0][0] if content else min(start for start, _, _ in own)
            starting_at.setdefault(anchor, []).append(attribution["id"])
        if content:
            ending_at.setdefault(content[0][1], []).append(attribution)
    cuts = sorted({0, length, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    result: list[Piece] = []
    for begin, finish in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s[0] <= begin and s[1] >= finish]
        if covering:
            start, end, kind, attribution = min(covering, key=lambda s: (KIND_ORDER[s[2]], s[1] - s[0], s[0]))
            piece = Piece(text[begin:finish], kind, attribution["id"], stance_toward(attribution, claim_id))
        else:
            piece = Piece(text[begin:finish])
        previous = result[-1] if result else None
        anchors = starting_at.get(begin, [])
        if (previous is not None and not anchors and not previous.label_after
                and (previous.kind, previous.attribution_id) == (piece.kind, piece.attribution_id)):
            previous.text += piece.text
        else:
            piece.anchors = anchors
            result.append(piece)
        for attribution in ending_at.get(finish, []):
            stance = stance_toward(attribution, claim_id)
            result[-1].label_after.append({
                "attribution_id": attribution["id"], "stance": stance,
                "label": STANCE_LABELS.get(stance, stance), "symbol": STANCE_SYMBOLS.get(stance, "?"),
            })
    return result
