"""A store built with the real `claimledger ingest`, shared by the web and API tests; a `serve` subprocess; Chromium.

The store holds the seed article (when ../shared is there) with its gold claims registered, our
three example articles with their claims, two short follow-up articles written here (later dates,
other outlets, so claims span articles and the timeline spans days), and one hostile article whose
title, outlet, URL and quotes carry script, event-handler and javascript: payloads. It is built
once per test session (ingest runs the NLP pipeline, a few seconds per article).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from shared_data import SHARED_ROOT

REPO = Path(__file__).resolve().parent.parent
SEED = SHARED_ROOT / "seed" / "iran-f4-airstrikes.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

FOLLOW_UPS = [
    {
        "title": "Dolmar denies dam sabotage as flood waters recede",
        "outlet": "Northern Courier",
        "published": "2026-06-09",
        "text": (
            "Dolmar's foreign minister, Irena Stal, said on Monday that the Selna dam was not blown up. "
            "\"Nobody placed charges at the dam. It failed because Karvia neglected it for years,\" Stal told "
            "reporters in the capital.\n\n"
            "Karvia's interior minister, Alek Voss, repeated that the dam had been deliberately blown up by "
            "Dolmari forces, and said investigators had found traces of explosives near the spillway."
        ),
    },
    {
        "title": "Engineers doubt Selna dam was sabotaged",
        "outlet": "Danube Wire",
        "published": "2026-06-12",
        "text": (
            "An independent engineer, Mara Lind, said the Selna dam had probably collapsed under the weight of "
            "the spring floods. \"I have seen no evidence that the dam was deliberately blown up,\" Lind said.\n\n"
            "Karvian officials said the dam was deliberately blown up and that they would publish photographs "
            "of the damage."
        ),
    },
]

# Every field a page shows, loaded with markup that would run if anything went out unescaped.
HOSTILE = {
    "title": "<script>alert('title')</script>Selna <b>dam</b> report",
    "outlet": "\"><img src=x onerror=alert('outlet')>",
    "url": "javascript:alert('url')",
    "published": "2026-06-10",
    "text": (
        "Karvia's army chief, Petr Halm, said the Selna dam was deliberately blown up. "
        "\"<script>alert('quote')</script> The charges were placed at night,\" Halm told state radio.\n\n"
        "A Dolmari spokesman, Ivo Brant, said \"\"><img src=x onerror=alert('img')> nothing of the kind happened\" "
        "and told reporters to read <a href=\"javascript:alert('link')\">the evidence</a> for themselves.\n\n"
        "Brant's deputy, Sana Rell, said \"javascript:alert('deputy') is all the proof anyone needs\" and "
        "added that \"<svg onload=alert('svg')>\" was a joke."
    ),
}


def seed_claims() -> list[str]:
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    return list(gold["claims"].values())


def claimledger(*args: str) -> None:
    """Run the real CLI in this process (the NLP models load once per test session)."""
    from claimledger.cli import main

    code = main(list(args))
    assert code == 0, f"claimledger {' '.join(args)} exited {code}"


@functools.cache
def ingested_store() -> Path:
    """The test store (see the module doc); built on first use, shared by every test of the session."""
    folder = Path(tempfile.mkdtemp(prefix="claimledger-web-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = folder / "web.db"
    claims = []
    if SEED.exists():
        claims += seed_claims()
    for meta in sorted((REPO / "examples").glob("*.meta.json")):
        claims += json.loads(meta.read_text(encoding="utf-8"))["claims"]
    for claim in claims:
        claimledger("claim", "add", claim, "--db", str(db))
    if SEED.exists():
        claimledger("ingest", str(SEED), "--db", str(db), "--published", "2014-12-03", "--outlet", "hngn.com", "--quiet")
    examples = [str(p) for p in sorted((REPO / "examples").iterdir()) if p.suffix in {".txt", ".md"}]
    claimledger("ingest", *examples, "--db", str(db), "--quiet")
    lines = folder / "extra.jsonl"
    lines.write_text("".join(json.dumps(item) + "\n" for item in [*FOLLOW_UPS, HOSTILE]), encoding="utf-8")
    claimledger("ingest", str(lines), "--db", str(db), "--quiet")
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db: Path, *extra: str, env: dict | None = None):
    """`claimledger serve` on a free loopback port as a subprocess; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "claimledger", "serve", "--db", str(db), "--port", str(port), *extra]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    output = process.stdout.read().decode(errors="replace")
                    raise AssertionError(f"claimledger serve exited {process.returncode}: {output}")
                if time.monotonic() > deadline:
                    raise AssertionError("claimledger serve did not answer within 60 s")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def require_chromium() -> str:
    """Debian's chromium (installed by `make test`); skip with the reason when it is not there (fail under CI)."""
    if not Path(CHROMIUM).exists():
        message = "chromium not installed (`make test` installs Debian's chromium; or apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the browser tests must run)")
        pytest.skip(message)
    return CHROMIUM


@contextmanager
def browser():
    """Headless Chromium driven by Playwright (Debian's binary; no browser download)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def store():
    """The shared web test store (built once per session)."""
    return ingested_store()


@pytest.fixture(scope="module")
def client(store):
    """An in-process client of the app over the shared store, without a write token."""
    from fastapi.testclient import TestClient

    from claimledger.api import create_app

    with TestClient(create_app(str(store))) as test_client:
        yield test_client
