"""Public records and staff sign-in: diarienummer and retention per dialogue, identity providers.

A municipality's archive needs each dialogue's case number (diarienummer) and its retention
decision (gallringsbeslut: comments deleted so many months after closing, or kept); purged_at
says when that was done. A municipality may sign its staff in through its own OpenID Connect
provider (one per municipality, the client secret encrypted) and turn local passwords off; its
privacy contact is named in each dialogue's privacy notice. All additive.

Revision ID: 3c51a9e0d7b2
Revises: 5dd2cf1c3cfd
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c51a9e0d7b2'
down_revision = '5dd2cf1c3cfd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_contact', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('local_login_enabled', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diarienummer', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retention_decision', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_dialogue_retention_positive'), 'retention_months IS NULL OR retention_months > 0')
    op.create_table(
        'identity_provider',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('issuer', sa.String(length=500), nullable=False),
        sa.Column('client_id', sa.String(length=200), nullable=False),
        sa.Column('client_secret_encrypted', sa.Text(), nullable=False),
        sa.Column('email_claim', sa.String(length=60), nullable=False),
        sa.Column('group_claim', sa.String(length=60), nullable=True),
        sa.Column('group_roles', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "issuer LIKE 'https://%' OR issuer LIKE 'http://127.0.0.1%' OR issuer LIKE 'http://localhost%'",
            name=op.f('ck_identity_provider_issuer_https')),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'],
                                name=op.f('fk_identity_provider_municipality_id_municipality'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_provider')),
        sa.UniqueConstraint('municipality_id', name=op.f('uq_identity_provider_municipality_id')),
    )


def downgrade():
    op.drop_table('identity_provider')
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_dialogue_retention_positive'), type_='check')
        batch_op.drop_column('purged_at')
        batch_op.drop_column('retention_decision')
        batch_op.drop_column('retention_months')
        batch_op.drop_column('diarienummer')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('local_login_enabled')
        batch_op.drop_column('privacy_contact')
