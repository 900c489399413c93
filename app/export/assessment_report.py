"""The report's assessment chapter: how each value fares, the weak leg and the real hotspots.

The same figures as the assessment and hotspot pages (app/analysis), with the small-number rule
for readers outside the working group, because the report goes to the steering group.
"""

from __future__ import annotations

import io

from flask_babel import format_decimal
from flask_babel import gettext as _
from PIL import Image, ImageDraw
from shapely.geometry.base import BaseGeometry

from ..analysis.balance_routes import assessment_figures
from ..analysis.filters import PinFilter
from ..analysis.hotspot_results import hotspots_for
from ..analysis.hotspots import FDR_ALPHA, PERMUTATIONS
from ..analysis.method import assessment_notes, hotspot_notes
from ..analysis.places import area_places, cell_label
from ..analysis.valuemaps import COLD, HOT, TOO_FEW, net_colour, net_legend, weak_legend
from ..disclosure import min_count as rule_k
from ..domain import SENTIMENT_LABELS, SENTIMENTS, VALUE_COLOURS, VALUE_LABELS, VALUES
from .blocks import Block
from .mapimage import _font, value_map_png

ASSESSMENT_METRES = 250
HOTSPOT_METRES = 100
HOTSPOT_ROWS = 5
IDEA = "#7b3294"  # PuOr's purple end: ideas, beside RdBu's red (problems) and blue (works well)


def _net(x: float | None) -> str:
    return "–" if x is None else format_decimal(x, format="+0.00;−0.00")


def side_by_side(pngs: list[bytes], titles: list[str], width: int = 1500) -> bytes:
    """Several map PNGs in one row, each with its title, scaled to fit the width."""
    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    panel = width // len(images)
    scaled = [im.resize((panel, round(im.height * panel / im.width))) for im in images]
    height = max(im.height for im in scaled) + 34
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for i, (im, title) in enumerate(zip(scaled, titles, strict=True)):
        canvas.paste(im, (i * panel, 34))
        draw.text((i * panel + 8, 6), title, fill=(0, 0, 0), font=_font())
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _area_table(figures: dict) -> Block:
    rows = [[_("Value"), *[str(SENTIMENT_LABELS[s]) for s in SENTIMENTS], _("Net assessment"),
             _("Interval (95 %)")]]
    for v in VALUES:
        a = figures["area"].assessments[v]
        counts = [("–" if figures["area_counts"][v][s] is None else str(figures["area_counts"][v][s]))
                  for s in SENTIMENTS]
        interval = "–" if a.net is None else f"{_net(a.low)} … {_net(a.high)}"
        rows.append([str(VALUE_LABELS[v]), *counts, _net(a.net), interval])
    return Block("table", rows=rows, key="assessment")


def _place_blocks(figures: dict, quotes: bool) -> list[Block]:
    if not figures["has_places"]:
        return [Block("paragraph", _("The area has no named places with a position, so cells are "
                                     "named by their code. Add named places to the area to see "
                                     "them here."))]
    blocks = []
    for v in VALUES:
        rows = [[_("Place"), _("Assessment"), *[str(SENTIMENT_LABELS[s]) for s in SENTIMENTS],
                 _("Net assessment")]]
        said: list[Block] = []
        for direction, title in (("negative", _("Most negative")), ("positive", _("Most positive"))):
            for summary, texts in figures["place_lists"][v][direction]:
                counts = [("–" if summary.cell.shown(v, s) is None else str(summary.cell.shown(v, s)))
                          for s in SENTIMENTS]
                rows.append([summary.place.name, title, *counts,
                             _net(summary.balance.assessments[v].net)])
                if quotes:
                    said += [Block("quote", f"”{t}” ({summary.place.name})") for t in texts]
        blocks.append(Block("paragraph", str(VALUE_LABELS[v])))
        blocks.append(Block("table", rows=rows, key=f"places-{v}") if len(rows) > 1 else
                      Block("paragraph", _("No place has enough comments on this value to assess.")))
        blocks += said
    return blocks


def _hotspot_blocks(dialogue, outline: BaseGeometry) -> list[Block]:
    size = HOTSPOT_METRES
    # The hot spot page's path: a stored result of a big lattice if fresh, else computed here.
    result = hotspots_for(dialogue, PinFilter(), size, in_job=True)
    places = area_places(dialogue.area_id)
    colours = {"negative": HOT, "positive": COLD, "idea": IDEA}
    pngs = []
    for v in VALUES:
        fills = {}
        for s in ("idea", "positive", "negative"):  # problems drawn last, on top
            for c in result.significant((v, s)):
                if c.kind[(v, s)] == "hot":
                    fills[(c.easting, c.northing)] = colours[s]
        pngs.append(value_map_png(outline, [], v, VALUE_COLOURS[v], size=size, fills=fills))
    legend = "; ".join(f"{SENTIMENT_LABELS[s]}: {name}" for s, name in
                       (("negative", _("red")), ("positive", _("blue")), ("idea", _("purple"))))
    rows = [[_("Value and sentiment"), _("Place"), _("Result"), "Gi* z", _("pseudo p")]]
    for v in VALUES:
        for s in SENTIMENTS:
            for c in result.significant((v, s))[:HOTSPOT_ROWS]:
                rows.append([f"{VALUE_LABELS[v]}: {SENTIMENT_LABELS[s]}", cell_label(c, places),
                             _("hot spot") if c.kind[(v, s)] == "hot" else _("cold spot"),
                             format_decimal(c.z[(v, s)], format="0.00"),
                             format_decimal(c.p[(v, s)], format="0.000")])
    test = _("Getis-Ord Gi*, %(n)s permutations, false discovery rate %(fdr)s %%",
             n=PERMUTATIONS, fdr=int(FDR_ALPHA * 100))
    blocks = [
        Block("heading", _("Hot spots")),
        *[Block("paragraph", text) for text in hotspot_notes()],
        Block("image", _("Hot spots per value (%(test)s). %(legend)s.", test=test, legend=legend),
              png=side_by_side(pngs, [str(VALUE_LABELS[v]) for v in VALUES]), key="map-hotspots",
              alt=_("Three maps of the area, one per value, with the significant hot spots of "
                    "problems, of what works well and of ideas.")),
    ]
    if len(rows) > 1:
        blocks.append(Block("table", rows=rows, key="hotspots"))
    else:
        blocks.append(Block("paragraph", _("No significant hot or cold spot."), key="hotspots"))
    return blocks


def assessment_blocks(dialogue, outline: BaseGeometry, quotes: bool) -> list[Block]:
    """The chapter: area table, three maps side by side, the weak leg, places, hotspots, method."""
    k = rule_k()
    figures = assessment_figures(dialogue, PinFilter(), ASSESSMENT_METRES, k, quotes_allowed=quotes)
    cells, balances = figures["cells"], figures["balances"]
    pngs = []
    for v in VALUES:
        fills = {(c.easting, c.northing): net_colour(b.assessments[v].net) or TOO_FEW
                 for c, b in zip(cells, balances, strict=True) if c.shown(v)}
        pngs.append(value_map_png(outline, [], v, VALUE_COLOURS[v], size=ASSESSMENT_METRES,
                                  fills=fills))
    weak_fills = {(c.easting, c.northing): VALUE_COLOURS[b.weakest]
                  for c, b in zip(cells, balances, strict=True) if b.weakest}
    area = figures["area"]
    weak_text = (_("In the area as a whole, %(value)s is the weak leg: its interval lies below the "
                   "other values'.", value=VALUE_LABELS[area.weakest]) if area.weakest else
                 _("In the area as a whole no value is clearly assessed worse than the others."))
    legend = ", ".join(label for _colour, label in net_legend())
    return [
        Block("heading", _("How each value fares"), key="assessment-heading"),
        _area_table(figures),
        Block("paragraph", weak_text, key="area-weak-leg"),
        Block("image", _("The net assessment per value, %(size)s m cells, one scale: red negative, "
                         "white even, blue positive (%(legend)s).", size=ASSESSMENT_METRES,
                         legend=legend),
              png=side_by_side(pngs, [str(VALUE_LABELS[v]) for v in VALUES]), key="map-assessment",
              alt=_("Three maps of the area side by side, one per value, with each cell coloured "
                    "by the residents' net assessment of that value.")),
        Block("image", _("The weak leg: cells coloured by the value clearly assessed worst there."),
              png=value_map_png(outline, [], "safety", VALUE_COLOURS["safety"],
                                size=ASSESSMENT_METRES, fills=weak_fills, legend=weak_legend()[:3]),
              key="map-weak-leg",
              alt=_("A map of the area with each cell coloured by its weak leg.")),
        *[Block("paragraph", _("%(value)s is the weak leg in %(n)s of %(total)s assessed cells",
                               value=VALUE_LABELS[v], n=figures["weak_counts"][v],
                               total=figures["assessable_cells"]) + ".") for v in VALUES],
        Block("heading", _("Places assessed most negatively and most positively")),
        *_place_blocks(figures, quotes),
        *_hotspot_blocks(dialogue, outline),
        Block("heading", _("Method and limits")),
        *[Block("paragraph", text) for text in assessment_notes(k)],
    ]
