"""Load check of `claimledger serve`: N concurrent clients on loopback against a claim page and the claims API.

Starts `claimledger serve` (uvicorn, --server-workers processes) on a free loopback port over the
store, then holds --clients concurrent keep-alive connections for --duration seconds, each looping:
GET /claims/ID (the HTML claim page with its matrix and timeline, ID drawn from the --claims
most-sourced claims) then GET /api/claims?limit=50 (the claims API, first page).

The load comes from `wrk` (Debian's package: `apt-get install wrk`; C, so the clients take little
of the CPU the server needs) with --tool wrk, or from asyncio + httpx with --tool httpx (no extra
package, per-endpoint figures, but the Python clients compete with the server for the cores). Any
status other than 200, any timeout, connection or read error counts as an error. Prints and writes
(--out, JSON) the request count, errors, throughput and latency percentiles.

    .venv/bin/python bench/load_web.py --db bench/out/fnc-train.db --clients 200 --duration 60 --tool wrk

With --post-article FILE the server gets a token and, as the load starts, one client POSTs FILE to
/api/articles (analysed in the server's analysis process): the read latencies are then those of
readers while a write is analysed. The report says whether the POST was still running when the load
ended (so every read was measured during it) and how it ended.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def start_server(db: str, port: int, workers: int, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    command = [sys.executable, "-m", "claimledger", "serve", "--db", db, "--port", str(port), "--workers", str(workers),
               *extra]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"serve exited {process.returncode}: {process.stderr.read().decode(errors='replace')}")
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("serve did not answer within 90 s")


async def client_loop(client: httpx.AsyncClient, claim_ids: list[int], stop_at: float,
                      results: dict[str, list[float]], errors: dict[str, int], rng: random.Random) -> None:
    while time.monotonic() < stop_at:
        for name, path in (("claim page", f"/claims/{rng.choice(claim_ids)}"), ("claims API", "/api/claims?limit=50")):
            started = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
                await response.aclose()
            except httpx.HTTPError as error:
                ok = False
                errors[f"{name}: {type(error).__name__}"] = errors.get(f"{name}: {type(error).__name__}", 0) + 1
            elapsed = time.perf_counter() - started
            if ok:
                results[name].append(elapsed)
            else:
                errors[name] = errors.get(name, 0) + 1
            if time.monotonic() >= stop_at:
                return


async def run_load(base: str, claim_ids: list[int], clients: int, duration: float, timeout: float) -> dict:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    results: dict[str, list[float]] = {"claim page": [], "claims API": []}
    errors: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        # warm-up: one request per endpoint, not counted
        await client.get(f"/claims/{claim_ids[0]}")
        await client.get("/api/claims?limit=50")
        started = time.monotonic()
        stop_at = started + duration
        await asyncio.gather(*(client_loop(client, claim_ids, stop_at, results, errors, random.Random(i))
                               for i in range(clients)))
        wall = time.monotonic() - started
    summary = {}
    for name, values in results.items():
        summary[name] = {
            "ok": len(values), "errors": sum(v for k, v in errors.items() if k == name),
            "per_second": round(len(values) / wall, 1),
            "p50_ms": round(percentile(values, 50) * 1000, 1), "p90_ms": round(percentile(values, 90) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1) if values else None,
            "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else None,
        }
    everything = [v for values in results.values() for v in values]
    total_errors = sum(v for k, v in errors.items() if ":" not in k)
    return {
        "wall_s": round(wall, 1), "requests": len(everything) + total_errors, "errors": total_errors,
        "error_kinds": {k: v for k, v in errors.items() if ":" in k},
        "per_second": round(len(everything) / wall, 1),
        "p50_ms": round(percentile(everything, 50) * 1000, 1), "p99_ms": round(percentile(everything, 99) * 1000, 1),
        "endpoints": summary,
    }


WRK_SCRIPT = """
local ids = {%(ids)s}
local turn = 0
request = function()
  turn = turn + 1
  if turn %% 2 == 0 then
    return wrk.format("GET", "/api/claims?limit=50")
  end
  return wrk.format("GET", "/claims/" .. ids[math.random(#ids)])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%.1f\\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def run_wrk(base: str, claim_ids: list[int], clients: int, duration: float, timeout: float, threads: int) -> dict:
    """The same mixed load from wrk; its latency covers both endpoints together."""
    script = Path(os.environ.get("TMPDIR", "/tmp")) / f"claimledger-load-{os.getpid()}.lua"
    script.write_text(WRK_SCRIPT % {"ids": ", ".join(str(i) for i in claim_ids)}, encoding="utf-8")
    try:
        command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{int(duration)}s",
                   "--timeout", f"{int(timeout)}s", "-s", str(script), base]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        script.unlink(missing_ok=True)
    match = re.search(r"^RESULT (.+)$", output, re.MULTILINE)
    if not match:
        raise SystemExit("wrk printed no result:\n" + output)
    (requests, duration_us, connect, read, write, status, timeouts, p50, p90, p99, worst), mean = (
        [int(x) for x in match.group(1).split()[:-1]], float(match.group(1).split()[-1]))
    errors = connect + read + write + status + timeouts
    wall = duration_us / 1e6
    return {
        "wall_s": round(wall, 1), "requests": requests, "errors": errors,
        "error_kinds": {"connect": connect, "read": read, "write": write, "status": status, "timeout": timeouts},
        "per_second": round(requests / wall, 1),
        "p50_ms": round(p50 / 1000, 1), "p90_ms": round(p90 / 1000, 1), "p99_ms": round(p99 / 1000, 1),
        "max_ms": round(worst / 1000, 1), "mean_ms": round(mean / 1000, 1),
        "wrk_threads": threads, "wrk_output": output.strip().splitlines()[:12],
    }


def post_article(base: str, token: str, text: str, outcome: dict) -> None:
    """POST one article and note its status, its first words of answer and how long it took."""
    started = time.perf_counter()
    try:
        response = httpx.post(f"{base}/api/articles", json={"text": text}, timeout=900,
                              headers={"Authorization": f"Bearer {token}"})
        outcome.update(status=response.status_code, answer=response.text[:200])
    except httpx.HTTPError as error:
        outcome.update(status=None, answer=f"{type(error).__name__}: {error}")
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    outcome["characters"] = len(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(REPO / "bench" / "out" / "fnc-train.db"))
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--server-workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--claims", type=int, default=50, help="claim pages drawn from the N most-sourced claims")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds (an error past it)")
    parser.add_argument("--tool", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx",
                        help="load generator (default: wrk when installed, else httpx)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--out", default=str(REPO / "bench" / "out" / "load_web.json"))
    parser.add_argument("--post-article", help="a text file POSTed to /api/articles as the load starts")
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db}: no such store (build it with claimledger ingest, see bench/RESULTS.md)")
    port = free_port()
    token = f"load-{os.getpid()}-{random.randrange(10**12)}"
    extra = ("--token", token, "--max-body-mb", "6") if args.post_article else ()
    server = start_server(args.db, port, args.server_workers, extra)
    base = f"http://127.0.0.1:{port}"
    post: dict = {}
    try:
        listing = httpx.get(f"{base}/api/claims", params={"limit": args.claims}, timeout=60).json()
        claim_ids = [item["id"] for item in listing["items"]]
        if not claim_ids:
            raise SystemExit("the store holds no claims")
        totals = httpx.get(f"{base}/api", timeout=30).json()["totals"]
        load_before = os.getloadavg()
        poster = None
        if args.post_article:
            text = Path(args.post_article).read_text(encoding="utf-8")
            poster = threading.Thread(target=post_article, args=(base, token, text, post), daemon=True)
            poster.start()
            time.sleep(1.0)  # the body is sent and the analysis has started
        if args.tool == "wrk":
            httpx.get(f"{base}/claims/{claim_ids[0]}", timeout=30)  # warm-up, not counted
            result = run_wrk(base, claim_ids, args.clients, args.duration, args.timeout, args.wrk_threads)
        else:
            result = asyncio.run(run_load(base, claim_ids, args.clients, args.duration, args.timeout))
        load_after = os.getloadavg()
        if poster is not None:
            post["running_when_load_ended"] = poster.is_alive()
            poster.join(timeout=600)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "store": {"db": args.db, **totals},
        "tool": args.tool, "clients": args.clients, "duration_s": args.duration, "server_workers": args.server_workers,
        "claim_pages_from": len(claim_ids),
        **({"post": {"file": args.post_article, **post}} if args.post_article else {}),
        **result,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
