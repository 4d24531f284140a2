"""Conflicts between accounts of one claim.

``fact``: some sources assert the claim and others deny it. ``time``: sources that assert it date
it to ranges that do not overlap ("in the past several days" against "10 days ago").
"""

from __future__ import annotations

from datetime import date

from claimledger.records import Conflict, Ledger


def find_conflicts(ledger: Ledger) -> list[Conflict]:
    conflicts: list[Conflict] = []
    names = {s.id: s.name for s in ledger.sources}
    for claim in ledger.claims:
        if claim.support and claim.deny:
            conflicts.append(
                Conflict(
                    claim=claim.id,
                    kind="fact",
                    sources=list(claim.support) + list(claim.deny),
                    detail=(
                        f"{_names(claim.support, names)} assert what {_names(claim.deny, names)} deny"
                    ),
                )
            )
        conflicts.extend(_time_conflicts(ledger, claim, names))
    return conflicts


def _time_conflicts(ledger: Ledger, claim, names) -> list[Conflict]:
    dated: list[tuple[str, str, date, date]] = []  # source, text, earliest, latest
    for attribution in ledger.attributions:
        if attribution.source is None:
            continue
        if not any(j.claim == claim.id and j.stance == "support" for j in attribution.stances):
            continue
        for ref in attribution.times:
            if ref.role != "event" or not ref.earliest or not ref.latest:
                continue
            dated.append((attribution.source, ref.text, date.fromisoformat(ref.earliest), date.fromisoformat(ref.latest)))
    conflicts = []
    seen = set()
    for i, (source_a, text_a, start_a, end_a) in enumerate(dated):
        for source_b, text_b, start_b, end_b in dated[i + 1 :]:
            if source_a == source_b or (source_a, source_b) in seen:
                continue
            if end_a < start_b or end_b < start_a:
                seen.add((source_a, source_b))
                seen.add((source_b, source_a))
                conflicts.append(
                    Conflict(
                        claim=claim.id,
                        kind="time",
                        sources=[source_a, source_b],
                        detail=(
                            f"{names.get(source_a, source_a)} dates it '{text_a}' ({start_a}..{end_a}); "
                            f"{names.get(source_b, source_b)} '{text_b}' ({start_b}..{end_b})"
                        ),
                    )
                )
    return conflicts


def _names(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids)
