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


def browse_hint(claim: str, db: Path = Path("ledger.db")) -> str:
    """The one command that shows the ledger in a browser, with the page of ``claim`` when the store holds it."""
    url = "http://127.0.0.1:8000/claims"
    if db.exists():
        from claimledger.store import queries
        from claimledger.store.database import open_engine

        try:
            engine = open_engine(str(db), create=False)
            with engine.connect() as connection:
                found = queries.list_claims(connection, search=claim, limit=1)
            engine.dispose()
            if found:
                url += f"/{found[0].id}"
        except Exception:  # the hint must never break the demo
            pass
    return f"\nSee it in a browser: .venv/bin/claimledger serve --db {db}   then open {url}"


if __name__ == "__main__":
    args = arguments()
    print("$ claimledger " + " ".join(repr(a) if " " in a else a for a in args), file=sys.stderr)
    code = main(args)
    if code == 0:
        print(browse_hint(args[args.index("--claim") + 1] if "--claim" in args else ""))
    sys.exit(code)
