"""Editors' decisions about claims: merge two claims, split articles off a claim, resolve a claim.

What `claimledger claim merge|split|resolve` and POST /api/claims/{id}/resolution call. Each
decision is a row with who made it and when (read back by :mod:`claimledger.store.decisions`), so
later ingests follow it; a verdict is dated and never overwritten.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from claimledger.errors import UnknownIdError, UsageError
from claimledger.ledger.sides import TURNED
from claimledger.records import VERDICTS
from claimledger.store import schema as t
from claimledger.store.decisions import Resolution, utc_stamp, merged_claims
from claimledger.store.queries import refresh_claim
from claimledger.store.writer import inserted_id

# Rows that hang off a claim, with the columns that make a row unique beside the claim.
_CLAIM_ROWS = (
    (t.article_claims, ("article_id",)),
    (t.stances, ("attribution_id",)),
    (t.source_stances, ("article_id", "source_id")),
    (t.conflicts, None),
)



def _claim(connection: Connection, claim_id: int):
    row = connection.execute(select(t.claims.c.id, t.claims.c.text).where(t.claims.c.id == claim_id)).first()
    if row is None:
        raise UnknownIdError(f"claim {claim_id}: no such claim in the store")
    return row


def merge_claims(engine: Engine, keep: int, merged: int, *, by: str | None = None, note: str | None = None) -> int:
    """Fold claim ``merged`` into claim ``keep``: its articles, stances and conflicts become ``keep``'s.

    A merged claim that negates the kept one ("Iran did not strike …" into "Iran struck …") has its
    stances turned. Returns the decision's id.
    """
    from claimledger.stance.statement import negation_count

    if keep == merged:
        raise UsageError(f"claim merge {keep} {merged}: a claim cannot be merged into itself")
    with engine.begin() as connection:
        kept, folded = _claim(connection, keep), _claim(connection, merged)
        already = merged_claims(connection)
        if merged in already:
            raise UsageError(f"claim {merged} was already merged into claim {already[merged][0]}")
        if keep in already:
            raise UsageError(f"claim {keep} was merged into claim {already[keep][0]}: merge into that one")
        turned = negation_count(kept.text) % 2 != negation_count(folded.text) % 2
        _move_rows(connection, merged, keep, turned=turned)
        decision = inserted_id(connection, insert(t.claim_decisions).values(
            kind="merge", claim_id=keep, other_claim_id=merged, turned=turned, decided_by=by,
            decided_at=datetime.now(timezone.utc), note=note))
        refresh_claim(connection, keep)
        refresh_claim(connection, merged)
    return decision


def split_claim(engine: Engine, claim_id: int, article_ids: list[int], *, text: str | None = None,
                by: str | None = None, note: str | None = None) -> int:
    """Take ``article_ids`` off claim ``claim_id``: they carry a new claim (worded ``text``, else as the
    first of them words it). Returns the new claim's id."""
    from claimledger.models import sentence_encoder
    from claimledger.claims.matching import claim_features
    from claimledger.store.writer import insert_claim

    if not article_ids:
        raise UsageError(f"claim split {claim_id}: name the articles that leave the claim (--article ID)")
    with engine.begin() as connection:
        _claim(connection, claim_id)
        if claim_id in merged_claims(connection):
            raise UsageError(f"claim {claim_id} was merged into another claim: split that one")
        wordings = {row.article_id: row.text for row in connection.execute(
            select(t.article_claims.c.article_id, t.article_claims.c.text)
            .where(t.article_claims.c.claim_id == claim_id, t.article_claims.c.article_id.in_(article_ids)))}
        missing = [a for a in article_ids if a not in wordings]
        if missing:
            raise UsageError(f"claim split {claim_id}: article {missing[0]} does not carry claim {claim_id}")
        remaining = connection.execute(select(t.article_claims.c.article_id).where(
            t.article_claims.c.claim_id == claim_id, t.article_claims.c.article_id.notin_(article_ids))).first()
        if remaining is None:
            raise UsageError(f"claim split {claim_id}: every article of the claim would leave it; keep at least one")
        text = " ".join((text or wordings[article_ids[0]]).split())
        encoder = sentence_encoder()
        (features,) = claim_features([text], "", encoder)
        new_id = insert_claim(connection, text, "split", features, "all-MiniLM-L6-v2" if encoder is not None else "none")
        _move_rows(connection, claim_id, new_id, article_ids=article_ids)
        decision = inserted_id(connection, insert(t.claim_decisions).values(
            kind="split", claim_id=claim_id, other_claim_id=new_id, turned=False, decided_by=by,
            decided_at=datetime.now(timezone.utc), note=note))
        connection.execute(insert(t.claim_decision_articles), [
            dict(decision_id=decision, article_id=a, wording=wordings[a]) for a in dict.fromkeys(article_ids)])
        refresh_claim(connection, claim_id)
        refresh_claim(connection, new_id)
    return new_id


def _move_rows(connection: Connection, source: int, target: int, *, turned: bool = False,
               article_ids: list[int] | None = None) -> None:
    """Re-point a claim's rows (of ``article_ids`` only, if given) to another claim; a row the target
    already has (the same article, statement or source) is dropped; ``turned`` swaps support and deny."""
    for table, unique in _CLAIM_ROWS:
        where = [table.c.claim_id == source]
        if article_ids is not None:
            where.append(table.c.article_id.in_(article_ids))
        keys = [table.c[c] for c in unique or ()]
        taken = {tuple(r) for r in connection.execute(select(*keys).where(table.c.claim_id == target))} if keys else set()
        rows = list(connection.execute(select(table.c.id, *keys).where(*where)))
        dropped = {r[0] for r in rows if keys and tuple(r[1:]) in taken}
        moved = [r[0] for r in rows if r[0] not in dropped]
        if dropped:
            connection.execute(delete(table).where(table.c.id.in_(sorted(dropped))))
        if not moved:
            continue
        values: dict[str, Any] = {"claim_id": target}
        if turned and table is not t.conflicts:
            columns = [table.c.article_stance, table.c.headline_stance] if table is t.article_claims else [table.c.stance]
            for column in columns:
                values[column.name] = case(*((column == stance, other) for stance, other in TURNED.items() if stance != other),
                                           else_=column)  # the ledger's rule (ledger/sides.py), in SQL
            if table is t.article_claims:
                values["negated"] = ~table.c.negated
        connection.execute(update(table).where(table.c.id.in_(moved)).values(**values))


def resolve_claim(engine: Engine, claim_id: int, verdict: str, *, by: str, evidence: str | None = None,
                  note: str | None = None) -> Resolution:
    """Record a dated verdict on a claim (true, false or unresolved again); earlier ones stay as history."""
    verdict = (verdict or "").strip().lower()
    if verdict not in VERDICTS:
        raise UsageError(f"verdict '{verdict}': use one of {', '.join(VERDICTS)}")
    by = " ".join((by or "").split())
    if not by:
        raise UsageError("a verdict needs who decided it (--by NAME)")
    if evidence is not None and not evidence.lower().startswith(("http://", "https://")):
        raise UsageError(f"evidence '{evidence}': give an http:// or https:// address")
    with engine.begin() as connection:
        _claim(connection, claim_id)
        merged = merged_claims(connection)
        if claim_id in merged:
            raise UsageError(f"claim {claim_id} was merged into claim {merged[claim_id][0]}: resolve that one")
        decided_at = datetime.now(timezone.utc)
        connection.execute(insert(t.claim_resolutions).values(
            claim_id=claim_id, verdict=verdict, decided_by=by, evidence_url=evidence, note=note, decided_at=decided_at))
    return Resolution(claim_id, verdict, by, utc_stamp(decided_at), evidence, note)


