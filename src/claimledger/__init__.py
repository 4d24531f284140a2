"""claimledger: reads news and writes a ledger of contested claims.

``claimledger.analyze(text, published=None, claims=None)`` turns one article into its
:class:`~claimledger.records.Ledger`: who said what, to whom, on what evidence, when, with what
stance toward which claim, and where accounts conflict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from claimledger.records import Ledger

__all__ = ["analyze", "__version__"]


def analyze(text: str, published: str | None = None, claims: list[str] | None = None, **document_fields) -> "Ledger":
    """Return the ledger of one article (plain text, HTML or Markdown).

    ``published`` (YYYY-MM-DD) anchors relative dates; ``claims`` are the claims to judge stance
    toward, kept verbatim; without them claimledger proposes the article's central claims.
    Imported lazily so that ``import claimledger`` (and spaCy's entry-point scan) stays cheap.
    """
    from claimledger.pipeline import analyze_text

    return analyze_text(text, published=published, claims=claims, **document_fields)
