"""Shared test set-up: known extractor limitations run as strict expected failures.

``known_limitations.json`` names behaviour tests the extractor does not pass yet, with why. They
still run; a pass (XPASS) fails the suite so the list cannot go stale.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

_KNOWN = json.loads((Path(__file__).parent / "known_limitations.json").read_text(encoding="utf-8"))["tests"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        reason = _KNOWN.get(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server on loopback for the whole session (see tests/postgres_server.py)."""
    from postgres_server import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty store on each database claimledger supports."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return request.getfixturevalue("postgres_server").new_database()
