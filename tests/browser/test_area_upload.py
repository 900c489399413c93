"""A planner uploads a real district file in the browser: refusals at the top with the focus there,
a feature chosen from a list, a preview on the map, and only then the save."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea

from ..shifted_files import OSLO, SIMPLIFIED, moved_district, zipped
from .accounts import log_in

pytestmark = pytest.mark.browser


def _serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def _stored() -> int:
    return db.session.execute(select(func.count()).select_from(DevelopmentArea)).scalar_one()


def test_upload_choose_a_district_preview_and_save(page, live_server, make, realdata, tmp_path):
    user = make.user(make.municipality("Stockholm", "0180"))
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    log_in(page, live_server, user)
    archive = tmp_path / "stadsdelar.zip"
    archive.write_bytes(zipped(SIMPLIFIED).getvalue())

    page.goto(f"{live_server}/planering/omraden/nytt")
    page.get_by_label("Områdets namn").fill("Husby")
    page.locator("#upload").set_input_files(str(archive))
    page.get_by_role("button", name="Förhandsgranska eller spara området").click()
    messages = page.locator("#form-messages")
    expect(messages).to_contain_text("Filen innehåller 117 objekt")
    expect(messages).to_be_focused()
    page.get_by_label("Objekt i filen", exact=True).select_option("HUSBY")
    page.get_by_role("button", name="Förhandsgranska eller spara området").click()

    summary = page.locator("#area-preview")
    expect(summary).to_be_focused()
    expect(summary.locator("[data-municipality]")).to_have_text("Stockholm")
    expect(summary.locator("[data-km2]")).to_contain_text("km²")
    expect(page.locator("#preview-map .leaflet-overlay-pane canvas")).to_have_count(1)  # the outline
    assert _serious(page) == []
    assert _stored() == 0
    page.get_by_role("button", name="Spara området").click()
    page.wait_for_url("**/platser")
    area = db.session.execute(select(DevelopmentArea)).scalar_one()
    assert (area.name, area.source) == ("Husby", "stadsdelar.zip")
    assert hosts == {"127.0.0.1"}


def test_a_file_moved_to_oslo_is_refused_with_the_focus_on_the_reason(page, live_server, make,
                                                                     realdata, tmp_path):
    user = make.user(make.municipality("Stockholm", "0180"))
    log_in(page, live_server, user)
    archive = tmp_path / "oslo.zip"
    archive.write_bytes(zipped(moved_district(tmp_path / "oslo", OSLO)).getvalue())
    page.goto(f"{live_server}/planering/omraden/nytt")
    page.get_by_label("Områdets namn").fill("Husby")
    page.locator("#upload").set_input_files(str(archive))
    page.get_by_role("button", name="Förhandsgranska eller spara området").click()
    messages = page.locator("#form-messages")
    expect(messages).to_contain_text("Området ligger utanför Sverige")
    expect(messages).to_be_focused()
    assert _serious(page) == []
    assert _stored() == 0
