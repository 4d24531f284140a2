"""Is a name a news outlet? Decides whether "told X" / "reported X" / "according to X" names a medium.

A list of widely cited news organisations and agencies (``data/outlets.txt``, general world
knowledge, one name per line) plus the shapes outlet names take ("… News", "… Times", "… TV").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "outlets.txt"
_OUTLET_SHAPE = re.compile(
    r"\b(news|times|post|journal|herald|tribune|gazette|telegraph|guardian|chronicle|courier|observer|"
    r"daily|weekly|magazine|press|agency|radio|television|tv|broadcasting|broadcaster|network|wire|"
    r"newspaper|review|monitor|examiner|inquirer|register|dispatch|standard|mirror|express|sun|star|"
    r"bulletin|globe|independent|reporter|insider|politico|axios)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def known_outlets() -> frozenset[str]:
    names = set()
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(_normalise(line))
    return frozenset(names)


def _normalise(name: str) -> str:
    name = name.strip().strip(".,'\"“”").lower()
    name = re.sub(r"^the\s+", "", name)
    name = name.replace("’", "'")
    return re.sub(r"\s+", " ", name)


def is_outlet_name(name: str) -> bool:
    """True for 'AFP', 'Reuters', 'the Associated Press', 'Al Jazeera TV', 'The Daily Star' …"""
    normal = _normalise(name)
    if not normal:
        return False
    if normal in known_outlets():
        return True
    words = normal.split()
    # "Al Jazeera TV station", "Reuters news agency": a known outlet followed by a generic noun.
    for cut in range(len(words) - 1, 0, -1):
        if " ".join(words[:cut]) in known_outlets():
            return True
    original_words = name.strip().split()
    capitalised = sum(1 for word in original_words if word[:1].isupper())
    return bool(_OUTLET_SHAPE.search(normal)) and capitalised >= max(1, len(original_words) - 1) and len(words) <= 6


def outlet_prefix(name: str) -> str | None:
    """The known outlet a longer phrase starts with: 'Reuters Kim' (a parse slip) → 'Reuters'."""
    words = name.strip().split()
    for cut in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:cut])
        if _normalise(candidate) in known_outlets():
            return candidate
    return None
