"""The unit of work an ingest sends to a worker process or a Dask worker: analyse a batch of Documents.

Runs the whole article pipeline (one batched parse) and computes what cross-article claim
matching needs (:func:`claimledger.claims.matching.claim_features`), so the writer does no NLP.
A failure is returned as a one-line reason for that article; it never takes the batch down.
"""

from __future__ import annotations

import logging

from claimledger.errors import ClaimledgerError
from claimledger.models import encoder_name, sentence_encoder
from claimledger.records import AnalyzedArticle, Document, Ledger

log = logging.getLogger(__name__)


def analyze_batch(documents: list[Document], registered: list[str] | None = None) -> list[AnalyzedArticle | str]:
    """Each document's analysis, or a one-line reason why it could not be analysed.

    BLAS and OpenMP run on one thread here whatever the executor: N worker processes share N cores
    without oversubscription, and a thread count never changes a float sum near a threshold, so
    every executor gives the same store.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _analyze_batch(documents, registered)


def _analyze_batch(documents: list[Document], registered: list[str] | None) -> list[AnalyzedArticle | str]:
    from claimledger.pipeline import analyze_documents

    try:
        ledgers: list[Ledger | str] = list(analyze_documents(documents, registered=registered))
    except Exception as error:  # one bad article must not lose the others: retry them one by one
        if len(documents) == 1:  # a retry of the one article would only fail again (a time budget: twice as late)
            log.debug("analysis of %s failed", documents[0].name, exc_info=True)
            return [_reason(error)]
        ledgers = []
        for document in documents:
            try:
                ledgers.extend(analyze_documents([document], registered=registered))
            except Exception as error:
                log.debug("analysis of %s failed", document.name, exc_info=True)
                ledgers.append(_reason(error))
    return [ledger if isinstance(ledger, str) else _with_features(ledger) for ledger in ledgers]


def _with_features(ledger) -> AnalyzedArticle | str:
    from claimledger.claims.matching import claim_features

    try:
        encoder = sentence_encoder()
        features = claim_features([c.text for c in ledger.claims], ledger.document.text, encoder)
    except Exception as error:
        return _reason(error)
    return AnalyzedArticle(ledger=ledger, claim_features={c.id: f for c, f in zip(ledger.claims, features)},
                           encoder_model=encoder_name(encoder))


def _reason(error: Exception) -> str:
    if isinstance(error, ClaimledgerError):
        return str(error)
    text = str(error).strip().splitlines()
    return f"analysis failed ({type(error).__name__}: {text[0] if text else 'no message'})"


def failure(document: Document, reason: str) -> str:
    """The one-line message for a document whose analysis failed, naming it once."""
    name = document.name or "<text>"
    return reason if reason.startswith(f"{name}: ") else f"{name}: {reason}"


def analyze_one(document: Document, registered: list[str] | None = None) -> AnalyzedArticle | str:
    """One document's analysis, or why it failed (the server's analysis process runs this)."""
    return analyze_batch([document], registered)[0]
