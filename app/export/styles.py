"""QGIS layer styles stored in the GeoPackage itself, so the layers open in the value colours.

QGIS keeps a layer's default style in the file's `layer_styles` table (one row per layer: the
layer's table and geometry column, the style as QML, useAsDefault). It is written here the way
QGIS writes it, as an attributes table through GDAL, so QGIS, ogrinfo and GDAL see a valid table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from flask_babel import gettext as _
from pyogrio.raw import write

from ..domain import VALUE_COLOURS, VALUE_LABELS, VALUES

GEOMETRY_COLUMN = "geom"
NO_VALUE_COLOUR = "#9e9e9e"  # a grid cell where two values tie for the most pins


def _rgba(colour: str, alpha: int = 255) -> str:
    colour = colour.lstrip("#")
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _props(**props: str) -> str:
    return "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in props.items())


def _marker(name: str, colour: str, shape: str = "circle", size: str = "2.8") -> str:
    return (f'<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleMarker" enabled="1" pass="0" locked="0">'
            + _props(color=_rgba(colour), name=shape, size=size, size_unit="MM",
                     outline_color="255,255,255,255", outline_style="solid",
                     outline_width="0.3", outline_width_unit="MM")
            + "</layer></symbol>")


def _fill(name: str, colour: str, alpha: str = "0.6", outline: str = "255,255,255,255",
          style: str = "solid", width: str = "0.2") -> str:
    return (f'<symbol type="fill" name="{name}" alpha="{alpha}" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleFill" enabled="1" pass="0" locked="0">'
            + _props(color=_rgba(colour), style=style, outline_color=outline,
                     outline_style="solid", outline_width=width, outline_width_unit="MM")
            + "</layer></symbol>")


def _line(name: str, colour: str, width: str = "1.2") -> str:
    return (f'<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleLine" enabled="1" pass="0" locked="0">'
            + _props(line_color=_rgba(colour), line_style="solid", line_width=width,
                     line_width_unit="MM", capstyle="round", joinstyle="round")
            + "</layer></symbol>")


def _qml(renderer: str) -> str:
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="3.22.0" styleCategories="Symbology">{renderer}</qgis>')


def _categorized(attribute: str, symbols: list[tuple[str, str, str]]) -> str:
    """A categorized renderer: (attribute value, legend label, symbol XML) per category."""
    categories = "".join(
        f"<category value={quoteattr(value)} symbol=\"{i}\" label={quoteattr(label)} "
        'render="true"/>' for i, (value, label, _symbol) in enumerate(symbols))
    return (f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attribute)} symbollevels="0" '
            f'enableorderby="0" forceraster="0"><categories>{categories}</categories><symbols>'
            + "".join(symbol for _v, _l, symbol in symbols) + "</symbols></renderer-v2>")


def _single(symbol: str) -> str:
    return ('<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" '
            f'forceraster="0"><symbols>{symbol}</symbols></renderer-v2>')


def layer_qml(layer: str) -> str:
    """The QML style of one of the export's layers."""
    if layer == "pins":
        return _qml(_categorized("value", [
            (v, str(VALUE_LABELS[v]), _marker(str(i), VALUE_COLOURS[v]))
            for i, v in enumerate(VALUES)]))
    if layer == "lines":
        return _qml(_categorized("value", [
            (v, str(VALUE_LABELS[v]), _line(str(i), VALUE_COLOURS[v]))
            for i, v in enumerate(VALUES)]))
    if layer == "areas":
        return _qml(_categorized("value", [
            (v, str(VALUE_LABELS[v]), _fill(str(i), VALUE_COLOURS[v], alpha="0.45",
                                            outline=_rgba(VALUE_COLOURS[v]), width="0.6"))
            for i, v in enumerate(VALUES)]))
    if layer.startswith("grid_"):
        symbols = [(v, str(VALUE_LABELS[v]), _fill(str(i), VALUE_COLOURS[v]))
                   for i, v in enumerate(VALUES)]
        symbols.append(("", _("No single value has most comments"),
                        _fill(str(len(VALUES)), NO_VALUE_COLOUR)))
        return _qml(_categorized("dominant", symbols))
    if layer == "named_places":
        return _qml(_single(_marker("0", "#1a1a1a", shape="star", size="3.6")))
    return _qml(_single(_fill("0", "#ffffff", alpha="1", outline="26,26,26,255", style="no",
                              width="0.8")))


def write_layer_styles(path: Path, layers: list[str]) -> None:
    """Add the layer_styles table with each layer's style as its default."""
    now = datetime.now(UTC).replace(tzinfo=None)
    names = np.array(layers, dtype=object)
    empty = np.array([""] * len(layers), dtype=object)
    fields = {
        "f_table_catalog": empty, "f_table_schema": empty, "f_table_name": names,
        "f_geometry_column": np.array([GEOMETRY_COLUMN] * len(layers), dtype=object),
        "styleName": names, "styleQML": np.array([layer_qml(n) for n in layers], dtype=object),
        "styleSLD": empty, "useAsDefault": np.ones(len(layers), dtype=bool),
        "description": np.array([_("Platsdialog: the value colours")] * len(layers), dtype=object),
        "owner": empty, "ui": empty,
        "update_time": np.array([now] * len(layers), dtype="datetime64[ms]"),
    }
    write(str(path), None, list(fields.values()), list(fields), layer="layer_styles",
          driver="GPKG", geometry_type=None, append=True)
