"""Base maps: tile files and upstream tile sources per municipality, and a dialogue's choice.

Every map showed the area outline on flat grey. A base map row says where tiles come from (a
PMTiles, MBTiles or GeoPackage file the app reads itself, or an XYZ/WMTS upstream it proxies
and caches), its zooms and bounds, and the attribution the map shows. A row without a
municipality is offered site-wide. A WMTS in SWEREF 99 keeps its CRS and tile matrix set, so
the browser map can run in that CRS. A dialogue may name the planner's choice; NULL means the
municipality's default, and a dialogue whose base map is removed falls back to it.

Revision ID: c4b1e2a9d7f3
Revises: d54a817ce40b
Create Date: 2026-12-01 08:50:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4b1e2a9d7f3'
down_revision = 'd54a817ce40b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('base_map',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('image_format', sa.String(length=10), nullable=False),
    sa.Column('crs', sa.Integer(), nullable=False),
    sa.Column('tile_matrix', sa.JSON(), nullable=True),
    sa.Column('min_zoom', sa.Integer(), nullable=False),
    sa.Column('max_zoom', sa.Integer(), nullable=False),
    sa.Column('west', sa.Float(), nullable=False),
    sa.Column('south', sa.Float(), nullable=False),
    sa.Column('east', sa.Float(), nullable=False),
    sa.Column('north', sa.Float(), nullable=False),
    sa.Column('attribution', sa.Text(), nullable=False),
    sa.Column('licence', sa.String(length=200), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('pmtiles', 'mbtiles', 'gpkg', 'xyz', 'wmts')", name=op.f('ck_base_map_kind_known')),
    sa.CheckConstraint('min_zoom >= 0 AND max_zoom >= min_zoom AND max_zoom <= 24', name=op.f('ck_base_map_zooms_ordered')),
    sa.CheckConstraint('west < east AND south < north', name=op.f('ck_base_map_bounds_ordered')),
    sa.CheckConstraint("name <> ''", name=op.f('ck_base_map_name_not_empty')),
    sa.CheckConstraint('crs = 3857 OR crs BETWEEN 3006 AND 3018', name=op.f('ck_base_map_crs_known')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_base_map_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_map'))
    )
    with op.batch_alter_table('base_map', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_base_map_municipality_id'), ['municipality_id'], unique=False)
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basemap_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_dialogue_basemap_id_base_map'), 'base_map', ['basemap_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dialogue_basemap_id_base_map'), type_='foreignkey')
        batch_op.drop_column('basemap_id')
    with op.batch_alter_table('base_map', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_base_map_municipality_id'))
    op.drop_table('base_map')
