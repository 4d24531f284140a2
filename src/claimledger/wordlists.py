"""Word lists shipped as data files: one entry a line, under ``#`` lines saying what the list is
and where it came from (the lexicons of :mod:`claimledger.attribution.cues`, the extractor and the
source resolver live in their packages' ``data/`` folders)."""

from __future__ import annotations

from pathlib import Path


def read_word_list(path: Path) -> frozenset[str]:
    """The entries of a word-list file, lower case, without its ``#`` header lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))
