"""Which named places a map labels: the shown area's own, never another area's lying inside it."""

from __future__ import annotations

from app.extensions import db
from app.models import NamedPlace
from app.spatial import point

from ..factories import INSIDE, husby_polygon


def _place(area_id: int, name: str, lat: float, lng: float) -> None:
    db.session.add(NamedPlace(area_id=area_id, name=name, position=0,
                              geom=f"SRID=4326;{point(lat, lng).wkt}"))


def test_a_map_labels_its_own_areas_places_only(client, make):
    dialogue = make.dialogue()
    other = make.area(make.municipality(), geometry=husby_polygon().buffer(-0.002), name="Utkast")
    _place(dialogue.area_id, "Husby centrum", *INSIDE)
    _place(other.id, "Hemligt utkast", INSIDE[0] + 0.001, INSIDE[1])  # inside the dialogue's area too
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Utan punkt", position=2))
    db.session.commit()
    for path in (f"/d/{dialogue.slug}", f"/d/{dialogue.slug}/svara"):
        page = client.get(path + "?lang=sv").get_data(as_text=True)
        labels = page.split("PlatsdialogPlaceLabels.add(", 1)[1].split(");", 1)[0]
        assert "Husby centrum" in labels
        assert "Hemligt utkast" not in page and "Utan punkt" not in labels


def test_a_name_cannot_close_the_script_it_is_written_into(client, make):
    dialogue = make.dialogue()
    _place(dialogue.area_id, "</script><script>alert(1)</script>", *INSIDE)
    db.session.commit()
    page = client.get(f"/d/{dialogue.slug}?lang=sv").get_data(as_text=True)
    assert "</script><script>alert(1)" not in page
    assert "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>" in page
