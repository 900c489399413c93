"""A background job: one export being made by a worker, with its progress and its result file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..domain import sql_in
from ..extensions import db
from .types import UTCDateTime, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class ExportJob(db.Model):
    __tablename__ = "export_job"
    __table_args__ = (
        CheckConstraint(sql_in("state", JOB_STATES), name="state_known"),
        CheckConstraint("rows_done >= 0 AND rows_total >= 0", name="rows_not_negative"),
        # A result is offered only for a finished job, and a finished job always has one.
        CheckConstraint("(state = 'done') = (filename IS NOT NULL)", name="file_only_when_done"),
        CheckConstraint("user_id IS NOT NULL OR api_token_id IS NOT NULL", name="someone_asked"),
    )

    # Unguessable: the id is in the job's URLs.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                                index=True)
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    via: Mapped[str] = mapped_column(String(20))  # ui, api-session, api-token
    format: Mapped[str] = mapped_column(String(20))
    options: Mapped[dict] = mapped_column(JSON)  # crs, include_hidden, photos, quotes
    locale: Mapped[str] = mapped_column(String(10), default="sv")
    state: Mapped[str] = mapped_column(String(10), default="queued")
    rows_done: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_total: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(200))  # the download's name, when done
    mimetype: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
