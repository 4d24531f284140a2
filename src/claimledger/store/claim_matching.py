"""`claimledger claim match`: is this claim already tracked? The store's claims ranked for a text.

Each claim is ranked by its best wording: its own text, how each article that carried it worded it,
and the text of any claim an editor merged into it (:class:`claimledger.claims.matching.ClaimRanker`).
Merged claims are not ranked on their own.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.engine import Engine

from claimledger.claims.matching import ClaimMatchResult, ClaimRanker
from claimledger.errors import UsageError
from claimledger.store import schema as t
from claimledger.store.decisions import merged_claims

MIN_MATCHES = 5


def match_texts(engine: Engine, texts: list[str], *, limit: int = MIN_MATCHES) -> list[ClaimMatchResult]:
    """For each text, the store's best claims (at least five when it has them) and whether it starts a new claim."""
    from claimledger.claims.builder import _encoder

    texts = [" ".join(text.split()) for text in texts]
    for number, text in enumerate(texts, 1):
        if not text:
            raise UsageError(f"text {number}: empty; give the claim's words")
    with engine.connect() as connection:
        return ranker_for_store(connection, _encoder()).match(texts, limit=max(MIN_MATCHES, limit))


def ranker_for_store(connection, encoder) -> ClaimRanker:
    """A ranker over the store's claims (merged ones folded into the claim they now are)."""
    merged = merged_claims(connection)
    texts: dict[int, str] = {}
    wordings: dict[int, list[str]] = defaultdict(list)
    for row in connection.execute(select(t.claims.c.id, t.claims.c.text).order_by(t.claims.c.id)):
        if row.id in merged:
            wordings[merged[row.id][0]].append(row.text)
        else:
            texts[row.id] = row.text
    for row in connection.execute(select(t.article_claims.c.claim_id, t.article_claims.c.text).order_by(t.article_claims.c.id)):
        owner = merged.get(row.claim_id, (row.claim_id, False))[0]
        wordings[owner].append(row.text)
    ids = list(texts)
    return ClaimRanker(encoder).fit(ids, [texts[i] for i in ids], [wordings.get(i, []) for i in ids])
