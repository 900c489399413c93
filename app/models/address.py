"""A municipality's street addresses, for the residents' "where am I" search on the map."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Address(db.Model):
    """One address (e.g. "Husbygårdsgatan 12, Kista") and its point in WGS84."""

    __tablename__ = "address"
    __table_args__ = (
        UniqueConstraint("municipality_id", "label"),
        Index("ix_address_municipality_search", "municipality_id", "search_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    # casefolded label: SQLite's lower() knows only ASCII, so "Åvägen" is matched on this column
    search_key: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
