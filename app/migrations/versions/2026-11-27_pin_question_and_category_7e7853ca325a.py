"""Pin: which map question it answers, and its fixed category (e.g. lighting on a safety walk).

A survey may ask several map questions and a safety walk gives each pin a category; without
these two columns both were lost when the response was written. Both nullable: old pins and
pins from the single-comment form have neither.

Revision ID: 7e7853ca325a
Revises: 2a0654b6be49
Create Date: 2026-11-27 05:54:19.232750

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7e7853ca325a'
down_revision = '2a0654b6be49'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('pin', schema=None) as batch_op:
        batch_op.drop_column('category')
        batch_op.drop_column('question_id')
