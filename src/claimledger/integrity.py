"""File integrity for shipped models: the sha256 every manifest records and every loader checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from claimledger.errors import ModelError


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks (model files are tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(path: Path, what: str, error: type[ModelError] = ModelError) -> tuple[dict[str, Any], dict[str, Any]]:
    """A model's ``manifest.json`` and its ``files`` table; ``error`` (naming ``what`` and the path)
    when it is missing or unreadable."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        return manifest, manifest["files"]
    except FileNotFoundError:
        raise error(f"{what} manifest missing: {path}") from None
    except (ValueError, KeyError, TypeError) as problem:
        raise error(f"{what} manifest unreadable: {path} ({problem})") from None
