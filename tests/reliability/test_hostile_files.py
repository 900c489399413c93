"""Hostile area files: a zip bomb, a 100 MB Shapefile, ten million vertices, a bow tie."""

from __future__ import annotations

import json
import tracemalloc
import zipfile

import numpy as np
import pytest
import shapely
from sqlalchemy import func, select

from app.extensions import db
from app.geodata.importer import AreaImportError, area_from_geojson, read_area
from app.geodata.shapes import MAX_VERTICES
from app.models import DevelopmentArea

CHUNK = b"\0" * (1024 * 1024)


def zip_bomb(path, megabytes: int = 300):
    """A zip whose one .shp unpacks to `megabytes` MB of zeros (a few hundred kB packed)."""
    with (zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
          archive.open("omrade.shp", "w", force_zip64=True) as member):
        for _ in range(megabytes):
            member.write(CHUNK)
    return path


def hundred_mb_shapefile(directory):
    """A 100 MB .shp (sparse on disk, so quick to make) with its sidecars."""
    shp = directory / "stort.shp"
    with shp.open("wb") as f:
        f.truncate(100 * 1024 * 1024)
    for sidecar in ("shx", "dbf"):
        (directory / f"stort.{sidecar}").write_bytes(b"\0" * 100)
    return shp


def polygon_text(vertices: int) -> str:
    """A GeoJSON Polygon with this many vertices, made as text without building lists."""
    return '{"type":"Polygon","coordinates":[[' + "[17.9,59.4]," * (vertices - 1) + "[17.9,59.4]]]}"


def test_a_zip_bomb_is_refused(tmp_path):
    with pytest.raises(AreaImportError) as refused:
        read_area(zip_bomb(tmp_path / "omrade.zip"))
    assert refused.value.code == "zip_bomb"
    assert "zip-bomb" in str(refused.value) or "packas upp" in str(refused.value)


def test_a_100_mb_shapefile_is_refused_by_size(tmp_path):
    with pytest.raises(AreaImportError) as refused:
        read_area(hundred_mb_shapefile(tmp_path))
    assert refused.value.code == "too_large"
    assert "gränsen är 50 MB" in str(refused.value)


def test_the_cli_refuses_a_zip_bomb_and_a_huge_shapefile_and_stores_nothing(runner, make, tmp_path):
    make.municipality(kommunkod="0180", name="Stockholm")
    for path, words in ((zip_bomb(tmp_path / "bomb.zip", 250), "Zip-filen avvisades"),
                        (hundred_mb_shapefile(tmp_path), "gränsen är 50 MB")):
        result = runner.invoke(args=["area", "import", str(path), "--kommunkod", "0180", "--name", "X"])
        assert result.exit_code == 1
        assert words in result.output
        assert "Traceback" not in result.output
    db.session.remove()
    assert db.session.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one() == 0


def test_ten_million_vertices_are_refused_before_parsing():
    text = polygon_text(10_000_000)  # 120 MB of text
    tracemalloc.start()
    with pytest.raises(AreaImportError) as refused:
        area_from_geojson(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refused.value.code == "too_large"
    assert peak < 10 * 1024 * 1024  # no copy, no parse


def test_millions_of_vertices_under_the_byte_limit_are_refused_without_parsing():
    text = ('{"type":"Polygon","coordinates":[[' + "[1,1]," * 3_999_999 + "[1,1]]]}").encode()  # 24 MB
    assert len(text) < 50 * 1024 * 1024
    tracemalloc.start()
    with pytest.raises(AreaImportError) as refused:
        area_from_geojson(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refused.value.code == "too_many_vertices"
    assert "fler än 200" in str(refused.value)
    # json.loads of this text would hold four million lists (hundreds of MB) first.
    assert peak < 10 * 1024 * 1024


def test_a_self_intersecting_drawing_is_refused_with_its_location():
    bow_tie = {"type": "Polygon", "coordinates": [[[17.90, 59.40], [17.95, 59.42], [17.95, 59.40],
                                                   [17.90, 59.42], [17.90, 59.40]]]}
    with pytest.raises(AreaImportError) as refused:
        area_from_geojson(json.dumps(bow_tie))
    assert refused.value.code == "invalid_geometry"
    assert "vid lat 59.41" in str(refused.value)


def test_a_drawing_just_under_the_vertex_limit_is_still_accepted():
    angles = np.linspace(0, 2 * np.pi, 188_000, endpoint=False)
    lng, lat = 17.9259 + 0.01 * np.cos(angles), 59.4108 + 0.005 * np.sin(angles)
    circle = shapely.Polygon(np.column_stack([lng, lat]))
    assert 180_000 < shapely.get_num_coordinates(circle) < MAX_VERTICES
    area = area_from_geojson(shapely.to_geojson(circle))
    assert area.geometry.is_valid
    assert area.area_km2 > 0
