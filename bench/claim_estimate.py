"""The confirmation estimate on Emergent (`claims/estimate.py`): will a rumour be resolved true?

    .venv/bin/python bench/claim_estimate.py [--csv ../shared/data/emergent/train_articles.csv] [--fit]
        [--stances gold|article|predicted|statement|headline] [--headline-oof OOF.csv]

Each rumour's reports are its articles: the side is Emergent's hand-labelled headline stance (for /
against / observing; `--stances gold`, the default) or the one claimledger predicts (`--stances
predicted`: the shipped FNC-1 model's statement stance of the headline toward the claim, agree / disagree /
discuss, the most probable; `--stances article`: the same model's full article-stance prediction,
as ingest stores it in `article_claims.article_stance`, with the headline as the article, unrelated
counted as observing; `--stances statement`: claimledger's statement-stance judge, rules plus the
encoder, `stance/statement.py`, reading the headline as an assertion; `--stances headline`: the headline
stance model, `stance/headline.py`, out of fold: each headline judged by a model trained by
`stance/headline_train.py` on the other folds' claims, never its own; `--headline-oof` reads those
probabilities from `headline_train --oof` instead of recomputing them), the outlet its host name. Independent voices follow `independent_voices`: headlines that
are copies of one another (MiniLM cosine >= 0.9 within the rumour) are one voice, and an outlet is one
voice. Scored on the 140 rumours resolved true or false, 5 folds split by claim (the logistic model is
fitted on the other folds' resolved rumours): accuracy (p_true >= 0.5 means true) and Brier score,
against "true if more outlets are for than against" and the same rule over independent voices.
`--fit` prints the coefficients fitted on all 140 (the ones shipped in claims/estimate.py).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.claims.estimate import Report, independent_voices, record_terms, records_from  # noqa: E402

SIDE = {"for": "support", "against": "deny", "observing": "neutral"}
COPY_COSINE = 0.9
FOLDS = 5


def copy_groups(vectors: np.ndarray) -> list[int]:
    """Connected components of headlines at cosine >= COPY_COSINE."""
    n = len(vectors)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    close = vectors @ vectors.T >= COPY_COSINE
    for i in range(n):
        for j in range(i + 1, n):
            if close[i, j]:
                parent[find(i)] = find(j)
    return [find(i) for i in range(n)]


def headline_oof(rows: list[dict], path: str | None) -> np.ndarray:
    """Each row's (support, deny, neutral) probabilities from a headline model that never saw its claim."""
    if path:
        by_id = {r["articleId"]: [float(r[k]) for k in ("support", "deny", "neutral")]
                 for r in csv.DictReader(open(path, encoding="utf-8"))}
        return np.array([by_id[r["articleId"]] for r in rows])
    from claimledger.nlp.embeddings import load_default_encoder
    from claimledger.stance.headline import cosines_of, pair_features
    from claimledger.stance.headline_train import GOLD, GROUPS, cross_validate

    claims, texts = [r["claimHeadline"] for r in rows], [r["articleHeadline"] for r in rows]
    dense = pair_features(claims, texts, GROUPS, cosines=cosines_of(load_default_encoder(), claims, texts))
    y = np.array([GOLD[r["articleHeadlineStance"]] for r in rows])
    return cross_validate(dense, texts, np.array([r["claimId"] for r in rows]), y)[0]


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression

    from claimledger.nlp.embeddings import load_default_encoder

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", default=str(ROOT.parent / "shared/data/emergent/train_articles.csv"))
    parser.add_argument("--fit", action="store_true", help="print the coefficients fitted on every resolved rumour")
    parser.add_argument("--stances", choices=("gold", "article", "predicted", "statement", "headline"), default="gold")
    parser.add_argument("--headline-oof", help="out-of-fold headline stance probabilities (headline_train --oof)")
    parser.add_argument("--record", action="store_true",
                        help="add each voice's record over the other resolved rumours of the training folds")
    args = parser.parse_args(argv)
    rows = list(csv.DictReader(open(args.csv, encoding="utf-8")))
    if args.stances == "headline":
        predicted = list(np.array(["for", "against", "observing"])[headline_oof(rows, args.headline_oof).argmax(1)])
        agree = float(np.mean([p == r["articleHeadlineStance"] for p, r in zip(predicted, rows)]))
        against = [p == "against" for p in predicted]
        gold_against = [r["articleHeadlineStance"] == "against" for r in rows]
        hits = sum(a and g for a, g in zip(against, gold_against))
        print(f"headline-model stances (out of fold by claim): {agree:.4f} agree with Emergent's gold labels; "
              f"against precision {hits / max(sum(against), 1):.4f}, recall {hits / max(sum(gold_against), 1):.4f}")
        rows = [dict(r, articleHeadlineStance=p) for r, p in zip(rows, predicted)]
    if args.stances in ("predicted", "article"):
        from claimledger.stance.model import load_default

        model, claims_, headlines_ = load_default(), [r["claimHeadline"] for r in rows], [r["articleHeadline"] for r in rows]
        if args.stances == "article":
            proba = model.predict_proba(claims_, headlines_)  # agree, disagree, discuss, unrelated
        else:
            proba = model.statement_proba(claims_, headlines_)  # agree, disagree, discuss
        predicted = np.array(["for", "against", "observing", "observing"])[proba.argmax(1)]
        agree = float(np.mean([p == r["articleHeadlineStance"] for p, r in zip(predicted, rows)]))
        print(f"predicted headline stances: {agree:.4f} agree with Emergent's gold labels")
        rows = [dict(r, articleHeadlineStance=str(p)) for r, p in zip(rows, predicted)]
    elif args.stances == "statement":
        from claimledger.models import sentence_encoder as _encoder
        from claimledger.stance.statement import StatementStance

        words = {"support": "for", "deny": "against"}
        predicted = []
        for r in rows:
            judged = StatementStance([("C", r["claimHeadline"])], r["articleHeadline"], encoder=_encoder()).judge(
                r["articleHeadline"], "assertion", False, False).get("C")
            predicted.append(words.get(judged.stance if judged else None, "observing"))
        agree = float(np.mean([p == r["articleHeadlineStance"] for p, r in zip(predicted, rows)]))
        print(f"statement-judge headline stances: {agree:.4f} agree with Emergent's gold labels")
        rows = [dict(r, articleHeadlineStance=p) for r, p in zip(rows, predicted)]
    by_claim: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_claim[row["claimId"]].append(row)
    encoder = load_default_encoder()
    vectors = encoder.encode([r["articleHeadline"] for r in rows])
    index_of = {id(r): i for i, r in enumerate(rows)}
    claims = [c for c in by_claim if by_claim[c][0]["claimTruth"] in ("true", "false")]
    features, raw, truth, claim_reports = [], [], [], []
    for claim in claims:
        items = by_claim[claim]
        reports = [Report(side=SIDE[r["articleHeadlineStance"]], outlet=r["source"], wording=r["articleHeadline"])
                   for r in items]
        claim_reports.append(reports)
        copies = copy_groups(vectors[[index_of[id(r)] for r in items]])
        voices = independent_voices(reports, copies=copies)
        features.append([np.log1p(len(voices["support"])), np.log1p(len(voices["deny"])), np.log1p(len(voices["neutral"]))])
        raw.append([sum(r["articleHeadlineStance"] == s for r in items) for s in ("for", "against")]
                   + [len(voices["support"]), len(voices["deny"])])
        truth.append(items[0]["claimTruth"] == "true")
    x, raw, y = np.array(features), np.array(raw), np.array(truth)
    fold = np.random.RandomState(0).permutation(len(claims)) % FOLDS

    def with_record(rows_: list[int], known: list[int]) -> np.ndarray:
        """Features of ``rows_`` plus their voices' record over the resolved claims ``known`` (never
        their own: a training claim's record leaves it out)."""
        if not args.record:
            return x[rows_]
        extra = []
        for i in rows_:
            records = records_from([(claim_reports[j], bool(y[j])) for j in known if j != i])
            extra.append(record_terms(claim_reports[i], records)[:2])
        return np.hstack([x[rows_], np.array(extra)])

    proba = np.zeros(len(claims))
    for f in range(FOLDS):
        train, test = list(np.flatnonzero(fold != f)), list(np.flatnonzero(fold == f))
        model = LogisticRegression(C=1.0).fit(with_record(train, train), y[train])
        proba[test] = model.predict_proba(with_record(test, train))[:, 1]
    accuracy = float(((proba >= 0.5) == y).mean())
    brier = float(((proba - y) ** 2).mean())
    base_rate = np.zeros(len(claims))
    for f in range(FOLDS):
        base_rate[fold == f] = y[fold != f].mean()
    print(f"resolved rumours: {len(claims)} ({int(y.sum())} true, {int((~y).sum())} false); reports: {args.stances} headline stances")
    print(f"estimate (logistic over independent voices, {FOLDS} folds by claim): accuracy {accuracy:.4f}, Brier {brier:.4f}")
    print(f"baseline: true if more outlets for than against: accuracy {float(((raw[:, 0] > raw[:, 1]) == y).mean()):.4f}")
    print(f"baseline: true if more independent voices for than against: accuracy {float(((raw[:, 2] > raw[:, 3]) == y).mean()):.4f}")
    print(f"baseline: the training folds' share of true rumours as p_true: accuracy {float(((base_rate >= 0.5) == y).mean()):.4f}, "
          f"Brier {float(((base_rate - y) ** 2).mean()):.4f}")
    print(f"outlets per rumour {sum(len(by_claim[c]) for c in claims) / len(claims):.2f}, independent voices per rumour "
          f"{float(np.expm1(x).sum(1).mean()):.2f}")
    if args.fit:
        everything = list(range(len(claims)))
        model = LogisticRegression(C=1.0).fit(with_record(everything, everything), y)
        print(f"fitted on all {len(claims)}: INTERCEPT = {model.intercept_[0]:.2f}, FOR = {model.coef_[0][0]:.2f}, "
              f"AGAINST = {model.coef_[0][1]:.2f}, OBSERVING = {model.coef_[0][2]:.2f}"
              + (f", RECORD_FOR = {model.coef_[0][3]:.2f}, RECORD_AGAINST = {model.coef_[0][4]:.2f}" if args.record else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
