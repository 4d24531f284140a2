"""Statements on our own wire-style evaluation set (``bench/data/wire_eval``): recall and precision.

The set is 20 invented articles written for the failure classes of issue #14 (hard-wrapped lines,
headlines that attribute, reports of reports, speaker runs), with every attributed statement listed
in ``gold.json``. It was written before the rules it exercises were tuned and is kept out of
development: do not tune rules on it.

A gold statement is found when one extracted attribution's content holds its ``content_has`` phrase
(case and whitespace ignored) and the attribution's source matches one of its ``source`` names (a
case-insensitive substring of the resolved source's name, of one of its mentions, or of the
attribution's own source mention). An extracted attribution is correct when it finds a gold
statement. Medium accuracy is counted over found gold statements that give a ``medium``.

Usage:
    python bench/wire_eval.py            # summary
    python bench/wire_eval.py --errors   # also list misses and extra statements
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from claimledger.evaluation.metrics import f1
from claimledger.pipeline import analyze_text

DATA = Path(__file__).resolve().parent / "data" / "wire_eval"


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("”", '"').replace("“", '"').split())


def _source_texts(ledger, attribution) -> list[str]:
    texts = []
    if attribution.source_mention is not None:
        texts.append(attribution.source_mention.text)
    source = next((s for s in ledger.sources if s.id == attribution.source), None)
    if source is not None:
        texts.append(source.name)
        texts.extend(m.text for m in source.mentions)
    return [_norm(t) for t in texts]


def _finds(ledger, attribution, gold: dict) -> bool:
    if _norm(gold["content_has"]) not in _norm(attribution.content):
        return False
    texts = _source_texts(ledger, attribution)
    return any(_norm(name) in text for name in gold["source"] for text in texts)


def evaluate(show_errors: bool = False) -> dict:
    gold_set = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
    totals = {"gold": 0, "found": 0, "predicted": 0, "correct": 0, "content_found": 0, "medium_gold": 0, "medium_right": 0}
    for article in gold_set["articles"]:
        text = (DATA / article["file"]).read_text(encoding="utf-8")
        ledger = analyze_text(text, outlet=article["outlet"], name=article["file"], use_stance_model=False)
        predictions = ledger.attributions
        used = set()
        for gold in article["statements"]:
            totals["gold"] += 1
            match = next((a for a in predictions if _finds(ledger, a, gold)), None)
            if any(_norm(gold["content_has"]) in _norm(a.content) for a in predictions):
                totals["content_found"] += 1
            if match is None:
                if show_errors:
                    print(f"MISS  {article['file']}: {gold['source'][0]} | {gold['content_has']}")
                continue
            totals["found"] += 1
            used.add(match.id)
            if "medium" in gold:
                totals["medium_gold"] += 1
                if match.medium and _norm(gold["medium"]) in _norm(match.medium):
                    totals["medium_right"] += 1
                elif show_errors:
                    print(f"MEDIUM {article['file']}: {gold['content_has']} want {gold['medium']} got {match.medium}")
        for attribution in predictions:
            totals["predicted"] += 1
            if attribution.id in used or any(_finds(ledger, attribution, g) for g in article["statements"]):
                totals["correct"] += 1
            elif show_errors:
                mention = attribution.source_mention.text if attribution.source_mention else None
                print(f"EXTRA {article['file']}: {mention} | {attribution.cue} | {attribution.content[:90]}")
    recall = totals["found"] / max(1, totals["gold"])
    precision = totals["correct"] / max(1, totals["predicted"])
    result = {
        "articles": len(gold_set["articles"]),
        **totals,
        "recall": round(recall, 3),
        "precision": round(precision, 3),
        "f1": round(f1(precision, recall), 3),
        "content_recall": round(totals["content_found"] / max(1, totals["gold"]), 3),
        "medium_accuracy": round(totals["medium_right"] / max(1, totals["medium_gold"]), 3),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list missed gold and extra statements")
    args = parser.parse_args(argv)
    print(json.dumps(evaluate(args.errors), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
