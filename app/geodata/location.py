"""Is the area where the file says, and if not, what most likely went wrong.

A wrong coordinate system moves an area by tens or hundreds of kilometres: SWEREF 99's local
zones are 1.5 degrees (about 84 km) apart, swapped axes throw it across the sea. We check the
area against Sweden's outline and its municipality's boundary (app/geodata/boundaries.py), and
when it is not there, try the other SWEREF 99 zones, RT90 and swapped axes to see where it lands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from app.geodata import boundaries
from app.geodata import crs as crs_mod
from app.geodata.errors import AreaImportError

# Sweden's rough bounding box, lng/lat: a first, cheap test before the real outline.
SWEDEN_BOUNDS = (10.0, 55.0, 24.3, 69.2)
# The coordinate systems a Swedish file is likely to be in, when it is not in the one it names.
LIKELY_CRSS = ("EPSG:3006", "EPSG:3011", "EPSG:3010", "EPSG:3009", "EPSG:3008", "EPSG:3007",
               "EPSG:3012", "EPSG:3013", "EPSG:3014", "EPSG:3015", "EPSG:3016", "EPSG:3017",
               "EPSG:3018", "EPSG:3021")


@dataclass(frozen=True)
class Fix:
    """A reading of the coordinates that puts the area somewhere sensible."""

    crs: str  # the coordinate system that would be right (the declared one when only axes swap)
    swapped: bool
    municipality: str  # where the area would then lie


def crs_name(user_input: str) -> str:
    """A CRS as a planner knows it: 'SWEREF 99 16 30 (EPSG:3010)'."""
    label = crs_mod.crs_label(user_input)
    name = crs_mod.parse_crs(user_input).name.replace("SWEREF99", "SWEREF 99")
    if label.startswith("EPSG:") and name and name.lower() != "unknown":
        return f"{name} ({label})"
    return label


def _representative(source: BaseGeometry) -> tuple[float, float]:
    return shapely.get_coordinates(source.representative_point())[0]


def _lands_in(x: float, y: float, crs: str, swapped: bool) -> boundaries.Municipality | None:
    if swapped:
        x, y = y, x
    with np.errstate(all="ignore"):
        try:
            point = crs_mod.to_wgs84(shapely.Point(x, y), crs)
        except pyproj.exceptions.ProjError:
            return None
    lng, lat = point.coords[0]
    return boundaries.point_in(lng, lat)


def likely_fix(source: BaseGeometry, crs: str, kommunkod: str | None) -> Fix | None:
    """A coordinate system or axis order that would put the area in its municipality (or Sweden)."""
    x, y = _representative(source)
    if not np.isfinite([x, y]).all():
        return None
    declared = crs_mod.crs_label(crs)
    candidates: list[tuple[str, bool]] = [(crs, True)]
    metres = not crs_mod.parse_crs(crs).is_geographic or looks_like_sweref(source)
    if metres:
        candidates += [(other, swap) for other in LIKELY_CRSS if other != declared
                       for swap in (False, True)]
    for candidate, swapped in candidates:
        landed = _lands_in(x, y, candidate, swapped)
        if landed is None:
            continue
        # Without a municipality to aim for, only an axis swap is a safe guess: another zone
        # puts almost any Swedish coordinates somewhere in Sweden.
        if (kommunkod and landed.kommunkod == kommunkod) or (not kommunkod and candidate == crs):
            return Fix(candidate, swapped, landed.name)
    return None


def looks_like_sweref(geometry: BaseGeometry) -> bool:
    """Whether the coordinates look like SWEREF 99 metres (any zone) rather than degrees."""
    minx, miny, maxx, maxy = geometry.bounds
    return minx >= 0 and maxx <= 1_000_000 and miny >= 6_100_000 and maxy <= 7_700_000


def _fix_sentence(fix: Fix, crs: str) -> tuple[str, str]:
    if fix.swapped and fix.crs == crs:
        return (f" Troligen har x och y (longitud och latitud) bytt plats i filen: med axlarna "
                f"bytta skulle området ligga i {fix.municipality}. Byt tillbaka axlarna och "
                f"försök igen.",
                f" Most likely x and y (longitude and latitude) are swapped in the file: with the "
                f"axes swapped the area would lie in {fix.municipality}. Swap the axes back and "
                f"try again.")
    other = crs_name(fix.crs) + (" med x och y bytta" if fix.swapped else "")
    other_en = crs_name(fix.crs) + (" with x and y swapped" if fix.swapped else "")
    return (f" Filen säger {crs_name(crs)}; i {other} skulle den ligga i {fix.municipality}. "
            f"Ange rätt koordinatsystem i filen (.prj-filen eller GIS-programmets export) och "
            f"försök igen.",
            f" The file says {crs_name(crs)}; in {other_en} it would lie in {fix.municipality}. "
            f"Set the right coordinate system in the file (the .prj file or the GIS program's "
            f"export) and try again.")


def _found(geometry: BaseGeometry) -> tuple[str, str]:
    minx, miny, maxx, maxy = geometry.bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        return "", ""
    return (f" (lng {minx:.2f}–{maxx:.2f}, lat {miny:.2f}–{maxy:.2f})",
            f" (lng {minx:.2f} to {maxx:.2f}, lat {miny:.2f} to {maxy:.2f})")


def outside_sweden(geometry_wgs84: BaseGeometry, source: BaseGeometry, crs: str,
                   kommunkod: str | None) -> AreaImportError:
    """The refusal of an area outside Sweden, naming the likely cause."""
    found_sv, found_en = _found(geometry_wgs84)
    fix = likely_fix(source, crs, kommunkod)
    if fix is not None:
        cause_sv, cause_en = _fix_sentence(fix, crs)
        return AreaImportError(
            "outside_sweden",
            "Området hamnar utanför Sverige{found_sv}.{cause_sv}",
            "The area falls outside Sweden{found_en}.{cause_en}",
            likely_cause="swapped_axes" if fix.swapped and fix.crs == crs else "wrong_crs",
            found_sv=found_sv, found_en=found_en, cause_sv=cause_sv, cause_en=cause_en,
            crs=crs_mod.crs_label(crs), likely_crs=crs_mod.crs_label(fix.crs),
        )
    if crs_mod.parse_crs(crs).is_geographic and looks_like_sweref(source):
        return AreaImportError(
            "outside_sweden",
            "Området hamnar utanför Sverige{found_sv}. Troligen är koordinatsystemet fel: filen "
            "anger {crs}, men koordinaterna ser ut som meter i SWEREF 99, inte grader. "
            "Kontrollera .prj-filen eller koordinatsystemet i GIS-programmet.",
            "The area falls outside Sweden{found_en}. Most likely the coordinate system is "
            "wrong: the file says {crs}, but the coordinates look like metres in SWEREF 99, not "
            "degrees. Check the .prj file or the coordinate system in the GIS program.",
            likely_cause="wrong_crs", found_sv=found_sv, found_en=found_en, crs=crs_name(crs),
        )
    return AreaImportError(
        "outside_sweden",
        "Området ligger utanför Sverige{found_sv}, och inget annat svenskt koordinatsystem "
        "flyttar det dit. Kontrollera att det är rätt fil, och att koordinatsystemet i filen "
        "({crs}) stämmer.",
        "The area lies outside Sweden{found_en}, and no other Swedish coordinate system moves "
        "it there. Check that it is the right file, and that the file's coordinate system "
        "({crs}) is right.",
        likely_cause="elsewhere", found_sv=found_sv, found_en=found_en, crs=crs_name(crs),
    )


def _in_bounds(geometry: BaseGeometry) -> bool:
    minx, miny, maxx, maxy = geometry.bounds
    w, s, e, n = SWEDEN_BOUNDS
    return bool(np.isfinite([minx, miny, maxx, maxy]).all()) and (
        w <= minx and maxx <= e and s <= miny and maxy <= n
    )


def check_bounds(geometry_wgs84: BaseGeometry, source: BaseGeometry, crs: str,
                 kommunkod: str | None) -> None:
    """Refuse, cheaply, a part that is nowhere near Sweden (before any further geometry work)."""
    if not _in_bounds(geometry_wgs84):
        raise outside_sweden(geometry_wgs84, source, crs, kommunkod)


def check_place(geometry_wgs84: BaseGeometry, source: BaseGeometry, crs: str,
                kommunkod: str | None) -> boundaries.Placement:
    """Refuse an area outside Sweden's outline or its municipality; return where it lies."""
    placement = boundaries.place(geometry_wgs84)
    if not placement.in_sweden:
        raise outside_sweden(geometry_wgs84, source, crs, kommunkod)
    expected = boundaries.municipality(kommunkod) if kommunkod else None
    if expected is None:
        return placement
    share = boundaries.share_in(geometry_wgs84, expected.kommunkod) or 0.0
    if share >= boundaries.INSIDE_SHARE:
        return boundaries.Placement(placement.sweden_share, expected)
    found = placement.municipality.name if placement.municipality else "?"
    fix = likely_fix(source, crs, kommunkod)
    if fix is not None:
        cause_sv, cause_en = _fix_sentence(fix, crs)
    else:
        cause_sv = (" Kontrollera att rätt kommun är vald och att filens koordinatsystem "
                    "stämmer.")
        cause_en = (" Check that the right municipality is chosen and that the file's "
                    "coordinate system is right.")
    raise AreaImportError(
        "outside_municipality",
        "Området ligger i {found}, inte i {expected} ({share_pct} % inom kommunens gräns).{cause_sv}",
        "The area lies in {found}, not in {expected} ({share_pct}% within the municipality's "
        "boundary).{cause_en}",
        found=found, expected=expected.name, share_pct=round(share * 100),
        cause_sv=cause_sv, cause_en=cause_en, crs=crs_mod.crs_label(crs),
        likely_crs=crs_mod.crs_label(fix.crs) if fix else None,
        likely_cause=("swapped_axes" if fix.swapped and fix.crs == crs else "wrong_crs")
        if fix else "wrong_municipality",
    )
