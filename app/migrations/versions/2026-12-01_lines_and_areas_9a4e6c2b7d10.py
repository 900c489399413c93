"""Pin: lines (routes) and areas as answers beside points.

A map question may ask for a route ("draw your way home") or an area ("outline where a park
should be"). shape_kind says which; shape holds the drawn geometry in WGS84 (a generic GEOMETRY
column with its own spatial index); length_m and area_m2 are measured in SWEREF 99 TM on write.
The point columns (geom, sweref_e, sweref_n) keep a representative point of a line or area, so
the existing point-based queries go on working. Every existing pin is a point.

Revision ID: 9a4e6c2b7d10
Revises: ead08a059dd1
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

# revision identifiers, used by Alembic.
revision = '9a4e6c2b7d10'
down_revision = 'ead08a059dd1'
branch_labels = None
depends_on = None


CHECKS = {
    'ck_pin_shape_kind_known': "shape_kind IN ('point', 'line', 'area')",
    'ck_pin_shape_drawn': "shape IS NULL OR (shape_kind <> 'point' AND location_kind = 'map')",
    'ck_pin_drawn_on_map_has_shape': "location_kind <> 'map' OR shape_kind = 'point' OR shape IS NOT NULL",
}


def upgrade():
    op.add_geospatial_column('pin', sa.Column('shape', Geometry(geometry_type='GEOMETRY', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True))
    op.create_geospatial_index('idx_pin_shape', 'pin', ['shape'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.add_column('pin', sa.Column('length_m', sa.Float(), nullable=True))
    op.add_column('pin', sa.Column('area_m2', sa.Float(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite cannot add a table constraint without copying the table, which SpatiaLite's
        # geometry triggers and the foreign keys onto pin refuse; a column added with ALTER
        # TABLE may carry CHECK constraints, and SQLite lets them name other columns.
        checks = ' '.join(f'CONSTRAINT {name} CHECK ({rule})' for name, rule in CHECKS.items())
        op.execute(f"ALTER TABLE pin ADD COLUMN shape_kind VARCHAR(5) DEFAULT 'point' NOT NULL {checks}")
    else:
        op.add_column('pin', sa.Column('shape_kind', sa.String(length=5), server_default='point', nullable=False))
        for name, rule in CHECKS.items():
            op.create_check_constraint(name, 'pin', rule)


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        for name in CHECKS:
            op.drop_constraint(name, 'pin', type_='check')
    op.drop_column('pin', 'shape_kind')
    op.drop_column('pin', 'area_m2')
    op.drop_column('pin', 'length_m')
    op.drop_geospatial_index('idx_pin_shape', 'pin', ['shape'], 'shape')
    op.drop_geospatial_column('pin', 'shape')
