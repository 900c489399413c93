"""Survey drafts: surveys written in the browser editor, each save a numbered YAML revision.

A planner builds a survey in a form instead of a YAML file on the server. The YAML text stays the
source of truth (downloaded, edited elsewhere, uploaded back); each save is a new revision, and
publishing a dialogue freezes the latest one into survey_version as before. Additive only.

Revision ID: d54a817ce40b
Revises: 3c51a9e0d7b2
Create Date: 2026-12-01 08:37:13.946867

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd54a817ce40b'
down_revision = '3c51a9e0d7b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('survey_key', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_survey_draft_name_not_empty')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_survey_draft_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_draft'))
    )
    with op.batch_alter_table('survey_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_draft_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('survey_draft_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('yaml_text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(yaml_text) > 0', name=op.f('ck_survey_draft_revision_yaml_not_empty')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_survey_draft_revision_number_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_survey_draft_revision_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['survey_draft.id'], name=op.f('fk_survey_draft_revision_draft_id_survey_draft'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_draft_revision')),
    sa.UniqueConstraint('draft_id', 'number', name=op.f('uq_survey_draft_revision_draft_id_number'))
    )
    with op.batch_alter_table('survey_draft_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_draft_revision_draft_id'), ['draft_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_draft_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_draft_revision_draft_id'))

    op.drop_table('survey_draft_revision')
    with op.batch_alter_table('survey_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_draft_municipality_id'))

    op.drop_table('survey_draft')
