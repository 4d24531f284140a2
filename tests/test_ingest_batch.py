"""`claimledger ingest` over mixed inputs: bad items are reported one by one and never stop the batch,
the executors (in-process, local processes, Dask) give the same store, and the seed article sits in
the store beside our own examples with its gold sides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claimledger.cli import main
from claimledger.services.ingest import ingest
from claimledger.store import schema as t
from claimledger.store.database import open_engine
from claimledger.store.queries import get_claim
from claimledger.services.registration import register_claim
from shared_data import shared_path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
GOOD = "Prosecutors said on Monday that the harbour fire was set deliberately. \"It was arson,\" chief prosecutor Mara Vell said."


def counts(url: str) -> dict[str, int]:
    with open_engine(url).connect() as connection:
        return {table: connection.execute(select(func.count()).select_from(getattr(t, table))).scalar_one()
                for table in ("articles", "sources", "article_sources", "attributions", "claims", "stances", "source_stances")}


def test_bad_items_are_reported_and_the_rest_stored(tmp_path, capsys):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(GOOD, encoding="utf-8")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (batch / "empty.txt").write_text("", encoding="utf-8")
    (batch / "no-text.html").write_text("<html><head><title>x</title></head><body><nav>menu</nav></body></html>",
                                        encoding="utf-8")
    (batch / "lines.jsonl").write_text(
        json.dumps({"text": GOOD.replace("Monday", "Tuesday"), "outlet": "Harbour Post"}) + "\n"
        + '{"text": "unterminated\n'
        + json.dumps({"title": "no body"}) + "\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "ledger.db")
    code = main(["ingest", str(batch), "--db", db, "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].startswith("ingested 2, skipped 0 already stored, failed 5")
    failures = {line.strip().removeprefix("failed: ").split(": ", 1)[0]: line for line in out.splitlines()[1:]}
    assert any(name.endswith("binary.txt") for name in failures)
    assert any(name.endswith("empty.txt") for name in failures)
    assert any(name.endswith("no-text.html") for name in failures)
    assert any(name.endswith("lines.jsonl:2") and "not valid JSON" in line for name, line in failures.items())
    assert any(name.endswith("lines.jsonl:3") and "'text' or 'html'" in line for name, line in failures.items())
    assert counts(db)["articles"] == 2


def test_nothing_readable_is_a_failure_exit(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "x.db"), "--quiet"]) == 1
    assert "failed 1" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--workers", "0"], "--workers"),
    (["--published", "yesterday"], "--published"),
    (["--db", "mysql://nobody@localhost/x"], "unsupported database"),
    (["--db", "NOT_A_DB"], "cannot open the store"),
    (["--db", "OTHER_DB"], "not a claimledger store"),
])
def test_bad_options_are_one_line_errors(tmp_path, capsys, argv, message):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "not-a.db").write_text("this is not a database", encoding="utf-8")
    import sqlite3

    with sqlite3.connect(tmp_path / "other.db") as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    argv = [{"NOT_A_DB": str(tmp_path / "not-a.db"), "OTHER_DB": str(tmp_path / "other.db")}.get(a, a) for a in argv]
    assert main(["ingest", str(tmp_path / "a.txt"), "--quiet"] + (argv if "--db" in argv else argv + ["--db", str(tmp_path / "x.db")])) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_globs_and_fnc_body_csv(tmp_path):
    csv_file = tmp_path / "bodies.csv"
    csv_file.write_text('Body ID,articleBody\n1,"' + GOOD.replace('"', '""') + '"\n2,"' + GOOD.replace("Monday", "Friday").replace('"', '""') + '"\n',
                        encoding="utf-8")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    summary = ingest([str(tmp_path / "*.csv")], str(tmp_path / "ledger.db"))
    assert summary.ingested == 2
    assert [reason for name, reason in summary.failed] == ["a CSV must have the FNC-1 body columns Body ID, articleBody"]
    with open_engine(str(tmp_path / "ledger.db")).connect() as connection:
        names = set(connection.execute(select(t.articles.c.name)).scalars())
    assert names == {"bodies.csv#1", "bodies.csv#2"}  # the file name, not this machine's absolute path


@pytest.mark.slow
def test_processes_and_dask_give_the_serial_store(tmp_path):
    from distributed import LocalCluster

    serial, processes, on_dask = (str(tmp_path / f"{name}.db") for name in ("serial", "processes", "dask"))
    ingest([str(CORPUS)], serial)
    ingest([str(CORPUS)], processes, workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = ingest([str(CORPUS)], on_dask, dask_address=cluster.scheduler_address)
    assert summary.ingested == 13
    assert counts(serial) == counts(processes) == counts(on_dask)


def test_seed_and_our_examples_in_one_store(tmp_path):
    """The seed's gold claims registered, the seed ingested beside our own example articles: the
    store's ledger of the central claim has the gold sides."""
    seed = shared_path("seed", "iran-f4-airstrikes.txt")
    gold = json.loads(seed.with_suffix(".gold.json").read_text(encoding="utf-8"))
    db = str(tmp_path / "ledger.db")
    engine = open_engine(db)
    ids = {key: register_claim(engine, text).claim_id for key, text in sorted(gold["claims"].items())}
    ingest([str(REPO / "examples")], db)
    assert main(["ingest", str(seed), "--db", db, "--quiet", "--published", gold["document"]["published"],
                 "--outlet", gold["document"]["outlet"]]) == 0
    names = {s["id"]: s["names"][0] for s in gold["sources"]}
    with engine.connect() as connection:
        central = get_claim(connection, ids["C1"])
        # three example stories (harbour-fire .txt and .html are one article) and the seed
        assert connection.execute(select(func.count()).select_from(t.articles)).scalar_one() == 4
    for side in ("support", "deny", "neutral"):
        expected = {names[s] for s in gold["ledger"]["C1"].get(side, [])}
        got = {s.name for s in getattr(central.claim, side)}
        assert expected <= got, (side, expected - got)
    assert central.claim.status == "disputed"
    assert all(s.outlet == "hngn.com" for s in central.statements)
    assert any(c.kind == "time" for c in central.conflicts)


def test_directory_files_with_unknown_suffixes_are_counted_and_names_are_not_absolute(tmp_path, capsys):
    folder = tmp_path / "articles"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "fire.txt").write_text(GOOD, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "README").write_text("what is in here", encoding="utf-8")
    (folder / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    assert main(["ingest", str(folder), "--db", db, "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ingested 1, skipped 0 already stored, failed 0, skipped 2 not article files")
    assert sorted(out[1:]) == [f"  skipped: {folder / 'README'}: not an article file (unknown suffix '(none)')",
                               f"  skipped: {folder / 'notes.pdf'}: not an article file (unknown suffix '.pdf')"]
    with open_engine(db).connect() as connection:
        names = set(connection.execute(select(t.articles.c.name)).scalars())
    assert names == {"articles/2026/fire.txt"}  # what the user named, not this machine's path


def test_a_file_named_by_its_absolute_path_is_stored_by_file_name(tmp_path):
    (tmp_path / "fire.txt").write_text(GOOD, encoding="utf-8")
    summary = ingest([str(tmp_path / "fire.txt")], str(tmp_path / "ledger.db"))
    assert summary.ingested == 1
    with open_engine(str(tmp_path / "ledger.db")).connect() as connection:
        assert set(connection.execute(select(t.articles.c.name)).scalars()) == {"fire.txt"}
