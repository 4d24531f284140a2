"""Benchmark the sentence encoder: load time, sentences/s at 1 and 2 threads, peak RSS.

Runs on the runtime install only (onnxruntime, tokenizers, numpy); no torch.

    python bench/encoder_bench.py                      # the shipped models/minilm
    python bench/encoder_bench.py --model-dir DIR --batch-sizes 1,64
"""

from __future__ import annotations

import argparse
import itertools
import platform
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from export_minilm import CLAIMS, FRAMES, HANDWRITTEN, SUBJECTS  # noqa: E402  (sentence material only)

from claimledger.nlp.embeddings import SentenceEncoder  # noqa: E402


def bench_sentences(count: int, seed: int = 7) -> list[str]:
    """News-like sentences, 5–70 words, from the export script's hand-written and template material."""
    rng = random.Random(seed)
    templated = [f.format(s=s, c=c) for s, c, f in itertools.product(SUBJECTS, CLAIMS, FRAMES)]
    pool = HANDWRITTEN + templated
    out = []
    while len(out) < count:
        pieces = rng.sample(pool, rng.choice([1, 1, 1, 2]))
        out.append(" ".join(pieces))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batch-sizes", default="64")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    texts = bench_sentences(args.sentences)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{platform.machine()} {platform.python_version()}, {len(texts)} sentences, mean {words:.1f} words")
    started = time.perf_counter()
    encoder = SentenceEncoder.load(args.model_dir, threads=1)
    print(f"load (incl. sha256 check): {time.perf_counter() - started:.2f} s; "
          f"precision {encoder.manifest.get('precision')}")
    encoder.encode(texts[:64])  # warm-up
    for threads in [int(t) for t in args.threads.split(",")]:
        encoder = SentenceEncoder.load(args.model_dir, threads=threads)
        encoder.encode(texts[:64])
        for batch_size in [int(b) for b in args.batch_sizes.split(",")]:
            best = min(_timed(encoder, texts, batch_size) for _ in range(args.repeats))
            print(f"threads={threads} batch_size={batch_size}: {len(texts) / best:.0f} sentences/s "
                  f"(best of {args.repeats}: {best:.2f} s)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss_mb:.0f} MB")
    return 0


def _timed(encoder: SentenceEncoder, texts: list[str], batch_size: int) -> float:
    started = time.perf_counter()
    encoder.encode(texts, batch_size=batch_size)
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
