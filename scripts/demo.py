"""`make demo`: analyze the seed article (when ../shared/seed is there) or our own example, print its ledger.

The seed's claims and publication date come from its gold file beside it; an example's from its
``.meta.json`` sidecar. Runs the real CLI, so the demo shows exactly what users get.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from claimledger.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "iran-f4-airstrikes.txt"
EXAMPLE = REPO / "examples" / "selna-dam.txt"


def arguments() -> list[str]:
    if SEED.exists():
        gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
        claims = list(gold["claims"].values())
        published = gold["document"]["published"]
        article = SEED
    else:
        meta = json.loads(EXAMPLE.with_suffix(".meta.json").read_text(encoding="utf-8"))
        claims, published, article = meta["claims"], meta["published"], EXAMPLE
    args = ["analyze", os.path.relpath(article), "--published", published]
    for claim in claims:
        args += ["--claim", claim]
    return args + sys.argv[1:]


if __name__ == "__main__":
    args = arguments()
    print("$ claimledger " + " ".join(repr(a) if " " in a else a for a in args), file=sys.stderr)
    sys.exit(main(args))
