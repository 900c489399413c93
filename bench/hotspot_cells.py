"""Gi* (999 permutations) as the lattice grows: why big lattices are a job; run by hand only.

    .venv/bin/python bench/hotspot_cells.py

Square lattices of 100 m cells with Poisson counts: the queen weights, one layer (what the hot
spot page computes) and nine layers (the GeoJSON, the report, a job). No database.
"""

from __future__ import annotations

import time

import numpy as np

from app.analysis import hotspots as h


def main() -> None:
    """Print the times for 1,600 and 19,881 cells."""
    rng = np.random.default_rng(1)
    h.queen_weights(np.array([[50.0, 50.0], [150.0, 50.0], [50.0, 150.0]]), 100)  # imports
    for side in (40, 141):
        es, ns = np.meshgrid(np.arange(side) * 100, np.arange(side) * 100)
        centres = np.c_[es.ravel() + 50, ns.ravel() + 50].astype(float)
        y = rng.poisson(0.5, len(centres)).astype(float)
        started = time.perf_counter()
        weights = h.queen_weights(centres, 100)
        built = time.perf_counter() - started
        started = time.perf_counter()
        g = h.gi_star(y, weights)
        h.pseudo_p(g.Gs, g.rGs)
        layer = time.perf_counter() - started
        print(f"{len(centres):,} cells: weights {built:.2f} s, one layer {layer:.2f} s, "
              f"nine layers about {9 * layer + built:.1f} s")


if __name__ == "__main__":
    main()
