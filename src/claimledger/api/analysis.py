"""Where the server analyses POSTed articles: a worker process, so reads never wait on the analysis.

Analysis is CPU-bound Python (spaCy, rules, the encoder): run on a thread of the serving process, it
holds the interpreter lock for most of its time and every reader waits behind it. One spawned
process per server worker analyses the articles one after another; the serving process only reads
the body, checks for a duplicate and writes the result.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from claimledger.services.analysis import analyze_one
from claimledger.records import AnalyzedArticle, Document


def _exit_with_parent(parent: int) -> None:
    """In a worker: end this process when the server that started it is gone (killed, not shut down),
    rather than live on as an orphan holding the models' memory."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="claimledger-parent-watch", daemon=True).start()


class AnalysisWorkers:
    """Analyse documents in ``processes`` spawned worker processes (0: in a thread of this process)."""

    def __init__(self, processes: int = 1):
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.processes <= 0:
            return None
        with self._lock:
            if self._pool is None:
                # spawned, not forked: a fork of a process whose runtimes hold threads can deadlock
                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_exit_with_parent, initargs=(os.getpid(),))
            return self._pool

    async def run(self, document: Document, registered: list[str]) -> AnalyzedArticle | str:
        """The document's AnalyzedArticle, or a one-line reason it could not be analysed."""
        loop = asyncio.get_running_loop()
        executor = self._executor()
        try:
            return await loop.run_in_executor(executor, analyze_one, document, registered)
        except BrokenProcessPool:
            self._discard(executor)
            return "analysis failed (the analysis process stopped; the next request starts a new one)"

    def _discard(self, executor) -> None:
        with self._lock:
            if self._pool is executor and executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
