"""Score predicted attributions against gold spans: content, content+source, cue and token level.

A prediction is any object with the span fields of :class:`claimledger.records.Attribution`:
``start``/``end`` (content), ``cue_start``/``cue_end`` (may be None) and ``source_mention`` (an
object with ``start``/``end``, or None). Gold attributions are
:class:`~claimledger.evaluation.polnear.GoldAttribution` (lists of ``(start, end)`` pieces).

Definitions (character offsets, half-open ``[start, end)``):

* **content match** — ``overlap(p, g) >= 0.5 * len(g)`` and ``overlap(p, g) >= 0.5 * len'(p)``,
  where ``overlap`` is the number of characters of the predicted content that fall inside the gold
  content pieces, ``len(g)`` the summed length of the gold pieces, and ``len'(p)`` the predicted
  length minus the characters falling in the *gaps* between gold pieces (a discontinuous gold
  content is usually interrupted by its own source and cue, "X," she said, "Y", which a single
  contiguous prediction cannot skip). Gold and predictions are paired one-to-one, greedily by
  decreasing overlap (ties: document order); every gold attribution with a content counts toward
  recall (gold without any content span, a few annotator slips, is left out of all figures),
  every prediction toward precision.
* **content+source** — a content match whose source matches too: the predicted source mention
  overlaps any gold source piece; or else ``source_matcher(prediction, gold)`` returns True (the
  benchmark passes one that accepts the resolved source when one of its mentions overlaps the gold
  source or names it, since the extractor resolves "he" to a named mention elsewhere). When gold
  names no source, the prediction matches only if it names none either (no ``source_mention`` and
  a ``source`` attribute that is None or absent): inventing a speaker is an error. A content
  match with the wrong source counts as one false positive and one false negative.
* **cue** — scored as its own detection task: gold cue spans and predicted cue spans (predictions
  without cue offsets do not take part) paired one-to-one greedily by overlap; any overlap of at
  least one character counts. ``content+cue`` additionally reports content matches whose cues overlap.
* **content tokens** (soft, Pareti-style) — every word/punctuation token of the text is marked
  content if it overlaps a content span; precision and recall are taken over those token sets
  (predicted vs gold), micro-summed across documents; tokens in the gaps of a matched
  discontinuous gold content are not held against the prediction (same reason as above). It credits partly right boundaries that the
  match-based figures count as all-or-nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimledger.evaluation.metrics import precision_recall_f1
from claimledger.evaluation.polnear import GoldAttribution, Span

__all__ = [
    "Counts",
    "DocumentScore",
    "PredictedSpan",
    "SourceMatcher",
    "gold_as_predictions",
    "score_document",
    "sum_scores",
]

SourceMatcher = Callable[[Any, GoldAttribution], bool]

METRICS = ("content", "content+source", "content+cue", "cue", "content_tokens")

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return precision_recall_f1(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return precision_recall_f1(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return precision_recall_f1(self.tp, self.fp, self.fn)[2]

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class _Mention:
    start: int
    end: int


@dataclass
class PredictedSpan:
    """A minimal prediction (the span fields of ``Attribution``), e.g. to score gold against gold."""

    start: int
    end: int
    cue_start: int | None = None
    cue_end: int | None = None
    source_mention: Any = None
    source: str | None = None


@dataclass
class DocumentScore:
    """Counts per metric for one document, plus the pairing used, for error analysis."""

    counts: dict[str, Counts]
    matches: list[tuple[GoldAttribution, Any]] = field(default_factory=list)
    false_negatives: list[GoldAttribution] = field(default_factory=list)
    false_positives: list[Any] = field(default_factory=list)
    source_errors: list[tuple[GoldAttribution, Any]] = field(default_factory=list)


def _overlap(start: int, end: int, pieces: Iterable[Span]) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in pieces)


def _gaps(pieces: Sequence[Span]) -> list[Span]:
    return [(pieces[i][1], pieces[i + 1][0]) for i in range(len(pieces) - 1) if pieces[i][1] < pieces[i + 1][0]]


def _content_overlap(prediction: Any, gold: GoldAttribution) -> int:
    """Characters of the predicted content inside gold content, or 0 when not a content match."""
    pieces = gold.content_spans
    gold_length = sum(e - s for s, e in pieces)
    start, end = prediction.start, prediction.end
    if gold_length <= 0 or end <= start:
        return 0
    overlap = _overlap(start, end, pieces)
    predicted_length = (end - start) - _overlap(start, end, _gaps(pieces))
    if overlap * 2 >= gold_length and overlap * 2 >= predicted_length and overlap > 0:
        return overlap
    return 0


def _greedy_pairs(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs from (overlap, gold index, prediction index), largest overlap first."""
    pairs, used_gold, used_pred = [], set(), set()
    for _, g, p in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def _predicted_cue(prediction: Any) -> Span | None:
    start, end = getattr(prediction, "cue_start", None), getattr(prediction, "cue_end", None)
    if start is None or end is None or end <= start:
        return None
    return (start, end)


def _source_matches(prediction: Any, gold: GoldAttribution, source_matcher: SourceMatcher | None) -> bool:
    mention = getattr(prediction, "source_mention", None)
    if not gold.source_spans:
        return mention is None and getattr(prediction, "source", None) is None
    if mention is not None and _overlap(mention.start, mention.end, gold.source_spans) > 0:
        return True
    return bool(source_matcher and source_matcher(prediction, gold))


def _token_spans(text: str) -> list[Span]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _token_set(tokens: list[Span], spans: Iterable[Span]) -> set[int]:
    """Indices of tokens overlapping any of the spans (tokens are sorted by offset)."""
    from bisect import bisect_right

    starts = [s for s, _ in tokens]
    chosen: set[int] = set()
    for start, end in spans:
        i = max(0, bisect_right(starts, start) - 1)
        while i < len(tokens) and tokens[i][0] < end:
            if tokens[i][1] > start:
                chosen.add(i)
            i += 1
    return chosen


def score_document(
    text: str,
    gold: Sequence[GoldAttribution],
    predicted: Sequence[Any],
    source_matcher: SourceMatcher | None = None,
) -> DocumentScore:
    """Score one document's predictions against its gold attributions (see the module docstring)."""
    gold = [g for g in gold if g.content_spans]
    predicted = list(predicted)

    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = _content_overlap(p, g)
            if overlap:
                candidates.append((overlap, gi, pi))
    pairs = _greedy_pairs(candidates)
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}

    counts = {name: Counts() for name in METRICS}
    content = counts["content"]
    content.tp = len(pairs)
    content.fp = len(predicted) - len(pairs)
    content.fn = len(gold) - len(pairs)

    source_errors = []
    both_source = both_cue = 0
    for gi, pi in pairs:
        if _source_matches(predicted[pi], gold[gi], source_matcher):
            both_source += 1
        else:
            source_errors.append((gold[gi], predicted[pi]))
        cue = _predicted_cue(predicted[pi])
        if cue and gold[gi].cue_spans and _overlap(cue[0], cue[1], gold[gi].cue_spans) > 0:
            both_cue += 1
    for name, tp in (("content+source", both_source), ("content+cue", both_cue)):
        counts[name] = Counts(tp, len(predicted) - tp, len(gold) - tp)

    gold_cues = [(gi, g.cue_spans) for gi, g in enumerate(gold) if g.cue_spans]
    pred_cues = [(pi, c) for pi, c in ((pi, _predicted_cue(p)) for pi, p in enumerate(predicted)) if c]
    cue_candidates = []
    for gi, pieces in gold_cues:
        for pi, (start, end) in pred_cues:
            overlap = _overlap(start, end, pieces)
            if overlap:
                cue_candidates.append((overlap, gi, pi))
    cue_pairs = _greedy_pairs(cue_candidates)
    counts["cue"] = Counts(len(cue_pairs), len(pred_cues) - len(cue_pairs), len(gold_cues) - len(cue_pairs))

    tokens = _token_spans(text)
    gold_tokens = _token_set(tokens, (piece for g in gold for piece in g.content_spans))
    pred_tokens = _token_set(tokens, ((p.start, p.end) for p in predicted if p.end > p.start))
    # A contiguous prediction cannot skip the "she said" between the pieces of its matched gold.
    pred_tokens -= _token_set(tokens, (gap for gi, _ in pairs for gap in _gaps(gold[gi].content_spans))) - gold_tokens
    shared = len(gold_tokens & pred_tokens)
    counts["content_tokens"] = Counts(shared, len(pred_tokens) - shared, len(gold_tokens) - shared)

    return DocumentScore(
        counts=counts,
        matches=[(gold[g], predicted[p]) for g, p in pairs],
        false_negatives=[g for gi, g in enumerate(gold) if gi not in matched_gold],
        false_positives=[p for pi, p in enumerate(predicted) if pi not in matched_pred],
        source_errors=source_errors,
    )


def sum_scores(scores: Iterable[DocumentScore]) -> dict[str, Counts]:
    """Micro-averaged counts over documents."""
    total = {name: Counts() for name in METRICS}
    for score in scores:
        for name, counts in score.counts.items():
            total[name] = total[name] + counts
    return total


def gold_as_predictions(gold: Iterable[GoldAttribution]) -> list[PredictedSpan]:
    """Turn gold attributions into contiguous predictions (first to last piece), for sanity checks."""
    predictions = []
    for g in gold:
        if not g.content_spans:
            continue
        mention = _Mention(g.source_spans[0][0], g.source_spans[-1][1]) if g.source_spans else None
        predictions.append(
            PredictedSpan(
                start=g.content_spans[0][0],
                end=g.content_spans[-1][1],
                cue_start=g.cue_spans[0][0] if g.cue_spans else None,
                cue_end=g.cue_spans[-1][1] if g.cue_spans else None,
                source_mention=mention,
                source=g.id if mention else None,
            )
        )
    return predictions
