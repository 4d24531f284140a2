"""Register a claim by hand (`claimledger claim add`) and judge the stored articles against it.

A registered claim is tracked the way Emergent tracked a rumour: every article ingested later is
judged against it directly, and so is every article already stored that shares at least two of its
content words, from the statements kept in the store (no re-parse of the articles).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from claimledger.errors import UsageError
from claimledger.ledger.sides import article_sides
from claimledger.records import REGISTERED, Attribution, Document, Ledger
from claimledger.store import schema as t
from claimledger.store.queries import refresh_claim
from claimledger.store.writer import insert_claim

MIN_SHARED_WORDS = 2


@dataclass
class Registration:
    claim_id: int
    created: bool
    articles_judged: int


def register_claim(engine: Engine, text: str, *, judge_stored: bool = True) -> Registration:
    """Store ``text`` as a registered claim (or promote the stored claim with that exact text)."""
    from claimledger.claims.matching import claim_features
    from claimledger.models import encoder_name, sentence_encoder

    text = " ".join(text.split())
    if len(text.split()) < 2:
        raise UsageError(f"claim text '{text}': a claim needs at least two words")
    with engine.begin() as connection:
        existing = connection.execute(select(t.claims.c.id, t.claims.c.origin).where(t.claims.c.text == text)).first()
        if existing is not None:
            if existing.origin != REGISTERED:
                connection.execute(update(t.claims).where(t.claims.c.id == existing.id).values(origin=REGISTERED))
            return Registration(existing.id, created=False, articles_judged=0)
        encoder = sentence_encoder()
        (features,) = claim_features([text], "", encoder)
        claim_id = insert_claim(connection, text, REGISTERED, features, encoder_name(encoder))
        judged = _judge_stored_articles(connection, claim_id, text) if judge_stored else 0
        refresh_claim(connection, claim_id)
    return Registration(claim_id, created=True, articles_judged=judged)


def _judge_stored_articles(connection, claim_id: int, text: str) -> int:
    from claimledger.claims.builder import build_claims
    from claimledger.stance.statement import content_terms

    words = {w for w in content_terms(text, {}) if len(w) >= 3}
    judged = 0
    for article in connection.execute(select(t.articles.c.id, t.articles.c.text, t.articles.c.title, t.articles.c.published)):
        lowered = article.text.lower()
        if sum(1 for w in words if w in lowered) < MIN_SHARED_WORDS:
            continue
        rows = list(connection.execute(select(t.attributions).where(t.attributions.c.article_id == article.id).order_by(t.attributions.c.start)))
        if not rows:
            continue
        ledger = Ledger(
            document=Document(text=article.text, title=article.title),
            attributions=[
                Attribution(id=str(r.id), source=str(r.source_id) if r.source_id else None, cue=r.cue, content=r.content,
                            start=r.start, end=r.end, direct=r.direct, cue_class=r.cue_class, negated_cue=r.negated_cue)
                for r in rows
            ],
        )
        build_claims(ledger, None, [text])
        stances = [
            dict(article_id=article.id, attribution_id=int(a.id), claim_id=claim_id,
                 source_id=int(a.source) if a.source else None, stance=j.stance, confidence=float(j.confidence),
                 because=j.because)
            for a in ledger.attributions for j in a.stances if j.stance != "unrelated"
        ]
        if not stances:
            continue
        (claim,) = ledger.claims
        probabilities = claim.article_stance_probabilities or {}
        connection.execute(insert(t.article_claims).values(
            article_id=article.id, claim_id=claim_id, local_id="R", text=text, origin=REGISTERED, similarity=1.0,
            negated=False, article_stance=claim.article_stance,
            article_stance_confidence=probabilities.get(claim.article_stance) if claim.article_stance else None,
        ))
        connection.execute(insert(t.stances), stances)
        stored_sources = {a.source: int(a.source) for a in ledger.attributions if a.source}
        sides = [dict(article_id=article.id, claim_id=claim_id, source_id=source_id, stance=stance)
                 for (_, source_id), stance in article_sides([claim], {claim.id: claim_id}, stored_sources, set()).items()]
        if sides:
            connection.execute(insert(t.source_stances), sides)
        judged += 1
    return judged


__all__ = ["register_claim", "Registration"]
