"""Write an analysed article into the store in one transaction, resolving its sources and claims
against those already stored.

Each article commits whole or not at all, so an ingest killed at any moment leaves no half-written
article and a rerun picks up where it stopped (articles are keyed by the sha256 of their text).
Sources and claims are matched across articles by :mod:`claimledger.sources.identity` and
:mod:`claimledger.claims.matching`; an article whose wording of a claim negates the stored one
has its stances toward it turned (support ↔ deny).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import Insert, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from claimledger.claims.matching import ClaimFeatures, ClaimRegistry
from claimledger.ledger.sides import TURNED, article_sides
from claimledger.models import claim_merge_model
from claimledger.records import (  # noqa: F401 (content_hash: the store's article key)
    REGISTERED,
    AnalyzedArticle,
    Source,
    content_hash,
)
from claimledger.sources.identity import KnownSource, SourceRegistry, identity_key, normalise, proper_part, role_class
from claimledger.store import schema as t
from claimledger.store.queries.claims import refresh_claim
from claimledger.timex.resolver import parse_iso_date


@dataclass
class StoreOutcome:
    article_id: int
    duplicate: bool = False


class Registries:
    """The store's sources and claims in memory, for matching; reloaded if a write fails."""

    def __init__(self, connection: Connection):
        self.load(connection)

    def load(self, connection: Connection) -> None:
        known: dict[int, KnownSource] = {}
        query = select(t.sources.c.id, t.sources.c.name, t.sources.c.kind, t.sources.c.identity_key).order_by(t.sources.c.id)
        for row in connection.execute(query):
            known[row.id] = KnownSource(id=row.id, name=row.name, kind=row.kind, identity_key=row.identity_key)
        query = select(t.article_sources.c.source_id, t.article_sources.c.role, t.article_sources.c.affiliation).order_by(
            t.article_sources.c.id)
        for row in connection.execute(query):
            item = known.get(row.source_id)
            if item is not None:
                _describe(item, row.role, row.affiliation)
        self.sources = SourceRegistry(list(known.values()))
        self.claims = ClaimRegistry(model=claim_merge_model())
        self.registered: dict[str, int] = {}
        query = (
            select(t.claims.c.id, t.claims.c.text, t.claims.c.origin, t.claim_vectors.c.vector, t.claim_vectors.c.terms)
            .select_from(t.claims.outerjoin(t.claim_vectors))
            .order_by(t.claims.c.id)
        )
        for row in connection.execute(query):
            self.claims.add(row.id, ClaimFeatures.from_stored(row.text, row.vector, row.terms or ""))
            if row.origin == REGISTERED:
                self.registered[row.text] = row.id
        from claimledger.store.decisions import merged_claims, split_wordings

        self.merged = merged_claims(connection)  # editors' merges: a match to a merged claim is the kept claim
        self.split = split_wordings(connection)  # editors' splits: a wording that left a claim stays out of it

    def decided(self, claim_id: int, text: str, negated: bool) -> tuple[int, bool]:
        """The claim a wording matched to ``claim_id`` belongs to after the editors' decisions."""
        from claimledger.store.decisions import wording_key

        target, turned = self.merged.get(claim_id, (claim_id, False))
        return self.split.get((target, wording_key(text)), target), negated != turned


def inserted_id(connection: Connection, statement: Insert) -> int:
    """Insert one row and return its primary key."""
    key = connection.execute(statement).inserted_primary_key
    if key is None:  # pragma: no cover - every table has an integer primary key
        raise RuntimeError(f"no primary key came back from {statement}")
    return int(key[0])


def _describe(item: KnownSource, role: str | None, affiliation: str | None) -> None:
    if affiliation:
        item.affiliations.add(normalise(affiliation))
    kind = role_class(role, affiliation)
    if kind:
        item.roles.add(kind)


def registered_claims(connection: Connection) -> list[str]:
    """Texts of the claims users registered (`claimledger claim add`): every article is judged against them."""
    return list(connection.execute(select(t.claims.c.text).where(t.claims.c.origin == REGISTERED).order_by(t.claims.c.id)).scalars())


def write_article(engine: Engine, analyzed: AnalyzedArticle, registries: Registries) -> StoreOutcome:
    """Store one analysed article in one transaction; an article already stored is not written again.

    Another writer (a second API request, a second ingest) may store the same article, or a source
    or claim this one introduces, between our reading of the store and our write: the unique keys
    refuse the second copy, and the article is written again against a fresh view of the store.
    """
    try:
        return _write_once(engine, analyzed, registries)
    except IntegrityError:
        _reload(engine, registries)
        return _write_once(engine, analyzed, registries)


def _write_once(engine: Engine, analyzed: AnalyzedArticle, registries: Registries) -> StoreOutcome:
    try:
        with engine.begin() as connection:
            existing = connection.execute(
                select(t.articles.c.id).where(t.articles.c.content_hash == analyzed.content_hash)
            ).scalar()
            if existing is not None:
                return StoreOutcome(existing, duplicate=True)
            return StoreOutcome(_write(connection, analyzed, registries))
    except BaseException:
        _reload(engine, registries)  # the registries may hold rows that were rolled back
        raise


def _reload(engine: Engine, registries: Registries) -> None:
    with engine.connect() as connection:
        registries.load(connection)


def _write(connection: Connection, analyzed: AnalyzedArticle, registries: Registries) -> int:
    ledger = analyzed.ledger
    document = ledger.document
    now = datetime.now(timezone.utc)
    article_id = inserted_id(connection,
        insert(t.articles).values(
            content_hash=analyzed.content_hash,
            name=document.name,
            title=document.title,
            url=document.url,
            outlet=document.outlet,
            published=parse_iso_date(document.published),
            language=document.language,
            input_format=document.input_format,
            length=len(document.text),
            text=document.text,
            ingested_at=now,
        )
    )

    source_ids = {source.id: _store_source(connection, article_id, source, registries) for source in ledger.sources}

    attribution_ids: dict[str, int] = {}
    for attribution in ledger.attributions:
        mention = attribution.source_mention
        attribution_id = inserted_id(connection,
            insert(t.attributions).values(
                article_id=article_id,
                local_id=attribution.id,
                source_id=source_ids.get(attribution.source) if attribution.source else None,
                source_text=mention.text if mention else None,
                source_start=mention.start if mention else None,
                source_end=mention.end if mention else None,
                cue=attribution.cue,
                cue_class=attribution.cue_class,
                negated_cue=attribution.negated_cue,
                cue_start=attribution.cue_start,
                cue_end=attribution.cue_end,
                content=attribution.content,
                start=attribution.start,
                end=attribution.end,
                direct=attribution.direct,
                quote=attribution.quote,
                medium=attribution.medium,
                anonymous=attribution.anonymous,
                sentence=attribution.sentence,
            )
        )
        attribution_ids[attribution.id] = attribution_id
        if attribution.times:
            connection.execute(insert(t.times), [
                dict(article_id=article_id, attribution_id=attribution_id, text=ref.text, start=ref.start, end=ref.end,
                     earliest=parse_iso_date(ref.earliest), latest=parse_iso_date(ref.latest), relative=ref.relative, role=ref.role)
                for ref in attribution.times
            ])
        if attribution.evidence:
            connection.execute(insert(t.evidence), [
                dict(article_id=article_id, attribution_id=attribution_id, kind=item.kind, text=item.text,
                     start=item.start, end=item.end)
                for item in attribution.evidence
            ])

    claim_ids, turned = _store_claims(connection, article_id, analyzed, registries)

    stance_rows = []
    for attribution in ledger.attributions:
        for judgment in attribution.stances:
            if judgment.claim not in claim_ids or judgment.stance == "unrelated":
                continue
            stance = TURNED[judgment.stance] if judgment.claim in turned else judgment.stance
            stance_rows.append(dict(
                article_id=article_id, attribution_id=attribution_ids[attribution.id], claim_id=claim_ids[judgment.claim],
                source_id=source_ids.get(attribution.source) if attribution.source else None, stance=stance, confidence=float(judgment.confidence),
                because=judgment.because,
            ))
    if stance_rows:
        connection.execute(insert(t.stances), stance_rows)

    sides = article_sides(ledger.claims, claim_ids, source_ids, turned)  # the ledger's rule (ledger/sides.py)
    if sides:
        connection.execute(insert(t.source_stances), [
            dict(article_id=article_id, claim_id=claim_id, source_id=source_id, stance=stance)
            for (claim_id, source_id), stance in sides.items()
        ])

    for conflict in ledger.conflicts:
        if conflict.claim not in claim_ids:
            continue
        conflict_id = inserted_id(connection,
            insert(t.conflicts).values(article_id=article_id, claim_id=claim_ids[conflict.claim], kind=conflict.kind,
                                       detail=conflict.detail)
        )
        members = dict.fromkeys(source_ids[s] for s in conflict.sources if s in source_ids)
        if members:
            connection.execute(insert(t.conflict_sources), [dict(conflict_id=conflict_id, source_id=s) for s in members])
    for claim_id in dict.fromkeys(claim_ids.values()):
        refresh_claim(connection, claim_id)
    return article_id


def _store_source(connection: Connection, article_id: int, source: Source, registries: Registries) -> int:
    known = registries.sources.match(source)
    if known is None:
        source_id = inserted_id(connection,
            insert(t.sources).values(
                name=source.name, kind=source.kind, role=source.role, affiliation=source.affiliation,
                country=source.country, anonymous=source.anonymous, identity_key=identity_key(source),
            )
        )
        known = KnownSource(id=source_id, name=source.name, kind=source.kind, identity_key=identity_key(source))
    else:
        upgrade = {}
        if proper_part(source.name) and len(source.name.split()) > len(known.name.split()) and identity_key(source):
            upgrade = dict(name=source.name, identity_key=identity_key(source))  # "Kirby" becomes "John Kirby"
            registries.sources.forget(known)
            known.name, known.identity_key = source.name, identity_key(source)
        for column in ("role", "affiliation", "country"):
            if getattr(source, column):
                upgrade[column] = getattr(source, column)  # the latest description of the source
        if upgrade:
            connection.execute(update(t.sources).where(t.sources.c.id == known.id).values(**upgrade))
    _describe(known, source.role or (None if proper_part(source.name) else source.name), source.affiliation)
    registries.sources.add(known)
    connection.execute(
        insert(t.article_sources).values(
            article_id=article_id, source_id=known.id, local_id=source.id, name=source.name, role=source.role,
            affiliation=source.affiliation, country=source.country, anonymous=source.anonymous, kind=source.kind,
            side=source.side,
        )
    )
    if source.mentions:
        connection.execute(insert(t.source_mentions), [
            dict(article_id=article_id, source_id=known.id, text=m.text, start=m.start, end=m.end, kind=m.kind)
            for m in source.mentions
        ])
    return known.id


def _store_claims(connection: Connection, article_id: int, analyzed: AnalyzedArticle, registries: Registries):
    """Map each of the article's claims to a stored claim (matched or new); registered ones first,
    since they were judged directly. Returns local id → stored id, and the local ids whose stances turn."""
    claim_ids: dict[str, int] = {}
    turned: set[str] = set()
    ordered = sorted(analyzed.ledger.claims, key=lambda c: c.origin != REGISTERED)
    for claim in ordered:
        features = analyzed.claim_features.get(claim.id) or ClaimFeatures(text=claim.text, vector=None)
        similarity, negated = 1.0, False
        if claim.origin == REGISTERED and claim.text in registries.registered:
            stored_id, negated = registries.decided(registries.registered[claim.text], claim.text, False)
        else:
            match = registries.claims.match(features)
            if match is not None:
                stored_id, similarity, negated = match.claim_id, match.similarity, match.negated
                stored_id, negated = registries.decided(stored_id, claim.text, negated)
            else:
                stored_id = insert_claim(connection, claim.text, claim.origin,
                                       features, analyzed.encoder_model)
                registries.claims.add(stored_id, features)
        if stored_id in claim_ids.values():
            continue  # the article words one stored claim twice: its first (registered) wording stands
        claim_ids[claim.id] = stored_id
        if negated:
            turned.add(claim.id)
        stance, headline = claim.article_stance, claim.headline_stance
        probabilities = claim.article_stance_probabilities or {}
        connection.execute(
            insert(t.article_claims).values(
                article_id=article_id, claim_id=stored_id, local_id=claim.id, text=claim.text, origin=claim.origin,
                similarity=round(similarity, 4), negated=negated,
                article_stance=TURNED.get(stance, stance) if negated and stance else stance,
                article_stance_confidence=probabilities.get(stance) if stance else None,
                headline_stance=TURNED.get(headline, headline) if negated and headline else headline,
                headline_stance_confidence=(claim.headline_stance_probabilities or {}).get(headline) if headline else None,
            )
        )
    return claim_ids, turned


def insert_claim(connection: Connection, text: str, origin: str, features: ClaimFeatures, model: str) -> int:
    claim_id = inserted_id(connection,
        insert(t.claims).values(text=text, origin=origin, created_at=datetime.now(timezone.utc))
    )
    if features.vector is not None:
        connection.execute(insert(t.claim_vectors).values(
            claim_id=claim_id, model=model, vector=np.asarray(features.vector, dtype=np.float32).tobytes(),
            terms=features.terms_text(),
        ))
    return claim_id

