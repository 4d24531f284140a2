"""Ingest many articles into the store: analyse them in parallel, write each one in its own transaction.

Analysis (the expensive part) runs in-process, in N local processes
(:class:`concurrent.futures.ProcessPoolExecutor`) or on a Dask cluster (``--dask ADDRESS``); the
writing, including cross-article source and claim resolution, stays in this process and follows
the input order, so a run gives the same store however it is parallelised, and a run that was
killed and started again gives the same store as one that was not. Articles already stored (same
text hash) are skipped before any analysis.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterator

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from claimledger.errors import InputError, StoreError
from claimledger.ingest.batch import BatchItem, Defaults, iter_items
from claimledger.records import AnalyzedArticle, Document, content_hash
from claimledger.services.analysis import analyze_batch, failure
from claimledger.store import schema as t
from claimledger.store.database import first_line, open_engine
from claimledger.store.writer import Registries, StoreOutcome, registered_claims, write_article

BATCH_SIZE = 8  # articles per task: enough to batch the parse, few enough to keep workers even


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    unsupported: list[tuple[str, str]] = field(default_factory=list)  # files in a named directory that are not articles
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.ingested / self.seconds if self.seconds else 0.0


def ingest(
    paths: list[str],
    db: str | None = None,
    *,
    workers: int = 1,
    dask_address: str | None = None,
    defaults: Defaults | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Ingest every article under ``paths`` into the store at ``db``; see the module doc."""
    started = time.perf_counter()
    engine = open_engine(db)
    summary = IngestSummary()
    with engine.connect() as connection:
        stored = set(connection.execute(select(t.articles.c.content_hash)).scalars())
        registered = registered_claims(connection)
        registries = Registries(connection)
    pending: list[BatchItem] = []
    for item in iter_items(paths, defaults):
        if item.skipped:
            summary.unsupported.append((item.name, item.error or "not an article file"))
            continue
        if item.document is None:
            summary.failed.append((item.name, item.error or "cannot be read"))
            continue
        digest = content_hash(item.document.text)
        if digest in stored:
            summary.duplicates += 1
            continue
        stored.add(digest)
        pending.append(item)
    if on_total:
        on_total(len(pending))
    batches = [pending[i : i + BATCH_SIZE] for i in range(0, len(pending), BATCH_SIZE)]
    documents = [[item.document for item in batch] for batch in batches]
    try:
        for batch, results in zip(batches, _analyses(documents, registered, workers, dask_address)):
            for item, result in zip(batch, results):
                _store_one(engine, db, item, result, registries, summary)
                if progress:
                    progress(1)
    finally:
        summary.seconds = time.perf_counter() - started
        engine.dispose()
    return summary


def _store_one(engine, db, item: BatchItem, result, registries, summary: IngestSummary) -> None:
    """Write one analysed article and count it; a failure of this article's data is reported and
    skipped, a failure of the store itself stops the run (every stored article is whole)."""
    if isinstance(result, str):
        summary.failed.append((item.name, result))
        return
    try:
        outcome = write_article(engine, result, registries)
    except (DataError, IntegrityError) as error:
        summary.failed.append((item.name, f"cannot be stored ({first_line(error)})"))
        return
    except SQLAlchemyError as error:
        raise StoreError(f"{db or 'ledger.db'}: writing {item.name} failed ({first_line(error)})") from None
    if outcome.duplicate:
        summary.duplicates += 1
    else:
        summary.ingested += 1


def _analyses(batches: list[list], registered: list[str], workers: int, dask_address: str | None) -> Iterator[list]:
    """The analysis of each batch, in input order, computed where the user asked."""
    if not batches:
        return iter(())
    if dask_address:
        return _on_dask(batches, registered, dask_address)
    if workers <= 1:
        return (analyze_batch(batch, registered) for batch in batches)
    return _on_processes(batches, registered, workers)


def _on_processes(batches, registered, workers: int) -> Iterator[list]:
    # spawned, not forked: a fork of a process whose model runtimes hold threads can deadlock
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(analyze_batch, batches, [registered] * len(batches))


def _on_dask(batches, registered, address: str) -> Iterator[list]:
    from distributed import Client

    from claimledger.errors import UsageError

    try:
        client = Client(address, timeout=10)
    except OSError as error:
        raise UsageError(f"--dask {address}: cannot reach the Dask scheduler ({error})") from None
    with client:
        futures = client.map(analyze_batch, batches, registered=registered, pure=False)
        try:
            for future in futures:  # in input order; later batches keep running meanwhile
                yield future.result()
        finally:
            client.cancel(futures)


def known_or_registered(engine: Engine, document: Document) -> StoreOutcome | list[str]:
    """The stored article with this document's text, else the registered claims every new article
    is judged against (what one article's analysis needs to know of the store)."""
    with engine.connect() as connection:
        existing = connection.execute(
            select(t.articles.c.id).where(t.articles.c.content_hash == content_hash(document.text))
        ).scalar()
        if existing is not None:
            return StoreOutcome(existing, duplicate=True)
        return registered_claims(connection)


def write_analyzed(engine: Engine, analyzed: AnalyzedArticle) -> StoreOutcome:
    """Write one analysed article against the store as it is now (its sources and claims)."""
    with engine.connect() as connection:
        registries = Registries(connection)
    return write_article(engine, analyzed, registries)


def store_document(engine: Engine, document: Document) -> StoreOutcome:
    """Analyse one Document and store it (the library's one-article entry; the API runs the same
    steps with the analysis in a worker process)."""
    known = known_or_registered(engine, document)
    if isinstance(known, StoreOutcome):
        return known
    (result,) = analyze_batch([document], known)
    if isinstance(result, str):
        raise InputError(failure(document, result))
    return write_analyzed(engine, result)
