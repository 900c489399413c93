"""WMS base maps: the base_map kind check also allows 'wms'.

A municipality's WMS (GetMap per tile, fetched and cached by our server) is a new kind of
upstream beside XYZ and WMTS; its tile grid is kept in tile_matrix like a WMTS's. Only the check
constraint changes. SQLite rebuilds the table for that, and dropping the old table would set
every dialogue's chosen base map to NULL (ON DELETE SET NULL), so the choices are kept aside and
put back.

Revision ID: 7e2b4c9a1f05
Revises: 6e2b8f41c9d3
Create Date: 2026-12-01 12:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e2b4c9a1f05'
down_revision = '6e2b8f41c9d3'
branch_labels = None
depends_on = None

OLD = "kind IN ('pmtiles', 'mbtiles', 'gpkg', 'xyz', 'wmts')"
NEW = "kind IN ('pmtiles', 'mbtiles', 'gpkg', 'xyz', 'wmts', 'wms')"


def _replace_check(condition: str) -> None:
    bind = op.get_bind()
    chosen = bind.execute(sa.text(
        "SELECT id, basemap_id FROM dialogue WHERE basemap_id IS NOT NULL")).all()
    with op.batch_alter_table('base_map', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_base_map_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_base_map_kind_known'), condition)
    for dialogue_id, basemap_id in chosen:
        bind.execute(sa.text("UPDATE dialogue SET basemap_id = :b WHERE id = :d AND basemap_id IS NULL"),
                     {"b": basemap_id, "d": dialogue_id})


def upgrade():
    _replace_check(NEW)


def downgrade():
    op.execute("DELETE FROM base_map WHERE kind = 'wms'")
    _replace_check(OLD)
