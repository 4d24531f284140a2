"""How likely a claim is to be confirmed, from the balance of independent reporting, with its reasons.

Reports are counted by the voice they rest on, not by the outlets that carried them: forty outlets
repeating one Reuters report are one voice (``independent_voices``). A voice is the source the report
quotes when the store knows it; else the report's own wording when other outlets carry it word for
word (or nearly: the same copy); else its outlet. A voice that took both sides counts on its latest.

The estimate is a logistic model of the numbers of independent voices for, against and only
reporting the claim, and of the record of the voices that take a side: how often their sides on
other claims, resolved since, proved right (``records_from``; never the claim being estimated). Its
coefficients were fitted on the Emergent rumours resolved true or false (``bench/claim_estimate.py``,
cross-validated by claim there; the figures are in ``bench/RESULTS.md``). Emergent counts outlets'
headlines; in the store a voice is a source quoted in the articles or an outlet's own headline, so
the estimate is an orientation for the editor, not a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimledger.records import SIDES

# log-odds of "confirmed" = INTERCEPT + FOR·log1p(for) + AGAINST·log1p(against) + OBSERVING·log1p(observing)
#     + RECORD_FOR·(record of the voices supporting) + RECORD_AGAINST·(record of the voices denying)
# fitted by bench/claim_estimate.py --fit --record on Emergent's 140 resolved claims (gold headline
# stances; each claim's record from the other 139)
INTERCEPT = -1.60
FOR = 1.11
AGAINST = -2.27
OBSERVING = -0.05
RECORD_FOR = 1.15
RECORD_AGAINST = 0.20


HEADLINE_VOICE = "headline:"  # the prefix of a voice that is an outlet's own headline


@dataclass
class Report:
    """One report of a claim: the side it takes, who carried it, and what it rests on if known."""

    side: str  # support | deny | neutral
    outlet: str | None = None
    origin: str | None = None  # the source it quotes (e.g. "source:12", "Reuters"), when known
    wording: str | None = None  # the report's own wording (a headline), for spotting copies
    order: int = 0  # later reports have higher order (date, then ingest)


def independent_voices(reports: list[Report], copies: list[int] | None = None) -> dict[str, set[str]]:
    """The independent voices on each side. ``copies`` may give each report a copy group (reports with
    the same group carry one text, e.g. found by the sentence encoder); identical wordings are one
    copy anyway."""
    latest: dict[str, str] = {}
    for index in sorted(range(len(reports)), key=lambda i: reports[i].order):  # oldest first: a later side overrides
        report = reports[index]
        if report.origin:
            voice = f"origin:{report.origin.strip().lower()}"
        elif copies is not None and copies[index] is not None:
            voice = f"copy:{copies[index]}"
        elif report.wording and _copied(report.wording, reports):
            voice = f"wording:{_norm(report.wording)}"
        else:
            voice = f"outlet:{(report.outlet or f'#{index}').strip().lower()}"
        side = report.side if report.side in SIDES else "neutral"
        if voice not in latest or side != "neutral":
            latest[voice] = side
    voices: dict[str, set[str]] = {side: set() for side in SIDES}
    for voice, side in latest.items():
        voices[side].add(voice)
    return voices


def _norm(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


def _copied(wording: str, reports: list[Report]) -> bool:
    key = _norm(wording)
    return sum(1 for r in reports if r.wording and _norm(r.wording) == key) > 1


def p_true(for_voices: int, against_voices: int, observing_voices: int,
           record_for: float = 0.0, record_against: float = 0.0) -> float:
    z = (INTERCEPT + FOR * math.log1p(for_voices) + AGAINST * math.log1p(against_voices)
         + OBSERVING * math.log1p(observing_voices) + RECORD_FOR * record_for + RECORD_AGAINST * record_against)
    return 1.0 / (1.0 + math.exp(-z))


def record_key(report: Report) -> str | None:
    """Whose record a report draws on: the source it quotes, else its outlet."""
    if report.origin:
        return f"origin:{report.origin.strip().lower()}"
    return f"outlet:{report.outlet.strip().lower()}" if report.outlet else None


def records_from(resolved: Sequence[tuple[Sequence[Report], bool]]) -> dict[str, tuple[int, int]]:
    """Each voice's record over resolved claims (their reports, and whether the claim proved true):
    key → (times its side proved right, times it took a side). A voice counts once per claim, on
    its latest side; reports that take no side do not count."""
    tally: dict[str, list[int]] = {}
    for reports, true in resolved:
        latest: dict[str, str] = {}
        for report in sorted(reports, key=lambda r: r.order):
            key = record_key(report)
            if key and report.side in ("support", "deny"):
                latest[key] = report.side
        for key, side in latest.items():
            right_total = tally.setdefault(key, [0, 0])
            right_total[0] += (side == "support") == true
            right_total[1] += 1
    return {key: (right, total) for key, (right, total) in tally.items()}


def reliability(right: int, total: int) -> float:
    """How much better than chance a voice's sides have proved, smoothed: (right + 1) / (total + 2) - 0.5."""
    return (right + 1) / (total + 2) - 0.5


def record_terms(reports: Sequence[Report], records: Mapping[str, tuple[int, int]]) -> tuple[float, float, int]:
    """The record of the voices that take a side on this claim: summed reliability of those
    supporting, of those denying, and how many of them have a record at all."""
    latest: dict[str, str] = {}
    for report in sorted(reports, key=lambda r: r.order):
        key = record_key(report)
        if key and report.side in ("support", "deny"):
            latest[key] = report.side
    weights = {"support": 0.0, "deny": 0.0}
    known = 0
    for key, side in latest.items():
        if key in records:
            weights[side] += reliability(*records[key])
            known += 1
    return weights["support"], weights["deny"], known


def estimate(voices: dict[str, set[str]], outlets: int | None = None,
             record: tuple[float, float, int] = (0.0, 0.0, 0)) -> dict | None:
    """``{"p_true", "basis"}`` from independent voices on each side, or None with nothing to go on.
    A voice named ``headline:…`` is an outlet's own headline; the basis says how many there are.
    ``record`` is ``record_terms`` of the claim's reports (from other, resolved claims)."""
    counts = {side: len(voices.get(side, ())) for side in SIDES}
    if not any(counts.values()):
        return None
    record_for, record_against, known = record
    probability = p_true(counts["support"], counts["deny"], counts["neutral"], record_for, record_against)
    basis = [
        f"{_n(counts['support'], 'independent source')} {_verb(counts['support'], 'support')} it",
        f"{_n(counts['deny'], 'independent source')} {_verb(counts['deny'], 'deny', 'denies')} it",
        f"{_n(counts['neutral'], 'independent source')} {_verb(counts['neutral'], 'report')} it without taking a side",
    ]
    headlines = {side: sum(1 for voice in voices.get(side, ()) if voice.startswith(HEADLINE_VOICE)) for side in SIDES}
    if any(headlines.values()):
        basis.append(
            f"of these, outlets' own headlines: {headlines['support']} supporting, {headlines['deny']} denying, "
            f"{headlines['neutral']} only reporting (the headline stance model's reading; one voice per outlet)"
        )
    if outlets is not None and outlets > sum(counts.values()):
        basis.append(f"{_n(outlets, 'outlet')} carried these reports; copies of one report count once")
    if counts["deny"]:
        basis.append("a denial weighs more than a confirmation: on Emergent, denied rumours mostly turned out false")
    elif counts["support"] and not counts["deny"]:
        basis.append("no source denies it")
    if known:
        basis.append(
            f"{_n(known, 'voice')} taking a side {'has' if known == 1 else 'have'} a record on other resolved claims: "
            f"{record_for:+.2f} for the supporters, {record_against:+.2f} for the deniers (how much better than "
            "chance their sides proved)"
        )
    basis.append("model: logistic over the counts and the record, fitted on Emergent's resolved rumours")
    return {"p_true": round(probability, 3), "basis": basis}


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def claim_reports(support: list, deny: list, neutral: list, headlines: Sequence[Report] = ()) -> list[Report]:
    """A stored claim's reports: one per source on each side (``SourceSide`` records), then its
    outlets' headlines."""
    return [Report(side=side, origin=f"source:{item.source_id}", outlet=(item.outlets or [None])[0])
            for side, items in (("support", support), ("deny", deny), ("neutral", neutral)) for item in items] + list(headlines)


def claim_estimate(support: list, deny: list, neutral: list, headlines: Sequence[Report] = (),
                   records: Mapping[str, tuple[int, int]] | None = None) -> dict | None:
    """The estimate of a stored claim from its sources on each side (``SourceSide`` records): each
    source is one voice however many outlets carried it. ``headlines`` are outlets' headlines read
    toward the claim (``Report`` with the outlet, the side and the title as wording, in date order):
    each outlet is one more voice, its latest headline counting, and outlets that carry one headline
    word for word are one voice, as on Emergent, where the model was fitted on headlines. ``records``
    (``records_from`` over other, resolved claims) weigh the voices by how their sides proved."""
    reports = claim_reports(support, deny, neutral)
    voices = independent_voices(reports)
    if headlines:
        for side, names in independent_voices(list(headlines)).items():
            voices[side] |= {HEADLINE_VOICE + name for name in names}
    outlets = {o for items in (support, deny, neutral) for item in items for o in item.outlets}
    outlets |= {h.outlet for h in headlines if h.outlet}
    record = record_terms(reports + list(headlines), records) if records else (0.0, 0.0, 0)
    return estimate(voices, outlets=len(outlets) or None, record=record)


def _verb(count: int, plural: str, singular: str | None = None) -> str:
    return (singular or plural + "s") if count == 1 else plural
