"""A municipality's identity provider: staff sign in with their work account (OpenID Connect)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class IdentityProvider(db.Model):
    """Entra ID, Keycloak or a Sweden Connect OIDC provider of one municipality."""

    __tablename__ = "identity_provider"
    __table_args__ = (
        CheckConstraint("issuer LIKE 'https://%' OR issuer LIKE 'http://127.0.0.1%'"
                        " OR issuer LIKE 'http://localhost%'", name="issuer_https"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), unique=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    # Encrypted with the installation's data key (app/auth/secrets.py), never stored in clear.
    client_secret_encrypted: Mapped[str] = mapped_column(Text)
    email_claim: Mapped[str] = mapped_column(String(60), default="email")
    group_claim: Mapped[str | None] = mapped_column(String(60))
    # Group name (or object id, as Entra ID sends) -> one of our roles.
    group_roles: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality = relationship("Municipality", back_populates="identity_provider")
