"""claim decisions: merges and splits by an editor, and dated verdicts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claim_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False, comment='merge | split'),
    sa.Column('claim_id', sa.Integer(), nullable=False, comment='merge: the claim kept; split: the claim some articles were taken from'),
    sa.Column('other_claim_id', sa.Integer(), nullable=False, comment='merge: the claim folded into claim_id; split: the new claim those articles now carry'),
    sa.Column('turned', sa.Boolean(), nullable=False, comment='merge: the folded claim negates the kept one, so its stances were turned'),
    sa.Column('decided_by', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_decisions_claim_id_claims')),
    sa.ForeignKeyConstraint(['other_claim_id'], ['claims.id'], name=op.f('fk_claim_decisions_other_claim_id_claims')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_decisions'))
    )
    with op.batch_alter_table('claim_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_decisions_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_decisions_other_claim_id'), ['other_claim_id'], unique=False)

    op.create_table('claim_decision_articles',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('wording', sa.Text(), nullable=False, comment='split: how the article worded the claim it left'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_claim_decision_articles_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['claim_decisions.id'], name=op.f('fk_claim_decision_articles_decision_id_claim_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'article_id', name=op.f('pk_claim_decision_articles'))
    )

    op.create_table('claim_resolutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False, comment="true | false | unresolved; the latest row is the claim's verdict"),
    sa.Column('decided_by', sa.Text(), nullable=False),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_resolutions_claim_id_claims')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_resolutions'))
    )
    with op.batch_alter_table('claim_resolutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_resolutions_claim_id'), ['claim_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claim_resolutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_resolutions_claim_id'))
    op.drop_table('claim_resolutions')
    op.drop_table('claim_decision_articles')
    with op.batch_alter_table('claim_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_decisions_other_claim_id'))
        batch_op.drop_index(batch_op.f('ix_claim_decisions_claim_id'))
    op.drop_table('claim_decisions')
