"""Throughput of `analyze` over the FNC-1 training bodies: articles/s, words/s, peak RSS, 1..N processes.

    python bench/throughput.py --processes 1 2 [--limit N] [--lexical-only]

Bodies are read from ../shared/data/fnc1/train_bodies.csv (never copied here). Each process loads
the pipeline once (load time reported apart) and analyzes its share of the bodies in batches of 64
(``analyze_documents``: one spaCy stream per batch); the figure is bodies / wall time of the
analysis, after loading. Reading, decoding and language detection are included.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BODIES = REPO.parent / "shared" / "data" / "fnc1" / "train_bodies.csv"
BATCH = 64  # articles parsed in one spaCy stream (see claimledger.pipeline.analyze_documents)


def load_bodies(limit: int | None) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with BODIES.open(encoding="utf-8") as handle:
        bodies = [row["articleBody"] for row in csv.DictReader(handle)]
    return bodies[:limit] if limit else bodies


def _warm(lexical_only: bool) -> float:
    start = time.perf_counter()
    import claimledger

    claimledger.analyze("The minister said the bridge would reopen on Monday.", use_stance_model=not lexical_only)
    return time.perf_counter() - start


def _work(args: tuple[list[str], bool]) -> tuple[int, int, float, int]:
    bodies, lexical_only = args
    load = _warm(lexical_only)
    from claimledger.errors import ClaimledgerError

    from claimledger.ingest.reader import document_from_text
    from claimledger.pipeline import analyze_documents

    statements = 0
    start = time.perf_counter()
    for first in range(0, len(bodies), BATCH):
        documents = []
        for body in bodies[first : first + BATCH]:
            try:
                documents.append(document_from_text(body))
            except ClaimledgerError:
                pass  # e.g. an empty body: an error for users, skipped here
        for ledger in analyze_documents(documents, use_stance_model=not lexical_only):
            statements += len(ledger.attributions)
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return statements, rss_mb, elapsed, int(load * 1000)


def run(bodies: list[str], processes: int, lexical_only: bool) -> dict:
    shares = [bodies[i::processes] for i in range(processes)]
    wall_start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        results = list(pool.map(_work, [(share, lexical_only) for share in shares]))
    wall = time.perf_counter() - wall_start
    analysis = max(r[2] for r in results)
    words = sum(len(b.split()) for b in bodies)
    return {
        "processes": processes,
        "bodies": len(bodies),
        "words": words,
        "statements": sum(r[0] for r in results),
        "analysis_seconds": round(analysis, 1),
        "articles_per_second": round(len(bodies) / analysis, 2),
        "words_per_second": round(words / analysis),
        "load_seconds": max(r[3] for r in results) / 1000,
        "wall_seconds_including_load": round(wall, 1),
        "peak_rss_mb_per_process": max(r[1] for r in results),
        "stance_models": not lexical_only,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--limit", type=int, help="only the first N bodies")
    parser.add_argument("--lexical-only", action="store_true", help="no sentence encoder / stance model")
    args = parser.parse_args()
    if not BODIES.exists():
        sys.exit(f"throughput: {BODIES.name} not found under ../shared/data/fnc1 (the FNC-1 data is needed)")
    bodies = load_bodies(args.limit)
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    for processes in args.processes:
        result = run(bodies, processes, args.lexical_only)
        print(json.dumps(result))
        with (out / "throughput.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
