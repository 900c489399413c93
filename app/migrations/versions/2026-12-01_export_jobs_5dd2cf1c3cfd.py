"""Export jobs: an export made by a background worker, with its progress and result file.

Exports of a big dialogue took longer than a web request may (a GeoPackage of a million pins about
48 s); a job row lets any app server show the progress and offer the file that a worker wrote.


Revision ID: 5dd2cf1c3cfd
Revises: 7e7853ca325a
Create Date: 2026-12-01 08:43:19.921853

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5dd2cf1c3cfd'
down_revision = '7e7853ca325a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_job',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('api_token_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('rows_done', sa.BigInteger(), nullable=False),
    sa.Column('rows_total', sa.BigInteger(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(state = 'done') = (filename IS NOT NULL)", name=op.f('ck_export_job_file_only_when_done')),
    sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_export_job_state_known')),
    sa.CheckConstraint("user_id IS NOT NULL OR api_token_id IS NOT NULL", name=op.f('ck_export_job_someone_asked')),
    sa.CheckConstraint('rows_done >= 0 AND rows_total >= 0', name=op.f('ck_export_job_rows_not_negative')),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_token.id'], name=op.f('fk_export_job_api_token_id_api_token'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogue.id'], name=op.f('fk_export_job_dialogue_id_dialogue'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_export_job_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job'))
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_job_dialogue_id'), ['dialogue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_job_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_job_user_id'))
        batch_op.drop_index(batch_op.f('ix_export_job_dialogue_id'))

    op.drop_table('export_job')
