"""Comments are public records: hidden never deleted, the retention decision, the diarienummer in every
export, and a request for public documents answered as one PDF and one CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import UTC, date, datetime

import openpyxl
import pyogrio
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, AuditEvent, Dialogue, Photo, Pin, Response, Theme, User

from .export_helpers import logged, take_export
from .planner_helpers import login, post

RECEIVED = datetime(2026, 11, 3, 13, 22, tzinfo=UTC)


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def settings(dialogue, **changes) -> dict:
    data = {"title": dialogue.title, "slug": dialogue.slug, "description": "", "languages": ["sv"],
            "moderation": dialogue.moderation, "phase": "2", "show_others_pins": "y",
            "photos_allowed": "y", "opens_on": dialogue.opens_on.isoformat(),
            "closes_on": dialogue.closes_on.isoformat()}
    return {**data, **changes}


def test_the_working_group_records_the_diarienummer_and_retention(client, make):
    dialogue = make.dialogue()
    login(client, make.user(dialogue.municipality))
    url = f"/planering/dialoger/{dialogue.id}"
    refused = post(client, url, settings(dialogue, retention_months="0"))
    assert refused.status_code == 422
    assert "Ange ett antal månader från 1 till 1200" in refused.get_data(as_text=True)
    saved = post(client, url, settings(dialogue, diarienummer=" KS 2026/0412 ", retention_months="24",
                                       retention_decision="Dokumenthanteringsplan KS, punkt 3.4"))
    assert saved.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Dialogue, dialogue.id)
    assert (stored.diarienummer, stored.retention_months, stored.retention_decision) == \
        ("KS 2026/0412", 24, "Dokumenthanteringsplan KS, punkt 3.4")
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "dialogue.settings")).scalar_one()
    assert {"diarienummer", "retention_months", "retention_decision"} <= set(event.detail["changed"])


def test_moderation_hides_a_comment_and_never_deletes_it(client, make):
    dialogue = make.dialogue()
    pin = make.pin(dialogue, text="Kalle på Storgatan 3 är en idiot.")
    login(client, make.user(dialogue.municipality))
    response = post(client, f"/planering/dialoger/{dialogue.id}/moderering/{pin.id}/dolj",
                    {"reason": "Namnger en person"})
    assert response.status_code == 302
    db.session.expire_all()
    kept = db.session.get(Pin, pin.id)
    assert (kept.moderation_state, kept.text, kept.moderation_reason) == \
        ("hidden", "Kalle på Storgatan 3 är en idiot.", "Namnger en person")
    assert "Kalle" not in client.get(f"/d/{dialogue.slug}").get_data(as_text=True)


def _closed_with_answers(make, *, closes_on, retention_months, photos: int = 1):
    dialogue = make.dialogue(status="closed", opens_on=date(2023, 9, 1), closes_on=closes_on,
                             retention_months=retention_months, diarienummer="KS 2023/0100",
                             retention_decision="DHP 3.4")
    for n in range(3):
        pin = make.pin(dialogue, text=f"Synpunkt {n}")
        db.session.add(Answer(response_id=pin.response_id, question_id="trygg_kvall", value=3))
        if n < photos:
            photo = Photo(data=b"\xff\xd8jpeg", width=1, height=1)
            db.session.add(photo)
            db.session.flush()
            db.session.get(Pin, pin.id).photo_id = photo.id
    theme = Theme(dialogue_id=dialogue.id, name="Belysning")
    theme.pins.append(db.session.get(Pin, pin.id))
    db.session.add(theme)
    db.session.commit()
    return dialogue.id


def test_the_purge_deletes_only_what_has_passed_its_retention_and_logs_the_counts(runner, make):
    due = _closed_with_answers(make, closes_on=date(2024, 1, 31), retention_months=12)
    not_yet = _closed_with_answers(make, closes_on=date(2024, 6, 30), retention_months=12, photos=0)
    kept = _closed_with_answers(make, closes_on=date(2024, 1, 31), retention_months=None, photos=0)
    assert count(Pin) == 9

    dry = runner.invoke(args=["records", "purge", "--dry-run", "--today", "2025-02-01"])
    assert dry.exit_code == 0, dry.output
    assert "skulle raderas 3 svar, 3 synpunkter, 3 frågesvar, 1 foton" in dry.output
    assert count(Pin) == 9 and count(AuditEvent, AuditEvent.action == "records.purge") == 0

    done = runner.invoke(args=["records", "purge", "--today", "2025-02-01"])
    assert done.exit_code == 0, done.output
    assert "raderade 3 svar, 3 synpunkter, 3 frågesvar, 1 foton" in done.output
    assert count(Pin, Pin.dialogue_id == due) == 0 and count(Response, Response.dialogue_id == due) == 0
    assert count(Photo) == 0 and count(Answer) == 6
    assert count(Pin, Pin.dialogue_id == not_yet) == 3 and count(Pin, Pin.dialogue_id == kept) == 3
    db.session.expire_all()
    dialogue = db.session.get(Dialogue, due)
    assert dialogue.purged_at is not None and db.session.get(Dialogue, due).title  # the dialogue stays
    assert count(Theme, Theme.dialogue_id == due) == 1  # the working group's coding stays, emptied
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "records.purge")).scalar_one()
    assert event.object_id == due and event.municipality_id == dialogue.municipality_id
    assert {k: event.detail[k] for k in ("responses", "pins", "answers", "photos", "due_on", "decision")} \
        == {"responses": 3, "pins": 3, "answers": 3, "photos": 1, "due_on": "2025-01-31",
            "decision": "DHP 3.4"}
    again = runner.invoke(args=["records", "purge", "--today", "2025-02-01"])
    assert "Inga dialoger att gallra." in again.output


def test_the_diarienummer_is_in_the_report_and_every_export(client, make, tmp_path):
    dialogue = make.dialogue(diarienummer="KS 2026/0412")
    make.pin(dialogue)
    login(client, make.user(dialogue.municipality))
    dialogue_id = dialogue.id

    def take(fmt: str):
        response = take_export(client, dialogue_id, fmt)
        assert response.status_code == 200, (fmt, response.status_code)
        return response

    html = take("report-html").get_data(as_text=True)
    assert "Diarienummer</th><td>KS 2026/0412" in html.replace("\n", "").replace(" <", "<")
    assert "Diarienummer KS 2026/0412" in " ".join(pdf_text(take("report-pdf").data,
                                                             tmp_path).split())
    book = openpyxl.load_workbook(io.BytesIO(take("xlsx").data), read_only=True)
    method = [list(r) for r in book["Metod"].iter_rows(values_only=True)]
    assert ["Diarienummer", "diarienummer", "KS 2026/0412"] in method
    gpkg = tmp_path / "x.gpkg"
    gpkg.write_bytes(take("gpkg").data)
    meta, _, _, fields = pyogrio.raw.read(gpkg, layer="area")
    assert list(fields[list(meta["fields"]).index("diarienummer")]) == ["KS 2026/0412"]
    assert json.loads(take("geojson").data)["diarienummer"] == "KS 2026/0412"
    for fmt in ("csv", "answers-csv"):
        disposition = take(fmt).headers["Content-Disposition"]
        assert 'filename=KS-2026-0412_' in disposition.replace('"', '')


def _requests_world(make):
    dialogue = make.dialogue(title="Torget", diarienummer="KS 2026/0412")
    municipality = dialogue.municipality
    leader = make.user(municipality, "project_leader", display_name="Pia Projektledare")
    moderator = make.user(municipality, "working_group", display_name="Mona Moderator")
    inside = make.pin(dialogue, text="Mörk tunnel, =farlig", created_at=RECEIVED, state="pending")
    hidden = make.pin(dialogue, text="Kalle på Storgatan 3 är en idiot.", created_at=RECEIVED)
    make.pin(dialogue, text="Utanför perioden", created_at=datetime(2026, 10, 1, tzinfo=UTC))
    return dialogue.id, municipality.id, leader, moderator, inside.id, hidden.id


def test_a_request_for_public_documents_gives_every_comment_as_received(app, client, make, tmp_path):
    dialogue_id, municipality_id, leader, moderator, inside_id, hidden_id = _requests_world(make)
    moderating = app.test_client()
    login(moderating, moderator)
    post(moderating, f"/planering/dialoger/{dialogue_id}/moderering/{hidden_id}/dolj",
         {"reason": "Namnger en person"})
    login(client, leader)
    url = f"/planering/kommuner/{municipality_id}/allmanna-handlingar"
    assert "Begäran om allmänna handlingar" in client.get(url).get_data(as_text=True)
    form = {"first": "2026-11-01", "last": "2026-11-30"}

    answer = post(client, url, {**form, "format": "csv"})
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "allmanna-handlingar-" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [r["comment_id"] for r in rows] == [str(inside_id), str(hidden_id)]  # not October's
    assert rows[0]["text"] == "Mörk tunnel, =farlig" and rows[0]["moderation_state"] == "pending"
    assert rows[1]["text"] == "Kalle på Storgatan 3 är en idiot." and rows[1]["moderation_state"] == "hidden"
    assert "hidden Mona Moderator (Namnger en person)" in rows[1]["decisions"]
    assert rows[0]["diarienummer"] == "KS 2026/0412" and rows[0]["received"].startswith("2026-11-03T14:22")

    pdf = post(client, url, {**form, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(pdf_text(pdf.data, tmp_path).split())
    assert "Synpunkter inkomna till" in text and "2 synpunkter" in text
    assert "Kalle på Storgatan 3 är en idiot." in text and "Dold av Mona Moderator: Namnger en person" in text
    assert f"Synpunkt {inside_id}, inkommen 2026-11-03 14:22, Torget (KS 2026/0412)" in text
    assert "Utanför perioden" not in text
    assert [(e.detail["format"], e.detail["comments"]) for e in logged("records.documents")] == [
        ("csv", 2), ("pdf", 2)]


def test_only_the_project_leader_may_and_bad_dates_are_refused(app, client, make):
    dialogue_id, municipality_id, leader, moderator, *_ = _requests_world(make)
    url = f"/planering/kommuner/{municipality_id}/allmanna-handlingar"
    login(client, moderator)
    assert client.get(url).status_code == 403
    outsider = app.test_client()
    login(outsider, make.user(make.municipality(), "project_leader"))
    assert outsider.get(url).status_code == 404
    leader_client = app.test_client()
    login(leader_client, leader)
    before = count(AuditEvent)
    refused = post(leader_client, url, {"first": "2026-11-30", "last": "2026-11-01", "format": "csv"})
    assert refused.status_code == 400
    assert "Den sista dagen måste vara samma dag som eller efter den första." in \
        refused.get_data(as_text=True)
    assert count(AuditEvent) == before and count(User) == 3


def test_a_drawn_route_is_in_the_public_documents_as_received(client, make):
    from shapely import from_wkt

    from .shape_helpers import route_along_a_row

    dialogue_id, municipality_id, leader, _moderator, _inside, _hidden = _requests_world(make)
    dialogue = db.session.get(Dialogue, dialogue_id)
    route = make.drawn(dialogue, route_along_a_row(), text="Min väg hem", created_at=RECEIVED)
    login(client, leader)
    answer = post(client, f"/planering/kommuner/{municipality_id}/allmanna-handlingar",
                  {"first": "2026-11-01", "last": "2026-11-30", "format": "csv"})
    [row] = [r for r in csv.DictReader(io.StringIO(answer.get_data(as_text=True)))
             if r["comment_id"] == str(route.id)]
    label, wkt = row["place"].split(": ", 1)
    assert label == "Sträcka 250 m"
    assert from_wkt(wkt).equals_exact(route_along_a_row(), 1e-7)
