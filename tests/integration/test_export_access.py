"""Who may take what: raw data for the working group and project leader, the report for the
steering group, nothing of another municipality by any path; every export in the audit log."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from app.api.tokens import create_token
from app.extensions import db
from app.models.types import utcnow

from ..conftest import csrf_from
from .export_data import rich_dialogue
from .export_helpers import logged, take_api_export, take_export


def login(client, user, password="rätt-lösenord-123"):
    page = client.get("/konto/logga-in").get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]


def token_for(municipality) -> str:
    plain, _ = create_token(municipality, "QGIS")
    db.session.commit()
    return plain


def test_the_working_group_downloads_raw_data_and_the_export_is_logged(client, make):
    dialogue, pins, _ = rich_dialogue(make)
    user = make.user(dialogue.municipality, "working_group")
    login(client, user)
    response = take_export(client, dialogue.id, "csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == len(pins)
    [event] = logged("export")
    assert event.user_id == user.id and event.municipality_id == dialogue.municipality_id
    assert event.detail["format"] == "csv" and event.detail["rows"] == len(pins)
    assert event.detail["via"] == "ui" and event.created_at is not None


def test_the_geopackage_download_through_the_page_is_a_valid_file(client, make, tmp_path):
    import pyogrio

    dialogue, pins, _ = rich_dialogue(make)
    login(client, make.user(dialogue.municipality, "project_leader"))
    response = take_export(client, dialogue.id, "gpkg", crs="3010")
    assert response.status_code == 200
    path = tmp_path / "dl.gpkg"
    path.write_bytes(response.get_data())
    response.close()
    info = pyogrio.read_info(path, layer="pins")
    assert info["crs"] == "EPSG:3010" and info["features"] == len(pins)


def test_the_steering_group_gets_the_report_but_no_raw_data(client, make):
    dialogue, _, _ = rich_dialogue(make)
    login(client, make.user(dialogue.municipality, "steering_group"))
    page = client.get(f"/planering/dialoger/{dialogue.id}/export/").get_data(as_text=True)
    assert "export/report-pdf" in page and "export/csv" not in page and "export/gpkg" not in page
    for fmt in ("csv", "answers-csv", "geojson", "gpkg", "xlsx"):
        assert take_export(client, dialogue.id, fmt).status_code == 403
        assert take_api_export(client, dialogue.id, fmt).status_code == 403
    report = take_export(client, dialogue.id, "report-html")
    assert report.status_code == 200 and "Underlag inför samråd" in report.get_data(as_text=True)
    assert [e.detail["format"] for e in logged("export")] == ["report-html"]


def test_without_a_login_the_page_redirects_and_the_api_answers_401(client, make):
    dialogue, _, _ = rich_dialogue(make)
    assert take_export(client, dialogue.id, "csv").status_code == 302
    response = take_api_export(client, dialogue.id, "csv")
    assert response.status_code == 401 and response.json["error"]["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert logged("export") == []


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "report-pdf"])
def test_another_municipalitys_planner_gets_404_on_the_page_and_the_api(client, make, fmt):
    dialogue, _, _ = rich_dialogue(make)
    login(client, make.user(make.municipality(), "project_leader"))
    assert client.get(f"/planering/dialoger/{dialogue.id}/export/").status_code == 404
    assert take_export(client, dialogue.id, fmt).status_code == 404
    assert take_api_export(client, dialogue.id, fmt).status_code == 404
    assert logged("export") == []


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "report-pdf"])
def test_another_municipalitys_token_gets_404(client, make, fmt):
    dialogue, _, _ = rich_dialogue(make)
    other_token = token_for(make.municipality())
    response = take_api_export(client, dialogue.id, fmt,
                          headers={"Authorization": f"Bearer {other_token}"})
    assert response.status_code == 404 and response.json["error"]["status"] == 404
    assert logged("export") == []


def test_a_foreign_token_beats_a_right_session(client, make):
    """A token is never combined with a session: a planner with another municipality's token is refused."""
    dialogue, _, _ = rich_dialogue(make)
    other_token = token_for(make.municipality())
    login(client, make.user(dialogue.municipality, "project_leader"))
    response = take_api_export(client, dialogue.id, "csv",
                          headers={"Authorization": f"Bearer {other_token}"})
    assert response.status_code == 404
    assert take_api_export(client, dialogue.id, "csv").status_code == 200


def test_a_municipality_token_exports_its_own_dialogue_and_is_logged(client, make):
    dialogue, pins, _ = rich_dialogue(make)
    token = token_for(dialogue.municipality)
    response = take_api_export(client, dialogue.id, "geojson",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and len(response.json["features"]) == len(pins)
    [event] = logged("export")
    assert event.user_id is None and event.detail["via"] == "api-token"
    assert event.detail["api_token_id"] is not None and event.detail["rows"] == len(pins)


def test_a_revoked_or_unknown_token_is_refused(client, make):
    dialogue, _, _ = rich_dialogue(make)
    plain, token = create_token(dialogue.municipality, "old")
    token.revoked_at = utcnow()
    db.session.commit()
    for header in (f"Bearer {plain}", "Bearer pd_not-a-token", "Basic abc"):
        response = take_api_export(client, dialogue.id, "csv",
                              headers={"Authorization": header})
        assert response.status_code == 401
    assert logged("export") == []


def test_a_wrong_crs_is_refused_in_the_users_language(client, make):
    dialogue, _, _ = rich_dialogue(make)
    login(client, make.user(dialogue.municipality, "working_group"))
    response = take_export(client, dialogue.id, "geojson", crs="3006",
                          headers={"Accept-Language": "sv"})
    assert response.status_code == 400
    assert "kan inte skrivas i EPSG:3006" in response.get_data(as_text=True)
    assert take_export(client, dialogue.id, "gpkg", crs="900913").status_code == 400
    assert logged("export") == []


def test_the_cli_exports_and_creates_tokens(runner, make, tmp_path):
    dialogue, pins, _ = rich_dialogue(make)
    out = tmp_path / "pins.csv"
    result = runner.invoke(args=["export", dialogue.slug, "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))) == len(pins)
    gpkg = tmp_path / "pins.gpkg"
    result = runner.invoke(args=["export", str(dialogue.id), "--format", "gpkg", "--crs", "3011",
                                 "--output", str(gpkg), "--include-hidden"])
    assert result.exit_code == 0 and gpkg.exists()
    refused = runner.invoke(args=["export", str(dialogue.id), "--format", "csv", "--crs", "3011",
                                  "--output", str(tmp_path / "x.csv")])
    assert refused.exit_code != 0 and "WGS84 och SWEREF 99 TM" in refused.output
    photos = runner.invoke(args=["export", str(dialogue.id), "--format", "answers-csv", "--photos",
                                 "--output", str(tmp_path / "p.csv")])
    assert photos.exit_code != 0 and "Foton kan exporteras med kommentarerna" in photos.output
    zipped = tmp_path / "pins.zip"
    result = runner.invoke(args=["export", str(dialogue.id), "--format", "gpkg", "--photos",
                                 "--output", str(zipped)])
    assert result.exit_code == 0 and zipfile.is_zipfile(zipped)
    assert [e.detail["via"] for e in logged("export")] == ["cli", "cli", "cli"]
    created = runner.invoke(args=["api-token", "create", "--kommunkod",
                                  dialogue.municipality.kommunkod, "--name", "QGIS"])
    assert created.exit_code == 0
    plain = created.output.strip().splitlines()[-1]
    assert plain.startswith("pd_") and plain not in {t.token_hash for t in _tokens()}


def _tokens():
    from app.models import ApiToken

    return db.session.execute(select(ApiToken)).scalars().all()
