"""The working group's tools end to end: areas, places, dialogues, moderation, coding, feedback."""

import io
import json
import re
import zipfile

from geoalchemy2.shape import to_shape
from shapely import from_geojson
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DevelopmentArea, Dialogue, Feedback, NamedPlace, Pin

from ..factories import INSIDE, OUTSIDE, husby_polygon, square
from .planner_helpers import login, post


def zipped_shapefile(folder, stem):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.glob(f"{stem}.*"):
            archive.write(path, path.name)
    buffer.seek(0)
    return buffer


def test_an_area_uploaded_as_a_zipped_shapefile_is_stored_in_wgs84_with_its_km2(
        client, make, realdata):
    municipality = make.municipality("Stockholm", "0180")
    login(client, make.user(municipality))
    folder = realdata / "stockholm-stadsdelar" / "shapefile-simplified"
    stem = next(folder.glob("*.shp")).stem
    response = post(client, "/planering/omraden/nytt", {
        "name": "Husby", "municipality_id": municipality.id,
        "upload": (zipped_shapefile(folder, stem), "stadsdelar.zip"),
    }, content_type="multipart/form-data", headers={"Accept-Language": "sv"})
    # 117 districts: the form asks which one, from a list, and keeps the file.
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Filen innehåller 117 objekt. Välj det som är området i listan" in page
    assert '<option value="name=HUSBY">HUSBY</option>' in page
    assert "--where" not in page
    token = re.search(r'name="upload_token" type="hidden" value="([^"]+)"', page).group(1)
    preview = post(client, "/planering/omraden/nytt", {
        "name": "Husby", "municipality_id": municipality.id, "upload_token": token,
        "feature": "name=HUSBY", "action": "preview"}, headers={"Accept-Language": "sv"})
    shown = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Kontrollera området innan du sparar" in shown
    assert re.search(r"data-municipality>Stockholm<", shown)
    assert re.search(r"data-km2>\d,\d\d km²<", shown)
    assert db.session.execute(select(DevelopmentArea)).first() is None  # a preview stores nothing
    response = post(client, "/planering/omraden/nytt", {
        "name": "Husby", "municipality_id": municipality.id, "upload_token": token,
        "feature": "name=HUSBY", "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)
    area = db.session.execute(select(DevelopmentArea)).scalar_one()
    assert area.name == "Husby" and area.source == "stadsdelar.zip"
    assert to_shape(area.geom).contains(to_shape(area.geom).representative_point())
    assert 1.0 < area.area_km2 < 5.0  # Husby is about 3 km²
    listing = client.get("/planering/omraden", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Husby" in listing and f"{area.area_km2:.2f}".replace(".", ",") in listing


def test_a_bad_upload_says_why_on_the_form_and_stores_nothing(client, make, realdata):
    municipality = make.municipality()
    login(client, make.user(municipality))
    folder = realdata / "stockholm-stadsdelar" / "shapefile-simplified"
    stem = next(folder.glob("*.shp")).stem
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # no .prj: the CRS is unknown
        for path in folder.glob(f"{stem}.*"):
            if path.suffix != ".prj":
                archive.write(path, path.name)
    buffer.seek(0)
    response = post(client, "/planering/omraden/nytt", {
        "name": "Husby", "municipality_id": municipality.id, "feature": "name=HUSBY",
        "upload": (buffer, "noprj.zip"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Filen anger inte vilket koordinatsystem den använder" in response.get_data(as_text=True)
    assert db.session.execute(select(DevelopmentArea)).first() is None


def test_a_drawn_area_is_stored_as_drawn(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    drawn = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": json.loads(json.dumps(square(*INSIDE, 0.005).__geo_interface__))}]}
    response = post(client, "/planering/omraden/nytt", {
        "name": "Ritad", "municipality_id": municipality.id, "geojson": json.dumps(drawn)})
    assert response.status_code == 302
    area = db.session.execute(select(DevelopmentArea)).scalar_one()
    assert to_shape(area.geom).equals(square(*INSIDE, 0.005)) and area.source == "drawn"


def test_a_self_crossing_drawing_is_refused_with_a_message(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    bowtie = {"type": "Polygon", "coordinates": [[[17.92, 59.41], [17.93, 59.42], [17.93, 59.41],
                                                  [17.92, 59.42], [17.92, 59.41]]]}
    response = post(client, "/planering/omraden/nytt", {
        "name": "Fel", "municipality_id": municipality.id, "geojson": json.dumps(bowtie)})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert db.session.execute(select(DevelopmentArea)).first() is None


def test_named_places_inside_are_added_in_order_and_outside_refused(client, make):
    area = make.area()
    login(client, make.user(area.municipality))
    url = f"/planering/omraden/{area.id}/platser"
    for name, lat in (("Husby centrum", INSIDE[0]), ("Husbyparken", INSIDE[0] + 0.001)):
        assert post(client, url, {"name": name, "lat": lat, "lng": INSIDE[1]}).status_code == 302
    refused = post(client, url + "", {"name": "Utanför", "lat": OUTSIDE[0], "lng": OUTSIDE[1]})
    assert refused.status_code == 422
    assert "Platsen ligger utanför området" in refused.get_data(as_text=True)
    places = db.session.execute(select(NamedPlace).order_by(NamedPlace.position)).scalars().all()
    assert [p.name for p in places] == ["Husby centrum", "Husbyparken"]
    post(client, f"{url}/{places[1].id}/flytta", {"direction": "up"})
    post(client, f"{url}/{places[1].id}/ta-bort")
    db.session.expire_all()
    assert [p.name for p in db.session.execute(select(NamedPlace)).scalars()] == ["Husby centrum"]


def test_a_dialogue_is_created_from_a_survey_file_and_gets_a_qr_code(client, make):
    area = make.area()
    login(client, make.user(area.municipality))
    response = post(client, "/planering/dialoger/ny", {
        "survey": "trygghet-rattvisa-utveckling.yaml", "area_id": area.id,
        "title": "Husby 2026", "slug": "husby-2026"})
    assert response.status_code == 302
    dialogue = db.session.execute(select(Dialogue)).scalar_one()
    assert (dialogue.status, dialogue.slug) == ("draft", "husby-2026")
    assert dialogue.languages == ["sv", "en", "sv-lattlast"]
    assert dialogue.survey_version.source_name == "trygghet-rattvisa-utveckling.yaml"
    svg = client.get(f"/planering/dialoger/{dialogue.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"/planering/dialoger/{dialogue.id}/qr.png")
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    poster = client.get(f"/planering/dialoger/{dialogue.id}/affisch").get_data(as_text=True)
    assert "/d/husby-2026" in poster
    preview = client.get(f"/planering/dialoger/{dialogue.id}/forhandsvisning")
    assert preview.status_code == 200 and "Husby 2026" in preview.get_data(as_text=True)
    assert client.get("/d/husby-2026").status_code == 404  # residents do not see drafts


def test_settings_are_saved_and_a_taken_slug_is_refused(client, make):
    dialogue = make.dialogue(status="draft")
    other = make.dialogue()
    login(client, make.user(dialogue.municipality))
    url = f"/planering/dialoger/{dialogue.id}"
    data = {"title": "Ny titel", "slug": other.slug, "description": "Om Husby",
            "languages": ["sv", "en"], "moderation": "pre", "phase": "3",
            "opens_on": "2026-12-01", "closes_on": "2026-12-31"}
    refused = post(client, url + "", data)
    assert refused.status_code == 422 and "använder redan den här adressen" in refused.get_data(as_text=True)
    assert post(client, url, {**data, "slug": "ny-adress"}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Dialogue, dialogue.id)
    assert (stored.title, stored.slug, stored.moderation, stored.phase, stored.languages,
            stored.show_others_pins) == ("Ny titel", "ny-adress", "pre", 3, ["sv", "en"], False)


def submit(client, dialogue, text):
    """A resident's comment through the plain form; the redirect to the receipt."""
    from ..plain_form import PlainForm

    form = PlainForm.open(client, dialogue.slug).click_map("karta_trygghet")
    return form.set(**{"pin-karta_trygghet-0-sentiment": "negative", "pin-karta_trygghet-0-comment": text,
                       "samtycke": "true"}).send().response


def test_flags_are_set_at_submission_and_moderation_is_audited(app, make):
    dialogue = make.dialogue(moderation="pre")
    resident = app.test_client()
    texts = ["Ring mig på 070-123 45 67, jag bor vid torget.",
             "Mitt personnummer är 811218-9876.",
             "Det är mörkt vid tunneln, 811218-9875 står klottrat där.",
             "Mejla anna.svensson@exempel.se",
             "Vilka jävla idioter som ritade den här trappan"]
    for text in texts:
        assert submit(resident, dialogue, text).status_code == 302
    pins = {p.text: p for p in db.session.execute(select(Pin)).scalars()}
    assert [pins[t].flags for t in texts] == [["phone"], ["personnummer"], [], ["email"], ["offensive"]]
    assert {p.moderation_state for p in pins.values()} == {"pending"}

    planner = app.test_client()
    user = make.user(dialogue.municipality)
    login(planner, user)
    queue = planner.get(f"/planering/dialoger/{dialogue.id}/moderering?flagged=1")
    html = queue.get_data(as_text=True)
    assert html.count('data-flag="') == 4 and "Personnummer" in html
    phone = pins[texts[0]]
    assert post(planner, f"/planering/dialoger/{dialogue.id}/moderering/{phone.id}/dolj",
                {"reason": "Telefonnummer"}).status_code == 302
    dark = pins[texts[2]]
    post(planner, f"/planering/dialoger/{dialogue.id}/moderering/{dark.id}/publicera")
    db.session.expire_all()
    assert (db.session.get(Pin, phone.id).moderation_state,
            db.session.get(Pin, phone.id).moderation_reason) == ("hidden", "Telefonnummer")
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action.like("pin.%"))
                                .order_by(AuditEvent.id)).scalars().all()
    assert [(e.action, e.object_id, e.user_id) for e in events] == [
        ("pin.hide", phone.id, user.id), ("pin.publish", dark.id, user.id)]
    assert events[0].detail["reason"] == "Telefonnummer"
    queue = planner.get(f"/planering/dialoger/{dialogue.id}/moderering").get_data(as_text=True)
    states = [s for s in __import__("re").findall(r'data-state="(\w+)"', queue)]
    assert states[:3] == ["pending"] * 3 and sorted(states[3:]) == ["hidden", "published"]


def test_bulk_tagging_and_feedback_on_the_closed_dialogues_public_page(client, make):
    dialogue = make.dialogue()
    lamp = make.pin(dialogue, text="Belysningen vid tunneln är trasig.")
    path = make.pin(dialogue, text="Gångvägen är mörk.")
    hidden = make.pin(dialogue, text="Dold kommentar", state="hidden")
    login(client, make.user(dialogue.municipality, "project_leader"))
    base = f"/planering/dialoger/{dialogue.id}"
    post(client, f"{base}/teman", {"name": "Belysning"})
    theme_id = db.session.execute(select(__import__("app").models.Theme.id)).scalar_one()
    post(client, f"{base}/teman/tagga", {"theme_id": theme_id, "pin_ids": [lamp.id, path.id],
                                         "action": "add"})
    db.session.expire_all()
    assert {t.name for t in db.session.get(Pin, lamp.id).themes} == {"Belysning"}
    assert {t.name for t in db.session.get(Pin, path.id).themes} == {"Belysning"}
    post(client, f"{base}/aterkoppling", {"fb-target": f"theme:{theme_id}", "fb-published": "y",
                                          "fb-text": "Vi byter all belysning vid tunneln 2027."})
    post(client, f"{base}/aterkoppling", {"fb-target": f"pin:{hidden.id}", "fb-published": "y",
                                          "fb-text": "Svar på en dold kommentar"})
    post(client, f"{base}/aterkoppling", {"fb-target": "overall",
                                          "fb-text": "Ett utkast som inte publiceras"})
    post(client, f"{base}/utfall", {"outcome-outcome_summary": "Vi hörde att det är mörkt."})
    assert db.session.execute(select(Feedback)).scalars().all().__len__() == 2  # hidden pin: 404
    public = client.get(f"/d/{dialogue.slug}").get_data(as_text=True)
    # Published answers are shown while the dialogue runs; the summary only once it is closed.
    assert "Vi byter all belysning vid tunneln 2027." in public
    assert "Vi hörde att det är mörkt." not in public
    post(client, f"{base}/status", {"target": "closed", "confirm": "1"})
    public = client.get(f"/d/{dialogue.slug}").get_data(as_text=True)
    assert "Vi hörde att det är mörkt." in public
    assert "Vi byter all belysning vid tunneln 2027." in public and "Belysning" in public
    assert "Ett utkast som inte publiceras" not in public and "Dold kommentar" not in public


def test_the_steering_group_reads_but_cannot_change_anything(client, make):
    dialogue = make.dialogue(status="draft")
    pin = make.pin(dialogue)
    login(client, make.user(dialogue.municipality, "steering_group"))
    base = f"/planering/dialoger/{dialogue.id}"
    assert client.get(base).status_code == 200
    assert client.get(f"/planering/omraden/{dialogue.area_id}/platser").status_code == 200
    for url, data in [
        (f"{base}/status", {"target": "open"}),
        (base, {"title": "x", "slug": "x", "languages": ["sv"], "moderation": "post", "phase": "2"}),
        (f"{base}/moderering/{pin.id}/dolj", {"reason": "x"}),
        (f"{base}/moderering/{pin.id}/publicera", {}),
        (f"{base}/teman", {"name": "x"}),
        (f"{base}/aterkoppling", {"fb-target": "overall", "fb-text": "x"}),
        (f"{base}/utfall", {"outcome-outcome_summary": "x"}),
        (f"/planering/omraden/{dialogue.area_id}/redigera", {"name": "x"}),
        (f"/planering/omraden/{dialogue.area_id}/platser", {"name": "x", "lat": INSIDE[0],
                                                            "lng": INSIDE[1]}),
        ("/planering/omraden/nytt", {"name": "x"}),
        ("/planering/dialoger/ny", {}),
    ]:
        assert post(client, url, data).status_code == 403, url
    assert client.get(f"{base}/moderering").status_code == 403  # raw comments: not for them
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue.id).status == "draft"
    assert db.session.execute(select(AuditEvent)).first() is None


def test_another_municipalitys_area_and_pins_answer_404(client, make):
    theirs = make.dialogue()
    pin = make.pin(theirs)
    mine = make.dialogue(area=make.area(geometry=husby_polygon()))
    login(client, make.user(mine.municipality))
    assert client.get(f"/planering/omraden/{theirs.area_id}/platser").status_code == 404
    assert post(client, f"/planering/dialoger/{mine.id}/moderering/{pin.id}/dolj",
                {"reason": "x"}).status_code == 404
    post(client, f"/planering/dialoger/{mine.id}/teman", {"name": "T"})
    theme_id = db.session.execute(select(__import__("app").models.Theme.id)).scalar_one()
    assert post(client, f"/planering/dialoger/{mine.id}/teman/tagga",
                {"theme_id": theme_id, "pin_ids": [pin.id]}).status_code == 404
    assert from_geojson  # imported for geometry checks above
