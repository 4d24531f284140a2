"""Map FNC-1 stance labels onto the ledger's stance vocabulary.

The ledger speaks of a text's stance toward a claim as support/deny/neutral; FNC's ``discuss``
(reports the claim without taking a side) is the ledger's ``neutral``.
"""

from __future__ import annotations

FNC_TO_LEDGER = {"agree": "support", "disagree": "deny", "discuss": "neutral", "unrelated": "unrelated"}


def to_ledger_stance(label: str) -> str:
    """The ledger stance for an FNC label (raises ``ValueError`` for anything else)."""
    try:
        return FNC_TO_LEDGER[label]
    except KeyError:
        raise ValueError(f"unknown FNC stance {label!r} (expected one of {', '.join(FNC_TO_LEDGER)})") from None
