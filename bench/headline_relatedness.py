"""How the headline gate separates: the share of Emergent article headlines whose MiniLM cosine with
their own rumour's claim, and with another rumour's claim, reaches each threshold.

``claims/builder.py`` reads an article's title toward a claim only at cosine >= 0.4
(``HEADLINE_RELATED_SIMILARITY``). Each headline is paired once with its own claim and once with a
claim drawn at random among the other rumours (seed 0).

Usage: python bench/headline_relatedness.py [--csv ../shared/data/emergent/train_articles.csv]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

import numpy as np

from claimledger.models import sentence_encoder
from claimledger.stance.headline import cosines_of

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", default=str(ROOT.parent / "shared/data/emergent/train_articles.csv"))
    args = parser.parse_args(argv)
    rows = list(csv.DictReader(open(args.csv, encoding="utf-8")))
    claims = sorted({r["claimHeadline"] for r in rows})
    rng = random.Random(0)
    headlines = [r["articleHeadline"] for r in rows]
    own = [r["claimHeadline"] for r in rows]
    other = [rng.choice([c for c in claims if c != r["claimHeadline"]]) for r in rows]
    encoder = sentence_encoder()
    own_cos, other_cos = cosines_of(encoder, own, headlines), cosines_of(encoder, other, headlines)
    print(f"{len(rows)} headlines, {len(claims)} claims")
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5):
        print(f"cosine >= {threshold:.2f}: own claim {float(np.mean(own_cos >= threshold)):.3f}, "
              f"another claim {float(np.mean(other_cos >= threshold)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
