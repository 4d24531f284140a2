"""Attribution extraction: find every attributed statement (source, cue, content) in a parsed article.

Attribution is taken in the broad sense of news attribution corpora (PARC, PolNeAR): speech and
writing, but also belief, knowledge and position, with verb, noun and phrasal cues. The extractor
reads dependency parses (spaCy) for the cue's subject and clausal complement, and the raw text for
quotations, which decide the content's extent when a statement is quoted (multi-sentence and
multi-paragraph quotes, speaker before or after the quote, a quote paragraph whose speaker was named
in the paragraph before). Sources here are still mentions; :mod:`claimledger.sources.resolver`
turns them into sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from claimledger.attribution.cues import (
    CONFIRMATION_VERBS,
    DENIAL_VERBS,
    PHRASAL_CUES,
    REFUSED_SPEECH,
    POSITION_VERBS,
    CueInfo,
    mined_precision,
    object_is_content,
    noun_cues,
    verb_cues,
)
from claimledger.attribution.outlets import is_outlet_name, outlet_prefix
from claimledger import budget
from claimledger.attribution.intervals import IntervalIndex, LatestEnding
from claimledger.attribution.quotes import Quotation, find_quotations, quoted, starting_from, touching
from claimledger.nlp.pipeline import ParsedArticle, Sentence
from claimledger.wordlists import read_word_list

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp", "parataxis"}
# Words that say a source was granted anonymity or is otherwise unnamed on purpose.
ANONYMITY = re.compile(
    r"\b(anonymity|anonymously|unnamed|unidentified|not authori[sz]ed to|declined to be (named|identified)|"
    r"asked not to be (named|identified)|on condition that|on background|familiar with|insider|"
    r"requested anonymity|speaking privately|not be named|not be identified)\b",
    re.IGNORECASE,
)
_DATA_DIR = Path(__file__).with_name("data")
# Heads of mentions unnamed on purpose ("officials familiar with the talks").
ANONYMOUS_HEADS = read_word_list(_DATA_DIR / "anonymous_heads.txt")
# Verbs that take their content as a direct object ("denied the report", "announced a ban").
NP_CONTENT_VERBS = DENIAL_VERBS | CONFIRMATION_VERBS | read_word_list(_DATA_DIR / "object_content_verbs.txt") | POSITION_VERBS
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"}
PERSONAL_PRONOUNS = {"he", "she", "they", "we", "i"}
# Verbs whose direct object is the listener, never the content.
LISTENER_VERBS = read_word_list(_DATA_DIR / "listener_verbs.txt")
MIN_QUOTE_WORDS = 4
# Mined (PolNeAR train) precision above which a verb's direct object counts as its content.
OBJECT_CUE_PRECISION = 0.5


@dataclass
class SourceMention:
    """The words that name the source of one attribution, as written in its sentence."""

    text: str
    start: int
    end: int
    head: Token | None = None
    tokens: list[Token] = field(default_factory=list)
    sentence: Sentence | None = None
    pronoun: bool = False
    carried_from: "RawAttribution | None" = None  # for quotes whose speaker was named earlier


@dataclass
class RawAttribution:
    """An attribution before its source mention is resolved to a source."""

    cue: str
    cue_lemma: str
    cue_class: str
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    direct: bool
    quote: str  # direct | indirect | mixed
    sentence: Sentence
    source: SourceMention | None = None
    medium: str | None = None
    anonymous: bool = False
    refused: bool = False  # "declined to confirm or deny"
    negated_cue: bool = False  # "did not deny"
    quotation: Quotation | None = None


def extract_attributions(article: ParsedArticle) -> list[RawAttribution]:
    """Every attribution in the article, in text order, each token in at most one content."""
    quotations = find_quotations(article.text, article.paragraphs)
    found: list[RawAttribution] = []
    for sentence in article.sentences:
        if sentence.span is None:
            continue
        budget.check()
        found.extend(_sentence_attributions(article, sentence, quotations))
    found.extend(_headline_attributions(article, found, quotations))
    _trailing_outlet_mediums(article, found)
    found = _reattribute_outlet_reports(found)
    found = _drop_overlaps(found)
    found.extend(_continuation_quotes(article, quotations, found))
    found.sort(key=lambda a: (a.content_start, a.cue_start))
    found = _drop_overlaps(found)
    _carry_mediums(found)
    return found


# --------------------------------------------------------------------------- per sentence


def _sentence_attributions(article: ParsedArticle, sentence: Sentence, quotations: list[Quotation]) -> list[RawAttribution]:
    results = []
    cues = verb_cues()
    nouns = noun_cues()
    in_quote = lambda token: quoted(quotations, sentence.char_start(token))  # noqa: E731
    for token in sentence.span:
        if in_quote(token):
            continue  # a statement nested inside a quotation belongs to the quotation's speaker
        attribution = None
        if token.lower_ == "according" and _next_lower(token) == "to":
            attribution = _according_to(article, sentence, token, quotations)
        elif token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cues and token.dep_ not in ("amod", "compound", "aux", "auxpass"):
            attribution = _verb_attribution(article, sentence, token, cues[token.lemma_.lower()], quotations)
        elif token.pos_ == "VERB" and any((token.lemma_.lower(), c.lower_) in PHRASAL_CUES for c in token.children if c.dep_ == "prt") and not any(
            c.dep_ == "xcomp" and c.lemma_.lower() in cues for c in token.children
        ):  # "went on to say …": the inner speech verb carries the statement
            info = CueInfo(token.lemma_.lower(), "speech", False)
            attribution = _verb_attribution(article, sentence, token, info, quotations)
        elif token.pos_ == "NOUN" and token.lemma_.lower() in nouns:
            attribution = _noun_attribution(article, sentence, token, quotations)
        elif token.dep_ == "ROOT" and token.pos_ == "VERB" and _introduces_quote_with_colon(article, sentence, token, quotations):
            # 'She then addressed the supporters again: "Here is what I regret …"'
            attribution = _verb_attribution(article, sentence, token, CueInfo(token.lemma_.lower(), "speech", False), quotations)
        if attribution is not None:
            results.append(attribution)
    return results


def _introduces_quote_with_colon(article: ParsedArticle, sentence: Sentence, verb: Token, quotations: list[Quotation]) -> bool:
    """A person's clause that ends in a colon and a quotation: whatever the verb, what follows is theirs."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    named_person = any(t.ent_type_ == "PERSON" for t in subject.subtree) or subject.pos_ == "PROPN" and subject.ent_type_ == ""
    if not (named_person or subject.lower_ in PERSONAL_PRONOUNS):
        return False
    colon = next((t for t in verb.subtree if t.text == ":" and t.head.i == verb.i and t.i > verb.i), None)
    if colon is None:
        return False
    colon_end = sentence.char_end(colon)
    paragraph_end = article.paragraphs[sentence.paragraph][1]
    return any(
        re.fullmatch(r"[\s\"“'‘]*", article.text[colon_end : quotation.start]) is not None
        for quotation in starting_from(quotations, colon_end, min(paragraph_end, colon_end + 4))
    )


def _next_lower(token: Token) -> str:
    doc = token.doc
    return doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""


def _set_off(verb: Token) -> bool:
    """Whether punctuation separates the cue's clause from the words before it.

    '"…," the minister said' is content then cue, even when the parser hangs the cue under the
    quote's verb; in 'Ortiz said divers had found fragments' nothing separates "divers had found"
    from "Ortiz said": it is the content of "said", not a cue whose content is "Ortiz said".
    """
    first = min(t.i for t in verb.subtree)
    doc = verb.doc
    return any(doc[i].is_punct for i in range(max(verb.head.i + 1, first - 2), first))


def _verb_attribution(article: ParsedArticle, sentence: Sentence, verb: Token, info: CueInfo,
                      quotations: list[Quotation]) -> RawAttribution | None:
    """The attribution a cue verb makes, read step by step; None as soon as a rejection applies.

    Content first (the refused speech verb's complement, the cue's complement, or a clause the parser
    left unattached), then where it stands in the text (quotations win), then the speaker and the
    outlet; the rules of ``SPAN_REJECTIONS`` … ``NEGATION_REJECTIONS`` run, in order, as soon as what
    they read is known.
    """
    found = _refused_content(verb) if info.cue_class == "refusal" else _cue_content(verb, info.lemma)
    if found is None:
        return None
    cue_tokens, content_root, content_tokens = found
    span = _content_span(article, sentence, verb, _strip_edges(content_tokens), quotations)
    if span is None:
        return None
    start, end, quotation, quote_kind = span
    reading = _CueReading(article, sentence, verb, info, content_root, start, end, quotation, quote_kind)
    if _rejected(reading, SPAN_REJECTIONS):
        return None
    reading.source, reading.end, quoting_medium = _speaker(reading)
    if _rejected(reading, SPEAKER_REJECTIONS):
        return None
    reading.medium, reading.start = _medium(reading, quoting_medium)
    if _rejected(reading, MEDIUM_REJECTIONS):
        return None
    cue_tokens, cue_text, cue_class = _cue_words(verb, info, cue_tokens)
    reading.negated = any(c.dep_ == "neg" for c in verb.children)
    if _rejected(reading, NEGATION_REJECTIONS):
        return None
    return _raw(sentence, cue_text, info.lemma, cue_class, cue_tokens[0], cue_tokens[-1], (reading.start, reading.end),
                quote_kind, quotation, reading.source, medium=reading.medium, refused=info.cue_class == "refusal",
                negated_cue=reading.negated)


# ---- what a cue verb introduces

_CueContent = tuple[list[Token], Token | None, list[Token]]  # cue tokens, content root, content tokens


def _refused_content(verb: Token) -> _CueContent | None:
    """'declined to comment on the report': the refused speech verb joins the cue; None without one."""
    speech = next(
        (c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in REFUSED_SPEECH),
        None,
    )
    if speech is None:
        return None
    cue_tokens = _span_tokens(verb, speech) + [c for c in speech.children if c.dep_ in ("conj", "cc")]
    content_root = _complement_of(speech)
    if content_root is None:
        for conj in (c for c in speech.children if c.dep_ == "conj"):
            content_root = _complement_of(conj)
            if content_root is not None:
                break
    return cue_tokens, content_root, list(content_root.subtree) if content_root is not None else []


def _cue_content(verb: Token, lemma: str) -> _CueContent:
    """The cue's complement ('said that …', 'denied the report'), else the first clause of
    ``UNATTACHED_CONTENT`` that applies; "pointed out", "ruled out": the particle is in the cue."""
    cue_tokens = [verb] + [child for child in verb.children if child.dep_ == "prt"]
    content_root = _complement_of(verb, allow_object=_object_cue(lemma))
    if content_root is not None:
        # "claiming that X happened, but occurred 10 days ago": a subjectless conjunct that the
        # parser hung on an ancestor still belongs to the content.
        return cue_tokens, content_root, _extend_with_orphan_conjuncts(verb, list(content_root.subtree))
    for clause in UNATTACHED_CONTENT:
        content_tokens = clause(verb)
        if content_tokens is not None:
            return cue_tokens, None, content_tokens
    return cue_tokens, None, []


def _interrupted_content(verb: Token) -> list[Token] | None:
    """'African-Americans, he said, can …': the cue interrupts its own content."""
    if verb.dep_ == "parataxis" and verb.head.i > verb.i and verb.head.pos_ in ("VERB", "AUX"):
        return _head_clause_without(verb)
    return None


def _content_before_set_off_cue(verb: Token) -> list[Token] | None:
    """'"…," the minister said.' parsed with the quote's verb as the root; also 'There was never, the
    network says, a panel …', where the content resumes after the cue."""
    if not (verb.dep_ in ("parataxis", "ccomp") and verb.head.i < verb.i and _set_off(verb)):
        return None
    content_tokens = _head_clause_without(verb)
    if [t for t in content_tokens if not t.is_punct] == [verb.head]:
        return []  # "… as saying the board knew …": the lone head is not content
    return content_tokens


def _content_before_closing_cue(verb: Token) -> list[Token] | None:
    """'…, the institute said.' / '…, reported the Baltic Times.' where the parser did not attach the
    clause: the words before the cue's clause are its content."""
    return _preceding_clause(verb) or None


# Where a cue's content is when the parser gave it no complement, tried in order; the first that
# applies decides (even when it finds nothing).
UNATTACHED_CONTENT = (_interrupted_content, _content_before_set_off_cue, _content_before_closing_cue)


def _head_clause_without(verb: Token) -> list[Token]:
    """The clause of the cue's head without the cue's own subtree."""
    excluded = set(t.i for t in verb.subtree)
    return [t for t in verb.head.subtree if t.i not in excluded]


def _content_span(article: ParsedArticle, sentence: Sentence, verb: Token, content_tokens: list[Token],
                  quotations: list[Quotation]) -> tuple[int, int, Quotation | None, str] | None:
    """Where the content stands: its tokens widened to their quotation, else the quotation or the
    colon block next to the cue ('"…," said X', 'X said:'); None when there is none of these."""
    if content_tokens:
        start, end = sentence.char_start(content_tokens[0]), sentence.char_end(content_tokens[-1])
        return _fit_to_quotation(start, end, quotations)
    quotation = _adjacent_quotation(article, sentence, verb, quotations)
    if quotation is not None:
        return quotation.start, quotation.end, quotation, "direct"
    block = _colon_block(article, sentence, verb)
    if block is None:
        return None
    return block[0], block[1], None, "direct"


# ---- what is read after the content, and the rules that reject a reading


@dataclass
class _CueReading:
    """One cue verb's attribution as far as it has been read; the rejection rules look at it."""

    article: ParsedArticle
    sentence: Sentence
    verb: Token
    info: CueInfo
    content_root: Token | None
    start: int
    end: int
    quotation: Quotation | None
    quote_kind: str
    source: SourceMention | None = None
    medium: str | None = None
    negated: bool = False

    @property
    def direct(self) -> bool:
        return self.quote_kind in ("direct", "mixed")


def _rejected(reading: _CueReading, rules: tuple[Callable[[_CueReading], bool], ...]) -> bool:
    """Whether any of ``rules``, tried in order, rejects the reading."""
    return any(rule(reading) for rule in rules)


def _belief_object_without_clause(r: _CueReading) -> bool:
    """"expects growth", "fears a loss": beliefs need a clause or a quotation to be attributions."""
    return (r.quotation is None and r.info.needs_clause and r.content_root is not None
            and r.content_root.dep_ == "dobj" and not _object_cue(r.info.lemma))


def _too_short(r: _CueReading) -> bool:
    """A content of less than two characters is no statement."""
    return r.end - r.start < 2


def _grants_anonymity(r: _CueReading) -> bool:
    """"asked not to be named" grants anonymity; it states nothing."""
    text = r.article.text[r.start:r.end]
    return bool(len(text.split()) <= 6 and ANONYMITY.search(text) or re.fullmatch(
        r"(not )?to be (named|identified|quoted)", text.strip(" .")
    ))


def _object_cue_without_its_object(r: _CueReading) -> bool:
    """"officials, who spoke under the conditions of anonymity, said …": a verb that is a cue only
    through its object ("spoke about the deal") states nothing without it (a quotation aside)."""
    return r.info.object_only and r.content_root is None and r.quotation is None


# Rules that read the content's span, in order.
SPAN_REJECTIONS = (_belief_object_without_clause, _object_cue_without_its_object, _too_short, _grants_anonymity)


def _speaker(r: _CueReading) -> tuple[SourceMention | None, int, str | None]:
    """The cue's source, the content's end, and the outlet of 'X quoted R. as saying' when the source
    comes from there: 'A mine sank the ferry Marisol, the head of the coast guard said' ends the
    content before the appositive speaker (see _object_read_as_subject)."""
    end = r.end
    source = _source_of(r.verb, r.sentence)
    if source is not None and not r.direct:
        end, source = _object_read_as_subject(r.article, r.sentence, source, end)
    quoting_medium = None
    if source is None and r.verb.tag_ == "VBG":
        source, quoting_medium = _quoted_as_saying(r.verb, r.sentence)
    return source, end, quoting_medium


def _participle_without_speaker(r: _CueReading) -> bool:
    """"a letter warning of cuts": a participle with no speaker of its own, and no quotation, states nothing."""
    return r.source is None and not r.direct and r.verb.tag_ in ("VBG",) and r.verb.dep_ not in ("advcl", "conj", "xcomp")


def _adjectival_cue_without_speaker(r: _CueReading) -> bool:
    """"the alleged attack": a cue used as an adjective, with no speaker, attributes nothing."""
    return r.source is None and r.verb.dep_ == "amod"


def _impersonal_subject(r: _CueReading) -> bool:
    """"it is said that…", "it was reported": no source."""
    return (r.source is not None and r.source.head is not None and r.source.head.lemma_.lower() in ("it", "there")
            and not r.direct)


# Rules that read the source, in order.
SPEAKER_REJECTIONS = (_participle_without_speaker, _adjectival_cue_without_speaker, _impersonal_subject)


def _medium(r: _CueReading, quoting_medium: str | None) -> tuple[str | None, int]:
    """The outlet the statement was given to, and where the content starts: in "told Reuters Kim was
    not …" the parser glued the content's subject onto the outlet; "Kim" goes back to the content."""
    start = r.start
    medium = _medium_of(r.verb, r.sentence) or quoting_medium
    if medium and medium is not quoting_medium and not is_outlet_name(medium) or medium and outlet_prefix(medium) and r.content_root is not None and r.content_root.dep_ == "ccomp":
        prefix = outlet_prefix(medium)
        if prefix and medium != prefix:
            rest = medium[len(prefix):].strip()
            rest_at = r.article.text.find(rest, r.sentence.char_start(r.verb), start + 1) if rest else -1
            if 0 <= rest_at < start:
                start = rest_at
            medium = prefix
    return medium, start


def _listener_without_speaker(r: _CueReading) -> bool:
    """"told reporters …" with no one telling: the object of a listener verb is never its speaker."""
    return r.info.lemma in LISTENER_VERBS and r.source is None


def _quoting_as_saying(r: _CueReading) -> bool:
    """"quoted R. as saying …": the saying is R.'s statement, the quoting its medium."""
    return r.info.lemma in ("quote", "cite") and any(
        c.dep_ == "prep" and c.lower_ == "as" and any(p.dep_ == "pcomp" for p in c.children) for c in r.verb.children
    )


# Rules that read the cue and its source once the medium is known, in order.
MEDIUM_REJECTIONS = (_listener_without_speaker, _quoting_as_saying)


def _cue_words(verb: Token, info: CueInfo, cue_tokens: list[Token]) -> tuple[list[Token], str, str]:
    """The cue's tokens, text and class: "went on to say" takes in its phrasal verb; a participle cue
    hanging on a cue verb ("told a different story, claiming …") shows both, and "rejected the
    figures, saying fewer …" is a denial (the saying spells it out)."""
    if verb.dep_ == "xcomp" and any(c.dep_ == "prt" for c in verb.head.children) and verb.head.i < verb.i:
        cue_tokens = cue_tokens + [verb.head] + [c for c in verb.head.children if c.dep_ == "prt"] + [c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"]
    cue_tokens = sorted(set(cue_tokens), key=lambda t: t.i)
    cue_text = " ".join(t.text for t in cue_tokens)
    cue_class = info.cue_class
    if verb.dep_ == "advcl" and verb.head.lemma_.lower() in verb_cues() and verb.head.i < verb.i:
        cue_text = f"{verb.head.text} … {cue_text}"
        if verb_cues()[verb.head.lemma_.lower()].cue_class == "denial":
            cue_class = "denial"
    return cue_tokens, cue_text, cue_class


def _negated_without_clause(r: _CueReading) -> bool:
    """"has not yet commented on the report", "have not been confirmed by officials"; but "the army
    cannot confirm reports of shelling" says where the army stands on the reports."""
    root = r.content_root
    return r.negated and (root is None or root.dep_ not in ("ccomp", "xcomp")) and r.quote_kind == "indirect" and not (
        r.info.lemma in DENIAL_VERBS | CONFIRMATION_VERBS and root is not None and root.dep_ == "dobj" and r.source is not None
    )


def _passive_without_speaker_or_clause(r: _CueReading) -> bool:
    """"the story had been repeated": a passive with neither speaker nor clause."""
    return r.source is None and not r.direct and any(c.dep_ == "auxpass" for c in r.verb.children) and not any(
        c.dep_ == "agent" for c in r.verb.children
    ) and (r.content_root is None or r.content_root.dep_ != "ccomp")


# Rules that read whether the cue is negated, in order.
NEGATION_REJECTIONS = (_negated_without_clause, _passive_without_speaker_or_clause)


def _object_read_as_subject(article, sentence: Sentence, source: SourceMention, content_end: int) -> tuple[int, SourceMention]:
    """'A mine sank the ferry Marisol, the head of the coast guard said': the parser takes the
    content's object ("the ferry Marisol") for the speaker and the speaker for its appositive.

    A speaker never follows its content without punctuation between them; when the mention starts
    right where the content stops and has an appositive after a comma, the words before the comma
    end the content and the appositive is the speaker.
    """
    head = source.head
    if head is None or source.start < content_end or article.text[content_end:source.start].strip():
        return content_end, source
    appositive = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i), None)
    comma = next((t for t in head.doc[head.i + 1 : appositive.i] if t.text == ","), None) if appositive is not None else None
    if appositive is None or comma is None:
        return content_end, source
    before_comma = head.doc[comma.i - 1]
    tokens = [t for t in sorted(appositive.subtree, key=lambda t: t.i) if t.i > comma.i]
    speaker = SourceMention(
        text=article.text[sentence.char_start(tokens[0]) : sentence.char_end(tokens[-1])],
        start=sentence.char_start(tokens[0]), end=sentence.char_end(tokens[-1]),
        head=appositive, tokens=tokens, sentence=sentence,
    )
    return sentence.char_end(before_comma), speaker


def _preceding_clause(verb: Token) -> list[Token]:
    """Tokens of the sentence before '…, [subject] VERB' when the cue clause closes the sentence."""
    clause = sorted(verb.subtree, key=lambda t: t.i)
    first = clause[0]
    sentence_tokens = [t for t in verb.sent if t.i < first.i]
    if verb.head is not verb and verb.head.i > verb.i:
        return []
    trailing = [t for t in verb.sent if t.i > verb.i and not t.is_punct and t.head.i <= verb.i and t not in clause]
    if len(sentence_tokens) < 3 or not sentence_tokens[-1].is_punct or trailing:
        inverted_subject = any(
            (c.dep_ in ("nsubj", "dobj") and c.i > verb.i and c.pos_ in ("PROPN", "NOUN")) for c in verb.children
        )
        if verb.dep_ in ("conj", "parataxis") and verb.head.i < verb.i and inverted_subject:
            # "…, reported the Baltic Times": a clause then an inverted speaker of its own
            head_tokens = [t for t in verb.head.subtree if t.i < first.i]
            return head_tokens if len(head_tokens) >= 3 else []
        return []
    return sentence_tokens


def _object_cue(lemma: str) -> bool:
    """A cue whose direct object is its content ("denied the report", "endorsed Trump")."""
    if lemma in NP_CONTENT_VERBS:
        return True
    if lemma in ("cite", "quote", "reference", "mention", "name", "call"):
        return False  # citing or quoting names a source; it does not state anything
    return mined_precision(lemma) >= OBJECT_CUE_PRECISION or object_is_content(lemma, "dobj")


def _complement_of(verb: Token, allow_object: bool = True) -> Token | None:
    """The clause (or, for some cues, the noun phrase) a cue verb introduces."""
    for child in verb.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and child.i > verb.i and child.pos_ in ("VERB", "AUX")):
            return child
    for child in verb.children:
        # "said following a vote in 2001 that he had concerns": the parser hung the that-clause on
        # the noun of an adverbial phrase, but its "that" is a complementizer, not a relative pronoun
        if child.dep_ == "prep" and child.i > verb.i:
            for clause in child.subtree:
                if clause.dep_ in ("relcl", "acl") and clause.pos_ in ("VERB", "AUX") and any(
                    m.dep_ == "mark" and m.lower_ == "that" and m.i < clause.i for m in clause.children
                ) and any(c.dep_ in SUBJECT_DEPS for c in clause.children):
                    return clause
    for child in verb.children:
        if child.dep_ == "advcl" and any(m.lower_ in ("if", "whether") for m in child.children if m.dep_ == "mark"):
            return child
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "about", "of", "over"):
            # "declined to comment on the report", "warned of a crisis"
            objects = [c for c in child.children if c.dep_ == "pobj"]
            pcomps = [c for c in child.children if c.dep_ == "pcomp"]
            if (objects or pcomps) and verb.lemma_.lower() in REFUSED_SPEECH | {"warn", "comment", "accuse", "complain", "talk", "boast", "caution"}:
                return child
    if allow_object:
        inverted = not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
        for child in verb.children:
            if child.dep_ == "dobj" and child.lower_ not in PRONOUNS and child.pos_ != "PRON":
                if inverted and child.i > verb.i and child.pos_ == "PROPN":
                    continue  # "…, reported Reuters": the object is the speaker, inverted
                return child
    for child in verb.children:
        # "called for an inquiry", "pushed for more money", "argued against the plan"
        if child.dep_ == "prep" and child.lower_ in ("for", "against") and verb.lemma_.lower() in ("call", "push", "argue", "press", "lobby", "campaign", "vote", "speak"):
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return child
    passive = any(c.dep_ == "auxpass" for c in verb.children) or (verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl", "amod"))
    for child in verb.children:
        # "talked about the deal", "accused him of lying": prepositions whose object PolNeAR
        # train has as the verb's content (data/object_cues.tsv); not "Asked about the closure,
        # the mayor said", where the one asked is not the one asking
        if not passive and child.dep_ == "prep" and child.i > verb.i and object_is_content(verb.lemma_.lower(), f"prep:{child.lower_}"):
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects and not (objects[0].pos_ == "PRON" and len(list(objects[0].subtree)) == 1):
                return child
    return None


def _extend_with_orphan_conjuncts(verb: Token, tokens: list[Token]) -> list[Token]:
    if not tokens:
        return tokens
    end = max(t.i for t in tokens)
    doc = verb.doc
    for candidate in (verb, verb.head):
        for conj in candidate.children:
            if conj.dep_ != "conj" or conj.i <= end or conj.pos_ not in ("VERB", "AUX"):
                continue
            if any(c.dep_ in SUBJECT_DEPS for c in conj.children) or conj.lemma_.lower() in verb_cues():
                continue
            between = doc[end + 1 : conj.i]
            if all(t.is_punct or t.dep_ == "cc" for t in between):
                tokens = tokens + list(between) + list(conj.subtree)
                end = max(t.i for t in tokens)
    return sorted(set(tokens), key=lambda t: t.i)


def _strip_edges(tokens: list[Token]) -> list[Token]:
    """Content without edge punctuation and without the complementizer that opens it ("said that …").

    Only the content clause's own marker goes: in "said that if the navy raided the boats, the
    smugglers had been warned" the "if" belongs to a clause inside the content, and dropping it
    would turn a condition into an assertion.
    """
    tokens = sorted(tokens, key=lambda t: t.i)
    inside = {t.i for t in tokens}
    roots = {t.i for t in tokens if t.head.i not in inside or t.head.i == t.i}
    while tokens and (tokens[0].is_punct or tokens[0].is_space or (tokens[0].dep_ == "mark" and (tokens[0].head.i in roots or tokens[0].lower_ == "that"))):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in ")]" or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _fit_to_quotation(start: int, end: int, quotations: list[Quotation]):
    """Widen content that is (mostly) a quotation to the whole quotation; mark partial quotes mixed."""
    best, best_overlap = None, 0
    for quotation in touching(quotations, start, end):
        overlap = quotation.overlap(start, end)
        if overlap > best_overlap:
            best, best_overlap = quotation, overlap
    if best is None:
        return start, end, None, "indirect"
    if best_overlap >= 0.8 * (end - start):
        return best.start, best.end, best, "direct"
    if best.start >= start and best.start < end:
        # a quotation that opens inside the content belongs to it whole ('there's a "long road ahead," …')
        return start, max(end, best.end), best, "mixed"
    return start, end, best, "mixed"


def _adjacent_quotation(article, sentence: Sentence, verb: Token, quotations: list[Quotation]) -> Quotation | None:
    """A quotation right before the cue's clause ('"…," said X') or right after it ('X said: "…"')."""
    clause = [t for t in verb.subtree]
    clause_start = sentence.char_start(min(clause, key=lambda t: t.i))
    clause_end = sentence.char_end(max(clause, key=lambda t: t.i))
    text = article.text
    paragraph_start, paragraph_end = article.paragraphs[sentence.paragraph]
    for quotation in touching(quotations, paragraph_start, paragraph_end):
        if not any(paragraph_start <= start < paragraph_end or paragraph_start < end <= paragraph_end for start, end in quotation.pieces):
            continue  # a quotation in another paragraph is not this cue's
        if quotation.end <= clause_start:
            gap = text[quotation.end : clause_start]
            if len(gap) <= 4 and re.fullmatch(r"[\s,.;:!?\-—–\"“”'’]*", gap):
                return quotation
        elif quotation.start >= clause_end - 1:
            gap = text[clause_end : quotation.start]
            if len(gap) <= 4 and re.fullmatch(r"[\s,:;\-—–\"“”']*", gap):
                return quotation
        elif quotation.start <= clause_start < quotation.end:
            continue
    # '"…," Maxwell posted on his page' parsed with pieces of the quote inside the cue's clause:
    # the quotation just before the cue with only the speaker between them.
    verb_start = sentence.char_start(verb)
    subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    for quotation in starting_from(quotations, paragraph_start, verb_start):
        if not (paragraph_start <= quotation.start and quotation.end <= verb_start):
            continue
        between = [t for t in sentence.span if quotation.end <= sentence.char_start(t) < verb_start]
        if between and all(t.is_punct or t.i in subject for t in between) and len(between) <= 12:
            return quotation
    # 'Clinton said, "as long as we're not …"' parsed with the quote's words hanging on the cue:
    # the quotation right after the cue with nothing but punctuation between them.
    verb_end = sentence.char_end(verb)
    for quotation in starting_from(quotations, verb_end, min(paragraph_end, verb_end + 4)):
        if re.fullmatch(r"[\s,:;\-—–\"“'‘]*", text[verb_end : quotation.start]):
            return quotation
    return None


def _colon_block(article, sentence: Sentence, verb: Token) -> tuple[int, int] | None:
    """'… John Wildhack said:' ending a paragraph: the next paragraph is the statement, verbatim."""
    clause = [t for t in verb.subtree if not (t.is_punct and t.i > verb.i)]
    clause_end = sentence.char_end(max(clause, key=lambda t: t.i))
    paragraph_start, paragraph_end = article.paragraphs[sentence.paragraph]
    tail = article.text[clause_end:paragraph_end]
    if not re.fullmatch(r"\s*:\s*", tail) or sentence.paragraph + 1 >= len(article.paragraphs):
        return None
    next_start, next_end = article.paragraphs[sentence.paragraph + 1]
    return next_start, next_end


def _span_tokens(first: Token, last: Token) -> list[Token]:
    return list(first.doc[min(first.i, last.i) : max(first.i, last.i) + 1])


# --------------------------------------------------------------------------- sources


def _source_of(verb: Token, sentence: Sentence) -> SourceMention | None:
    """The subject of the cue, inherited through participles, conjunctions and relative clauses."""
    if not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        inverted = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i and c.pos_ == "PROPN"), None)
        if inverted is not None and verb.lemma_.lower() not in LISTENER_VERBS:
            return _mention(inverted, sentence)  # '…, reported Reuters': an inverted subject
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        if subject is None:
            agent = next((c for c in node.children if c.dep_ == "agent"), None)
            if agent is not None:
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if subject is None:
            passive = next((c for c in node.children if c.dep_ == "nsubjpass"), None)
            if passive is not None and node.lemma_.lower() in ("quote", "cite"):
                subject = passive
        if subject is not None:
            if subject.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                subject = node.head
            return _mention(subject, sentence)
        if node.dep_ == "relcl":
            if any(c.dep_ in ("auxpass", "nsubjpass") for c in node.children):
                return None  # "the story, which had been repeated …": the noun is the thing said
            return _mention(node.head, sentence)
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
            return _mention(node.head, sentence)
        if node.dep_ in ("advcl", "conj", "xcomp", "ccomp") and node.head is not node:
            node = node.head
            continue
        return None
    return None


def mention_for(head: Token, sentence: Sentence) -> SourceMention:
    """The source mention headed by ``head`` (its noun phrase without relative clauses)."""
    return _mention(head, sentence)


def _mention(head: Token, sentence: Sentence) -> SourceMention:
    if head.text in ("-", "–") and head.i + 1 < len(head.doc):
        head = head.doc[head.i + 1]  # "al-Bredi" parsed with the hyphen as the subject
    excluded_deps = {"relcl", "acl", "advcl", "punct", "prep", "cc", "appos"}
    tokens = [head]
    for child in head.children:
        if child.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "case", "npadvmod", "conj", "cc") or (
            child.dep_ == "prep" and child.lower_ == "of"
        ) or child.dep_ == "appos":
            tokens.extend(child.subtree)
        elif child.dep_ == "punct" and child.text in "-–":
            tokens.append(child)
        elif child.dep_ in ("acl", "amod") and child.i > head.i and head.lemma_.lower() in ANONYMOUS_HEADS:
            # "people familiar with the matter", "two people briefed on the assessment": for an
            # unnamed source the description is all the reader gets
            tokens.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ in ("with", "in", "at", "close") and head.lower_ in ("sources", "source", "people", "person") and child.i > head.i:
            tokens.extend(child.subtree)  # "sources close to the talks", "people in the room"
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    # a relative clause inside a kept modifier ("… briefed on the assessment, who asked …") ends it
    relative = min((t.i for t in tokens if t.dep_ == "relcl" and t.i != head.i), default=None)
    if relative is not None:
        cut = min(t.i for t in _subtree_of(tokens, relative))
        tokens = [t for t in tokens if t.i < cut] or [head]
    # Keep a contiguous span around the head (appositives and "of" phrases included).
    start_i, end_i = tokens[0].i, tokens[-1].i
    doc = head.doc
    span_tokens = [t for t in doc[start_i : end_i + 1] if not (t.dep_ in excluded_deps - {"appos", "prep", "punct"} and t.head == head)]
    span_tokens = _strip_edges(span_tokens) or [head]
    # "al-Bredi", "Ya'alon-Smith": pieces joined by a hyphen without spaces are one name
    first_i, last_i = span_tokens[0].i, span_tokens[-1].i
    while first_i - 2 >= sentence.span.start and doc[first_i - 1].text in "-–" and not doc[first_i - 2].whitespace_ and not doc[first_i - 1].whitespace_:
        first_i -= 2
    while last_i + 2 < sentence.span.end and doc[last_i + 1].text in "-–" and not doc[last_i].whitespace_ and not doc[last_i + 1].whitespace_:
        last_i += 2
    span_tokens = list(doc[first_i : last_i + 1])
    start, end = sentence.char_start(span_tokens[0]), sentence.char_end(span_tokens[-1])
    text = sentence.span.doc.text[span_tokens[0].idx : span_tokens[-1].idx + len(span_tokens[-1].text)]
    return SourceMention(
        text=text,
        start=start,
        end=end,
        head=head,
        tokens=span_tokens,
        sentence=sentence,
        pronoun=head.pos_ == "PRON",
    )


def _subtree_of(tokens: list[Token], index: int) -> list[Token]:
    """The subtree of the token at doc position ``index`` (one of ``tokens``)."""
    token = next(t for t in tokens if t.i == index)
    return list(token.subtree)


def _is_anonymous(source: SourceMention | None) -> bool:
    if source is None or source.head is None:
        return False
    head = source.head
    context = " ".join(t.text for t in head.subtree)
    if ANONYMITY.search(context):
        return True
    # "…, who spoke on condition of anonymity" may hang on the verb rather than the noun.
    clause = head.head
    for child in clause.children:
        if child.dep_ in ("advcl", "prep", "advmod") and ANONYMITY.search(" ".join(t.text for t in child.subtree)):
            return True
    has_name = any(t.ent_type_ in ("PERSON", "ORG") for t in source.tokens)
    return not has_name and head.lemma_.lower() in ("source", "insider")


def _medium_of(verb: Token, sentence: Sentence) -> str | None:
    """The outlet a statement was given to: 'told AFP', 'said to CNN', 'in an interview with the BBC'."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj") and verb.lemma_.lower() in LISTENER_VERBS | {"tell"}:
            name = _outlet_phrase(child)
            if name:
                return name
        if child.dep_ in ("prep", "dative") and child.lower_ in ("to", "with", "in", "on"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                name = _outlet_phrase(pobj)
                if name:
                    return name
                for inner in (c for c in pobj.children if c.dep_ == "prep" and c.lower_ in ("with", "to", "on")):
                    for obj in (c for c in inner.children if c.dep_ == "pobj"):
                        name = _outlet_phrase(obj)
                        if name:
                            return name
    return None


def _outlet_phrase(token: Token) -> str | None:
    words = [t for t in token.subtree if t.dep_ not in ("det", "punct", "prep", "pobj", "acl", "relcl") or t is token]
    words = [t for t in token.doc[min(w.i for w in words) : max(w.i for w in words) + 1] if t.dep_ != "det"]
    text = " ".join(t.text for t in words).replace(" 's", "'s")
    if token.pos_ == "PROPN" or token.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART"):
        if is_outlet_name(text):
            return text
        # "told El Mercurio": a named organisation a statement is given to is, in news, an outlet.
        if token.head.lemma_.lower() == "tell" and token.dep_ in ("dobj", "dative") and token.ent_type_ in ("ORG", "WORK_OF_ART"):
            return text
    return None


# --------------------------------------------------------------------------- other cue kinds


def _according_to(article, sentence: Sentence, according: Token, quotations) -> RawAttribution | None:
    to = according.doc[according.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in according.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source_head = objects[0]
    clause = according.head
    while clause.dep_ in ("prep", "pobj", "agent") and clause.head is not clause:
        clause = clause.head
    excluded = {t.i for t in according.subtree} | {t.i for t in to.subtree}
    content = [t for t in clause.subtree if t.i not in excluded]
    content = _strip_edges(content)
    if not content:
        return None
    start, end = sentence.char_start(content[0]), sentence.char_end(content[-1])
    start, end, quotation, quote_kind = _fit_to_quotation(start, end, quotations)
    source = _mention(source_head, sentence)
    medium = None
    # "according to documents seen by Reuters": the documents speak, Reuters is the medium.
    for acl in (c for c in source_head.children if c.dep_ == "acl"):
        for agent in (c for c in acl.children if c.dep_ == "agent"):
            for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                medium = _outlet_phrase(pobj) or pobj.text
    outlet = _outlet_phrase(source_head)
    if outlet and medium is None:
        medium = outlet
    return _raw(sentence, f"{according.text} {to.text}", "according to", "speech", according, to, (start, end),
                quote_kind, quotation, source, medium=medium)


def _noun_attribution(article, sentence: Sentence, noun: Token, quotations) -> RawAttribution | None:
    """'X's claim that …', 'the report's finding that …', 'a statement saying …' (via its verb)."""
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and c.pos_ in ("VERB", "AUX")
            and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    content = _strip_edges(list(clause.subtree))
    if not content:
        return None
    source = None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if owner is None and noun.dep_ in ("dobj",) and noun.head.pos_ == "VERB":
        owner = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    if owner is not None:
        source = _mention(owner, sentence)
    start, end = sentence.char_start(content[0]), sentence.char_end(content[-1])
    start, end, quotation, quote_kind = _fit_to_quotation(start, end, quotations)
    cue_class = "denial" if noun.lemma_.lower() == "denial" else "speech"
    return _raw(sentence, noun.text, noun.lemma_.lower(), cue_class, noun, noun, (start, end), quote_kind,
                quotation, source)


def _raw(sentence: Sentence, cue: str, lemma: str, cue_class: str, cue_first: Token, cue_last: Token,
         content: tuple[int, int], quote_kind: str, quotation, source: SourceMention | None, **extra) -> RawAttribution:
    """One sentence-level attribution; offsets from the cue tokens, anonymity from the source."""
    return RawAttribution(
        cue=cue,
        cue_lemma=lemma,
        cue_class=cue_class,
        cue_start=sentence.char_start(cue_first),
        cue_end=sentence.char_end(cue_last),
        content_start=content[0],
        content_end=content[1],
        direct=quote_kind != "indirect",
        quote=quote_kind,
        sentence=sentence,
        source=source,
        anonymous=_is_anonymous(source),
        quotation=quotation,
        **extra,
    )


# --------------------------------------------------------------------------- article level


def _reattribute_outlet_reports(found: list[RawAttribution]) -> list[RawAttribution]:
    """'"…," reported Reuters' after a named speaker: Reuters is the medium, not the source.

    When an outlet 'reports' a first-hand quotation, the speaker is whoever the article was just
    quoting or describing; the outlet becomes the statement's medium. Also, in one sentence,
    '… X said …, reported RT' gives X's statement the medium RT and drops RT's own attribution.
    """
    result: list[RawAttribution] = []
    for attribution in found:
        source = attribution.source
        outlet = source is not None and is_outlet_name(source.text.removeprefix("the ").removeprefix("The "))
        if outlet and attribution.cue_lemma in ("report", "say", "quote", "cite", "write"):
            same_sentence = [
                other
                for other in result
                if other.sentence is attribution.sentence and other.source is not None
                and other.cue_start < attribution.cue_start
                and (other.content_end <= attribution.cue_start or min(other.content_end, attribution.content_end) > max(other.content_start, attribution.content_start))
                and not attribution.content_start > attribution.cue_start
            ]
            if same_sentence:
                for other in same_sentence:
                    other.medium = other.medium or source.text.removeprefix("the ")
                continue
            if attribution.direct:
                speaker = _previous_speaker(result, attribution)
                if speaker is not None:
                    attribution.medium = source.text.removeprefix("the ")
                    attribution.source = SourceMention(
                        text=speaker.source.text,
                        start=speaker.source.start,
                        end=speaker.source.end,
                        head=speaker.source.head,
                        tokens=speaker.source.tokens,
                        sentence=speaker.source.sentence,
                        pronoun=speaker.source.pronoun,
                        carried_from=speaker,
                    )
                    attribution.anonymous = speaker.anonymous
        result.append(attribution)
    return result


def _trailing_outlet_mediums(article: ParsedArticle, found: list[RawAttribution]) -> None:
    """'… Ilse Brandauer said, reported Reuters.': the outlet closing the sentence is the medium of
    the statements before it (the outlet verb itself has no content of its own)."""
    for sentence in article.sentences:
        if sentence.span is None:
            continue
        for verb in sentence.span:
            if verb.lemma_.lower() not in ("report", "say", "write", "quote", "cite") or verb.pos_ != "VERB":
                continue
            if any(c.dep_ in SUBJECT_DEPS and c.i < verb.i for c in verb.children):
                continue
            outlet = next(
                (c for c in verb.children if c.dep_ in ("dobj", "nsubj") and c.i > verb.i and is_outlet_name(_outlet_text(c))),
                None,
            )
            if outlet is None:
                continue
            cue_at = sentence.char_start(verb)
            for attribution in found:
                if attribution.sentence is sentence and attribution.cue_start < cue_at and attribution.medium is None:
                    attribution.medium = _outlet_text(outlet)


def _outlet_text(token: Token) -> str:
    words = [t for t in token.subtree if t.dep_ not in ("det", "punct")]
    return " ".join(t.text for t in words).replace(" 's", "'s")


def _previous_speaker(found: list[RawAttribution], attribution: RawAttribution) -> RawAttribution | None:
    for other in reversed(found):
        if other.source is None or other.content_end > attribution.content_start:
            continue
        if attribution.sentence.paragraph - other.sentence.paragraph > 1:
            return None
        if is_outlet_name(other.source.text):
            continue
        return other
    return None


def _continuation_quotes(article: ParsedArticle, quotations: list[Quotation], found: list[RawAttribution]) -> list[RawAttribution]:
    """Quotations no cue claims, in a paragraph after a statement: the same speaker goes on."""
    extra: list[RawAttribution] = []
    contents, speakers = _index_contents(found), LatestEnding(lambda a: a.content_end)
    for attribution in found:
        if attribution.source is not None:
            speakers.add(attribution)
    for quotation in quotations:
        if any(quotation.overlap(a.content_start, a.content_end) > 0.3 * quotation.length() for a in contents.overlapping(quotation.start, quotation.end)):
            continue
        words = len(article.text[quotation.start : quotation.end].split())
        if words < MIN_QUOTE_WORDS:
            continue
        sentence = article.sentence_at(quotation.start)
        if sentence is None:
            continue
        speaker = speakers.before(quotation.start)  # the last statement ending before, with a source
        if speaker is None:
            continue
        gap_paragraphs = sentence.paragraph - speaker.sentence.paragraph
        paragraph_start = article.paragraphs[sentence.paragraph][0]
        starts_paragraph = quotation.start - paragraph_start <= 1
        if gap_paragraphs > 1 or (gap_paragraphs == 1 and not starts_paragraph):
            continue
        if gap_paragraphs == 0 and not _only_quotes_between(article.text, speaker.content_end, quotation.start):
            continue
        extra.append(
            RawAttribution(
                cue=speaker.cue if gap_paragraphs == 0 else "",
                cue_lemma=speaker.cue_lemma if gap_paragraphs == 0 else "",
                cue_class="continuation",
                cue_start=speaker.cue_start,
                cue_end=speaker.cue_end,
                content_start=quotation.start,
                content_end=quotation.end,
                direct=True,
                quote="direct",
                sentence=sentence,
                source=speaker.source,
                medium=speaker.medium,
                anonymous=speaker.anonymous,
                quotation=quotation,
            )
        )
        speakers.add(extra[-1])
    return extra


def _only_quotes_between(text: str, start: int, end: int) -> bool:
    """Between a statement and the next quotation there is nothing but its own cue sentence."""
    between = text[start:end]
    if re.search(r"\w[^.!?\"”]*:[\s\"“'‘]*$", between):
        return False  # '… The banner read: "…"': a clause of its own introduces the quotation
    return len(between) < 120 and between.count(".") <= 2


def _drop_overlaps(found: list[RawAttribution]) -> list[RawAttribution]:
    """Keep each stretch of text in one content (univocal, as PARC/PolNeAR annotate it)."""
    kept: list[RawAttribution] = []
    kept_contents = IntervalIndex()
    for attribution in sorted(found, key=_priority):
        clash = False
        for other in kept_contents.overlapping(attribution.content_start, attribution.content_end):
            overlap = min(attribution.content_end, other.content_end) - max(attribution.content_start, other.content_start)
            if overlap <= 0:
                continue
            smaller = min(attribution.content_end - attribution.content_start, other.content_end - other.content_start)
            # the cue of one statement inside the content of another: nested, keep the outer one
            nested_noun = attribution.cue_lemma in noun_cues() and attribution.source is not None and attribution.cue_start >= other.content_start
            if nested_noun and other.content_start <= attribution.cue_start < other.content_end:
                continue
            if overlap >= 0.5 * smaller or other.content_start <= attribution.cue_start < other.content_end:
                clash = True
                break
        if not clash:
            kept.append(attribution)
            kept_contents.add(attribution.content_start, attribution.content_end, attribution)
    return sorted(kept, key=lambda a: (a.content_start, a.cue_start))


def _priority(attribution: RawAttribution) -> tuple:
    """Prefer statements with a named source, then those with a real cue, then longer content."""
    return (
        attribution.source is None,
        attribution.cue_class == "continuation",
        attribution.cue_class in ("belief", "mined", "position"),
        -(attribution.content_end - attribution.content_start),
    )


def _index_contents(found: list[RawAttribution]) -> IntervalIndex:
    index = IntervalIndex()
    for attribution in found:
        index.add(attribution.content_start, attribution.content_end, attribution)
    return index


# --------------------------------------------------------------------------- headlines

_KICKERS = _DATA_DIR / "kickers.txt"
HEADLINE_SOURCE_MAX_WORDS = 5


@lru_cache(maxsize=1)
def _kicker_labels() -> frozenset[str]:
    return read_word_list(_KICKERS)


def _headline_attributions(article: ParsedArticle, found: list[RawAttribution], quotations) -> list[RawAttribution]:
    """Statements of the headline: 'Pentagon: Iran appears to …' (the source before a colon), and
    headline cues whose content runs to the headline's end ('Kremlin denies role in cyber attack').

    A label before the colon ('Exclusive: …', ``data/kickers.txt``) is not a source nor content.
    """
    if not article.headline:
        return []
    text = article.text
    start, end = article.paragraphs[0]
    while end > start and text[end - 1] in ".!?;, ":
        end -= 1
    body = start
    colon = re.match(r"\s*([^:\n]{1,40}?)\s*:\s+", text[start:end])
    if colon and colon.group(1).lower() in _kicker_labels():
        body = start + colon.end()
    in_headline = [a for a in found if a.sentence.paragraph == 0]
    for attribution in in_headline:
        attribution.content_start = max(attribution.content_start, body)
        if attribution.direct or attribution.content_start < attribution.cue_end:
            continue
        limit = end
        for other in in_headline:
            other_start = other.source.start if other.source is not None else other.cue_start
            if other is not attribution and attribution.content_start < other_start < limit:
                limit = other_start
        while limit > attribution.content_end and text[limit - 1] in ",;:- —–":
            limit -= 1
        attribution.content_end = max(attribution.content_end, limit)
    colon = re.match(r"\s*([^:\n]{1,60}?)\s*:\s+(?=\S)", text[body:end])
    if colon is None:
        return []
    source_start, source_end = body + colon.start(1), body + colon.end(1)
    label = colon.group(1)
    sentence = next((s for s in article.sentences if s.start <= source_start < s.end and s.span is not None), None)
    if sentence is None or label.lower() in _kicker_labels() or len(label.split()) > HEADLINE_SOURCE_MAX_WORDS:
        return []
    tokens = [t for t in sentence.span if source_start <= sentence.char_start(t) < source_end]
    names = [t for t in tokens if t.pos_ in ("NOUN", "PROPN")]
    if not names or not label[:1].isupper() or any(t.pos_ in ("VERB", "AUX", "NUM", "PRON") for t in tokens):
        return []
    head = names[-1]
    source = SourceMention(text=label, start=source_start, end=source_end, head=head, tokens=tokens, sentence=sentence)
    content_start, content_end, quotation, quote_kind = _fit_to_quotation(body + colon.end(), end, quotations)
    colon_at = body + colon.end(1) + text[body + colon.end(1) : end].index(":")
    return [
        RawAttribution(
            cue=":", cue_lemma=":", cue_class="speech", cue_start=colon_at, cue_end=colon_at + 1,
            content_start=content_start, content_end=content_end, direct=quote_kind != "indirect",
            quote=quote_kind, sentence=sentence, source=source, anonymous=_is_anonymous(source),
            quotation=quotation,
        )
    ]


# --------------------------------------------------------------------------- reports of reports

# "the newspaper quoted R. as saying …", "IRNA cited Karimi as telling …"
_QUOTED_AS = re.compile(r"\b(?:quot|cit)(?:e|es|ed|ing)\s+(\S.{0,100}?)\s+as\s+$", re.IGNORECASE)
# Words that refer back to an outlet named before ("the newspaper quoted …", "it reported").
_OUTLET_REFERENCES = read_word_list(_DATA_DIR / "outlet_references.txt")


def _quoted_as_saying(verb: Token, sentence: Sentence) -> tuple[SourceMention | None, str | None]:
    """'X quoted R. as saying …': the source of the saying is R., its medium X (the parser often
    hangs the quoted person off the wrong word, so the shape is read from the text)."""
    text = sentence.span.doc.text
    before = text[: verb.idx]
    match = _QUOTED_AS.search(before)
    if match is None:
        return None, None
    start, end = match.span(1)
    tokens = [t for t in sentence.span if start <= t.idx < end]
    names = [t for t in tokens if t.pos_ == "PROPN"] or [t for t in tokens if t.pos_ == "NOUN"]
    if not names:
        return None, None
    head = names[-1]
    while tokens and tokens[0].pos_ == "DET":
        tokens = tokens[1:]
    first, last = tokens[0], tokens[-1]
    mention = SourceMention(
        text=text[first.idx : last.idx + len(last.text)], start=sentence.char_start(first), end=sentence.char_end(last),
        head=head, tokens=tokens, sentence=sentence, pronoun=head.pos_ == "PRON",
    )
    quoting = next((t for t in sentence.span if t.idx == match.start()), None)
    medium = None
    if quoting is not None:
        words = []
        for token in reversed(sentence.span[: quoting.i - sentence.span.start]):
            if token.pos_ in ("PROPN", "NOUN", "DET", "ADJ", "PART", "PRON") and token.dep_ not in ("mark",):
                words.insert(0, token)
                if token.pos_ in ("DET", "PRON"):
                    break
            else:
                break
        if words:
            medium = text[words[0].idx : words[-1].idx + len(words[-1].text)]
    return mention, medium


def _names_outlet(text: str) -> bool:
    """'the Guardian', "Britain's Guardian newspaper", "Russia's Interfax news agency"."""
    text = text.removeprefix("the ").removeprefix("The ")
    return is_outlet_name(text) or is_outlet_name(re.sub(r"^[A-Z][\w.]*(?:\s[A-Z][\w.]*)?['’]s\s+", "", text))


def _carry_mediums(found: list[RawAttribution]) -> None:
    """Mediums that refer back: 'the newspaper quoted …' / 'it quoted …' is the outlet named before;
    '"…," he said' right after a statement given through an outlet was given through it too."""
    last_outlet = None
    previous = None
    for attribution in found:
        medium = attribution.medium
        if medium is not None:
            bare = re.sub(r"^(the|its|this)\s+", "", medium.strip(), flags=re.IGNORECASE).lower()
            if bare in _OUTLET_REFERENCES or (not any(c.isupper() for c in medium[1:]) and bare.split()[-1:] and bare.split()[-1] in _OUTLET_REFERENCES):
                attribution.medium = medium = last_outlet
        elif (
            attribution.source is not None and attribution.source.pronoun and previous is not None
            and previous.medium is not None and previous.sentence.paragraph == attribution.sentence.paragraph
            and previous.source is not None and not previous.source.pronoun
        ):
            attribution.medium = medium = previous.medium
        source = attribution.source
        if source is not None and not source.pronoun and _names_outlet(source.text):
            last_outlet = source.text.removeprefix("the ").removeprefix("The ")
        elif medium is not None:
            last_outlet = medium
        previous = attribution
