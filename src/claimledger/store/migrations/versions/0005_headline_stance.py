"""headline stance: each article's title read toward each claim it carries (the outlet's own side)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 13:00:00

Two nullable columns on ``article_claims``: ``headline_stance`` (support | deny | neutral, kept to the
vocabulary by its own CHECK, named like those of 0004) and its confidence. Added with plain ``ALTER
TABLE … ADD COLUMN`` (and dropped with ``DROP COLUMN``), which both SQLite (3.35 and later) and
PostgreSQL accept for a column with its own CHECK, so no table is rebuilt. Articles stored before this migration have no headline stance until they are ingested again.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import inspect

from claimledger.store.schema import vocabulary_check


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _columns() -> set[str]:
    return {column["name"] for column in inspect(op.get_bind()).get_columns("article_claims")}


def upgrade() -> None:
    present = _columns()  # a store that has the columns already keeps them (the migration may run again)
    check = vocabulary_check("article_claims", "headline_stance")
    if "headline_stance" not in present:
        op.execute(
            "ALTER TABLE article_claims ADD COLUMN headline_stance VARCHAR(16) "
            f"CONSTRAINT ck_article_claims_headline_stance CHECK ({check})"
        )
    if "headline_stance_confidence" not in present:
        op.add_column("article_claims", sa.Column("headline_stance_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35 and later) drops a column whose only CHECK is its own; PostgreSQL drops the CHECK with it
    present = _columns()
    for column in ("headline_stance_confidence", "headline_stance"):
        if column in present:
            op.execute(f"ALTER TABLE article_claims DROP COLUMN {column}")
