"""Several processes creating the same new SQLite store at once all get a migrated store."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import inspect


def _open(path: str, barrier, results) -> None:
    from claimledger.errors import ClaimledgerError
    from claimledger.store.database import open_engine

    barrier.wait()
    try:
        open_engine(path).dispose()
        results.put("ok")
    except ClaimledgerError as error:
        results.put(str(error))


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path):
    from claimledger.store.database import open_engine

    context = multiprocessing.get_context("spawn")
    for round_ in range(3):
        path = str(tmp_path / f"new-{round_}.db")
        barrier, results = context.Barrier(4), context.Queue()
        processes = [context.Process(target=_open, args=(path, barrier, results)) for _ in range(4)]
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        assert outcomes == ["ok"] * 4, outcomes
        engine = open_engine(path)
        assert {"articles", "claims", "alembic_version"} <= set(inspect(engine).get_table_names())
        engine.dispose()
