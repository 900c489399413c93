"""Small server-side SVG charts: no JavaScript, nothing fetched, a data table always beside them.

The SVG is decorative for screen readers (aria-hidden): the table next to it carries the figures.
"""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 190
CHART_WIDTH = 560


def bar_chart(rows: list[tuple[str, int]], *, colours: list[str] | None = None) -> Markup:
    """A horizontal bar chart of (label, count) rows."""
    top = max((n for _label, n in rows), default=0) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    height = BAR_HEIGHT * len(rows) + 8
    parts = [f'<svg class="chart" aria-hidden="true" focusable="false" viewBox="0 0 {CHART_WIDTH} {height}"'
             f' width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, count) in enumerate(rows):
        y = 4 + i * BAR_HEIGHT
        width = round(plot * count / top, 1)
        colour = (colours[i % len(colours)] if colours else "#005a9c")
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width}" height="{BAR_HEIGHT - 6}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 15}" font-size="13">{count}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - labels escaped above, the rest are numbers


def column_chart(rows: list[tuple[str, int]]) -> Markup:
    """A column chart over time, e.g. pins per day; labels on the first and last column."""
    top = max((n for _label, n in rows), default=0) or 1
    height, plot_height = 160, 130
    step = (CHART_WIDTH - 20) / max(len(rows), 1)
    parts = [f'<svg class="chart" aria-hidden="true" focusable="false" viewBox="0 0 {CHART_WIDTH} {height}"'
             f' width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, (_label, count) in enumerate(rows):
        h = round(plot_height * count / top, 1)
        parts.append(f'<rect x="{10 + i * step:.1f}" y="{plot_height - h + 5}" '
                     f'width="{max(step - 2, 1):.1f}" height="{h}" fill="#005a9c"/>')
    if rows:
        parts.append(f'<text x="10" y="{height - 4}" font-size="12">{escape(rows[0][0])}</text>')
        parts.append(f'<text x="{CHART_WIDTH - 10}" y="{height - 4}" font-size="12" text-anchor="end">'
                     f"{escape(rows[-1][0])}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - labels escaped above, the rest are numbers


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
