"""Print the store's claim ledgers as text, Markdown, JSON or CSV (`claimledger claims`, `claim ID`)."""

from __future__ import annotations

import csv
import io
import json

from claimledger.ledger.corpus import ClaimLedger, ClaimSummary, SourceSide
from claimledger.records import SIDES

FORMATS = ("text", "json", "md", "csv")


def render_claims(claims: list[ClaimSummary], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([c.to_dict() for c in claims], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "text", "status", "first_seen", "last_seen", *SIDES,
                         *(f"{side}_sources" for side in SIDES), "articles"])
        for c in claims:
            writer.writerow([c.id, c.text, c.status, c.first_seen or "", c.last_seen or "", len(c.support), len(c.deny),
                             len(c.neutral), _names(c.support, "; "), _names(c.deny, "; "), _names(c.neutral, "; "), c.articles])
        return buffer.getvalue()
    if fmt == "md":
        lines = ["| id | claim | status | support | deny | neutral | first seen | last seen |", "|---|---|---|---|---|---|---|---|"]
        for c in claims:
            lines.append(f"| {c.id} | {_md(c.text)} | {c.status} | {len(c.support)} | {len(c.deny)} | {len(c.neutral)} | "
                         f"{c.first_seen or ''} | {c.last_seen or ''} |")
        return "\n".join(lines) + "\n"
    if not claims:
        return "no claims in the store\n"
    lines = []
    for c in claims:
        lines.append(f"[{c.id}] {c.text}")
        lines.append(f"    {c.status}: {len(c.support)} support, {len(c.deny)} deny, {len(c.neutral)} neutral"
                     f" · {c.articles} article(s) · {_span(c.first_seen, c.last_seen)}")
        for side in ("support", "deny"):
            if getattr(c, side):
                lines.append(f"    {side}: {_names(getattr(c, side), ', ', outlets=True)}")
    return "\n".join(lines) + "\n"


def render_claim(ledger: ClaimLedger, fmt: str) -> str:
    claim = ledger.claim
    if fmt == "json":
        return json.dumps(ledger.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["claim_id", "date", "source_id", "source", "stance", "confidence", "outlet", "medium", "cue",
                         "statement", "evidence", "times", "article_id", "start", "end"])
        for s in ledger.statements:
            writer.writerow([claim.id, s.published or "", s.source_id or "", s.source_name or "", s.stance, s.confidence,
                             s.outlet or "", s.medium or "", s.cue, s.content, ";".join(s.evidence),
                             ";".join(t["text"] for t in s.times), s.article_id, s.start, s.end])
        return buffer.getvalue()
    md = fmt == "md"
    out = [f"# Claim {claim.id}: {claim.text}" if md else f"Claim {claim.id}: {claim.text}",
           f"Status: {claim.status} · {claim.articles} article(s) · {_span(claim.first_seen, claim.last_seen)}"]
    if len(ledger.wordings) > 1:
        out.append("Also worded: " + " | ".join(w for w in ledger.wordings if w != claim.text))
    if ledger.merged_into:
        out.append(f"Merged into claim {ledger.merged_into} by an editor")
    if claim.resolution:
        r = claim.resolution
        out.append(f"Verdict: {r['verdict']} ({r['by']}, {r['at'][:10]}"
                   + (f"; evidence {r['evidence']}" if r.get("evidence") else "") + ")"
                   + (f": {r['note']}" if r.get("note") else ""))
    if claim.estimate:
        out.append(f"Estimate: {claim.estimate['p_true']:.0%} likely to be confirmed ("
                   + "; ".join(claim.estimate["basis"][:2]) + ")")
    for change in ledger.changed:
        out.append(f"Changed account: {change['name']}: {change['from']} ({change['since']}), then {change['to']} ({change['on']})")
    out.append("")
    out.append("## Sources" if md else "Sources")
    for side in SIDES:
        for source in getattr(claim, side):
            out.append(f"{'- ' if md else '  '}{side:<8} {_describe(source)}")
    out.append("")
    out.append("## Statements" if md else "Statements (oldest first)")
    for s in ledger.statements:
        where = s.outlet or s.article_name or f"article {s.article_id}"
        if s.medium:
            where += f", to {s.medium}"
        extra = []
        if s.evidence:
            extra.append("evidence: " + ", ".join(s.evidence))
        if s.times:
            extra.append("when: " + ", ".join(_time(t) for t in s.times))
        out.append(f"{'- ' if md else '  '}{s.published or 'date unknown'}  {s.stance:<7} {s.source_name or '(unattributed)'} "
                   f"[{where}] {s.cue}: \"{s.content}\"")
        detail = f"article {s.article_id} chars {s.start}-{s.end}" + (" · " + " · ".join(extra) if extra else "")
        out.append(f"{'  ' if md else '      '}{detail}")
    if ledger.conflicts:
        out.append("")
        out.append("## Conflicts" if md else "Conflicts")
        for conflict in ledger.conflicts:
            out.append(f"{'- ' if md else '  '}{conflict.kind}: {conflict.detail}")
    return "\n".join(out) + "\n"


def _describe(source: SourceSide) -> str:
    facts = [f for f in (source.role, source.affiliation, source.country) if f]
    text = f"{source.name} (#{source.source_id})"
    if facts:
        text += " — " + ", ".join(dict.fromkeys(facts))
    if source.outlets:
        text += " · via " + ", ".join(source.outlets)
    return text + f" · {source.statements} statement(s), last {source.last_said or 'date unknown'}"


def _names(sources: list[SourceSide], joiner: str, outlets: bool = False) -> str:
    if outlets:
        return joiner.join(s.name + (f" ({', '.join(s.outlets)})" if s.outlets else "") for s in sources)
    return joiner.join(s.name for s in sources)


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "date unknown"
    return first if first == last else f"{first} to {last}"


def _time(ref: dict) -> str:
    if ref.get("earliest"):
        span = ref["earliest"] if ref["earliest"] == ref["latest"] else f"{ref['earliest']}..{ref['latest']}"
        return f"\"{ref['text']}\" = {span}"
    return f"\"{ref['text']}\""


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
