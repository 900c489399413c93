"""Real Stockholm district files moved abroad or mislabelled, as a planner's mistakes would make them.

Each helper writes a Shapefile (with its .prj) into a folder and returns the .shp path; the
district is one of Stockholm's real ones (shared/realdata, CC0), in SWEREF 99 18 00 (EPSG:3011).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pyproj
import shapely

STADSDELAR = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "stockholm-stadsdelar"
SIMPLIFIED = STADSDELAR / "shapefile-simplified" / "stadsdelar.shp"
# Where a district is moved to: the centre of Oslo and of Copenhagen (lng, lat).
OSLO = (10.7522, 59.9139)
COPENHAGEN = (12.5683, 55.6761)


def _transform(geometry, source, target):
    project = pyproj.Transformer.from_crs(source, target, always_xy=True).transform
    return shapely.transform(geometry, lambda c: np.column_stack(project(c[:, 0], c[:, 1])))


def moved_district(folder: Path, to: tuple[float, float], name: str = "HUSBY") -> Path:
    """The district moved (in WGS84, so its shape is kept) so its centre lies at `to`."""
    meta, _index, geometries, fields = pyogrio.raw.read(SIMPLIFIED)
    names = list(fields[meta["fields"].tolist().index("name")])
    geometry = shapely.from_wkb(geometries[names.index(name)])
    wgs84 = _transform(geometry, "EPSG:3011", "EPSG:4326")
    centre = wgs84.centroid
    moved = shapely.affinity.translate(wgs84, to[0] - centre.x, to[1] - centre.y)
    back = _transform(moved, "EPSG:4326", "EPSG:3011")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "stadsdel.shp"
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array([back], dtype=object)),
                      [np.array([name], dtype=object)], ["name"], geometry_type="Polygon",
                      crs="EPSG:3011")
    shutil.copy(SIMPLIFIED.with_suffix(".prj"), path.with_suffix(".prj"))  # the real ESRI WKT
    return path


def mislabelled_districts(folder: Path, epsg: int = 3010) -> Path:
    """All 117 districts as they are, but the .prj says another SWEREF 99 zone."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in SIMPLIFIED.parent.glob("stadsdelar.*"):
        shutil.copy(part, folder / part.name)
    prj = folder / "stadsdelar.prj"
    prj.write_text(pyproj.CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
    return folder / "stadsdelar.shp"


def zipped(shp: Path) -> io.BytesIO:
    """The Shapefile and its sidecars in a zip, as a planner uploads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in shp.parent.glob(f"{shp.stem}.*"):
            archive.write(part, part.name)
    buffer.seek(0)
    return buffer
