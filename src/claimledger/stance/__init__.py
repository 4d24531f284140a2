"""Stance of a text toward a claim, trained on FNC-1 (agree, disagree, discuss, unrelated).

``load_default().predict(headlines, bodies)`` labels pairs with the shipped model;
:mod:`~claimledger.stance.fnc` reads/writes FNC CSVs and scores predictions;
:func:`to_ledger_stance` maps FNC labels to the ledger's support/deny/neutral/unrelated.
Names are imported on first use, so importing a sibling module (e.g. ``stance.statement``) stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "LABELS": "fnc", "StanceScores": "fnc", "read_bodies": "fnc", "read_stances": "fnc", "score": "fnc",
    "write_stances": "fnc", "StanceModel": "model", "load_default": "model",
    "FNC_TO_LEDGER": "to_ledger", "to_ledger_stance": "to_ledger",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
