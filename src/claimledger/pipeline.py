"""The analysis pipeline: ingest → nlp → attribution → sources → time/evidence → claims/stance → ledger.

One function per entry: :func:`analyze_text` for a string, :func:`analyze_document` for a Document,
:func:`ledger_from_doc` for a spaCy Doc that is already parsed (the spaCy component).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from claimledger import budget
from claimledger.attribution.extractor import RawAttribution, extract_attributions
from claimledger.claims.builder import build_claims
from claimledger.evidence.kinds import find_evidence
from claimledger.ingest.reader import document_from_text
from claimledger.ledger.conflicts import find_conflicts
from claimledger.nlp.pipeline import ParsedArticle, article_from_doc, parse_article, parse_articles
from claimledger.records import Attribution, CueClass, Document, Ledger, Mention, QuoteKind
from claimledger.sources.resolver import resolve_sources
from claimledger.timex.resolver import check_published, find_times

if TYPE_CHECKING:
    from spacy.tokens import Doc


def analyze_text(
    text: str,
    published: str | None = None,
    claims: list[str] | None = None,
    *,
    use_stance_model: bool = True,
    time_budget: float | None = None,
    **document_fields,
) -> Ledger:
    """The ledger of one article given as a string (plain text, HTML or Markdown).

    ``time_budget``: seconds the analysis may take (default ``CLAIMLEDGER_TIME_BUDGET`` or 60; 0
    for none); over it, :class:`~claimledger.errors.TimeBudgetError` names the article.
    """
    published = check_published(published, document_fields.get("name", "<text>"))
    document = document_from_text(text, published=published, **document_fields)
    return analyze_document(document, claims=claims, use_stance_model=use_stance_model, time_budget=time_budget)


def analyze_document(
    document: Document,
    claims: list[str] | None = None,
    *,
    use_stance_model: bool = True,
    time_budget: float | None = None,
) -> Ledger:
    with budget.article_budget(document.name or "<text>", time_budget):
        article = parse_article(document.text)
        return _ledger(document, article, claims, use_stance_model)


def analyze_documents(
    documents: list[Document],
    claims: list[str] | None = None,
    *,
    use_stance_model: bool = True,
    registered: list[str] | None = None,
) -> list[Ledger]:
    """Ledgers of many articles, parsed in one batched stream (faster than one by one).

    ``registered`` claims (a store's) are judged besides each article's own.
    The batch's shared parse gets the time budget of all its articles; each article's own stages
    then get what is left of its budget after its share of the parse, so one article never runs
    longer than one budget in all.
    """
    seconds = budget.default_seconds()
    names = [document.name or "<text>" for document in documents]
    together = names[0] if len(names) == 1 else f"{names[0]} (and {len(names) - 1} more articles parsed with it)"
    started = time.monotonic()
    with budget.article_budget(together, seconds * len(documents)):
        articles = parse_articles([document.text for document in documents])
    parse_share = (time.monotonic() - started) / max(1, len(documents))
    # 0 means "no budget"; a budget used up by the parse must still fail at the first check
    remaining = max(seconds - parse_share, 1e-9) if seconds > 0 else 0.0
    ledgers = []
    for document, article, name in zip(documents, articles, names):
        with budget.article_budget(name, remaining):
            ledgers.append(_ledger(document, article, claims, use_stance_model, registered))
    return ledgers


def ledger_from_doc(doc: Doc, published: str | None = None, claims: list[str] | None = None) -> Ledger:
    document = Document(text=doc.text, published=check_published(published, "spaCy component"))
    return _ledger(document, article_from_doc(doc), claims, use_stance_model=False)


def _ledger(
    document: Document,
    article: ParsedArticle,
    claims: list[str] | None,
    use_stance_model: bool,
    registered: list[str] | None = None,
) -> Ledger:
    raw = extract_attributions(article)
    budget.check()
    if article.headline and document.outlet:
        for item in raw:  # a headline's statement reaches readers through the article's outlet
            if item.sentence.paragraph == 0 and item.medium is None:
                item.medium = document.outlet
    sources, source_of = resolve_sources(raw, article)
    budget.check()
    attributions = [_attribution(index, item, source_of.get(index), document, article) for index, item in enumerate(raw)]
    anonymity = {source.id: source.anonymous for source in sources}
    for attribution in attributions:  # anonymity is the source's: the absence of a name
        if attribution.source is not None:
            attribution.anonymous = anonymity[attribution.source]
    ledger = Ledger(document=document, sources=sources, attributions=attributions)
    budget.check()
    build_claims(ledger, article, claims, use_stance_model=use_stance_model, registered=registered)
    ledger.conflicts = find_conflicts(ledger)
    return ledger


def _attribution(index: int, raw: RawAttribution, source_id: str | None, document: Document, article: ParsedArticle) -> Attribution:
    text = document.text
    sentence_start = min(raw.sentence.start, raw.content_start, raw.cue_start)
    sentence_end = max(raw.sentence.end, raw.content_end)
    mention = None
    if raw.source is not None:
        mention = Mention(text=raw.source.text, start=raw.source.start, end=raw.source.end,
                          kind="pronoun" if raw.source.pronoun else "name")
    return Attribution(
        id=f"a{index + 1}",
        source=source_id,
        cue=raw.cue,
        content=text[raw.content_start : raw.content_end],
        start=raw.content_start,
        end=raw.content_end,
        direct=raw.direct,
        quote=cast(QuoteKind, raw.quote),
        cue_start=raw.cue_start,
        cue_end=raw.cue_end,
        cue_class=cast(CueClass, raw.cue_class),  # the extractor's classes are records.CUE_CLASSES
        negated_cue=raw.negated_cue,
        source_mention=mention,
        medium=raw.medium,
        anonymous=raw.anonymous,
        sentence=text[sentence_start:sentence_end],
        times=find_times(text, raw, article, document.published),
        evidence=find_evidence(text, raw, article),
    )
