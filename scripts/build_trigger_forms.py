"""Write ``src/claimledger/attribution/data/trigger_forms.txt``: the word forms that make a sentence
worth a full parse (``claimledger.attribution.cues.compute_trigger_forms``), one per line, sorted.

Run it after changing the cue lexicon (``cues.py``, ``data/cues.tsv``, ``data/object_cues.tsv``,
``data/intentions.txt``); ``tests/test_trigger_forms.py`` fails while the file is stale.

Usage: python scripts/build_trigger_forms.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimledger.attribution.cues import compute_trigger_forms

OUT = Path(__file__).resolve().parent.parent / "src" / "claimledger" / "attribution" / "data" / "trigger_forms.txt"
HEADER = (
    "# written by scripts/build_trigger_forms.py from the cue lexicon (attribution/cues.py and its data files);\n"
    "# word forms that make a sentence worth a full parse: 'form', 'form to|that|<preposition>', '* form' (after a subject)\n"
)


def main() -> int:
    forms = sorted(compute_trigger_forms())
    OUT.write_text(HEADER + "\n".join(forms) + "\n", encoding="utf-8")
    print(f"wrote {len(forms)} forms to {OUT.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
