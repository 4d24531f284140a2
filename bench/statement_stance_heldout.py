"""Statement stance on our own held-out news statements (``bench/data/statement_stance_heldout.jsonl``).

Each record points at a real attribution in a PolNeAR article (``../shared/data/polnear``) and gives a
claim we wrote for it with the gold stance (support / deny / neutral / unrelated); see
``bench/data/README.md``. Nothing is tuned on this set: it is read only to report a figure.

For every article, each labelled statement is judged against **all** the claims written for that
article, as the ledger does, so picking the claim a statement speaks to is part of the task; a
claim the judge leaves out counts as ``unrelated``. The statement's content is PolNeAR's gold content
(pieces of a discontinuous span joined by a space); its cue class, refusal and negated cue are what
claimledger's attribution extractor finds for that cue (see :func:`cue_facts`).

Prints accuracy, per-class precision/recall/F1, the confusion matrix and the deny<->support
confusion rate; writes per-record predictions (ids and labels only, no article text) to
``bench/out/statement_stance_heldout.json``.

Usage (repository root, venv active):
    python bench/statement_stance_heldout.py
    python bench/statement_stance_heldout.py --errors 20          # also print misjudged records
    python bench/statement_stance_heldout.py --judge mymodule:MyJudge   # score another judge

A judge is any object with ``judge_article(article_text, claims, statements) -> list[dict]`` (see
:class:`Judge`); ``--judge module:Class`` builds one with no arguments.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from claimledger.evaluation.metrics import precision_recall_f1
from claimledger.evaluation.polnear import read_article, span_text
from claimledger.records import STANCES

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SET = REPO / "bench" / "data" / "statement_stance_heldout.jsonl"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"
OUT_DIR = REPO / "bench" / "out"
LABELS = STANCES


@dataclass(frozen=True)
class Statement:
    """One attributed statement, read from the article: what a judge sees."""

    key: str  # "ARTICLE/E12"
    content: str
    cue: str
    source: str | None
    cue_class: str  # as claimledger's extractor classes the cue: speech, belief, denial, refusal, ...
    refused: bool  # the speaker takes no side (refusal, question)
    negated_cue: bool  # "did not deny"
    cue_from: str = "extractor"  # where the cue facts came from: "extractor" or "lexicon"


class Judge(Protocol):
    def judge_article(self, article_text: str, claims: list[tuple[str, str]], statements: list[Statement]) -> list[dict[str, str]]:
        """For each statement, claim id -> support | deny | neutral; claims left out are unrelated."""


class RuleStatementStance:
    """claimledger's statement stance as the pipeline runs it (rules + the shipped MiniLM encoder)."""

    def __init__(self):
        from claimledger.nlp.embeddings import load_default_encoder

        self.encoder = load_default_encoder()

    def judge_article(self, article_text, claims, statements):
        from claimledger.stance.statement import StatementStance

        judge = StatementStance(claims=claims, article_text=article_text, encoder=self.encoder)
        judge.prime([s.content for s in statements])
        results = []
        for statement in statements:
            judgments = judge.judge(statement.content, statement.cue_class, statement.refused, statement.negated_cue)
            results.append({cid: j.stance for cid, j in judgments.items()})
        return results


# --------------------------------------------------------------------------- the set


def load_records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def article_claims(records: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """Every claim written for each article, in first-seen order."""
    claims: dict[str, dict[str, str]] = defaultdict(dict)
    for record in records:
        claims[record["article"]].setdefault(record["claim_id"], record["claim"])
    return {article: list(by_id.items()) for article, by_id in claims.items()}


def cue_facts(article_text: str, cue_spans: list[list[int]], found) -> tuple[str, bool, bool, str]:
    """(cue_class, refused, negated_cue, how) for a gold cue, from claimledger's own extractor.

    ``found`` is ``extract_attributions`` of the article. When the extractor found an attribution
    whose cue overlaps the gold cue, its class and negation are used and ``refused`` is the
    pipeline's own ``_takes_no_side``; ``how`` is "extractor". Otherwise (the extractor missed this
    attribution: about half of PolNeAR's, mostly noun and position cues) the cue's words are looked
    up in the cue lexicon (``verb_cues``; a noun cue is speech, "denial" a denial) with a "not"/"n't"
    in the cue as its negation; ``how`` is "lexicon".
    """
    from claimledger.attribution.cues import verb_cues
    from claimledger.claims.builder import _takes_no_side
    from lemminflect import getAllLemmas

    for raw in found:
        if any(raw.cue_start < end and start < raw.cue_end for start, end in cue_spans):
            return raw.cue_class, _takes_no_side(raw), raw.negated_cue, "extractor"
    words = span_text(article_text, cue_spans).replace("’", "'").lower().split()
    negated = any(w in ("not", "never") or w.endswith("n't") for w in words)
    cues = verb_cues()
    for word in words:
        for lemma in getAllLemmas(word.strip(".,:;\"'")).get("VERB", ()):
            if lemma in cues:
                info = cues[lemma]
                return info.cue_class, info.cue_class in ("refusal", "question"), negated, "lexicon"
    cue_class = "denial" if any(w.startswith("denial") for w in words) else "speech"
    return cue_class, False, negated, "lexicon"


def statements_of(article_text: str, records: list[dict]) -> list[Statement]:
    """The article's labelled statements (one per attribution), with cue facts from the extractor."""
    from claimledger.attribution.extractor import extract_attributions
    from claimledger.nlp.pipeline import parse_article

    found = extract_attributions(parse_article(article_text))
    statements: dict[str, Statement] = {}
    for record in records:
        key = f"{record['article']}/{record['attribution']}"
        if key in statements:
            continue
        cue_class, refused, negated, how = cue_facts(article_text, record["cue"], found)
        statements[key] = Statement(
            key=key,
            content=span_text(article_text, record["content"]),
            cue=span_text(article_text, record["cue"]),
            source=span_text(article_text, record["source"]) if record.get("source") else None,
            cue_class=cue_class,
            refused=refused,
            negated_cue=negated,
            cue_from=how,
        )
    return list(statements.values())


# --------------------------------------------------------------------------- scoring


def score(gold: list[str], predicted: list[str]) -> dict:
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, predicted):
        confusion[g][p] += 1
    per_class = {}
    for label in LABELS:
        tp = confusion[label][label]
        fp = sum(confusion[g][label] for g in LABELS) - tp
        fn = sum(confusion[label].values()) - tp
        precision, recall, f1 = precision_recall_f1(tp, fp, fn)
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    correct = sum(confusion[label][label] for label in LABELS)
    swapped = confusion["deny"]["support"] + confusion["support"]["deny"]
    sided = sum(confusion["deny"].values()) + sum(confusion["support"].values())
    return {
        "records": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(LABELS),
        "per_class": per_class,
        "confusion": confusion,
        "deny_support_swaps": swapped,
        # of the records whose gold takes a side, the share judged to take the opposite side
        "deny_support_rate": swapped / sided if sided else 0.0,
        "deny_support_rate_all": swapped / len(gold) if gold else 0.0,
    }


def run(records: list[dict], judge: Judge, data_root: Path) -> tuple[list[str], dict[str, str]]:
    """Predicted label per record (same order) and, per statement, how its cue facts were found."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_article[record["article"]].append(record)
    claims = article_claims(records)
    predicted: dict[str, str] = {}
    how: dict[str, str] = {}
    for article, article_records in by_article.items():
        text = read_article(data_root / article_records[0]["split"] / f"{article}.txt").text
        statements = statements_of(text, article_records)
        verdicts = judge.judge_article(text, claims[article], statements)
        by_key = {s.key: v for s, v in zip(statements, verdicts)}
        how.update((s.key, s.cue_from) for s in statements)
        for record in article_records:
            stance = by_key[f"{article}/{record['attribution']}"].get(record["claim_id"], "unrelated")
            predicted[record["id"]] = stance
    return [predicted[r["id"]] for r in records], how


def report(result: dict) -> str:
    lines = [
        f"records {result['records']}  accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}",
        f"deny<->support confusions {result['deny_support_swaps']}: {result['deny_support_rate']:.1%} of gold support+deny"
        f" ({result['deny_support_rate_all']:.1%} of all records)",
        "",
        f"{'class':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}",
    ]
    for label, c in result["per_class"].items():
        lines.append(f"{label:<10} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} {c['support']:5d}")
    lines += ["", "gold \\ predicted  " + " ".join(f"{p:>9}" for p in LABELS)]
    for g in LABELS:
        lines.append(f"{g:<17} " + " ".join(f"{result['confusion'][g][p]:9d}" for p in LABELS))
    return "\n".join(lines)


def load_judge(spec: str | None) -> Judge:
    if not spec:
        return RuleStatementStance()
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the held-out JSONL")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR root (../shared/data/polnear)")
    parser.add_argument("--judge", help="module:Class of another judge (default: claimledger's rule statement stance)")
    parser.add_argument("--errors", type=int, default=0, help="print this many misjudged records")
    args = parser.parse_args(argv)

    records = load_records(args.set)
    started = time.perf_counter()
    judge = load_judge(args.judge)
    predicted, how = run(records, judge, args.data)
    elapsed = time.perf_counter() - started
    gold = [r["label"] for r in records]
    result = score(gold, predicted)
    hard = [i for i, r in enumerate(records) if r.get("note")]
    result["accuracy_noted"] = sum(gold[i] == predicted[i] for i in hard) / len(hard) if hard else 0.0
    result["accuracy_plain"] = sum(g == p for i, (g, p) in enumerate(zip(gold, predicted)) if i not in set(hard)) / max(1, len(gold) - len(hard))
    print(report(result))
    print(f"\naccuracy on the {len(hard)} records with a note (hard cases) {result['accuracy_noted']:.3f}, "
          f"on the other {len(gold) - len(hard)} {result['accuracy_plain']:.3f}")
    print(f"\n{len({r['article'] for r in records})} articles, {len(how)} statements "
          f"({sum(v == 'extractor' for v in how.values())} with cue facts from the extractor, the rest from the lexicon); "
          f"{elapsed:.1f} s, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    if args.errors:
        texts = {}
        print("\nmisjudged (gold -> predicted):")
        shown = 0
        for record, p in zip(records, predicted):
            if p == record["label"] or shown >= args.errors:
                continue
            if record["article"] not in texts:
                texts[record["article"]] = read_article(args.data / record["split"] / f"{record['article']}.txt").text
            text = texts[record["article"]]
            print(f"- {record['id']} {record['label']} -> {p}: [{span_text(text, record['cue'])}] "
                  f"{span_text(text, record['content'])[:160]!r}\n    claim: {record['claim']}")
            shown += 1
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = {
        "set": str(args.set.relative_to(REPO)) if args.set.is_relative_to(REPO) else str(args.set),
        "judge": args.judge or "claimledger.stance.statement (rules + MiniLM)",
        **result,
        "predictions": [{"id": r["id"], "gold": r["label"], "predicted": p} for r, p in zip(records, predicted)],
    }
    (OUT_DIR / "statement_stance_heldout.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
