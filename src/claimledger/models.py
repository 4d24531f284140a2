"""The loaded models, one of each per process: the sentence encoder, the stance models, claim merging.

Every stage that needs a model asks here, so a process loads each model once and a missing model
degrades the analysis (warned once) instead of stopping it.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimledger.claims.matching import SameClaimModel
    from claimledger.nlp.embeddings import SentenceEncoder
    from claimledger.stance.headline import HeadlineStance
    from claimledger.stance.model import StanceModel

log = logging.getLogger(__name__)

ENCODER_NAME = "all-MiniLM-L6-v2"


@lru_cache(maxsize=1)
def sentence_encoder() -> SentenceEncoder | None:
    """The shipped sentence encoder (``nlp.embeddings``), or None when it cannot be loaded
    (stance then uses lexical relatedness only)."""
    try:
        from claimledger.nlp.embeddings import load_default_encoder
    except ImportError:
        return None
    try:
        return load_default_encoder()
    except Exception as error:  # a missing model degrades stance to lexical, it must not stop analysis
        log.warning("sentence encoder unavailable (%s); stance uses lexical relatedness only", error)
        return None


def encoder_name(encoder: SentenceEncoder | None) -> str:
    """The name stored beside vectors made by ``encoder`` ("none" without one)."""
    if encoder is None:
        return "none"
    return getattr(encoder, "name", None) or ENCODER_NAME


@lru_cache(maxsize=1)
def article_stance_model() -> StanceModel | None:
    """The shipped FNC-1 article stance model (``stance.model``), or None (warned once) when it
    cannot be loaded."""
    try:
        from claimledger.stance.model import load_default
    except ImportError:
        return None
    try:
        return load_default()
    except Exception as error:  # analysis goes on without the article-level stance
        log.warning("stance model unavailable (%s); no article-level stance", error)
        return None


@lru_cache(maxsize=1)
def headline_stance_model() -> HeadlineStance | None:
    """The shipped headline stance model (``stance.headline``, ``models/headline_stance/``), sharing
    the sentence encoder, or None (warned once) when it cannot be loaded."""
    try:
        from claimledger.stance.headline import HeadlineStance, default_model_dir
    except ImportError:
        return None
    try:
        return HeadlineStance.load(default_model_dir(), encoder=sentence_encoder())
    except Exception as error:  # analysis goes on without the headline's stance
        log.warning("headline stance model unavailable (%s); no headline stance", error)
        return None


@lru_cache(maxsize=1)
def claim_merge_model() -> SameClaimModel | None:
    """The shipped claim merging model (``claims.matching``, ``models/claim_merge/``), or None (warned
    once): ingest then merges claims by the rules only."""
    from claimledger.claims.matching import SameClaimModel, default_model_dir
    from claimledger.errors import ModelError

    try:
        return SameClaimModel.load(default_model_dir())
    except ModelError as error:
        log.warning("claim merging model unavailable (%s); claims merge by the rules only", error)
        return None
