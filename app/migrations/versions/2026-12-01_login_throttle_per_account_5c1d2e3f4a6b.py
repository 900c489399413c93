"""Login throttle per account: failed logins and the time of the last, by a hash of the e-mail.

Logins were limited per address only, so one attacker behind a municipality's NAT locked the
whole office out. Failures from browsers that never logged in to the account now count per
account name (a keyed hash, so no address or e-mail is readable here) and set a growing delay.

Revision ID: 5c1d2e3f4a6b
Revises: 3c1f0a9d5b27
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '5c1d2e3f4a6b'
down_revision = '3c1f0a9d5b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_throttle',
        sa.Column('account_key', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('account_key', name=op.f('pk_login_throttle')),
    )


def downgrade():
    op.drop_table('login_throttle')
