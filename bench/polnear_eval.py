"""Attribution spans on PolNeAR: run ``claimledger.analyze`` over a split and score it against gold.

Prints and writes (``bench/out/polnear_<split>.json``) precision/recall/F1 for content (overlap >=
half both ways), content+source, content+cue, cue and content tokens, a per-publisher breakdown and
timing. The metric definitions are in ``claimledger.evaluation.spans``.

Two content+source figures are given: ``content+source`` accepts the source when the attribution's
own mention overlaps the gold source, or when the resolved source has a mention overlapping it or
naming it (gold text inside a mention or a name mention inside the gold text, whole words; gold
pronouns must overlap); ``content+source(strict)`` accepts only the attribution's own mention.

Usage:
    python bench/polnear_eval.py                       # dev split
    python bench/polnear_eval.py --split train --limit 100
    python bench/polnear_eval.py --errors 20           # also print sample misses
    python bench/polnear_eval.py --gold                # score gold against itself (plumbing check)
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from claimledger.evaluation.polnear import GoldAttribution, PolnearArticle, iter_split, span_text
from claimledger.evaluation.spans import (
    Counts,
    DocumentScore,
    gold_as_predictions,
    score_document,
    sum_scores,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"
OUT_DIR = REPO / "bench" / "out"
PRONOUNS = {
    "he", "she", "they", "it", "i", "we", "you", "who", "which", "that", "his", "her", "their",
    "him", "them", "us", "me", "some", "others", "this", "those", "these",
}  # fmt: skip


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower().replace("’", "'")))


def _contains_words(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


def make_source_matcher(text: str, ledger):
    """Accept a prediction whose resolved source is the gold source under another mention."""

    def matcher(prediction, gold: GoldAttribution) -> bool:
        source = ledger.source(getattr(prediction, "source", None))
        if source is None:
            return False
        for mention in source.mentions:
            if any(min(mention.end, e) > max(mention.start, s) for s, e in gold.source_spans):
                return True
        gold_text = _norm(span_text(text, gold.source_spans))
        if not gold_text or gold_text in PRONOUNS:
            return False
        names = [m.text for m in source.mentions if getattr(m, "kind", "name") != "pronoun"] + [source.name or ""]
        for name in map(_norm, names):
            if name and name not in PRONOUNS and (_contains_words(name, gold_text) or _contains_words(gold_text, name)):
                return True
        return False

    return matcher


def snippet(text: str, start: int, end: int, width: int = 110) -> str:
    piece = text[start:end].replace("\n", " ")
    return piece if len(piece) <= width else piece[: width // 2 - 2] + " … " + piece[-(width // 2 - 2) :]


def gold_category(text: str, gold: GoldAttribution) -> str:
    """Coarse shape of a gold attribution, for grouping misses."""
    content = span_text(text, gold.content_spans)
    quoted = any(q in content for q in '"“”')
    cue_start = gold.cue_spans[0][0] if gold.cue_spans else gold.content_start
    where = "before-cue" if gold.content_end <= cue_start else "after-cue" if gold.content_start >= cue_start else "split"
    return f"{'quoted' if quoted else 'unquoted'}/{where}/{'source' if gold.source_spans else 'no-source'}"


def run(args) -> int:
    split_dir = args.data / args.split
    if not split_dir.is_dir():
        print(f"error: PolNeAR split not found: {split_dir}", file=sys.stderr)
        return 2
    articles: list[PolnearArticle] = list(iter_split(split_dir, limit=args.limit))

    analyze = None
    if not args.gold:
        try:
            import claimledger

            analyze = claimledger.analyze
            analyze("Warm-up text. A spokesman said nothing had changed.")  # load models outside the timing
        except ImportError as error:
            print(f"error: claimledger.analyze is not available yet ({error})", file=sys.stderr)
            return 3

    scores: list[tuple[PolnearArticle, DocumentScore, DocumentScore]] = []
    failures = []
    n_pred = 0
    seconds = 0.0
    for article in articles:
        began = time.perf_counter()
        ledger = None
        if args.gold:
            predictions = gold_as_predictions(article.attributions)
        else:
            try:
                ledger = analyze(article.text, published=article.metadata.get("publication_date") or None)
                predictions = list(ledger.attributions)
            except Exception as error:  # noqa: BLE001 - a benchmark records failures and goes on
                failures.append({"article": article.name, "error": f"{type(error).__name__}: {error}"})
                predictions = []
        seconds += time.perf_counter() - began
        n_pred += len(predictions)
        matcher = make_source_matcher(article.text, ledger) if ledger is not None else None
        lenient = score_document(article.text, article.attributions, predictions, source_matcher=matcher)
        strict = score_document(article.text, article.attributions, predictions)
        scores.append((article, lenient, strict))

    def totals(items) -> dict[str, Counts]:
        items = list(items)
        counts = sum_scores(score for _, score, _ in items)
        counts["content+source(strict)"] = sum_scores(score for _, _, score in items)["content+source"]
        return counts

    overall = totals(scores)
    by_publisher = defaultdict(list)
    for item in scores:
        by_publisher[item[0].publisher].append(item)
    n_gold = sum(1 for a in articles for g in a.attributions if g.content_spans)
    words = sum(len(a.text.split()) for a in articles)

    order = ["content", "content+source", "content+source(strict)", "content+cue", "cue", "content_tokens"]
    print(f"PolNeAR {args.split}: {len(articles)} articles, {n_gold} gold attributions, {n_pred} predicted")
    print(f"{'metric':24s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>6s} {'fp':>6s} {'fn':>6s}")
    for name in order:
        c = overall[name]
        print(f"{name:24s} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:6d} {c.fp:6d} {c.fn:6d}")
    print(f"\n{'publisher':14s} {'content F1':>10s} {'+source F1':>10s} {'cue F1':>7s} {'tokens F1':>9s}")
    publisher_rows = {}
    for publisher in sorted(by_publisher):
        c = totals(by_publisher[publisher])
        publisher_rows[publisher] = {name: c[name].as_dict() for name in order}
        print(
            f"{publisher:14s} {c['content'].f1:10.3f} {c['content+source'].f1:10.3f} "
            f"{c['cue'].f1:7.3f} {c['content_tokens'].f1:9.3f}"
        )
    timing = {
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 2) if seconds else None,
        "words_per_second": round(words / seconds) if seconds else None,
        "words": words,
    }
    print(f"\ntiming: {timing['seconds']} s, {timing['articles_per_second']} articles/s, {timing['words_per_second']} words/s")
    if failures:
        print(f"{len(failures)} articles failed, e.g. {failures[0]}")

    false_negatives = [(a, g) for a, s, _ in scores for g in s.false_negatives]
    false_positives = [(a, p) for a, s, _ in scores for p in s.false_positives]
    source_errors = [(a, g, p) for a, s, _ in scores for g, p in s.source_errors]
    fn_kinds, fp_kinds = Counter(), Counter()
    for article, score, _ in scores:
        predicted = score.false_positives + [p for _, p in score.matches]
        matched_gold = [g for g, _ in score.matches]
        for gold in score.false_negatives:
            touching = any(p.start < gold.content_end and gold.content_start < p.end for p in predicted)
            fn_kinds["boundary (a prediction overlaps it)" if touching else "missed (nothing overlaps it)"] += 1
        for pred in score.false_positives:
            touched = [g for g in article.attributions if g.content_spans and g.content_start < pred.end and pred.start < g.content_end]
            if not touched:
                fp_kinds["spurious (overlaps no gold content)"] += 1
            elif any(g is m for g in touched for m in matched_gold):
                fp_kinds["split/duplicate (its gold matched another prediction)"] += 1
            else:
                fp_kinds["boundary (overlaps an unmatched gold)"] += 1
    fn_by_cue = Counter(_norm(span_text(a.text, g.cue_spans)) or "(no cue)" for a, g in false_negatives)
    fp_by_cue = Counter((getattr(p, "cue", "") or "(no cue)").lower() for _, p in false_positives)
    fn_by_shape = Counter(gold_category(a.text, g) for a, g in false_negatives)
    all_by_shape = Counter(gold_category(a.text, g) for a in articles for g in a.attributions if g.content_spans)

    print("\nfalse negatives:", ", ".join(f"{k} {v}" for k, v in fn_kinds.most_common()))
    print("false positives:", ", ".join(f"{k} {v}" for k, v in fp_kinds.most_common()))
    if args.errors:
        print("\nfalse negatives by gold shape (missed / all):")
        for shape, n in fn_by_shape.most_common():
            print(f"  {shape:32s} {n:5d} / {all_by_shape[shape]:5d}")
        print("false negatives by gold cue:", ", ".join(f"{k} {v}" for k, v in fn_by_cue.most_common(25)))
        print("false positives by predicted cue:", ", ".join(f"{k} {v}" for k, v in fp_by_cue.most_common(25)))
        rng = random.Random(args.seed)
        print(f"\n## {args.errors} sample false negatives (gold not found)")
        for article, gold in rng.sample(false_negatives, min(args.errors, len(false_negatives))):
            source = span_text(article.text, gold.source_spans) or "-"
            cue = span_text(article.text, gold.cue_spans) or "-"
            print(f"- [{article.name[:40]}] source={source!r} cue={cue!r}\n    content: {snippet(article.text, gold.content_start, gold.content_end)}")
        print(f"\n## {args.errors} sample false positives (predicted, no gold match)")
        for article, pred in rng.sample(false_positives, min(args.errors, len(false_positives))):
            mention = getattr(pred, "source_mention", None)
            cue = getattr(pred, "cue", "") or "-"
            print(f"- [{article.name[:40]}] source={getattr(mention, 'text', None)!r} cue={cue!r}\n    content: {snippet(article.text, pred.start, pred.end)}")
            overlapping = [g for g in article.attributions if g.content_spans and g.content_start < pred.end and pred.start < g.content_end]
            for g in overlapping[:2]:
                print(f"    overlaps gold: {snippet(article.text, g.content_start, g.content_end)}")
        print(f"\n## {min(args.errors, len(source_errors))} sample source errors (content right, source wrong)")
        for article, gold, pred in rng.sample(source_errors, min(args.errors, len(source_errors))):
            mention = getattr(pred, "source_mention", None)
            print(f"- [{article.name[:40]}] gold={span_text(article.text, gold.source_spans) or None!r} predicted={getattr(mention, 'text', None)!r} (source id {getattr(pred, 'source', None)})")

    result = {
        "split": args.split,
        "articles": len(articles),
        "gold_attributions": n_gold,
        "predicted_attributions": n_pred,
        "mode": "gold-vs-gold" if args.gold else "claimledger.analyze",
        "metrics": {name: overall[name].as_dict() for name in order},
        "by_publisher": publisher_rows,
        "timing": timing,
        "failures": failures,
        "false_negatives_by_kind": dict(fn_kinds.most_common()),
        "false_positives_by_kind": dict(fp_kinds.most_common()),
        "false_negatives_by_shape": dict(fn_by_shape.most_common()),
        "false_negatives_by_cue": dict(fn_by_cue.most_common(50)),
        "false_positives_by_cue": dict(fp_by_cue.most_common(50)),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    out = args.out or OUT_DIR / f"polnear_{args.split}{'_gold' if args.gold else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the PolNeAR directory (default ../shared/data/polnear)")
    parser.add_argument("--limit", type=int, help="only the first N articles of the split")
    parser.add_argument("--errors", type=int, default=0, help="print N sample false negatives/positives")
    parser.add_argument("--seed", type=int, default=13, help="seed for the error samples")
    parser.add_argument("--gold", action="store_true", help="score gold against itself instead of running analyze")
    parser.add_argument("--out", type=Path, help="JSON output (default bench/out/polnear_<split>.json)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
