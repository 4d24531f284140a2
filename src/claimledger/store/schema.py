"""The store's tables: plain, readable SQL that any SQLite or PostgreSQL tool can query.

One row per thing a reader would name: an article, a source (a person or body, the same across
articles), how an article names that source, each mention, each attributed statement, each claim
(the same proposition across articles), each stance of a statement toward a claim, each time and
piece of evidence a statement carries, and each conflict. Offsets index ``articles.text``.
The tables are defined once here; Alembic migrations (``store/migrations``) create and evolve them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from claimledger.records import CLAIM_STATUSES, CUE_CLASSES, EVIDENCE_KINDS, SIDES, STANCES, VERDICTS

# Explicit constraint names so migrations are the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

# The ledger's vocabulary in the database: (table, column) → the values it may hold (records.py) and
# whether it may be NULL. Each becomes a CHECK constraint named ck_TABLE_COLUMN (migration 0004 adds
# them to older stores); a new value in records.py needs a migration that recreates the constraint.
VOCABULARY: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {
    ("attributions", "cue_class"): (CUE_CLASSES, False),
    ("claims", "status"): (CLAIM_STATUSES, False),
    ("article_claims", "article_stance"): (STANCES, True),
    ("article_claims", "headline_stance"): (SIDES, True),
    ("stances", "stance"): (SIDES, False),
    ("source_stances", "stance"): (SIDES, False),
    ("evidence", "kind"): (EVIDENCE_KINDS, False),
    ("claim_resolutions", "verdict"): (VERDICTS, False),
}


def vocabulary_check(table: str, column: str) -> str:
    """The SQL of the CHECK that keeps ``table.column`` within the ledger's vocabulary."""
    values, nullable = VOCABULARY[(table, column)]
    allowed = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {allowed}" if nullable else allowed


def _one_of(table: str, column: str) -> CheckConstraint:
    return CheckConstraint(vocabulary_check(table, column), name=column)


articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True, comment="sha256 of the article text"),
    Column("name", Text, comment="where it came from: file path, path:line, bodies.csv#id"),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", Date, index=True),
    Column("language", String(8)),
    Column("input_format", String(16)),
    Column("length", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False, comment="person | organization | group | outlet | document"),
    Column("role", Text),
    Column("affiliation", Text),
    Column("country", Text),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("identity_key", Text, unique=True,
           comment="what makes two mentions one source; NULL for anonymous sources"),
)

article_sources = Table(
    "article_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False, index=True),
    Column("local_id", Text, nullable=False, comment="the source's id inside the article's ledger"),
    Column("name", Text, nullable=False, comment="how this article names the source"),
    Column("role", Text),
    Column("affiliation", Text),
    Column("country", Text),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("kind", String(16), nullable=False),
    Column("side", Text),
    UniqueConstraint("article_id", "local_id"),
)

source_mentions = Table(
    "source_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", String(16), nullable=False, comment="name | description | pronoun | group"),
)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", Text, nullable=False),
    Column("source_id", ForeignKey("sources.id"), index=True),
    Column("source_text", Text, comment="the words that name the speaker here"),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("cue", Text, nullable=False),
    Column("cue_class", Text, nullable=False),
    Column("negated_cue", Boolean, nullable=False, default=False),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("content", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("quote", String(16), nullable=False),
    Column("medium", Text, comment="the outlet the statement was given to (told AFP)"),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("sentence", Text, nullable=False),
    UniqueConstraint("article_id", "local_id"),
    _one_of("attributions", "cue_class"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("origin", String(16), nullable=False, comment="registered | headline | proposed"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Kept up to date by every write that touches the claim, so listing claims needs no aggregation.
    Column("status", String(16), nullable=False, default="unconfirmed",
           comment="asserted only | disputed | denied only | unconfirmed"),
    Column("support_sources", Integer, nullable=False, default=0),
    Column("deny_sources", Integer, nullable=False, default=0),
    Column("neutral_sources", Integer, nullable=False, default=0),
    Column("articles", Integer, nullable=False, default=0),
    Column("first_seen", Date, index=True),
    Column("last_seen", Date, index=True),
    _one_of("claims", "status"),
)

claim_vectors = Table(
    "claim_vectors",
    metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("model", Text, nullable=False),
    Column("vector", LargeBinary, nullable=False, comment="float32 sentence embedding of the claim text"),
    Column("terms", Text, nullable=False, comment="the claim's named entities and places, | separated"),
)

article_claims = Table(
    "article_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True),
    Column("local_id", Text, nullable=False, comment="the claim's id inside the article's ledger"),
    Column("text", Text, nullable=False, comment="the claim as this article words it"),
    Column("origin", String(16), nullable=False),
    Column("similarity", Float, comment="cosine of this wording to the stored claim"),
    Column("negated", Boolean, nullable=False, default=False,
           comment="the article's wording denies the stored claim, so its stances were turned"),
    Column("article_stance", String(16), comment="the FNC-1 model's stance of the whole article"),
    Column("article_stance_confidence", Float),
    Column("headline_stance", String(16), comment="the headline stance model's reading of the article's title"),
    Column("headline_stance_confidence", Float),
    UniqueConstraint("article_id", "claim_id"),
    _one_of("article_claims", "article_stance"),
    _one_of("article_claims", "headline_stance"),
)

stances = Table(
    "stances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("attribution_id", ForeignKey("attributions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True),
    Column("source_id", ForeignKey("sources.id"), index=True),
    Column("stance", String(16), nullable=False, comment="support | deny | neutral"),
    Column("confidence", Float, nullable=False),
    Column("because", Text, nullable=False, comment="the sentence that decided"),
    UniqueConstraint("attribution_id", "claim_id"),
    _one_of("stances", "stance"),
)

source_stances = Table(
    "source_stances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False, index=True),
    Column("stance", String(16), nullable=False, comment="the source's side in this article, from all its statements"),
    UniqueConstraint("article_id", "claim_id", "source_id"),
    _one_of("source_stances", "stance"),
)

times = Table(
    "times",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("attribution_id", ForeignKey("attributions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("earliest", Date),
    Column("latest", Date),
    Column("relative", Boolean, nullable=False, default=False),
    Column("role", String(16), nullable=False, comment="event | statement"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("attribution_id", ForeignKey("attributions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    _one_of("evidence", "kind"),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True),
    Column("kind", String(8), nullable=False, comment="fact | time"),
    Column("detail", Text, nullable=False),
)

conflict_sources = Table(
    "conflict_sources",
    metadata,
    Column("conflict_id", ForeignKey("conflicts.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id"), primary_key=True),
)

Index("ix_stances_claim_stance", stances.c.claim_id, stances.c.stance)

# Editors' decisions about claims (migration 0002): kept so that later ingests and pages follow them.
claim_decisions = Table(
    "claim_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(8), nullable=False, comment="merge | split"),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True,
           comment="merge: the claim kept; split: the claim some articles were taken from"),
    Column("other_claim_id", ForeignKey("claims.id"), nullable=False, index=True,
           comment="merge: the claim folded into claim_id; split: the new claim those articles now carry"),
    Column("turned", Boolean, nullable=False, default=False,
           comment="merge: the folded claim negates the kept one, so its stances were turned"),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
)

claim_decision_articles = Table(
    "claim_decision_articles",
    metadata,
    Column("decision_id", ForeignKey("claim_decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("wording", Text, nullable=False, comment="split: how the article worded the claim it left"),
)

claim_resolutions = Table(
    "claim_resolutions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True),
    Column("verdict", String(16), nullable=False, comment="true | false | unresolved; the latest row is the claim's verdict"),
    Column("decided_by", Text, nullable=False),
    Column("evidence_url", Text),
    Column("note", Text),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    _one_of("claim_resolutions", "verdict"),
)
