"""Tolerant matching of an extracted ledger against hand-written expectations.

The expectations are written about the text, not about any implementation, so matching is loose
where wording legitimately varies (content boundaries, canonical names, cue inflection) and strict
where the ledger makes a claim (who said it, whether it was quoted, the outlet, the stance).

An *attribution spec* is a dict::

    {"source": ["Kirby", "John Kirby"],   # any name: case-insensitive substring of the resolved
                                          # source's canonical name or of one of its mention texts;
                                          # [] or absent = any source (e.g. "it was reported")
     "content_has": "did indeed fly",     # must lie inside the extracted content (case-insensitive,
                                          # whitespace, quote marks and apostrophes normalised)
     "cue": "told",                       # optional: word stems of the cue must appear in the cue
     "direct": true,                      # optional: true / false / "mixed" (partial quote)
     "medium": "AFP",                     # optional: outlet; null means "no medium" (e.g. reporters)
     "anonymous": true,                   # optional
     "stance": {"0": "support"},          # optional: claim index (into the claims passed to
                                          # analyze, 0-based), claim id or claim text -> stance;
                                          # "unrelated" also matches "no judgment for that claim"
     "times": [{"text": "on Tuesday", "earliest": "2026-03-10", "latest": "2026-03-10"}],
                                          # optional: or plain strings, a date ("2026-03" /
                                          # "2026-03-10", must lie in the range) or a text
     "evidence": "photo",                 # optional: kind (or list of kinds) among the statement's
     "affiliation": "Rabobank",           # optional, also "country" / "role": the resolved source's
                                          # field contains it or is contained in it
    }

The matcher accepts a :class:`claimledger.records.Ledger` or the dict of its JSON output.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any, Iterable

# ---------------------------------------------------------------------------------------------
# normalisation

_QUOTES = dict.fromkeys(map(ord, "\"“”„‟«»″"), None)
_APOS = {ord(c): "'" for c in "‘’‚‛′`´"}
_DASHES = {ord(c): "-" for c in "‐‑‒–—―"}


def norm(text: str | None) -> str:
    """Lower-case, NFKC, quote marks dropped, apostrophes/dashes unified, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_APOS).translate(_DASHES).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().lower()


def as_dict(ledger: Any) -> dict:
    """A Ledger record or its JSON dict -> the JSON dict."""
    if isinstance(ledger, dict):
        return ledger
    return ledger.to_dict()


# ---------------------------------------------------------------------------------------------
# cues

_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "tells": "tell", "found": "find", "finds": "find",
    "thought": "think", "knew": "know", "known": "know", "wrote": "write", "written": "write",
    "went": "go", "made": "make", "held": "hold", "felt": "feel", "spoke": "speak", "spoken": "speak",
    "saw": "see", "seen": "see", "gave": "give", "given": "give", "put": "put", "led": "lead",
    "according": "accord", "accordance": "accord",
}
_CUE_STOP = {"a", "an", "the", "to", "in", "of", "on", "that", "it", "its", "his", "her", "their",
             "either", "or", "and", "by", "with", "for", "out"}


def _stem(word: str) -> str:
    word = word.lower().strip(".,;:'\"")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ied", "ies"):
                base += "y"
            return base.rstrip("e")
    return word.rstrip("e")


def cue_matches(expected: str, extracted: str | None) -> bool:
    """True when every content word of the expected cue appears (stemmed) in the extracted cue."""
    if not extracted:
        return False
    want = {_stem(w) for w in norm(expected).split() if w not in _CUE_STOP}
    have = {_stem(w) for w in norm(extracted).split()}
    if not want:
        return norm(expected) in norm(extracted)
    return want <= have


# ---------------------------------------------------------------------------------------------
# sources

def _source_texts(ledger: dict, attribution: dict) -> list[str]:
    texts: list[str] = []
    source = next((s for s in ledger.get("sources", []) if s.get("id") == attribution.get("source")), None)
    if source:
        texts.append(source.get("name") or "")
        texts.extend(m.get("text", "") for m in source.get("mentions") or [])
    return [t for t in texts if t]


def source_matches(ledger: dict, attribution: dict, names: Iterable[str] | None) -> bool:
    """Any expected name is a case-insensitive substring of the source's name or a mention."""
    names = [n for n in (names or []) if n]
    if not names:
        return True
    texts = [norm(t) for t in _source_texts(ledger, attribution)]
    return any(norm(n) in t for n in names for t in texts)


def sources_by_name(ledger: Any, names: Iterable[str]) -> list[str]:
    """Ids of the extracted sources any of ``names`` identifies."""
    ledger = as_dict(ledger)
    found = []
    for source in ledger.get("sources", []):
        texts = [norm(source.get("name"))] + [norm(m.get("text")) for m in source.get("mentions") or []]
        if any(norm(n) in t for n in names if n for t in texts if t):
            found.append(source["id"])
    return found


def describe_source(ledger: dict, source_id: str | None) -> str:
    source = next((s for s in ledger.get("sources", []) if s.get("id") == source_id), None)
    if source is None:
        return f"<no source {source_id!r}>"
    mentions = sorted({m.get("text", "") for m in source.get("mentions") or []})
    return f"{source.get('name')!r} (id {source_id}, mentions {mentions})"


def describe_attribution(ledger: dict, attribution: dict) -> str:
    content = re.sub(r"\s+", " ", attribution.get("content") or "")
    if len(content) > 110:
        content = content[:107] + "..."
    source = next((s for s in ledger.get("sources", []) if s.get("id") == attribution.get("source")), None)
    who = source.get("name") if source else attribution.get("source")
    extras = []
    if attribution.get("medium"):
        extras.append(f"medium={attribution['medium']}")
    if attribution.get("anonymous"):
        extras.append("anonymous")
    extras.append("direct" if attribution.get("direct") else "indirect")
    return f"[{who!s} | {attribution.get('cue')!s} | {', '.join(extras)}] {content!r}"


def describe_ledger(ledger: Any) -> str:
    ledger = as_dict(ledger)
    lines = [f"  extracted {len(ledger.get('attributions', []))} attribution(s):"]
    lines += ["    - " + describe_attribution(ledger, a) for a in ledger.get("attributions", [])]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# claims

def claim_id(ledger: dict, key: Any, claims: list[str] | None = None) -> str | None:
    """Claim index (0-based, into ``claims``), claim id or claim text -> the extracted claim id."""
    ledger_claims = ledger.get("claims", [])
    text = None
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        index = int(key)
        if claims is not None and index < len(claims):
            text = claims[index]
        elif index < len(ledger_claims):
            return ledger_claims[index].get("id")
    elif any(c.get("id") == key for c in ledger_claims):
        return key
    else:
        text = key
    if text is not None:
        for claim in ledger_claims:
            if claim.get("text") == text:
                return claim.get("id")
        for claim in ledger_claims:
            if norm(claim.get("text")) == norm(text):
                return claim.get("id")
    return None


# ---------------------------------------------------------------------------------------------
# times

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _time_matches(expected: Any, ref: dict) -> bool:
    earliest, latest = ref.get("earliest") or "", ref.get("latest") or ""
    if isinstance(expected, str):
        if _DATE.match(expected):
            if not earliest or not latest:
                return False
            if len(expected) == 10:
                return earliest[:10] <= expected <= latest[:10]
            return earliest.startswith(expected) and latest.startswith(expected)
        return norm(expected) in norm(ref.get("text")) or norm(ref.get("text")) in norm(expected)
    if expected.get("text") and not (
        norm(expected["text"]) in norm(ref.get("text")) or (norm(ref.get("text")) and norm(ref.get("text")) in norm(expected["text"]))
    ):
        return False
    if expected.get("earliest") and (earliest or "")[:10] != expected["earliest"]:
        return False
    if expected.get("latest") and (latest or "")[:10] != expected["latest"]:
        return False
    if expected.get("relative") is not None and bool(ref.get("relative")) != bool(expected["relative"]):
        return False
    return True


def _describe_times(refs: list[dict]) -> str:
    return "[" + ", ".join(f"{r.get('text')!r}->{r.get('earliest')}..{r.get('latest')}" for r in refs) + "]"


# ---------------------------------------------------------------------------------------------
# one attribution

def field_problems(ledger: dict, attribution: dict, spec: dict, claims: list[str] | None = None) -> list[str]:
    """Field-by-field differences between one extracted attribution and a spec (empty = match)."""
    problems: list[str] = []
    if "cue" in spec and spec["cue"] and not cue_matches(spec["cue"], attribution.get("cue")):
        problems.append(f"cue: expected {spec['cue']!r}, extracted {attribution.get('cue')!r}")
    if "direct" in spec:
        want = spec["direct"]
        if want == "mixed":
            if not (attribution.get("quote") == "mixed" or attribution.get("direct")):
                problems.append(f"direct: expected a (partly) quoted statement, extracted direct={attribution.get('direct')} quote={attribution.get('quote')!r}")
        elif bool(attribution.get("direct")) != bool(want):
            problems.append(f"direct: expected {want}, extracted {attribution.get('direct')} (quote={attribution.get('quote')!r})")
    if "medium" in spec:
        want, have = spec["medium"], attribution.get("medium")
        if want is None:
            if have:
                problems.append(f"medium: expected none, extracted {have!r}")
        elif not have or not (norm(want) in norm(have) or norm(have) in norm(want)):
            problems.append(f"medium: expected {want!r}, extracted {have!r}")
    if "anonymous" in spec:
        source = next((s for s in ledger.get("sources", []) if s.get("id") == attribution.get("source")), {}) or {}
        have = bool(attribution.get("anonymous")) or bool(source.get("anonymous"))
        if have != bool(spec["anonymous"]):
            problems.append(f"anonymous: expected {spec['anonymous']}, extracted {have}")
    for key in ("affiliation", "country", "role"):
        if spec.get(key):
            source = next((s for s in ledger.get("sources", []) if s.get("id") == attribution.get("source")), {}) or {}
            have = norm(source.get(key))
            if not have or not (norm(spec[key]) in have or have in norm(spec[key])):
                problems.append(f"source {key}: expected {spec[key]!r}, extracted {source.get(key)!r}")
    for key, want in (spec.get("stance") or {}).items():
        cid = claim_id(ledger, key, claims)
        if cid is None:
            problems.append(f"stance: claim {key!r} not in the ledger's claims {[c.get('text') for c in ledger.get('claims', [])]}")
            continue
        have = next((s.get("stance") for s in attribution.get("stances") or [] if s.get("claim") == cid), None)
        if want == "unrelated" and have in (None, "unrelated"):
            continue
        if have != want:
            problems.append(f"stance toward claim {key!r} ({cid}): expected {want!r}, extracted {have or 'none'!r}")
    refs = attribution.get("times") or []
    for want in spec.get("times") or []:
        if not any(_time_matches(want, ref) for ref in refs):
            problems.append(f"times: expected {want!r}, extracted {_describe_times(refs)}")
    if spec.get("evidence"):
        wants = spec["evidence"] if isinstance(spec["evidence"], list) else [spec["evidence"]]
        kinds = [e.get("kind") for e in attribution.get("evidence") or []]
        for want in wants:
            if want not in kinds:
                problems.append(f"evidence: expected kind {want!r}, extracted {kinds}")
    return problems


def candidates(ledger: Any, phrase: str) -> list[dict]:
    """Extracted attributions whose content contains ``phrase`` (normalised)."""
    ledger = as_dict(ledger)
    want = norm(phrase)
    return [a for a in ledger.get("attributions", []) if want in norm(a.get("content"))]


def match_attribution(ledger: Any, spec: dict, claims: list[str] | None = None) -> tuple[dict | None, list[str]]:
    """Find the attribution a spec describes; return it (or None) and the readable problems.

    Content and source decide *which* attribution it is; the remaining fields are compared on the
    best of the candidates and reported one by one.
    """
    ledger = as_dict(ledger)
    label = f"expected {_spec_label(spec)}"
    found = candidates(ledger, spec["content_has"])
    if not found:
        return None, [f"{label}: no extracted attribution has content containing {spec['content_has']!r}\n" + describe_ledger(ledger)]
    same_source = [a for a in found if source_matches(ledger, a, spec.get("source"))]
    if not same_source:
        got = "; ".join(describe_source(ledger, a.get("source")) for a in found)
        return None, [f"{label}: content found but source is {got}, expected one of {spec.get('source')}"]
    best, best_problems = None, None
    for attribution in same_source:
        problems = field_problems(ledger, attribution, spec, claims)
        if best_problems is None or len(problems) < len(best_problems):
            best, best_problems = attribution, problems
    return best, [f"{label}: {p}\n    extracted: {describe_attribution(ledger, best)}" for p in best_problems or []]


def _spec_label(spec: dict) -> str:
    who = "/".join(spec.get("source") or []) or "(any source)"
    return f"{who}: {spec['content_has']!r}"


def check_attributions(ledger: Any, specs: list[dict], claims: list[str] | None = None) -> tuple[list[dict | None], list[str]]:
    """Match every spec; return the matched attributions (None where missing) and all problems."""
    matched, problems = [], []
    for spec in specs:
        attribution, spec_problems = match_attribution(ledger, spec, claims)
        matched.append(attribution)
        problems.extend(spec_problems)
    return matched, problems


# ---------------------------------------------------------------------------------------------
# gold ledgers (the seed's format)

def map_gold_sources(ledger: Any, gold: dict) -> dict[str, str | None]:
    """Gold source id -> extracted source id.

    Decided by the attributions: the gold attribution's phrase and names pick an extracted one, and
    its source votes for the mapping; a gold source without a found attribution falls back to name
    matching over the extracted sources.
    """
    ledger = as_dict(ledger)
    by_id = {s["id"]: s for s in gold.get("sources", [])}
    votes: dict[str, Counter] = {sid: Counter() for sid in by_id}
    for item in gold.get("attributions", []):
        names = by_id.get(item["source"], {}).get("names", [])
        for attribution in candidates(ledger, item["content_has"]):
            if source_matches(ledger, attribution, names) and attribution.get("source"):
                votes[item["source"]][attribution["source"]] += 1
    mapping: dict[str, str | None] = {}
    for sid, counter in votes.items():
        if counter:
            mapping[sid] = counter.most_common(1)[0][0]
        else:
            found = sources_by_name(ledger, by_id[sid].get("names", []))
            mapping[sid] = found[0] if found else None
    return mapping


def compare_claim_ledger(ledger: Any, gold_ledger: dict[str, dict], mapping: dict[str, str | None],
                         claim_ids: dict[str, str | None]) -> list[str]:
    """Compare per-claim support/deny/neutral source sets with gold (mapped through ``mapping``).

    ``claim_ids`` maps a gold claim key (e.g. "C1") to the extracted claim id.
    """
    ledger = as_dict(ledger)
    reverse: dict[str, list[str]] = {}
    for gold_id, extracted in mapping.items():
        if extracted:
            reverse.setdefault(extracted, []).append(gold_id)
    problems = []
    for key, sides in gold_ledger.items():
        cid = claim_ids.get(key)
        claim = next((c for c in ledger.get("claims", []) if c.get("id") == cid), None)
        if claim is None:
            problems.append(f"claim {key}: not in the extracted claims")
            continue
        for side in ("support", "deny", "neutral"):
            want = set(sides.get(side, []))
            unmapped = sorted(g for g in want if not mapping.get(g))
            if unmapped:
                problems.append(f"claim {key} {side}: gold source(s) {unmapped} have no extracted source")
            want_ids = {mapping[g] for g in want if mapping.get(g)}
            have_ids = set(claim.get(side) or [])
            missing = want_ids - have_ids
            extra = have_ids - want_ids
            if missing or extra:
                def show(ids: set[str]) -> list[str]:
                    return sorted(f"{i}={'/'.join(reverse.get(i, ['not-in-gold']))}" for i in ids)
                problems.append(
                    f"claim {key} {side}: expected {sorted(want)}; extracted {show(have_ids)}"
                    + (f"; missing {show(missing)}" if missing else "")
                    + (f"; unexpected {show(extra)}" if extra else "")
                )
    return problems


def find_conflict(ledger: Any, claim: str | None, kind: str, must_include: list[str | None],
                  any_of: list[str | None] | None = None) -> dict | None:
    """The first conflict of ``kind`` on ``claim`` whose sources include all ``must_include`` ids
    (and, if given, at least one of ``any_of``)."""
    ledger = as_dict(ledger)
    for conflict in ledger.get("conflicts", []):
        if conflict.get("claim") != claim or conflict.get("kind") != kind:
            continue
        sources = set(conflict.get("sources") or [])
        if not all(s in sources for s in must_include):
            continue
        if any_of and not sources & {s for s in any_of if s}:
            continue
        return conflict
    return None


def same_source_problems(ledger: Any, same: list[list[str]] | None = None,
                         different: list[list[str]] | None = None) -> list[str]:
    """Check name groups that must resolve to one source, and groups that must resolve apart.

    ``same``: every name finds a source and all of them together find exactly one (so a surname
    split off into a second source fails). ``different``: no two names of the group find a common
    source.
    """
    ledger = as_dict(ledger)
    problems = []
    for group in same or []:
        ids = {n: set(sources_by_name(ledger, [n])) for n in group}
        missing = [n for n, found in ids.items() if not found]
        if missing:
            problems.append(f"same source {group}: no extracted source for {missing}; sources: "
                            + "; ".join(describe_source(ledger, s.get('id')) for s in ledger.get('sources', [])))
            continue
        union = set.union(*ids.values())
        if len(union) != 1:
            problems.append(f"same source {group}: resolved to {len(union)} sources: " + "; ".join(
                f"{n!r} -> {[describe_source(ledger, i) for i in sorted(f)]}" for n, f in ids.items()))
    for group in different or []:
        ids = {n: set(sources_by_name(ledger, [n])) for n in group}
        names = list(ids)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                common = ids[a] & ids[b]
                if common:
                    problems.append(f"different sources {a!r} and {b!r}: both resolved to {[describe_source(ledger, x) for x in sorted(common)]}")
    return problems
