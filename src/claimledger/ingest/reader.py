"""Read one article (plain text, HTML or Markdown; a path or ``-`` for stdin) into a Document.

Everything a user can get wrong about an input file is caught here and reported as a one-line
:class:`~claimledger.errors.InputError` naming the file: missing, a directory, empty, binary,
undecodable, too large, or not English. HTML goes through trafilatura (text, title, date, site);
Markdown markup is stripped so offsets index the prose a reader sees; hard-wrapped text has its
lines re-joined into paragraphs (:mod:`claimledger.ingest.wrapping`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from claimledger.errors import InputError, UnsupportedLanguageError
from claimledger.ingest.wrapping import unwrap
from claimledger.records import Document

DEFAULT_MAX_MB = 5.0
SUPPORTED_LANGUAGES = {"en"}
# Share of C0 control bytes (other than whitespace) above which a file is treated as binary.
BINARY_CONTROL_SHARE = 0.01
# charset-normalizer's "chaos" (mess ratio) above which a guessed encoding is not believed.
MAX_ENCODING_CHAOS = 0.2
# Longest run of bytes ≥ 0x80 a legacy-encoded (non-UTF-8) text may hold before it counts as garbled.
MAX_LEGACY_HIGH_RUN = 3
# Fewer words than this extracted from a web page means the page had no article in it.
MIN_HTML_ARTICLE_WORDS = 8

_HTML_START = re.compile(r"\A\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)
_MARKDOWN_HINT = re.compile(r"^(#{1,6} |\* |- |> |\d+\. )|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*", re.MULTILINE)


def read_article(
    path: str | Path,
    *,
    max_mb: float = DEFAULT_MAX_MB,
    input_format: str | None = None,
    check_language: bool = True,
    **document_fields,
) -> Document:
    """Read ``path`` (or ``-`` for stdin) and return its Document, or raise a one-line InputError."""
    name = str(path)
    raw = _read_bytes(name, max_mb)
    text = decode_bytes(raw, name)
    if input_format is None and name != "-":
        suffix = Path(name).suffix.lower()
        input_format = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}.get(suffix)
    return document_from_text(
        text, name=name, input_format=input_format, check_language=check_language, **document_fields
    )


def document_from_text(
    text: str,
    *,
    name: str = "<text>",
    input_format: str | None = None,
    check_language: bool = True,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
) -> Document:
    """Build a Document from a decoded string, detecting HTML/Markdown when not told."""
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file (NUL characters), not an article")
    fmt = input_format or sniff_format(text)
    if fmt == "html":
        text, meta = _extract_html(text, name)
        title = title or meta.get("title")
        published = published or meta.get("date")
        outlet = outlet or meta.get("sitename")
        url = url or meta.get("url")
    elif fmt == "markdown":
        heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
        if heading and not title:
            title = strip_markdown(heading.group(1)).strip()
        text = strip_markdown(text)
    text = unwrap(_normalise_newlines(text))
    if not text.strip():
        raise InputError(f"{name}: is empty (no article text)")
    language = detect_language(text)
    if check_language and language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"{name}: the article looks like language '{language}'; claimledger reads English only"
        )
    return Document(
        text=text,
        title=title,
        published=published,
        language=language,
        outlet=outlet,
        url=url,
        input_format=fmt,
        name=name,
    )


def _read_bytes(name: str, max_mb: float) -> bytes:
    limit = int(max_mb * 1024 * 1024)
    if name == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(name)
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not an article file")
        try:
            size = path.stat().st_size
            if size > limit:
                raise InputError(
                    f"{name}: is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit for one article "
                    f"(raise it with --max-mb)"
                )
            raw = path.read_bytes()
        except OSError as error:
            raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(raw) > limit:
        raise InputError(f"{name}: is over the {max_mb:g} MB limit for one article (raise it with --max-mb)")
    if not raw.strip():
        raise InputError(f"{name}: is empty (no article text)")
    return raw


def decode_bytes(raw: bytes, name: str) -> str:
    """Decode as UTF-8 (with or without BOM), else the encoding charset-normalizer trusts, else fail."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: has a UTF-16 byte-order mark but is not valid UTF-16") from None
    if _looks_binary(raw):
        raise InputError(f"{name}: looks like a binary file, not an article (control bytes in the text)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        position = error.start
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    # In a legacy single-byte encoding, non-ASCII letters stand alone between ASCII ones ("café");
    # bytes garbled in transit come in runs, and some single-byte encoding always "fits" them.
    longest_run = max((len(run) for run in re.findall(rb"[\x80-\xff]+", raw)), default=0)
    if best is None or best.chaos > MAX_ENCODING_CHAOS or longest_run > MAX_LEGACY_HIGH_RUN:
        raise InputError(
            f"{name}: is not valid UTF-8 (bad byte at offset {position}) and no other text encoding fits it"
        )
    return str(best)


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > BINARY_CONTROL_SHARE * len(sample)


def sniff_format(text: str) -> str:
    """Guess text | html | markdown from the content itself."""
    head = text[:4096]
    if _HTML_START.search(head) or (head.count("</") >= 3 and head.count("<p") >= 1):
        return "html"
    if len(_MARKDOWN_HINT.findall(head)) >= 2:
        return "markdown"
    return "text"


def _extract_html(html: str, name: str) -> tuple[str, dict]:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if extracted is None:
        raise InputError(f"{name}: HTML holds no article text that could be extracted")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = data.get("text") or ""
    # trafilatura falls back to whatever text a page has (a menu, a cookie notice): a few words
    # are not an article.
    if len(text.split()) < MIN_HTML_ARTICLE_WORDS:
        raise InputError(f"{name}: HTML holds no article text that could be extracted")
    return text, {key: data.get(key) for key in ("title", "date", "sitename", "url")}


_MD_RULES = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"^\s{0,3}[-*+]\s+", re.MULTILINE), ""),  # list bullets
]


def strip_markdown(text: str) -> str:
    """Drop Markdown markup, keeping the words (a few regexes: the markup news uses is small)."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the article's language, from its first few thousand characters."""
    import py3langid

    sample = text[:5000]
    if len(re.findall(r"[^\W\d_]", sample)) < 20:
        return "en"  # too little text to judge; let extraction decide
    language, _ = py3langid.classify(sample)
    return language
