"""The articles named on an ingest command line: files, directories, globs, JSON Lines and FNC-1 body CSVs.

Each article becomes a :class:`BatchItem` holding its Document or the one-line reason it cannot be
read, so one bad item (binary, empty, malformed line, HTML with no text) is reported and skipped
without stopping the batch. A plain file may have a ``NAME.meta.json`` sidecar with its title,
outlet, url and publication date.
"""

from __future__ import annotations

import csv
import glob
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from claimledger.errors import ClaimledgerError
from claimledger.ingest.reader import DEFAULT_MAX_MB, decode_bytes, document_from_text, read_article, read_regular_file
from claimledger.records import Document
from claimledger.timex.resolver import check_published

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".md", ".markdown"}
COLLECTION_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
FNC_BODY_COLUMNS = ("Body ID", "articleBody")


@dataclass
class BatchItem:
    """One article to ingest: its Document, or why it cannot be read."""

    name: str
    document: Document | None = None
    error: str | None = None
    skipped: bool = False  # a file in a named directory that is not an article file (unknown suffix)


@dataclass
class Defaults:
    """Values for articles that do not carry their own."""

    published: str | None = None
    outlet: str | None = None
    max_mb: float = DEFAULT_MAX_MB
    check_language: bool = True


def iter_items(paths: list[str], defaults: Defaults | None = None) -> Iterator[BatchItem]:
    """Every article under ``paths``, in a stable order (directories sorted, collections in file order)."""
    defaults = defaults or Defaults()
    for path in paths:
        matches = [path]
        if not Path(path).exists() and any(ch in path for ch in "*?["):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield BatchItem(name=path, error="no file matches this pattern")
                continue
        for match in matches:
            candidate = Path(match)
            if candidate.is_dir():
                found = sorted(p for p in candidate.rglob("*") if p.is_file() and not _is_hidden_or_sidecar(p))
                files = [p for p in found if _is_article_file(p)]
                for other in (p for p in found if not _is_article_file(p)):
                    yield BatchItem(name=str(other), skipped=True,
                                    error=f"not an article file (unknown suffix '{other.suffix or '(none)'}')")
                if not files:
                    yield BatchItem(name=match, error="directory holds no article files")
                for file in files:
                    yield from _file_items(str(file), defaults, stored_name(file, candidate))
            else:
                yield from _file_items(match, defaults, stored_name(candidate))


def _is_hidden_or_sidecar(path: Path) -> bool:
    return path.name.startswith(".") or path.name.endswith(".meta.json")


def _is_article_file(path: Path) -> bool:
    if _is_hidden_or_sidecar(path):
        return False
    return path.suffix.lower() in ARTICLE_SUFFIXES | COLLECTION_SUFFIXES


def stored_name(path: Path, root: Path | None = None) -> str:
    """The name an article file is stored under: never the ingesting machine's absolute path.

    A file found in a directory the user named is that directory's name plus the path inside it
    ("articles/2024/a.txt"); a file named by an absolute path is its file name; a relative path
    stays as the user wrote it.
    """
    if root is not None and root.is_absolute():
        return str(Path(root.name or "/") / path.relative_to(root))
    return path.name if path.is_absolute() else str(path)


def _file_items(name: str, defaults: Defaults, stored: str | None = None) -> Iterator[BatchItem]:
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_items(name, defaults, stored)
    elif suffix == ".csv":
        yield from _csv_items(name, defaults, stored)
    else:
        yield _guarded(name, lambda: _plain_file(name, defaults, stored))


def _plain_file(name: str, defaults: Defaults, stored: str | None = None) -> Document:
    meta = _sidecar(name)
    published = meta.get("published") or defaults.published
    return _named(stored, read_article(
        name,
        max_mb=defaults.max_mb,
        check_language=defaults.check_language,
        title=meta.get("title"),
        outlet=meta.get("outlet") or defaults.outlet,
        url=meta.get("url"),
        published=check_published(published, name) if published else None,
    ))


def _named(stored: str | None, document: Document) -> Document:
    if stored is not None:
        document.name = stored
    return document


def _sidecar(name: str) -> dict:
    path = Path(name)
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ClaimledgerError(f"{sidecar}: not valid JSON ({error})") from None
    return data if isinstance(data, dict) else {}


def _jsonl_items(name: str, defaults: Defaults, stored: str | None = None) -> Iterator[BatchItem]:
    try:
        raw = read_regular_file(name)
        text = decode_bytes(raw, name)
    except (OSError, ClaimledgerError) as error:
        yield BatchItem(name=name, error=_message(error, name))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item_name = f"{name}:{number}"
        yield _guarded(item_name, lambda line=line, item_name=item_name, number=number: _named(
            f"{stored}:{number}" if stored else None, _jsonl_document(line, item_name, defaults)))


def _jsonl_document(line: str, name: str, defaults: Defaults) -> Document:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise ClaimledgerError(f"{name}: not valid JSON ({getattr(error, 'msg', error)} at column {getattr(error, 'colno', '?')})") from None
    if not isinstance(record, dict):
        raise ClaimledgerError(f"{name}: a line must be a JSON object with 'text' or 'html'")
    return document_from_record(record, name, defaults)


def document_from_record(record: dict, name: str, defaults: Defaults | None = None) -> Document:
    """A Document from the fields of an ingest JSON Lines record (also the API's request body)."""
    defaults = defaults or Defaults()
    body = record.get("text"), record.get("html")
    if not any(isinstance(value, str) and value.strip() for value in body):
        raise ClaimledgerError(f"{name}: has no 'text' or 'html' with article text")
    for key in ("title", "url", "outlet", "published", "text", "html"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ClaimledgerError(f"{name}: '{key}' must be a string")
    content: str = record.get("text") or record.get("html") or ""
    if len(content.encode("utf-8")) > defaults.max_mb * 1024 * 1024:
        raise ClaimledgerError(f"{name}: is over the {defaults.max_mb:g} MB limit for one article")
    published = record.get("published") or defaults.published
    return document_from_text(
        content,
        name=name,
        input_format="html" if record.get("html") and not record.get("text") else None,
        check_language=defaults.check_language,
        title=record.get("title"),
        outlet=record.get("outlet") or defaults.outlet,
        url=record.get("url"),
        published=check_published(published, name) if published else None,
    )


def _csv_items(name: str, defaults: Defaults, stored: str | None = None) -> Iterator[BatchItem]:
    try:
        text = decode_bytes(read_regular_file(name), name)
    except (OSError, ClaimledgerError) as error:
        yield BatchItem(name=name, error=_message(error, name))
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or any(column not in reader.fieldnames for column in FNC_BODY_COLUMNS):
        yield BatchItem(name=name, error=f"a CSV must have the FNC-1 body columns {', '.join(FNC_BODY_COLUMNS)}")
        return
    for row in reader:
        item_name = f"{name}#{row['Body ID']}"
        yield _guarded(item_name, lambda row=row, item_name=item_name: document_from_text(
            row["articleBody"] or "", name=f"{stored}#{row['Body ID']}" if stored else item_name, input_format="text",
            check_language=defaults.check_language, outlet=defaults.outlet, published=defaults.published,
        ))


def _guarded(name: str, build) -> BatchItem:
    try:
        return BatchItem(name=name, document=build())
    except ClaimledgerError as error:
        return BatchItem(name=name, error=_message(error, name))
    except OSError as error:
        return BatchItem(name=name, error=f"cannot be read ({error.strerror or error})")


def _message(error: Exception, name: str) -> str:
    """The reason without the item's name in front (the summary prints the name itself)."""
    text = str(error)
    return text[len(name) + 2:] if text.startswith(f"{name}: ") else text
