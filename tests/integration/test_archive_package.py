"""The archive package of a closed dialogue: an E-ARK SIP that eark-validator accepts, with every file."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from xml.etree import ElementTree

import pyogrio
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Dialogue, ExportJob

from ..eark import problems
from .export_helpers import take_export
from .planner_helpers import login, post

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"


def closed_dialogue_with_comments(client, make):
    dialogue = make.dialogue(title="Torget i Husby", diarienummer="KS 2026/0412", retention_months=24,
                             retention_decision="DHP 3.4")
    make.pin(dialogue, text="Mörk tunnel vid torget.")
    hidden = make.pin(dialogue, text="Kalle på Storgatan 3.")
    login(client, make.user(dialogue.municipality, "project_leader"))
    post(client, f"/planering/dialoger/{dialogue.id}/moderering/{hidden.id}/dolj", {"reason": "Namn"})
    post(client, f"/planering/dialoger/{dialogue.id}/status", {"target": "closed", "confirm": "1"})
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue.id).status == "closed"
    return dialogue.id


def test_a_closed_dialogue_becomes_a_valid_sip_with_every_file(client, make, runner, tmp_path):
    dialogue_id = closed_dialogue_with_comments(client, make)
    result = runner.invoke(args=["records", "archive", "--dialogue", str(dialogue_id),
                                 "--output", str(tmp_path / "husby-sip.zip")])
    assert result.exit_code == 0, result.output
    package = tmp_path / "husby-sip.zip"
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        root = names[0].split("/")[0]
        assert root.startswith("platsdialog-") and all(n.startswith(root + "/") for n in names)
        archive.extractall(tmp_path / "x")
    sip = tmp_path / "x" / root
    # Every CSIP and SIP rule holds but SIP14, which eark-validator 1.1.3 cannot let any package pass:
    # it asks the software agent's note for an unprefixed NOTETYPE attribute that the METS schema it
    # also checks forbids (adding one fails XML-1), beside CSIP16's csip:NOTETYPE="SOFTWARE VERSION".
    assert [p.split(" ")[0] for p in problems(sip)] == ["SIP14"]
    data = sip / "representations" / "rep1" / "data"
    assert sorted(p.name for p in data.iterdir()) == [
        "answers.csv", "audit-log.csv", "comments.csv", "dialogue.gpkg", "report.html", "report.pdf",
        "survey.json"]
    comments = list(csv.DictReader(io.StringIO((data / "comments.csv").read_text())))
    assert sorted(r["text"] for r in comments) == ["Kalle på Storgatan 3.", "Mörk tunnel vid torget."]
    assert pyogrio.read_info(data / "dialogue.gpkg", layer="pins")["features"] == 2
    report = subprocess.run(["pdftotext", str(data / "report.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert "Diarienummer KS 2026/0412" in " ".join(report.split())
    assert json.loads((data / "survey.json").read_text())["id"]
    audit = list(csv.DictReader(io.StringIO((data / "audit-log.csv").read_text())))
    assert {"pin.hide", "dialogue.close"} <= {row["action"] for row in audit}
    dc = (sip / "metadata" / "descriptive" / "dc.xml").read_text()
    assert "<dc:identifier>KS 2026/0412</dc:identifier>" in dc and "<dc:rights>DHP 3.4</dc:rights>" in dc
    premis = (sip / "metadata" / "preservation" / "premis.xml").read_text()
    assert premis.count("<messageDigestAlgorithm>SHA-256</messageDigestAlgorithm>") == 7

    mets = ElementTree.parse(sip / "METS.xml").getroot()
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    agents = {a.get("ROLE"): a.find(f"{METS}name").text for a in mets.iter(f"{METS}agent")}
    assert agents["ARCHIVIST"] == db.session.get(Dialogue, dialogue_id).municipality.name
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "records.archive")).scalar_one()
    assert event.object_id == dialogue_id


def test_an_open_dialogue_is_not_archived(make, runner, tmp_path):
    dialogue = make.dialogue(status="open")
    result = runner.invoke(args=["records", "archive", "--dialogue", str(dialogue.id),
                                 "--output", str(tmp_path / "x.zip")])
    assert result.exit_code != 0 and "stängd eller arkiverad" in result.output
    assert not (tmp_path / "x.zip").exists()


def test_the_planner_makes_the_package_on_the_export_page_as_a_job(client, make, tmp_path):
    """The export page's button queues it (run at once in the tests' immediate mode), the job page
    offers the ZIP, and the download is what the audit log records, as for every export."""
    dialogue_id = closed_dialogue_with_comments(client, make)
    page = client.get(f"/planering/dialoger/{dialogue_id}/export/").get_data(as_text=True)
    assert "Arkivpaket (E-ARK SIP som ZIP-fil)" in page
    response = take_export(client, dialogue_id, "archive")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    package = tmp_path / "sip.zip"
    package.write_bytes(response.get_data())
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        comments = archive.read(next(n for n in names if n.endswith("data/comments.csv"))).decode("utf-8-sig")
    root = names[0].split("/")[0]
    assert f"{root}/METS.xml" in names and f"{root}/representations/rep1/data/dialogue.gpkg" in names
    # Public records: the hidden comment is in the package too, flagged.
    assert "Kalle på Storgatan 3." in comments and "Mörk tunnel vid torget." in comments
    [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalars()
    assert event.detail["format"] == "archive" and event.object_id == dialogue_id


def test_an_open_dialogue_gets_no_archive_button_and_a_clear_refusal(client, make):
    dialogue = make.dialogue(status="open")
    login(client, make.user(dialogue.municipality, "project_leader"))
    page = client.get(f"/planering/dialoger/{dialogue.id}/export/").get_data(as_text=True)
    assert "Arkivpaket" not in page
    refused = post(client, f"/planering/dialoger/{dialogue.id}/export/archive", {})
    assert refused.status_code == 400
    assert "Bara en stängd eller arkiverad dialog kan packas för arkivet." in refused.get_data(as_text=True)
    assert db.session.execute(select(ExportJob)).first() is None
