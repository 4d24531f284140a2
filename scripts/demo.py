"""`make demo`: analyze the seed article (when ../shared/seed is there) or our own example, print its
ledger, then put it in the store ``ledger.db`` beside our example articles and say how to browse it.

The seed's claims, title, outlet and publication date come from its gold file beside it; an
example's from its ``.meta.json`` sidecar. The printed ledger and the store come from the real CLI
(`analyze`, `claim add`, `ingest`); the seed goes in through the library only to carry the title
its gold file gives it. Running the demo again stores nothing twice.
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
                found = queries.list_claims(connection, queries.Filters(search=claim), limit=1)
            engine.dispose()
            if found:
                url += f"/{found[0].id}"
        except Exception:  # the hint must never break the demo
            pass
    return f"\nSee it in a browser: .venv/bin/claimledger serve --db {db}   then open {url}"


def store(claims: list[str], db: Path = Path("ledger.db")) -> int:
    """Register the claims, ingest our examples and the article into ``db``."""
    for claim in claims:
        code = main(["claim", "add", claim, "--db", str(db)])
        if code:
            return code
    code = main(["ingest", os.path.relpath(REPO / "examples"), "--db", str(db), "--quiet"])
    if code or not SEED.exists():
        return code
    from claimledger.ingest.reader import read_article
    from claimledger.store.database import open_engine
    from claimledger.services.ingest import store_document

    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))["document"]
    document = read_article(SEED, title=gold.get("title"), outlet=gold.get("outlet"), published=gold.get("published"))
    outcome = store_document(open_engine(str(db)), document)
    print(f"seed article {'already stored' if outcome.duplicate else 'stored'} as article {outcome.article_id} in {db}")
    return 0


if __name__ == "__main__":
    args = arguments()
    print("$ claimledger " + " ".join(repr(a) if " " in a else a for a in args), file=sys.stderr)
    code = main(args)
    claims = [args[i + 1] for i, a in enumerate(args) if a == "--claim"]
    if code == 0:
        print("\nStoring the ledger in ledger.db (with our example articles) ...", file=sys.stderr)
        code = store(claims)
    if code == 0:
        print(browse_hint(claims[0] if claims else ""))
    sys.exit(code)
