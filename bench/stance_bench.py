"""Benchmark the shipped stance model: hold-out accuracy, predict throughput, load time, peak RSS.

Usage (from the repo root, FNC-1 data in ../shared/data/fnc1):

    python bench/stance_bench.py                 # everything below
    python bench/stance_bench.py --skip-eval     # speed only

Throughput is measured on the first 25,000 rows of train_stances.csv (speed only: those rows mix
training and hold-out bodies, so they say nothing about accuracy), each configuration in a fresh
subprocess so load time is cold-ish and peak RSS is that configuration's own. The end-to-end figure is
the real ``claimledger stance predict`` command (CSV in, CSV out, process start and model load
included). Accuracy is ``claimledger stance eval`` on the hold-out bodies (splits/hold_out_ids.txt).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"


def _child(args) -> None:
    """Runs inside the subprocess: load, predict, report JSON on stdout."""
    started = time.perf_counter()
    from claimledger.stance.fnc import read_bodies, read_stances
    from claimledger.stance.model import StanceModel

    bodies = read_bodies(args.data / "train_bodies.csv")
    pairs = read_stances(args.pairs_csv, bodies)
    read_seconds = time.perf_counter() - started
    t = time.perf_counter()
    model = StanceModel.load(args.model, n_threads=args.threads)
    load_seconds = time.perf_counter() - t
    t = time.perf_counter()
    labels = model.predict([p.headline for p in pairs], [bodies[p.body_id] for p in pairs])
    predict_seconds = time.perf_counter() - t
    print(json.dumps({
        "threads": args.threads, "pairs": len(pairs), "read_csv_seconds": round(read_seconds, 2),
        "load_seconds": round(load_seconds, 2), "predict_seconds": round(predict_seconds, 2),
        "pairs_per_second": round(len(pairs) / predict_seconds, 1),
        "predicted_related": sum(label != "unrelated" for label in labels),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def _write_pairs(data: Path, n: int, hold_out: bool = False) -> Path:
    """Write the benchmark's pairs CSV to bench/out (never committed: FNC text stays out of the repo)."""
    OUT.mkdir(parents=True, exist_ok=True)
    keep = None
    if hold_out:
        keep = {line.strip() for line in (data / "splits" / "hold_out_ids.txt").read_text().split()}
    target = OUT / ("holdout_stances.csv" if hold_out else f"first{n}_stances.csv")
    with open(data / "train_stances.csv", encoding="utf-8", newline="") as src, \
            open(target, "w", encoding="utf-8", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        writer.writerow(next(reader))
        written = 0
        for row in reader:
            if keep is not None and row[1].strip() not in keep:
                continue
            writer.writerow(row)
            written += 1
            if not hold_out and written >= n:
                break
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fnc1")
    parser.add_argument("--model", type=Path, default=None, help="model dir (default: shipped)")
    parser.add_argument("--pairs", type=int, default=25_000)
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pairs-csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.threads = int(args.threads)
        _child(args)
        return 0

    print(f"# {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at start (machine shared: timings are noisy)")
    pairs_csv = _write_pairs(args.data, args.pairs)
    model_args = ["--model", str(args.model)] if args.model else []
    for threads in [int(t) for t in args.threads.split(",")]:
        cmd = [sys.executable, __file__, "--child", "--data", str(args.data), "--pairs-csv", str(pairs_csv),
               "--threads", str(threads), *model_args]
        result = subprocess.run(cmd, capture_output=True, text=True, check=True)
        print("in-process:", result.stdout.strip(), flush=True)

    cli = [sys.executable, "-m", "claimledger", "stance", "predict", "--bodies", str(args.data / "train_bodies.csv"),
           "--stances", str(pairs_csv), "--out", str(OUT / "pred_bench.csv"), *model_args]
    started = time.perf_counter()
    subprocess.run(cli, check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("end-to-end:", json.dumps({"command": "claimledger stance predict (default threads)", "pairs": args.pairs,
                                     "wall_seconds": round(wall, 2), "pairs_per_second": round(args.pairs / wall, 1),
                                     "peak_rss_mb_any_child": round(rss, 1)}), flush=True)

    if not args.skip_eval:
        hold = _write_pairs(args.data, 0, hold_out=True)
        cmd = [sys.executable, "-m", "claimledger", "stance", "eval", "--bodies",
               str(args.data / "train_bodies.csv"), "--stances", str(hold), *model_args]
        # Every hold-out headline occurs in training: with the claim memory these are seen-claim figures.
        for extra in ([], ["--claim-memory"]):
            print("$ claimledger stance eval --bodies ../shared/data/fnc1/train_bodies.csv "
                  "--stances bench/out/holdout_stances.csv " + " ".join(extra))
            print(subprocess.run(cmd + extra, capture_output=True, text=True, check=True).stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
