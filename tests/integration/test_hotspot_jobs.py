"""Hot spots as a job (immediate mode): the page offers the button, a GET stores nothing, the button
computes them, the page, the GeoJSON and the report then show the stored result, and new pins make
it stale. HOTSPOT_INLINE_CELLS counts cells x layers: at its default the Husby area's few hundred
cells show one layer on the page at once, but its nine-layer download is a job; lowered to 10, the
lattice counts as big."""

from __future__ import annotations

import io
import re
from html import unescape

import geopandas
import pytest
from sqlalchemy import func, select

from app.analysis.hotspots import LAYERS
from app.extensions import db
from app.models import AuditEvent, ExportJob

from ..analysis_helpers import add_pins, download_link, login
from ..analysis_helpers import press_compute as _press
from ..conftest import csrf_from
from .test_analysis_hotspots import _cluster, _dialogue, _noise, _significant

PAGE = "/planering/analys/dialoger/{id}/heta-punkter?size=100&layer=safety-negative"


def _jobs() -> int:
    return db.session.execute(select(func.count()).select_from(ExportJob)
                              .where(ExportJob.format == "hotspots")).scalar()


def _spots(client, dialogue_id: int) -> dict:
    response = client.get(f"/planering/analys/dialoger/{dialogue_id}/heta-punkter.geojson?size=100")
    assert response.status_code == 200
    grid = geopandas.read_file(io.BytesIO(response.data))
    return {row["cell"]: (row["z_safety_negative"], row["spot_safety_negative"],
                          row["n_safety_negative"]) for _i, row in grid.iterrows()}


def test_a_big_lattice_is_computed_on_request_and_then_shown_like_a_small_one(app, client, make,
                                                                               monkeypatch):
    dialogue = _dialogue(make, _noise(400, seed=7) + _cluster(50, seed=8))
    dialogue_id = dialogue.id
    login(client, make.user(dialogue.municipality))
    at_once_html = client.get(PAGE.format(id=dialogue_id)).get_data(as_text=True)
    monkeypatch.setitem(app.config, "HOTSPOT_INLINE_CELLS", 100_000)  # all nine layers at once
    at_once = _spots(client, dialogue_id)
    assert "vid Husby centrum" in [label for kind, label in
                                   _significant(at_once_html)["safety-negative"] if kind == "hot"]

    monkeypatch.setitem(app.config, "HOTSPOT_INLINE_CELLS", 10)
    html = client.get(PAGE.format(id=dialogue_id)).get_data(as_text=True)
    assert "Beräkna heta punkter" in html and "Inte beräknade än" in html
    assert _significant(html) == {}
    geojson = client.get(f"/planering/analys/dialoger/{dialogue_id}/heta-punkter.geojson?size=100")
    assert geojson.status_code == 409 and "knappen" in geojson.get_json()["error"]
    assert _jobs() == 0  # a GET never starts or stores anything

    shown = _press(client, html)
    assert shown.status_code == 200 and shown.request.path.endswith("/heta-punkter")
    page = shown.get_data(as_text=True)
    assert _significant(page) == _significant(at_once_html)
    assert _spots(client, dialogue_id) == at_once  # the same z, verdicts and counts
    assert _jobs() == 1
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "hotspots.compute")
                              ).scalar() is not None
    _press(client, html)
    assert _jobs() == 1  # pressed again while the result is fresh: no second job

    add_pins(db.session.merge(dialogue), [(59.4108, 17.9259, "safety", "negative")])
    stale = client.get(PAGE.format(id=dialogue_id)).get_data(as_text=True)
    assert "Beräkna heta punkter" in stale  # a new pin: the stored result no longer holds


def test_another_filter_or_cell_size_needs_its_own_computation(app, client, make, monkeypatch):
    dialogue = _dialogue(make, _noise(200, seed=9) + _cluster(30, seed=10))
    login(client, make.user(dialogue.municipality))
    monkeypatch.setitem(app.config, "HOTSPOT_INLINE_CELLS", 10)
    _press(client, client.get(PAGE.format(id=dialogue.id)).get_data(as_text=True))
    assert "Beräkna heta punkter" not in client.get(PAGE.format(id=dialogue.id)).get_data(as_text=True)
    for other in (PAGE + "&sentiment=negative", PAGE.replace("size=100", "size=250")):
        assert "Beräkna heta punkter" in client.get(other.format(id=dialogue.id)).get_data(
            as_text=True)
    # The job's page leads back to the hot spots of its own cell size and filter.
    problems = PAGE.replace("size=100", "size=250") + "&sentiment=negative"
    _press(client, client.get(problems.format(id=dialogue.id)).get_data(as_text=True))
    job_id = db.session.execute(select(ExportJob.id).where(ExportJob.format == "hotspots")
                                .order_by(ExportJob.created_at.desc())).scalars().first()
    job_page = client.get(f"/planering/dialoger/{dialogue.id}/export/jobb/{job_id}").get_data(as_text=True)
    back = unescape(re.search(r'<a href="([^"]+)">Tillbaka till heta punkter', job_page).group(1))
    assert "size=250" in back and "sentiment=negative" in back
    assert "Beräkna heta punkter" not in client.get(back).get_data(as_text=True)  # the stored result


def test_the_steering_group_sees_and_starts_them_but_gets_no_counts(app, client, make, monkeypatch):
    dialogue = _dialogue(make, _noise(200, seed=11) + _cluster(30, seed=12))
    login(client, make.user(dialogue.municipality, "steering_group"))
    monkeypatch.setitem(app.config, "HOTSPOT_INLINE_CELLS", 10)
    _press(client, client.get(PAGE.format(id=dialogue.id)).get_data(as_text=True))
    grid = client.get(f"/planering/analys/dialoger/{dialogue.id}/heta-punkter.geojson?size=100"
                      ).get_json()
    properties = grid["features"][0]["properties"]
    assert "z_safety_negative" in properties and "n_safety_negative" not in properties
    job = db.session.execute(select(ExportJob).where(ExportJob.format == "hotspots")).scalar()
    stored = client.get(f"/planering/dialoger/{dialogue.id}/export/jobb/{job.id}/fil")
    assert stored.status_code == 200 and '"counts"' not in stored.get_data(as_text=True)


def test_a_planner_of_another_municipality_may_not_start_them(app, client, make, monkeypatch):
    dialogue = _dialogue(make, _noise(50, seed=13))
    other = make.municipality()
    login(client, make.user(other))
    monkeypatch.setitem(app.config, "HOTSPOT_INLINE_CELLS", 10)
    token = csrf_from(client.get("/planering/").get_data(as_text=True))
    answer = client.post(f"/planering/analys/dialoger/{dialogue.id}/heta-punkter/berakna?size=100",
                         data={"csrf_token": token})
    assert answer.status_code == 404 and _jobs() == 0


def test_the_nine_layer_download_over_the_budget_is_a_job_beside_the_one_layer_page(client, make):
    dialogue = _dialogue(make, _noise(400, seed=15) + _cluster(50, seed=16))
    dialogue_id = dialogue.id
    login(client, make.user(dialogue.municipality))
    html = client.get(PAGE.format(id=dialogue_id)).get_data(as_text=True)
    # One layer of a few hundred cells is within the budget: shown at once, as before.
    cells = int(re.search(r"testat på (\d+) rutor", html).group(1))
    assert 111 < cells <= 1000
    assert "vid Husby centrum" in [label for kind, label in
                                   _significant(html)["safety-negative"] if kind == "hot"]
    # Nine layers of them are not: the button instead of the link, and the download waits for it.
    assert download_link(html) is None
    assert "Beräkna nedladdningen" in html and "Beräkna heta punkter" not in html
    nine = client.get(f"/planering/analys/dialoger/{dialogue_id}/heta-punkter.geojson?size=100")
    assert nine.status_code == 409 and "knappen" in nine.get_json()["error"]
    one = client.get(f"/planering/analys/dialoger/{dialogue_id}/heta-punkter.geojson?size=100"
                     "&layer=safety-negative")
    assert one.status_code == 200  # the page's one layer stays within the budget
    # At 250 m nine layers of the area's few dozen cells fit: the link at once, no job.
    coarse = client.get(PAGE.replace("size=100", "size=250").format(id=dialogue_id)
                        ).get_data(as_text=True)
    assert "Beräkna nedladdningen" not in coarse
    assert client.get(download_link(coarse)).status_code == 200
    assert _jobs() == 0  # a GET never starts or stores anything

    shown = _press(client, html)
    assert shown.status_code == 200 and shown.request.path.endswith("/heta-punkter")
    page = shown.get_data(as_text=True)
    assert _jobs() == 1 and "Beräkna nedladdningen" not in page
    assert _significant(page) == _significant(html)
    grid = geopandas.read_file(io.BytesIO(client.get(download_link(page)).data))
    assert len(grid) == cells and {f"spot_{v}_{s}" for v, s in LAYERS} <= set(grid.columns)
    inline = {f["properties"]["cell"]: (f["properties"]["z_safety_negative"],
                                        f["properties"]["spot_safety_negative"])
              for f in one.get_json()["features"]}
    for _i, row in grid.iterrows():  # the job's figures are the page's (one seed)
        z, kind = inline[row["cell"]]
        assert row["z_safety_negative"] == pytest.approx(z)
        assert (row["spot_safety_negative"] if isinstance(row["spot_safety_negative"], str)
                else None) == kind
    assert _jobs() == 1

    add_pins(db.session.merge(dialogue), [(59.4108, 17.9259, "safety", "negative")])
    stale = client.get(PAGE.format(id=dialogue_id)).get_data(as_text=True)
    assert download_link(stale) is None and "Beräkna nedladdningen" in stale  # a new pin
