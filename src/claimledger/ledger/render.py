"""Render a ledger as JSON (the documented schema), Markdown, or readable text grouped by stance."""

from __future__ import annotations

import json

from claimledger.records import Ledger

STANCE_TITLES = (("support", "Supports"), ("deny", "Denies"), ("neutral", "Neutral"))


def render(ledger: Ledger, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(ledger.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(ledger)
    return _text(ledger)


def _source_line(ledger: Ledger, source_id: str | None) -> str:
    source = ledger.source(source_id)
    if source is None:
        return "(unattributed)"
    details = [d for d in (source.role, source.affiliation, source.country) if d]
    if source.anonymous:
        details.append("anonymous")
    return source.name + (f" ({'; '.join(details)})" if details else "")


def _statement_line(attribution) -> str:
    how = attribution.cue or "(continues)"
    if attribution.medium:
        how += f" via {attribution.medium}"
    quote = "“" + attribution.content + "”" if attribution.quote == "direct" else attribution.content
    times = "; ".join(
        f"{t.text} = {t.earliest}..{t.latest}" if t.earliest else t.text for t in attribution.times
    )
    evidence = ", ".join(sorted({e.kind for e in attribution.evidence}))
    extras = " ".join(x for x in (f"[time: {times}]" if times else "", f"[evidence: {evidence}]" if evidence else "") if x)
    return f"{attribution.id} {how}: {quote} {extras}".rstrip()


def _text(ledger: Ledger) -> str:
    doc = ledger.document
    lines = [f"Ledger of {doc.name or 'article'}" + (f" — {doc.title}" if doc.title else "")]
    meta = [f"published {doc.published}" if doc.published else "publication date unknown"]
    if doc.outlet:
        meta.append(doc.outlet)
    meta.append(f"{len(ledger.attributions)} statements from {len(ledger.sources)} sources")
    lines.append("  " + ", ".join(meta))
    for claim in ledger.claims:
        lines.append("")
        lines.append(f"{claim.id} ({claim.origin}): {claim.text}")
        if claim.article_stance:
            lines.append(f"  article as a whole (stance model): {claim.article_stance}")
        if claim.headline_stance:
            lines.append(f"  headline (headline stance model): {claim.headline_stance}")
        for side, title in STANCE_TITLES:
            ids = getattr(claim, side)
            if not ids:
                continue
            lines.append(f"  {title}:")
            for source_id in ids:
                lines.append(f"    {_source_line(ledger, source_id)}")
                for attribution in ledger.attributions:
                    if attribution.source == source_id and any(j.claim == claim.id and j.stance == side for j in attribution.stances):
                        lines.append(f"      {_statement_line(attribution)}")
    if ledger.conflicts:
        lines.append("")
        lines.append("Conflicts:")
        for conflict in ledger.conflicts:
            lines.append(f"  {conflict.claim} {conflict.kind}: {conflict.detail}")
    unrelated = [a for a in ledger.attributions if not a.stances]
    if unrelated:
        lines.append("")
        lines.append("Other statements:")
        previous_source = object()
        for attribution in unrelated:
            if attribution.source != previous_source:
                lines.append(f"  {_source_line(ledger, attribution.source)}")
                previous_source = attribution.source
            lines.append(f"    {_statement_line(attribution)}")
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(ledger: Ledger) -> str:
    doc = ledger.document
    out = [f"# Ledger: {_md_escape(doc.title or doc.name or 'article')}", ""]
    out.append(f"Published: {doc.published or 'unknown'}" + (f" · Outlet: {doc.outlet}" if doc.outlet else ""))
    out += ["", "## Claims", ""]
    for claim in ledger.claims:
        out.append(f"### {claim.id}: {_md_escape(claim.text)}")
        out.append("")
        for side, title in STANCE_TITLES:
            names = [source.name if (source := ledger.source(i)) else i for i in getattr(claim, side)]
            out.append(f"- **{title}**: {', '.join(names) if names else '—'}")
        out.append("")
    out += ["## Statements", "", "| id | source | cue | medium | quoted | content | stances |", "|---|---|---|---|---|---|---|"]
    for a in ledger.attributions:
        source = ledger.source(a.source)
        stances = ", ".join(f"{j.claim}:{j.stance}" for j in a.stances)
        out.append(
            f"| {a.id} | {_md_escape(source.name if source else '—')} | {_md_escape(a.cue)} | {a.medium or ''} | "
            f"{a.quote} | {_md_escape(a.content)} | {stances} |"
        )
    if ledger.conflicts:
        out += ["", "## Conflicts", ""]
        for conflict in ledger.conflicts:
            out.append(f"- **{conflict.claim} ({conflict.kind})**: {_md_escape(conflict.detail)}")
    out += ["", "## Sources", ""]
    for s in ledger.sources:
        mentions = "; ".join(sorted({m.text for m in s.mentions}))
        out.append(f"- `{s.id}` **{_md_escape(s.name)}** — {_md_escape(', '.join(x for x in (s.role, s.affiliation, s.country) if x))}"
                   f"{' (anonymous)' if s.anonymous else ''}; mentions: {_md_escape(mentions)}")
    return "\n".join(out) + "\n"
