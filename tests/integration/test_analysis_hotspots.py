"""Hot spots: our Gi* equals esda run independently on the exported grid; a seeded cluster in noise
is found, and pure noise gives no significant cell at the chosen false discovery rate."""

import io
import random
import re
import warnings

import esda
import geopandas
import numpy as np
import pytest
from libpysal.weights import Queen
from shapely.geometry import Point

from app.analysis.hotspots import FDR_ALPHA, PERMUTATIONS, SEED
from app.domain import SENTIMENTS, VALUES
from app.extensions import db
from app.models import NamedPlace

from ..analysis_helpers import add_pins, hotspot_grid, login
from ..factories import husby_polygon

CENTRUM = (59.4108, 17.9259)


def _noise(n: int, seed: int) -> list[tuple]:
    """n pins spread uniformly over the Husby area, random values and sentiments."""
    area = husby_polygon()
    rng = random.Random(seed)
    min_lng, min_lat, max_lng, max_lat = area.bounds
    specs = []
    while len(specs) < n:
        lat, lng = rng.uniform(min_lat, max_lat), rng.uniform(min_lng, max_lng)
        if area.contains(Point(lng, lat)):
            specs.append((lat, lng, rng.choice(VALUES), rng.choice(SENTIMENTS)))
    return specs


def _cluster(n: int, seed: int) -> list[tuple]:
    """n safety problems within about 120 m of Husby centrum (a square of some 3 x 3 cells)."""
    rng = random.Random(seed)
    return [(CENTRUM[0] + rng.uniform(-0.0011, 0.0011), CENTRUM[1] + rng.uniform(-0.0022, 0.0022),
             "safety", "negative") for _ in range(n)]


def _dialogue(make, specs):
    dialogue = make.dialogue()
    db.session.add(NamedPlace(area_id=dialogue.area_id, name="Husby centrum", position=0,
                              geom=f"SRID=4326;POINT({CENTRUM[1]} {CENTRUM[0]})"))
    add_pins(dialogue, specs)
    return dialogue


def test_our_z_and_p_equal_esda_run_independently_on_the_exported_grid(client, make):
    dialogue = _dialogue(make, _noise(500, seed=1) + _cluster(40, seed=2))
    login(client, make.user(dialogue.municipality))
    response = hotspot_grid(client, dialogue.id)  # nine layers of this many cells: the button
    assert response.status_code == 200
    grid = geopandas.read_file(io.BytesIO(response.data))
    assert len(grid) > 100 and grid.crs.to_epsg() == 4326
    # Weights from the cells' own polygons (queen contiguity), not from our code.
    weights = Queen.from_dataframe(grid, use_index=False, silence_warnings=True)
    tested = 0
    for v in VALUES:
        for s in SENTIMENTS:
            y = grid[f"n_{v}_{s}"].to_numpy(dtype=float)
            with warnings.catch_warnings():  # esda announces a future change of its default
                warnings.simplefilter("ignore", DeprecationWarning)
                theirs = esda.G_Local(y, weights, transform="B", star=True,
                                      permutations=PERMUTATIONS, seed=SEED, n_jobs=1)
            np.testing.assert_allclose(grid[f"z_{v}_{s}"].to_numpy(dtype=float), theirs.Zs,
                                       atol=1e-4)
            # The pseudo p from esda's own permutations, ties counted as extreme in both tails.
            sims, observed = theirs.rGs, theirs.Gs[:, None]
            upper = np.isclose(sims, observed) | (sims > observed)
            lower = np.isclose(sims, observed) | (sims < observed)
            p = (np.minimum(upper.sum(1), lower.sum(1)) + 1) / (PERMUTATIONS + 1)
            np.testing.assert_allclose(grid[f"p_{v}_{s}"].to_numpy(dtype=float), p)
            cutoff = esda.fdr(p, FDR_ALPHA)
            expected = np.where(p <= cutoff, np.where(upper.sum(1) < lower.sum(1), "hot", "cold"),
                                None)
            ours = [x if isinstance(x, str) else None for x in grid[f"spot_{v}_{s}"]]
            assert ours == list(expected)
            tested += 1
    assert tested == 9


def _significant(html: str) -> dict[str, list[tuple[str, str]]]:
    """Layer -> [(place label, kind)] from the hotspot page's tables."""
    found = {}
    for layer, body in re.findall(r'<table class="data-table" data-layer="([^"]+)">(.*?)</table>',
                                  html, re.S):
        found[layer] = re.findall(r'data-kind="(hot|cold)"><th scope="row">([^<]+)</th>', body)
    return found


def test_a_seeded_cluster_in_noise_is_found_and_named_after_its_place(client, make):
    dialogue = _dialogue(make, _noise(600, seed=3) + _cluster(60, seed=4))
    login(client, make.user(dialogue.municipality))
    url = f"/planering/analys/dialoger/{dialogue.id}/heta-punkter?size=100"
    html = client.get(url + "&layer=safety-negative").get_data(as_text=True)
    hot = [label for kind, label in _significant(html).get("safety-negative", []) if kind == "hot"]
    assert "vid Husby centrum" in hot
    assert "Getis-Ord Gi*, 999 permutationer, andel falska upptäckter (FDR) 5 %" in html
    # The cluster is of one value and sentiment: another layer has no hot spot there.
    other = client.get(url + "&layer=justice-negative").get_data(as_text=True)
    assert "vid Husby centrum" not in [label for kind, label in
                                       _significant(other).get("justice-negative", [])]


@pytest.mark.parametrize("seed", [5, 6])
def test_pure_noise_gives_no_significant_cell_in_any_layer(client, make, seed):
    dialogue = _dialogue(make, _noise(600, seed=seed))
    login(client, make.user(dialogue.municipality))
    response = hotspot_grid(client, dialogue.id)
    grid = geopandas.read_file(io.BytesIO(response.data))
    spots = grid[[f"spot_{v}_{s}" for v in VALUES for s in SENTIMENTS]]
    assert spots.notna().sum().sum() == 0
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/heta-punkter?size=100").get_data(
        as_text=True)
    assert _significant(html) == {} and "Ingen signifikant het eller kall punkt." in html
