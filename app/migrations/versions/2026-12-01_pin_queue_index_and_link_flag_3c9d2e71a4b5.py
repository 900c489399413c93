"""Pin: an index for the moderation queue's pages, and the new "link" flag on existing comments.

The queue shows waiting comments first, then the newest, a page at a time (keyset): each of the
two parts is read through (dialogue_id, moderation_state, created_at, id), so a page of a dialogue
with 100,000 comments reads 51 index entries instead of sorting them all.

Comments written before the "link" flag existed get it where their text holds a web address
(http://, https://, www.), the same test app/moderation/flags.py makes on new ones; their
moderation state is left as it was.

Revision ID: 3c9d2e71a4b5
Revises: c4b1e2a9d7f3
Create Date: 2026-12-01 09:15:00

"""
import json
import re

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c9d2e71a4b5'
down_revision = 'c4b1e2a9d7f3'
branch_labels = None
depends_on = None

_LINK = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)\S+", re.IGNORECASE)


def upgrade():
    op.create_index('ix_pin_dialogue_state_created', 'pin',
                    ['dialogue_id', 'moderation_state', 'created_at', 'id'])
    conn = op.get_bind()
    pin = sa.table('pin', sa.column('id', sa.Integer), sa.column('text', sa.Text),
                   sa.column('flags', sa.JSON))
    rows = conn.execute(sa.select(pin.c.id, pin.c.text, pin.c.flags).where(sa.or_(
        pin.c.text.ilike('%http%'), pin.c.text.ilike('%www.%'), pin.c.text.ilike('%ftp://%'))))
    for pin_id, text, flags in rows.all():
        flags = json.loads(flags) if isinstance(flags, str) else list(flags or [])
        if _LINK.search(text or "") and "link" not in flags:
            conn.execute(pin.update().where(pin.c.id == pin_id).values(flags=flags + ["link"]))


def downgrade():
    op.drop_index('ix_pin_dialogue_state_created', table_name='pin')
