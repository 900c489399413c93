"""A municipality (kommun): the tenant that owns areas, dialogues and users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Municipality(db.Model):
    __tablename__ = "municipality"
    __table_args__ = (
        CheckConstraint("length(kommunkod) = 4", name="kommunkod_four_digits"),
        CheckConstraint("population IS NULL OR population > 0", name="population_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kommunkod: Mapped[str] = mapped_column(String(4), unique=True)
    population: Mapped[int | None]
    # Whether the network coordinator may read this municipality's raw comments.
    grants_network_raw_access: Mapped[bool] = mapped_column(default=False)
    # Who answers residents' questions about personal data (dataskyddsombud or registrator).
    privacy_contact: Mapped[str | None] = mapped_column(String(254))
    # Whether staff may log in with a password kept by us; off when all sign in through the IdP.
    local_login_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    areas = relationship("DevelopmentArea", back_populates="municipality")
    dialogues = relationship("Dialogue", back_populates="municipality")
    identity_provider = relationship("IdentityProvider", back_populates="municipality", uselist=False)

    def __repr__(self) -> str:
        return f"<Municipality {self.kommunkod} {self.name}>"
