"""Claim matching on Emergent: rank the 240 claims for each article headline (`claims/matching.py`).

    .venv/bin/python bench/claim_matching.py [--csv ../shared/data/emergent/train_articles.csv]

Reports, for each headline, the rank of its claim among the 240:
- top-1 accuracy and MAP@5 (one relevant claim per headline, so MAP@5 is the mean of 1/rank within 5);
  first with each claim represented by Emergent's wording of it alone, then with the store's other
  wordings of it too (the headlines of the claim's other articles: the headline's own is left out);
- open world: the headline's own claim is removed from the store; it should start a new claim (best
  score below the threshold) instead of joining another. Closed world with the same threshold: it
  joins its own claim (best, and above the threshold);
- the same two with the country guard (`different_countries`: a text naming a country its best claim does
  not, and the claim one the text does not, starts a new claim whatever the score);
- the seed's three claims (C1/C2/C3 of ../shared/seed): how often one would be merged into another.

What is learned (the lexical weight and the new-claim threshold) is chosen on 5 folds split by claim:
each fold's figures come from a weight and threshold picked on the other four folds' headlines.
Nothing is cached; the encoder reads the 2,071 headlines and 240 claims once.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.claims.builder import _CachingEncoder  # noqa: E402
from claimledger.claims.matching import ClaimRanker, claim_features, different_countries  # noqa: E402
from claimledger.nlp.embeddings import load_default_encoder  # noqa: E402

WEIGHTS = (0.1, 0.25, 0.5, 0.75, 1.0)
FOLDS = 5
SEED_GOLD = ROOT.parent / "shared" / "seed" / "iran-f4-airstrikes.gold.json"
# Our own wordings of the seed's claims, for the paraphrase and denial check.
SEED_PARAPHRASES = {
    "C1": ["Iranian jets struck IS in Diyala", "Iran bombed ISIS targets in eastern Iraq",
           "Iran did not carry out air strikes against Islamic State in Iraq"],
    "C2": ["Iran's air raids were coordinated with the American military"],
    "C3": ["Washington will work with Tehran to fight ISIS"],
}


def ranks(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """0-based rank of each row's gold column (ties broken against the gold claim)."""
    own = scores[np.arange(len(gold)), gold]
    return (scores > own[:, None]).sum(1) + ((scores == own[:, None]).sum(1) - 1)


def top1_map5(rank: np.ndarray) -> tuple[float, float]:
    return float((rank == 0).mean()), float(np.where(rank < 5, 1.0 / (rank + 1), 0.0).mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", default=str(ROOT.parent / "shared/data/emergent/train_articles.csv"))
    args = parser.parse_args(argv)
    rows = list(csv.DictReader(open(args.csv, encoding="utf-8")))
    claim_ids = list(dict.fromkeys(r["claimId"] for r in rows))
    claim_text = {r["claimId"]: r["claimHeadline"] for r in rows}
    texts = [claim_text[c] for c in claim_ids]
    headlines = [r["articleHeadline"] for r in rows]
    gold = np.array([claim_ids.index(r["claimId"]) for r in rows])
    fold_of_claim = np.random.RandomState(0).permutation(len(claim_ids)) % FOLDS
    fold = fold_of_claim[gold]
    started = time.time()
    encoder = _CachingEncoder(load_default_encoder())
    encoder.encode(texts + headlines)
    claim_named = claim_features(texts, "")  # named places for the country guard (no encoder needed)
    headline_named = claim_features(headlines, "")
    figures: dict = {"headlines": len(rows), "claims": len(claim_ids), "folds": FOLDS}

    def scores_for(weight: float, with_wordings: bool) -> np.ndarray:
        wordings = [[h for h, g in zip(headlines, gold) if g == j] for j in range(len(claim_ids))] if with_wordings else None
        ranker = ClaimRanker(encoder, lexical_weight=weight).fit(list(range(len(claim_ids))), texts, wordings)
        wording_scores = ranker.wording_scores(headlines)
        if with_wordings:  # leave each headline's own wording out (unless another article or the claim has it too)
            counts: dict[tuple[int, str], int] = {}
            for h, g in zip(headlines, gold):
                counts[(g, h)] = counts.get((g, h), 0) + 1
            index = {(ranker.owner_[k], w): k for k, w in enumerate(ranker.wordings_)}
            for i, (h, g) in enumerate(zip(headlines, gold)):
                if counts[(g, h)] == 1 and h != texts[g]:
                    wording_scores[i, index[(g, h)]] = -1.0
        return ranker.claim_scores(wording_scores)

    for with_wordings in (False, True):
        key = "claim text and the store's other wordings" if with_wordings else "claim text only"
        per_weight = {w: scores_for(w, with_wordings) for w in WEIGHTS}
        per_weight[0.0] = scores_for(0.0, with_wordings)  # the encoder's cosine alone, for reference
        rank_by_weight = {w: ranks(s, gold) for w, s in per_weight.items()}
        rank = np.zeros(len(rows), dtype=np.int64)
        best_score = np.zeros(len(rows))
        open_best = np.zeros(len(rows))
        open_top = np.zeros(len(rows), dtype=np.int64)
        chosen = []
        for f in range(FOLDS):
            train, test = fold != f, fold == f
            weight = max(WEIGHTS, key=lambda w: (top1_map5(rank_by_weight[w][train]), -abs(w - 0.5)))
            chosen.append(weight)
            rank[test] = rank_by_weight[weight][test]
            s = per_weight[weight]
            best_score[test] = s[test].max(1)
            masked = s[test].copy()
            masked[np.arange(masked.shape[0]), gold[test]] = -1.0  # the headline's own claim is not in the store
            open_best[test] = masked.max(1)
            open_top[test] = masked.argmax(1)
        top1, map5 = top1_map5(rank)
        cosine_top1, cosine_map5 = top1_map5(rank_by_weight[0.0])
        figures[key] = {
            "encoder cosine alone": {"top1": round(cosine_top1, 4), "map5": round(cosine_map5, 4)},
            "top1": round(top1, 4), "map5": round(map5, 4), "lexical weight per fold": chosen,
        }
        print(f"{key}: top-1 {top1:.4f}, MAP@5 {map5:.4f} (encoder cosine alone {cosine_top1:.4f} / {cosine_map5:.4f}); "
              f"weights {chosen}", flush=True)
        # the country guard: a headline naming a country its best claim does not (and vice versa) is new
        guard_own = np.array([different_countries(headline_named[i], claim_named[gold[i]]) for i in range(len(rows))])
        guard_open = np.array([different_countries(headline_named[i], claim_named[open_top[i]]) for i in range(len(rows))])
        for guarded in (False, True):
            own_apart = guard_own if guarded else np.zeros(len(rows), bool)
            open_apart = guard_open if guarded else np.zeros(len(rows), bool)
            # threshold: chosen per fold on the other folds' headlines
            joined, started_new, thresholds = np.zeros(len(rows), bool), np.zeros(len(rows), bool), []
            for f in range(FOLDS):
                train, test = fold != f, fold == f
                candidates = np.unique(np.round(np.concatenate([best_score[train], open_best[train]]), 3))

                def balance(t):
                    closed = ((rank[train] == 0) & (best_score[train] >= t) & ~own_apart[train]).mean()
                    opened = ((open_best[train] < t) | open_apart[train]).mean()
                    return (opened >= 0.9, closed + opened)

                threshold = max(candidates, key=balance)
                thresholds.append(float(threshold))
                joined[test] = (rank[test] == 0) & (best_score[test] >= threshold) & ~own_apart[test]
                started_new[test] = (open_best[test] < threshold) | open_apart[test]
            name = "with the country guard" if guarded else "score only"
            figures[key][name] = {
                "threshold per fold": [round(t, 3) for t in thresholds],
                "closed world: joins its own claim": round(float(joined.mean()), 4),
                "open world: starts a new claim": round(float(started_new.mean()), 4),
            }
            print(f"  new-claim rule, {name}: thresholds {[round(t, 3) for t in thresholds]}; closed world joins its own "
                  f"claim {joined.mean():.4f}; open world starts a new claim {started_new.mean():.4f}", flush=True)

    if SEED_GOLD.exists():
        seed_claims = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["claims"]
        names = sorted(seed_claims)
        seed_named = claim_features([seed_claims[n] for n in names], "")
        ranker = ClaimRanker(encoder).fit(list(range(len(names))), [seed_claims[n] for n in names])
        pair = ranker.scores([seed_claims[n] for n in names])
        merged = [(a, b, round(float(pair[i, j]), 3)) for i, a in enumerate(names) for j, b in enumerate(names)
                  if i < j and max(pair[i, j], pair[j, i]) >= ranker.threshold]
        # each seed claim against a store of the other two and Emergent's 240 claims
        store = ClaimRanker(encoder).fit(list(range(len(texts) + len(names))), texts + [seed_claims[n] for n in names],
                                         features=claim_named + seed_named)
        joined_other = 0
        for i, name in enumerate(names):
            row = store.scores([seed_claims[name]])[0]
            row[len(texts) + i] = -1.0
            joined_other += int(row.max() >= store.threshold and not store.kept_apart(seed_named[i], int(row.argmax())))
        paraphrases = []
        for name, wordings in SEED_PARAPHRASES.items():
            for result in store.match(wordings, features=claim_features(wordings, "")):
                best = result.matches[0]
                paraphrases.append({"text": result.text, "expected": name, "new": result.new,
                                    "best": names[best.claim - len(texts)] if best.claim >= len(texts) else f"emergent:{best.claim}",
                                    "score": round(best.score, 3)})
        figures["seed"] = {"pairwise scores": {f"{a}-{b}": round(float(max(pair[i, j], pair[j, i])), 3)
                                               for i, a in enumerate(names) for j, b in enumerate(names) if i < j},
                           "pairs merged": len(merged), "claims joining another seed claim or an Emergent claim": joined_other,
                           "paraphrases": paraphrases}
        print(f"seed: pairwise {figures['seed']['pairwise scores']}; pairs merged {len(merged)} of 3; "
              f"claims joining another {joined_other} of 3")
        for item in paraphrases:
            print(f"  {item['text']!r}: best {item['best']} ({item['score']}), new={item['new']} (expected {item['expected']})")
    figures["seconds"] = round(time.time() - started, 1)
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
