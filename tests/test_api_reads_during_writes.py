"""Reads keep answering while a POSTed article is being analysed (the analysis runs in a worker process)."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from web_fixtures import running_server

REPO = Path(__file__).resolve().parent.parent
TOKEN = "test-token-0123456789"
READ_BOUND_S = 5.0  # one read on a loaded 2-core machine; behind a running analysis a read waited 20 s and more


def _post(base: str, text: str, outcome: dict) -> None:
    request = urllib.request.Request(
        base + "/api/articles", data=json.dumps({"text": text, "published": "2026-07-01"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            outcome["status"] = response.status
    except Exception as error:  # reported by the test below
        outcome["error"] = error


def test_reads_answer_quickly_while_a_long_article_is_analysed(tmp_path):
    article = (REPO / "examples" / "selna-dam.txt").read_text(encoding="utf-8")
    # about 300 KB (a minute or more of analysis) opening with 10,000 quote marks (the tokenizer once
    # spent 20 s on them without letting go of the interpreter: every read waited)
    long_article = '"' * 10_000 + "\n\n" + "\n\n".join([article] * 150)
    # processes this test process already had (a multiprocessing resource tracker from an earlier test) are not the server's
    earlier = {p.pid for p in psutil.Process().children(recursive=True)}
    with running_server(tmp_path / "store.db", "--token", TOKEN, "--max-body-mb", "5") as base:
        outcome: dict = {}
        writer = threading.Thread(target=_post, args=(base, long_article, outcome), daemon=True)
        writer.start()
        time.sleep(3)  # the analysis is under way
        latencies = []
        for offset in range(20):  # a new URL each time: no cached answer
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/api/claims?offset={offset}", timeout=120) as response:
                assert response.status == 200
            latencies.append(time.perf_counter() - started)
        assert writer.is_alive(), f"the analysis finished before the reads ({outcome}): the test did not measure anything"
        assert max(latencies) < READ_BOUND_S, latencies
        helpers = [p for p in psutil.Process().children(recursive=True) if p.pid not in earlier]  # the server and its analysis process
    # the server is stopped (killed if it does not stop in 10 s) in the middle of the analysis: its
    # analysis process must not live on as an orphan
    gone, alive = psutil.wait_procs(helpers, timeout=30)
    assert not alive, [p.pid for p in alive]
