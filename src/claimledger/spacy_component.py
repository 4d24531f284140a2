"""The ``claimledger`` spaCy component: ``nlp.add_pipe("claimledger")`` adds our attribution extractor.

After the component runs, ``doc._.attributions`` holds the article's attributed statements and
``doc._.ledger`` the whole ledger (sources, claims, conflicts), built from the document's own parse,
so spaCy users get the same result as ``claimledger analyze`` without parsing twice. spaCy imports
this module through an entry point whenever it builds a pipeline, so it imports nothing heavy.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("ledger"):
    Doc.set_extension("ledger", default=None)


class ClaimledgerComponent:
    """Reads a parsed Doc and writes its attributions and ledger onto ``doc._``."""

    def __init__(self, nlp: Language, name: str, claims: list[str] | None, published: str | None):
        self.nlp = nlp
        self.name = name
        self.claims = list(claims or [])
        self.published = published

    def __call__(self, doc: Doc) -> Doc:
        from claimledger.pipeline import ledger_from_doc

        ledger = ledger_from_doc(doc, published=self.published, claims=self.claims or None)
        doc._.ledger = ledger
        doc._.attributions = ledger.attributions
        return doc


@Language.factory(
    "claimledger",
    default_config={"claims": [], "published": None},
    requires=["token.dep", "token.head", "token.pos", "doc.ents"],
    assigns=["doc._.attributions", "doc._.ledger"],
)
def make_claimledger_component(nlp: Language, name: str, claims: list[str], published: str | None) -> ClaimledgerComponent:
    return ClaimledgerComponent(nlp, name, claims, published)
