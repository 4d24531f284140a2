"""How likely a claim is to be confirmed, from the balance of independent reporting, with its reasons.

Reports are counted by the voice they rest on, not by the outlets that carried them: forty outlets
repeating one Reuters report are one voice (``independent_voices``). A voice is the source the report
quotes when the store knows it; else the report's own wording when other outlets carry it word for
word (or nearly: the same copy); else its outlet. A voice that took both sides counts on its latest.

The estimate is a logistic model of the numbers of independent voices for, against and only
reporting the claim. Its coefficients were fitted on the Emergent rumours resolved true or false
(``bench/claim_estimate.py``, cross-validated by claim there; the figures are in ``bench/RESULTS.md``).
Emergent counts outlets' headlines; in the store a voice is a source quoted in the articles, so the
estimate is an orientation for the editor, not a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from claimledger.records import SIDES

# log-odds of "confirmed" = INTERCEPT + FOR·log1p(for) + AGAINST·log1p(against) + OBSERVING·log1p(observing)
# fitted by bench/claim_estimate.py --fit on Emergent's 140 resolved claims (gold headline stances)
INTERCEPT = -1.86
FOR = 1.71
AGAINST = -2.36
OBSERVING = 0.01


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


def p_true(for_voices: int, against_voices: int, observing_voices: int) -> float:
    z = INTERCEPT + FOR * math.log1p(for_voices) + AGAINST * math.log1p(against_voices) + OBSERVING * math.log1p(observing_voices)
    return 1.0 / (1.0 + math.exp(-z))


def estimate(voices: dict[str, set[str]], outlets: int | None = None) -> dict | None:
    """``{"p_true", "basis"}`` from independent voices on each side, or None with nothing to go on.
    A voice named ``headline:…`` is an outlet's own headline; the basis says how many there are."""
    counts = {side: len(voices.get(side, ())) for side in SIDES}
    if not any(counts.values()):
        return None
    probability = p_true(counts["support"], counts["deny"], counts["neutral"])
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
    basis.append("model: logistic over the counts, fitted on Emergent's resolved rumours")
    return {"p_true": round(probability, 3), "basis": basis}


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def claim_estimate(support: list, deny: list, neutral: list, headlines: Sequence[Report] = ()) -> dict | None:
    """The estimate of a stored claim from its sources on each side (``SourceSide`` records): each
    source is one voice however many outlets carried it. ``headlines`` are outlets' headlines read
    toward the claim (``Report`` with the outlet, the side and the title as wording, in date order):
    each outlet is one more voice, its latest headline counting, and outlets that carry one headline
    word for word are one voice, as on Emergent, where the model was fitted on headlines."""
    reports = [Report(side=side, origin=f"source:{item.source_id}", outlet=(item.outlets or [None])[0])
               for side, items in (("support", support), ("deny", deny), ("neutral", neutral)) for item in items]
    voices = independent_voices(reports)
    if headlines:
        for side, names in independent_voices(list(headlines)).items():
            voices[side] |= {HEADLINE_VOICE + name for name in names}
    outlets = {o for items in (support, deny, neutral) for item in items for o in item.outlets}
    outlets |= {h.outlet for h in headlines if h.outlet}
    return estimate(voices, outlets=len(outlets) or None)


def _verb(count: int, plural: str, singular: str | None = None) -> str:
    return (singular or plural + "s") if count == 1 else plural
