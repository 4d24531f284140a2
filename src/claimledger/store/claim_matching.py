"""`claimledger claim match`: is this claim already tracked? The store's claims ranked for a text.

Each claim is ranked by its best wording: its own text, how each article that carried it worded it,
and the text of any claim an editor merged into it (:class:`claimledger.claims.matching.ClaimRanker`).
Merged claims are not ranked on their own. A text that names a country its best claim does not (and
the claim one the text does not) starts a new claim whatever its score: "Iran's strikes were
coordinated with U.S. forces" is not "Iran struck Islamic State in Iraq".
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from claimledger.claims.matching import ClaimFeatures, ClaimMatchResult, ClaimRanker, claim_features
from claimledger.errors import UsageError
from claimledger.store import schema as t
from claimledger.store.decisions import merged_claims

if TYPE_CHECKING:
    from claimledger.nlp.embeddings import SentenceEncoder

MIN_MATCHES = 5


def match_texts(engine: Engine, texts: list[str], *, limit: int = MIN_MATCHES) -> list[ClaimMatchResult]:
    """For each text, the store's best claims (at least five when it has them) and whether it starts a new claim."""
    from claimledger.models import sentence_encoder

    texts = [" ".join(text.split()) for text in texts]
    for number, text in enumerate(texts, 1):
        if not text:
            raise UsageError(f"text {number}: empty; give the claim's words")
    with engine.connect() as connection:
        ranker = ranker_for_store(connection, sentence_encoder())
    return ranker.match(texts, limit=max(MIN_MATCHES, limit), features=claim_features(texts, ""))


def ranker_for_store(connection: Connection, encoder: SentenceEncoder | None) -> ClaimRanker:
    """A ranker over the store's claims (merged ones folded into the claim they now are), with each
    claim's named places for the country guard."""
    merged = merged_claims(connection)
    texts: dict[int, str] = {}
    named: dict[int, ClaimFeatures] = {}
    wordings: dict[int, list[str]] = defaultdict(list)
    query = (select(t.claims.c.id, t.claims.c.text, t.claim_vectors.c.terms)
             .select_from(t.claims.outerjoin(t.claim_vectors)).order_by(t.claims.c.id))
    for row in connection.execute(query):
        if row.id in merged:
            wordings[merged[row.id][0]].append(row.text)
        else:
            texts[row.id] = row.text
            named[row.id] = ClaimFeatures.from_stored(row.text, None, row.terms or "")
    for row in connection.execute(select(t.article_claims.c.claim_id, t.article_claims.c.text).order_by(t.article_claims.c.id)):
        owner = merged.get(row.claim_id, (row.claim_id, False))[0]
        wordings[owner].append(row.text)
    ids = list(texts)
    return ClaimRanker(encoder).fit(ids, [texts[i] for i in ids], [wordings.get(i, []) for i in ids],
                                    features=[named[i] for i in ids])
