"""Geometry of the claim page's charts, computed here and drawn as inline SVG by the templates.

The timeline puts each statement on a date axis (the date of the article that carried it) in a lane
per stance; each stance also has its own marker shape and lane label, so colour is never the only
signal. Only numbers and the statements' own fields leave this module: the template escapes text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from claimledger.records import SIDES
from claimledger.timex.resolver import parse_iso_date

STANCE_ORDER = SIDES
LANE_LABELS = {"support": "Supports", "deny": "Denies", "neutral": "Neutral"}
MAX_STACK = 4  # markers drawn per date and lane before a "+N" count takes over


@dataclass
class TimelinePoint:
    x: float
    y: float
    stance: str
    shape: str  # an SVG path centred on (x, y)
    title: str
    href: str


@dataclass
class Timeline:
    width: int
    height: int
    left: int
    right: int
    lanes: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    points: list[TimelinePoint] = field(default_factory=list)
    overflow: list[dict[str, Any]] = field(default_factory=list)  # {x, y, text}
    undated: int = 0
    first: str | None = None
    last: str | None = None


def marker(stance: str, x: float, y: float, r: float = 6.0) -> str:
    """An SVG path: triangle up for support, triangle down for deny, diamond for neutral."""
    if stance == "support":
        return f"M{x:.1f},{y - r:.1f} L{x + r:.1f},{y + r * 0.8:.1f} L{x - r:.1f},{y + r * 0.8:.1f} Z"
    if stance == "deny":
        return f"M{x:.1f},{y + r:.1f} L{x + r:.1f},{y - r * 0.8:.1f} L{x - r:.1f},{y - r * 0.8:.1f} Z"
    return f"M{x:.1f},{y - r:.1f} L{x + r:.1f},{y:.1f} L{x:.1f},{y + r:.1f} L{x - r:.1f},{y:.1f} Z"


def timeline(statements: list[Any], *, width: int = 720, lane_height: int = 56) -> Timeline:
    """Lay out ``statements`` (ClaimStatement-like: published, stance, source_name, content, article_id, attribution_id)."""
    left, right, top, axis = 96, 48, 12, 40
    chart = Timeline(width=width, height=top + lane_height * len(STANCE_ORDER) + axis, left=left, right=right)
    for index, stance in enumerate(STANCE_ORDER):
        y = top + lane_height * index
        chart.lanes.append({"stance": stance, "label": LANE_LABELS[stance], "y": y, "height": lane_height,
                            "middle": y + lane_height / 2})
    dated = [(day, s) for s in statements if (day := parse_iso_date(_get(s, "published"))) is not None]
    chart.undated = len(statements) - len(dated)
    if not dated:
        return chart
    first = min(day for day, _ in dated)
    last = max(day for day, _ in dated)
    chart.first, chart.last = first.isoformat(), last.isoformat()
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    plot = width - left - right

    def x_of(day: date) -> float:
        return left + plot * (day - first).days / span

    step = max(1, -(-span // 5))  # at most six ticks, evenly spaced whole days
    days = list(range(0, span + 1, step))
    if days[-1] != span:
        if span - days[-1] <= step / 2:
            days.pop()
        days.append(span)
    for offset in days:
        day = first + timedelta(days=offset)
        chart.ticks.append({"x": x_of(day), "label": day.isoformat()})
    stacks: dict[tuple[date, str], int] = {}
    for day, statement in sorted(dated, key=lambda pair: pair[0]):
        stance = _get(statement, "stance")
        if stance not in STANCE_ORDER:
            stance = "neutral"
        lane = chart.lanes[STANCE_ORDER.index(stance)]
        n = stacks.get((day, stance), 0)
        stacks[(day, stance)] = n + 1
        x = x_of(day)
        if n >= MAX_STACK:
            continue
        y = lane["y"] + 10 + n * 12
        source = _get(statement, "source_name") or "unnamed source"
        content = _get(statement, "content") or ""
        if len(content) > 160:
            content = content[:157] + "…"
        chart.points.append(TimelinePoint(
            x=x, y=y, stance=stance, shape=marker(stance, x, y),
            title=f"{day.isoformat()} · {source} ({LANE_LABELS[stance].lower()}): {content}",
            href=f"/articles/{_get(statement, 'article_id')}#a{_get(statement, 'attribution_id')}",
        ))
    for (day, stance), n in stacks.items():
        if n > MAX_STACK:
            lane = chart.lanes[STANCE_ORDER.index(stance)]
            chart.overflow.append({"x": x_of(day) + 9, "y": lane["y"] + 10 + (MAX_STACK - 1) * 12 + 4,
                                   "text": f"+{n - MAX_STACK}"})
    return chart


def stance_bar(support: int, deny: int, neutral: int, *, width: int = 120, height: int = 12) -> list[dict[str, Any]]:
    """Segments of a small stacked bar of a claim's sides (support, deny, neutral), widths in pixels."""
    total = support + deny + neutral
    if not total:
        return []
    segments, x = [], 0.0
    for stance, count in (("support", support), ("deny", deny), ("neutral", neutral)):
        if count:
            w = width * count / total
            segments.append({"stance": stance, "x": x, "width": w, "count": count})
            x += w
    return segments


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)
