"""Small interval structures that keep article-level attribution passes near-linear.

Comparing every statement with every other one is quadratic in the article's length (a 400 KB
article holds thousands); these answer the same questions with sorted lists and bisection.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from typing import Any, Callable


class IntervalIndex:
    """Half-open intervals [start, end) with a payload each; find those that may overlap a range.

    ``overlapping`` returns every added item whose interval overlaps [start, end) (and possibly a
    few that only border it: callers apply their own exact test), in order of start.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[int, int, int, Any]] = []  # (start, order, end, item)
        self._longest = 0
        self._added = 0

    def add(self, start: int, end: int, item: Any) -> None:
        insort(self._entries, (start, self._added, end, item), key=lambda e: (e[0], e[1]))
        self._added += 1
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[Any]:
        entries = self._entries
        low = bisect_left(entries, start - self._longest, key=lambda e: e[0])
        high = bisect_left(entries, end, key=lambda e: e[0])
        return [item for e_start, _, e_end, item in entries[low:high] if e_end > start and e_start < end]


class LatestEnding:
    """Of the items added so far, the one with the latest end at or before a point (first added wins ties).

    Equals ``max((i for i in items if end(i) <= point), key=end)`` over the items in the order they
    were added, for points asked in non-decreasing order (any other order is answered by a scan).
    """

    def __init__(self, end: Callable[[Any], int]) -> None:
        self._end = end
        self._items: list[Any] = []
        self._pending: list[tuple[int, int]] = []  # heap of (end, order)
        self._best: tuple[int, int] | None = None  # (end, order) of the answer so far
        self._point: int | None = None

    def add(self, item: Any) -> None:
        heapq.heappush(self._pending, (self._end(item), len(self._items)))
        self._items.append(item)

    def before(self, point: int) -> Any | None:
        if self._point is not None and point < self._point:
            eligible = [i for i in self._items if self._end(i) <= point]
            return max(eligible, key=self._end) if eligible else None
        self._point = point
        while self._pending and self._pending[0][0] <= point:
            end, order = heapq.heappop(self._pending)
            if self._best is None or end > self._best[0] or (end == self._best[0] and order < self._best[1]):
                self._best = (end, order)
        return None if self._best is None else self._items[self._best[1]]
