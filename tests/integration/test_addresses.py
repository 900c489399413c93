"""Addresses for the residents' map search: imported from a CSV per municipality, searched on our server."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import select

from app.extensions import db
from app.models import Address, NamedPlace
from app.spatial import WGS84, point, to_sweref

from ..factories import INSIDE


def lantmateriet_csv(tmp_path, rows):
    """A file shaped like Lantmäteriet's open Belägenhetsadress export: semicolons, SWEREF 99 TM."""
    lines = ["Adressomrade;Adressplatsnummer;Bokstavstillagg;Postort;E;N"]
    for street, number, letter, place, (lat, lng) in rows:
        e, n = to_sweref(lat, lng)
        lines.append(f"{street};{number};{letter};{place};{e:.2f};{n:.2f}")
    path = tmp_path / "belagenhetsadress.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_address_file_is_imported_reprojected_and_replaced_on_a_new_import(runner, make, tmp_path):
    kommun = make.municipality("Stockholm", "0180")
    path = lantmateriet_csv(tmp_path, [
        ("Husbygårdsgatan", "12", "", "Kista", INSIDE),
        ("Åkervägen", "3", "B", "Kista", (INSIDE[0] + 0.001, INSIDE[1])),
        ("Trasig", "x", "", "Kista", (0.0, 0.0)),  # outside Sweden: skipped
    ])
    result = runner.invoke(args=["addresses", "import", str(path), "--kommunkod", "0180"])
    assert result.exit_code == 0, result.output
    assert "2 adresser sparade för Stockholm; 1 rad hoppades över (rad 4: platsen ligger utanför Sverige" \
        in result.output
    rows = {a.label: a for a in db.session.execute(select(Address)).scalars()}
    assert set(rows) == {"Husbygårdsgatan 12, Kista", "Åkervägen 3B, Kista"}
    stored = rows["Husbygårdsgatan 12, Kista"]
    assert stored.municipality_id == kommun.id
    assert math.isclose(stored.lat, INSIDE[0], abs_tol=1e-6)
    assert math.isclose(stored.lng, INSIDE[1], abs_tol=1e-6)
    again = lantmateriet_csv(tmp_path, [("Edvard Griegs gång", "5", "", "Kista", INSIDE)])
    assert runner.invoke(args=["addresses", "import", str(again), "--kommunkod", "0180"]).exit_code == 0
    db.session.expire_all()
    assert db.session.execute(select(Address.label)).scalars().all() == ["Edvard Griegs gång 5, Kista"]


def test_a_file_without_coordinates_is_refused_in_swedish_and_stores_nothing(runner, make, tmp_path):
    make.municipality("Stockholm", "0180")
    path = tmp_path / "a.csv"
    path.write_text("gatunamn,nummer\nTorget,1\n", encoding="utf-8")
    result = runner.invoke(args=["addresses", "import", str(path), "--kommunkod", "0180"])
    assert result.exit_code != 0 and "Hittar inga koordinater" in result.output
    assert db.session.execute(select(Address)).first() is None


def test_the_search_finds_places_and_addresses_of_the_dialogues_municipality_only(client, make):
    dialogue = make.dialogue()
    other = make.municipality("Annan kommun", "9999")
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Husby torg", position=1,
                              geom=from_shape(point(*INSIDE), srid=WGS84)))
    db.session.add_all([
        Address(municipality_id=dialogue.municipality_id, label="Husbygårdsgatan 12, Kista",
                search_key="husbygårdsgatan 12, kista", lat=INSIDE[0], lng=INSIDE[1]),
        Address(municipality_id=dialogue.municipality_id, label="Åkervägen 3B, Kista",
                search_key="åkervägen 3b, kista", lat=INSIDE[0], lng=INSIDE[1]),
        Address(municipality_id=other.id, label="Husbyvägen 1, Annanstans",
                search_key="husbyvägen 1, annanstans", lat=INSIDE[0], lng=INSIDE[1]),
    ])
    db.session.commit()

    def labels(q):
        return [r["label"] for r in client.get(f"/d/{dialogue.slug}/sok.json", query_string={"q": q}
                                               ).get_json()["results"]]

    assert labels("husby") == ["Husby torg", "Husbygårdsgatan 12, Kista"]
    assert labels("ÅKERV") == ["Åkervägen 3B, Kista"]  # casefolded beyond ASCII, on both databases
    assert labels("torg") == ["Husby torg"]  # a word of a place's name
    assert labels("h") == [] and labels("100%") == [] and labels("_") == []


FIELDS = ("kommun", "adressområde", "adressplatsnummer", "bokstavstillägg", "postort")


def _write_points(path, layer: str, points, columns: dict, crs: int, driver: str = "GPKG") -> None:
    """A point layer written with pyogrio (GDAL), as a GIS would write it."""
    import numpy as np
    import pyogrio.raw
    import shapely

    pyogrio.raw.write(path, np.array(shapely.to_wkb(points), dtype=object),
                      [np.array(v, dtype=np.int64 if isinstance(v[0], int) else object)
                       for v in columns.values()], list(columns), layer=layer, driver=driver,
                      geometry_type="Point", crs=f"EPSG:{crs}", append=Path(path).exists())


def lantmateriet_gpkg(tmp_path, rows, *, name="belagenhetsadress.gpkg", driver="GPKG", crs=3006,
                      shift=(0.0, 0.0)):
    """A file shaped like Lantmäteriet's Belägenhetsadress Nedladdning, vektor: one point layer in
    SWEREF 99 TM with the address parts as attributes (names with å, ä, ö as in the model)."""
    from app.spatial import transformer

    to_crs = transformer(WGS84, crs)
    points, columns = [], {k: [] for k in FIELDS}
    for street, number, letter, place, (lat, lng) in rows:
        x, y = to_crs.transform(lng, lat)
        points.append(Point(x + shift[0], y + shift[1]))
        for key, value in zip(FIELDS, ("Stockholm", street, number, letter, place), strict=True):
            columns[key].append(value)
    path = tmp_path / name
    _write_points(path, "belagenhetsadress", points, columns, crs, driver)
    return path


@pytest.mark.parametrize(("name", "driver"), [("belagenhetsadress.gpkg", "GPKG"),
                                              ("belagenhetsadress.gml", "GML")])
def test_lantmateriets_delivered_file_is_imported_and_bad_features_are_named_by_number(
        runner, make, tmp_path, name, driver):
    make.municipality("Stockholm", "0180")
    path = lantmateriet_gpkg(tmp_path, [
        ("Husbygårdsgatan", 12, "", "Kista", INSIDE),
        ("Åkervägen", 3, "B", "Kista", (INSIDE[0] + 0.001, INSIDE[1])),
        ("", 7, "", "Kista", INSIDE),  # no street name
        ("Åkervägen", 3, "B", "Kista", (INSIDE[0] + 0.001, INSIDE[1] + 0.00001)),  # a second entrance
    ], name=name, driver=driver)
    result = runner.invoke(args=["addresses", "import", str(path), "--kommunkod", "0180"])
    assert result.exit_code == 0, result.output
    assert "2 adresser sparade för Stockholm; 1 rad hoppades över (objekt 3: gatunamnet saknas)." \
        in result.output
    rows = {a.label: a for a in db.session.execute(select(Address)).scalars()}
    assert set(rows) == {"Husbygårdsgatan 12, Kista", "Åkervägen 3B, Kista"}
    assert math.isclose(rows["Husbygårdsgatan 12, Kista"].lat, INSIDE[0], abs_tol=1e-6)
    assert math.isclose(rows["Husbygårdsgatan 12, Kista"].lng, INSIDE[1], abs_tol=1e-6)


def test_a_file_whose_points_all_lie_outside_sweden_changes_nothing_and_says_where(runner, make, tmp_path):
    make.municipality("Stockholm", "0180")
    good = lantmateriet_gpkg(tmp_path, [("Husbygårdsgatan", 12, "", "Kista", INSIDE)], name="good.gpkg")
    assert runner.invoke(args=["addresses", "import", str(good), "--kommunkod", "0180"]).exit_code == 0
    # SWEREF 99 18 00 numbers written into a file that says SWEREF 99 TM: far out in the sea.
    wrong = lantmateriet_gpkg(tmp_path, [("Åkervägen", n, "", "Kista", INSIDE) for n in range(1, 13)],
                              name="wrong.gpkg", shift=(-2_000_000.0, 0.0))
    result = runner.invoke(args=["addresses", "import", str(wrong), "--kommunkod", "0180"])
    assert result.exit_code != 0
    assert "Inga adresser gick att använda, så inget är ändrat" in result.output
    assert "objekt 1: platsen ligger utanför Sverige (fel koordinatsystem? ange --crs)" in result.output
    assert "och 2 till" in result.output  # the first ten are named, the rest counted
    db.session.expire_all()
    assert db.session.execute(select(Address.label)).scalars().all() == ["Husbygårdsgatan 12, Kista"]


def test_a_file_with_several_point_layers_asks_for_one(runner, make, tmp_path):
    make.municipality("Stockholm", "0180")
    path = tmp_path / "two.gpkg"
    for layer in ("adresser", "entreer"):
        _write_points(path, layer, [Point(670000, 6590000)], {"gatunamn": ["Torget"]}, 3006)
    result = runner.invoke(args=["addresses", "import", str(path), "--kommunkod", "0180"])
    assert result.exit_code != 0 and "flera punktlager; ange ett med --layer" in result.output
    assert "adresser" in result.output and "entreer" in result.output
    chosen = runner.invoke(args=["addresses", "import", str(path), "--kommunkod", "0180",
                                 "--layer", "adresser"])
    assert chosen.exit_code == 0, chosen.output
    assert db.session.execute(select(Address.label)).scalars().all() == ["Torget"]
