"""Which side the statement stance rules take, on our own contrastive templates (development set).

The templates (``claimledger.stance.statement_data.template_pairs``) are sentences written for the
error classes of issue #13 over generated actors, places and events: plain support and denial,
presupposition and scope ("the strikes were not coordinated with …"), double negation, hedges,
conditionals, open questions. Only the side is measured here: each support / deny / neutral pair is
asked of :meth:`StatementStance._polarity` directly, as the ledger asks it once a statement is
found to speak to the claim (relatedness is measured by ``bench/statement_stance_heldout.py``).
This is where the side rules are chosen; the held-out news statements are only measured.

Usage (repository root, venv active):
    python bench/statement_side_templates.py [--seed 0] [--per-frame 40]
"""

from __future__ import annotations

import argparse
from collections import Counter

from claimledger.stance.statement import StatementStance
from claimledger.stance.statement_data import template_pairs

SIDES = ("support", "deny", "neutral")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-frame", type=int, default=40)
    args = parser.parse_args()
    pairs = [p for p in template_pairs(seed=args.seed, per_frame=args.per_frame) if p.label in SIDES]
    confusion: Counter = Counter()
    for pair in pairs:
        stance = StatementStance(claims=[("C", pair.claim)], article_text=pair.statement)
        confusion[(pair.label, stance._polarity(pair.statement, "C", "speech", refused=False, negated_cue=False))] += 1
    right = sum(confusion[(side, side)] for side in SIDES)
    print(f"pairs {len(pairs)}  side accuracy {right / len(pairs):.3f}")
    print("gold \\ predicted " + "".join(f"{side:>10}" for side in SIDES))
    for gold in SIDES:
        print(f"{gold:<17}" + "".join(f"{confusion[(gold, side)]:>10}" for side in SIDES))


if __name__ == "__main__":
    main()
