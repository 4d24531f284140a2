"""Locate the shared data sets beside the repository, for tests that read them.

The data lives in the sibling directory ``../shared`` (not in the repo: it is not ours to
redistribute). Missing data skips the test with a reason on a developer machine, but fails under
``CI=true``, so a CI run cannot go green by silently skipping everything that reads real data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# tests/ -> repo root -> its parent holds shared/
SHARED_ROOT = Path(__file__).resolve().parent.parent.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Return ``../shared/<parts>`` relative to the repo; skip (or fail under CI=true) if missing."""
    path = SHARED_ROOT.joinpath(*parts)
    if not path.exists():
        message = f"shared data not found: ../shared/{'/'.join(parts)}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: shared data is required)")
        pytest.skip(message)
    return path
