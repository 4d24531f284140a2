"""Typed records that pass between the pipeline stages and make up a ledger.

Every stage reads and writes these dataclasses; the JSON output is exactly their serialisation
(see docs/schema.md). Character offsets always index the document's ``text``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from claimledger.claims.matching import ClaimFeatures

# The ledger's vocabulary, defined here once: every module, the API's OpenAPI enums and the store's
# values take these.
Side = Literal["support", "deny", "neutral"]  # the side a source takes on a claim
Stance = Literal["support", "deny", "neutral", "unrelated"]  # a statement's stance toward a claim
ClaimStatus = Literal["asserted only", "disputed", "denied only", "unconfirmed"]
SIDES: tuple[str, ...] = get_args(Side)
STANCES: tuple[str, ...] = get_args(Stance)
CLAIM_STATUSES: tuple[str, ...] = get_args(ClaimStatus)
# What a statement's cue says of it: reporting (speech), believing, denying, confirming, refusing to
# say, asking, taking a position; "mined" for the cues learned from PolNeAR (attribution/data/cues.tsv),
# "continuation" for a quotation that carries on the previous speaker's statement.
CueClass = Literal["speech", "belief", "denial", "confirmation", "refusal", "question", "position", "mined",
                   "continuation"]
# What a statement rests on, when the text shows it (evidence/kinds.py finds them).
EvidenceKind = Literal["video", "photo", "document", "intelligence", "eyewitness", "expert_inference",
                       "official_statement"]
Verdict = Literal["true", "false", "unresolved"]  # an editor's verdict on a claim
CUE_CLASSES: tuple[str, ...] = get_args(CueClass)
EVIDENCE_KINDS: tuple[str, ...] = get_args(EvidenceKind)
VERDICTS: tuple[str, ...] = get_args(Verdict)
# What `claimledger search` and the API's search look through.
SearchKind = Literal["statement", "claim", "source"]
SEARCH_KINDS: tuple[SearchKind, ...] = get_args(SearchKind)
# A claim a user registered (`claimledger claim add`) and that every article is judged against: the
# store's claims.origin and article_claims.origin, and a ledger's claim judged because it is registered.
REGISTERED = "registered"
QuoteKind = Literal["direct", "indirect", "mixed"]
ConflictKind = Literal["fact", "time"]


@dataclass
class Document:
    """The article as claimledger read it: plain text plus what is known about it."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None when unknown
    language: str = "en"
    outlet: str | None = None
    url: str | None = None
    input_format: str = "text"  # text | html | markdown
    name: str | None = None  # file name or "-" for stdin


@dataclass
class Mention:
    """One place in the text that names or points to a source."""

    text: str
    start: int
    end: int
    kind: str = "name"  # name | description | pronoun | group


@dataclass
class Source:
    """One resolved speaker (person, body or group) with every mention of it."""

    id: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    anonymous: bool = False
    kind: str = "person"  # person | organization | group | outlet | document
    side: str | None = None  # id of the side (e.g. a government) this source speaks for


@dataclass
class TimeRef:
    """A time expression inside a statement, resolved to a date range when it can be."""

    text: str
    start: int
    end: int
    earliest: str | None = None  # ISO date
    latest: str | None = None  # ISO date
    relative: bool = False  # True when no publication date was known to anchor it
    role: str = "event"  # event (dates what the content says happened) | statement (dates the saying)


@dataclass
class Evidence:
    """What a statement rests on, when the text says so."""

    kind: EvidenceKind
    text: str
    start: int
    end: int


@dataclass
class StanceJudgment:
    """The stance of one statement toward one claim, with the sentence that decided it."""

    claim: str
    stance: Stance
    because: str
    confidence: float = 1.0


@dataclass
class Attribution:
    """One attributed statement: who said what, how, to whom, when, on what evidence."""

    id: str
    source: str | None  # a Source id
    cue: str
    content: str
    start: int
    end: int
    direct: bool
    quote: QuoteKind = "indirect"
    cue_start: int | None = None
    cue_end: int | None = None
    # what the cue says of the content: speech | belief | position | denial | confirmation |
    # refusal | question | continuation (a quote carrying on the speaker's previous statement) …
    cue_class: CueClass = "speech"
    negated_cue: bool = False  # "did not deny", "could not say"
    source_mention: Mention | None = None
    medium: str | None = None
    anonymous: bool = False
    sentence: str = ""
    stances: list[StanceJudgment] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Claim:
    """A proposition the article's statements speak to, with the sources on each side."""

    id: str
    text: str
    origin: str = "user"  # user | headline | proposed
    support: list[str] = field(default_factory=list)
    deny: list[str] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)
    article_stance: str | None = None  # the stance model's reading of the whole article
    article_stance_probabilities: dict[str, float] | None = None
    # the headline stance model's reading of the article's title, when the title speaks of the claim
    headline_stance: str | None = None
    headline_stance_probabilities: dict[str, float] | None = None


@dataclass
class Conflict:
    """Accounts that cannot all be true: one asserts what another denies, or dates it differently."""

    claim: str
    kind: ConflictKind
    sources: list[str]
    detail: str


@dataclass
class Ledger:
    """Everything claimledger knows about one article."""

    document: Document
    sources: list[Source] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def source(self, source_id: str | None) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema"] = "claimledger.ledger/1"
        document = data["document"]
        document.pop("text")
        document["length"] = len(self.document.text)
        return data


# --------------------------------------------------------------------------- identity and hand-over

def content_hash(text: str) -> str:
    """The article's identity in the store: sha256 of its body (whitespace runs folded).

    The body starts at the first paragraph of prose: header lines before it (a headline, a byline,
    a date line) are left out, so one story stored from a .txt and an .html copy (where the page's
    title heads the text) or re-published under another headline is one article, not two.
    """
    return hashlib.sha256(" ".join(article_body(text).split()).encode("utf-8")).hexdigest()


# A header line: short, and not ending like a sentence.
HEADER_MAX_WORDS = 25


def article_body(text: str) -> str:
    """``text`` from its first paragraph of prose on (all of it when no line reads as prose)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        words = stripped.split()
        if stripped and (len(words) > HEADER_MAX_WORDS or re.search(r"[.!?][\"”’')\]]*$", stripped)):
            return text[offset:]
        offset += len(line)
    return text


@dataclass
class AnalyzedArticle:
    """What the (possibly remote) analysis of one article hands to the writer."""

    ledger: Ledger
    claim_features: dict[str, "ClaimFeatures"] = field(default_factory=dict)  # by the ledger's claim id
    encoder_model: str = "none"

    @property
    def content_hash(self) -> str:
        return content_hash(self.ledger.document.text)
