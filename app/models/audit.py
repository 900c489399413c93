"""An append-only log of what planners did: moderation, lifecycle changes, exports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))  # e.g. "pin.hide", "dialogue.open", "export"
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def record(action: str, *, user=None, municipality_id=None, obj=None, **detail) -> AuditEvent:
    """Add an audit event to the session (the caller's transaction commits it)."""
    event = AuditEvent(
        action=action,
        user_id=getattr(user, "id", None),
        municipality_id=municipality_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        detail=detail,
    )
    db.session.add(event)
    return event
