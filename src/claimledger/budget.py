"""A time budget per article: analysis that runs over it fails that article with one line.

Analysis is near-linear in an article's length, but a 5 MB article still takes minutes on a slow
machine; the budget keeps one article from holding an ingest or a server's writer for longer
than the user allows. The stages check it between paragraphs, sentences and statements (Python
cannot interrupt a thread safely), so an article stops within moments of running over.
``CLAIMLEDGER_TIME_BUDGET`` (seconds, 0 for none) sets the default for every face; the CLI's
``--time-budget`` sets it for one command and the worker processes it starts.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from claimledger.errors import TimeBudgetError, UsageError

DEFAULT_SECONDS = 60.0
ENV = "CLAIMLEDGER_TIME_BUDGET"

_current: ContextVar[tuple[str, float, float] | None] = ContextVar("claimledger_budget", default=None)


def default_seconds() -> float:
    """The budget from ``CLAIMLEDGER_TIME_BUDGET``, else 60 s; 0 means no budget."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return DEFAULT_SECONDS
    return check_seconds(value, ENV)


def check_seconds(value: str | float, option: str = "--time-budget") -> float:
    """A budget given by the user, as seconds (0 = none); a one-line error when it is not one."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{option} must be a number of seconds, got '{value}'") from None
    if seconds < 0 or seconds != seconds or seconds == float("inf"):
        raise UsageError(f"{option} must be 0 (no budget) or a positive number of seconds, got '{value}'")
    return seconds


@contextmanager
def article_budget(name: str, seconds: float | None = None) -> Iterator[None]:
    """Run the body under a budget of ``seconds`` (default: :func:`default_seconds`) for article ``name``."""
    seconds = default_seconds() if seconds is None else seconds
    token = _current.set((name, seconds, time.monotonic() + seconds) if seconds > 0 else None)
    try:
        yield
    finally:
        _current.reset(token)


def check() -> None:
    """Raise :class:`TimeBudgetError` when the article being analysed has run over its budget."""
    current = _current.get()
    if current is not None and time.monotonic() > current[2]:
        name, seconds, _ = current
        raise TimeBudgetError(
            f"{name}: analysis ran over the time budget of {seconds:g} s per article "
            f"(raise it with --time-budget or {ENV}; 0 for none)"
        )


def use_time_budget(value: str | float | None) -> float:
    """Apply a ``--time-budget`` option: checked, then set for this process and those it starts."""
    seconds = default_seconds() if value is None else check_seconds(value)
    os.environ[ENV] = f"{seconds:g}"
    return seconds
