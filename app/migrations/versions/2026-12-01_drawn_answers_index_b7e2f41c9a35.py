"""Pin: a partial index on the drawn routes and areas of a dialogue.

The grid analysis counts points with one GROUP BY and reads the few drawn routes and areas of a
dialogue separately to share them over the cells they cross (app/analysis/grid.py). This index
holds only the routes and areas (shape_kind <> 'point'), so that read finds them without scanning
a dialogue's points, and writing a point costs nothing extra. It is on shape_kind, not on
"shape IS NOT NULL": PostgreSQL keeps no null statistics for the geometry column and then chose a
full index scan. Additive; the same partial index on both databases.

Revision ID: b7e2f41c9a35
Revises: 9a4e6c2b7d10
Create Date: 2026-12-01 12:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e2f41c9a35'
down_revision = '9a4e6c2b7d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_pin_drawn', 'pin', ['dialogue_id'], unique=False,
                    sqlite_where=sa.text("shape_kind <> 'point'"),
                    postgresql_where=sa.text("shape_kind <> 'point'"))


def downgrade():
    op.drop_index('ix_pin_drawn', table_name='pin')
