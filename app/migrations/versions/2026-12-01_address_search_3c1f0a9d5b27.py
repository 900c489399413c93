"""Address: a municipality's street addresses, searched by residents to find a place on the map.

Imported from an address file (Lantmäteriet's open Belägenhetsadress or a municipal CSV) with
`platsdialog addresses import`; the search runs on our server, so a resident's typing never leaves
it. The point is kept as lat/lng numbers: it is only used to move the map there, never queried
spatially. search_key holds the casefolded label (SQLite's lower() knows only ASCII).

Revision ID: 3c1f0a9d5b27
Revises: 3c9d2e71a4b5
Create Date: 2026-12-01 09:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3c1f0a9d5b27'
down_revision = '3c9d2e71a4b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('search_key', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_address_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_address')),
    sa.UniqueConstraint('municipality_id', 'label', name=op.f('uq_address_municipality_id_label'))
    )
    with op.batch_alter_table('address', schema=None) as batch_op:
        batch_op.create_index('ix_address_municipality_search', ['municipality_id', 'search_key'], unique=False)


def downgrade():
    with op.batch_alter_table('address', schema=None) as batch_op:
        batch_op.drop_index('ix_address_municipality_search')
    op.drop_table('address')
