"""Read one article (plain text, HTML or Markdown; a path or ``-`` for stdin) into a Document.

Everything a user can get wrong about an input file is caught here and reported as a one-line
:class:`~claimledger.errors.InputError` naming the file: missing, a directory, empty, binary,
undecodable, too large, or not English. HTML goes through trafilatura (text, title, date, site);
Markdown markup is stripped so offsets index the prose a reader sees; hard-wrapped text has its
lines re-joined into paragraphs (:mod:`claimledger.ingest.wrapping`).
"""

from __future__ import annotations

import logging
import re
import stat
import sys
from pathlib import Path

from claimledger.errors import InputError, UnsupportedLanguageError
from claimledger.ingest.wrapping import unwrap
from claimledger.records import Document

log = logging.getLogger(__name__)

DEFAULT_MAX_MB = 5.0
SUPPORTED_LANGUAGES = {"en"}
# Share of C0 control bytes (other than whitespace) above which a file is treated as binary.
BINARY_CONTROL_SHARE = 0.01
# charset-normalizer's "chaos" (mess ratio) above which a guessed encoding is not believed.
MAX_ENCODING_CHAOS = 0.2
# Longest run of bytes ≥ 0x80 a legacy-encoded (non-UTF-8) text may hold before it counts as garbled.
MAX_LEGACY_HIGH_RUN = 3
# A file that is UTF-8 but for a few stray bytes (at most this many, or one per thousand bytes, and
# fewer than its valid multi-byte characters) is UTF-8 with those bytes replaced: a single-byte
# encoding "fits" any bytes, and would turn every curly quote of the article into mojibake.
MAX_STRAY_BYTES = 8
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
        size = regular_file_size(name)
        if size > limit:
            raise InputError(
                f"{name}: is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit for one article "
                f"(raise it with --max-mb)"
            )
        raw = read_regular_file(name, limit + 1)  # never more than the limit, whatever stat said
    if len(raw) > limit:
        raise InputError(f"{name}: is over the {max_mb:g} MB limit for one article (raise it with --max-mb)")
    if not raw.strip():
        raise InputError(f"{name}: is empty (no article text)")
    return raw


def regular_file_size(name: str) -> int:
    """The size of the regular file ``name``; a one-line InputError for anything else.

    A FIFO would block the open until some writer comes, a device (/dev/zero) never ends: only
    regular files (and stdin, as ``-``) are read.
    """
    path = Path(name)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory, not an article file")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(
            info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a special file"
        raise InputError(f"{name}: is not a regular file ({kind}); give a file, or - to read standard input")
    return info.st_size


def read_regular_file(name: str, limit: int | None = None) -> bytes:
    """At most ``limit`` bytes (all without one) of the regular file ``name``; one-line InputErrors."""
    regular_file_size(name)
    try:
        with open(name, "rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None


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
    repaired = _utf8_with_stray_bytes(raw, name)
    if repaired is not None:
        return repaired
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


def _utf8_with_stray_bytes(raw: bytes, name: str) -> str | None:
    """``raw`` as UTF-8 with its few invalid bytes replaced by U+FFFD, or None when it is not that."""
    text = raw.decode("utf-8-sig", errors="replace")
    stray = text.count("\ufffd") - raw.count("\ufffd".encode("utf-8"))
    multibyte = sum(1 for char in text if ord(char) >= 0x80) - text.count("\ufffd")
    if not 0 < stray <= max(MAX_STRAY_BYTES, len(raw) // 1000) or multibyte <= stray:
        return None
    log.warning("%s: is UTF-8 but for %d invalid byte sequence%s, replaced by U+FFFD", name, stray,
                "" if stray == 1 else "s")
    return text


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
    data = {} if extracted is None else extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = data.get("text") or ""
    if len(text.split()) < MIN_HTML_ARTICLE_WORDS:
        deep = _deeply_nested_tree(html)
        if deep is not None:  # libxml2 stops at 255 levels of nesting unless told otherwise
            extracted = trafilatura.bare_extraction(deep, with_metadata=True, include_comments=False,
                                                    favor_precision=True)
            if extracted is not None:
                data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
                text = data.get("text") or ""
    # trafilatura falls back to whatever text a page has (a menu, a cookie notice): a few words
    # are not an article.
    if len(text.split()) < MIN_HTML_ARTICLE_WORDS:
        raise InputError(f"{name}: HTML holds no article text that could be extracted")
    return text, {key: data.get(key) for key in ("title", "date", "sitename", "url")}


# libxml2's default limit of element nesting; past it, the parser drops the rest of the page.
LIBXML_MAX_DEPTH = 255


def _deeply_nested_tree(html: str):
    """The page parsed without libxml2's depth limit when it nests deeper than that limit, else None."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True, remove_comments=True))
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return None
    deepest, stack = 0, [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return tree if deepest > LIBXML_MAX_DEPTH else None


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


# The commonest English function words. In English news they are a fifth or more of the words (99 %
# of FNC-1's bodies); in Spanish, French, German, Dutch, Italian or Portuguese prose, 0–12 %.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in that is was for on with as by at from it said his be has have are were".split()
)
CLEARLY_ENGLISH_SHARE = 0.2
CLEARLY_ENGLISH_MIN_WORDS = 40


def detect_language(text: str) -> str:
    """ISO 639-1 code of the article's language, from its first few thousand characters.

    Text that is plainly English by its function words is English without loading py3langid's
    model (most of a cold start's second); anything else is py3langid's call.
    """
    sample = text[:5000]
    if len(re.findall(r"[^\W\d_]", sample)) < 20:
        return "en"  # too little text to judge; let extraction decide
    words = re.findall(r"[^\W\d_]+", sample.lower())
    if len(words) >= CLEARLY_ENGLISH_MIN_WORDS and sum(w in ENGLISH_FUNCTION_WORDS for w in words) >= CLEARLY_ENGLISH_SHARE * len(words):
        return "en"
    import py3langid

    language, _ = py3langid.classify(sample)
    return language
