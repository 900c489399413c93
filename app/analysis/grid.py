"""Grid aggregation of pins in SWEREF 99 TM, the same SQL on PostGIS and SpatiaLite.

Each pin carries its SWEREF 99 TM easting and northing (metres); a cell is
floor(e / size), floor(n / size), so cells align to round coordinates like Statistics Sweden's grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Pin
from ..spatial import from_sweref


@dataclass(frozen=True)
class Cell:
    value: str
    easting: float  # south-west corner, metres
    northing: float
    size: int
    count: int

    @property
    def centre_lat_lng(self) -> tuple[float, float]:
        """The cell's centre in WGS84."""
        return from_sweref(self.easting + self.size / 2, self.northing + self.size / 2)


def value_cells(
    dialogue_id: int, size: int, *, states: tuple[str, ...] = ("published", "pending")
) -> list[Cell]:
    """Pin counts per value and grid cell of the given size (metres)."""
    col_e = func.floor(Pin.sweref_e / size)
    col_n = func.floor(Pin.sweref_n / size)
    rows = db.session.execute(
        select(Pin.value, col_e, col_n, func.count())
        .where(
            Pin.dialogue_id == dialogue_id,
            Pin.location_kind == "map",
            Pin.moderation_state.in_(states),
        )
        .group_by(Pin.value, col_e, col_n)
    ).all()
    return [Cell(value, e * size, n * size, size, count) for value, e, n, count in rows]
