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


def verified_model_file(directory: Path, file_name: str, what: str,
                        error: type[ModelError] = ModelError) -> tuple[dict[str, Any], Path]:
    """A model directory's manifest and the path of ``file_name`` in it, after checking that the
    manifest lists the file, that it exists and that its sha256 is the recorded one; ``error`` otherwise."""
    manifest_path = directory / "manifest.json"
    manifest, files = read_manifest(manifest_path, what, error)
    path = directory / file_name
    if file_name not in files:
        raise error(f"{manifest_path}: does not list {file_name}")
    if not path.exists():
        raise error(f"{path}: model file missing")
    if sha256_file(path) != files[file_name].get("sha256"):
        raise error(f"{path}: sha256 does not match manifest.json (file corrupt or replaced)")
    return manifest, path


def training_provenance(module: str, argv: list[str]) -> dict[str, str]:
    """What every model manifest records of its training run: the command, when, and the Python."""
    import datetime
    import platform

    return {
        "command": f"python -m {module} " + " ".join(argv),
        "trained": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
    }

