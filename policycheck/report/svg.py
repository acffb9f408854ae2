"""Charts drawn as inline SVG: no script, no library, no request, readable in any browser and in print.

A chart is a horizontal bar chart (one bar per category, its count at the end of the bar), which
reads well for a few to a dozen categories with labels of any length and in any script. Every
label is escaped; sizes come from the data only, so the same run draws the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_HEIGHT = 20
GAP = 6
LABEL_WIDTH = 170
BAR_WIDTH = 240
COUNT_WIDTH = 44


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    tone: str = "bar"          # a CSS class: bar, error, warning, info, waived, muted
    title: str = ""            # a longer text shown on hover


def _shorten(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(title: str, bars: list[Bar], label_width: int = LABEL_WIDTH, label_limit: int = 24) -> Markup:
    """An accessible SVG bar chart: ``role="img"`` with the title, each bar with a <title>.
    Labels longer than ``label_limit`` characters are cut (the <title> keeps them whole)."""
    most = max((bar.count for bar in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = label_width + BAR_WIDTH + COUNT_WIDTH
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for index, bar in enumerate(bars):
        top = GAP + index * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * bar.count / most) if bar.count else 0
        middle = top + BAR_HEIGHT / 2
        parts.append(
            f'<g class="{escape(bar.tone)}"><title>{escape(bar.title or bar.label)}: {bar.count}</title>'
            f'<text class="label" x="{label_width - 8}" y="{middle:g}" text-anchor="end" '
            f'dominant-baseline="central">{escape(_shorten(bar.label, label_limit))}</text>'
            f'<rect x="{label_width}" y="{top}" width="{max(length, 2)}" height="{BAR_HEIGHT}" rx="3"/>'
            f'<text class="count" x="{label_width + max(length, 2) + 6}" y="{middle:g}" '
            f'dominant-baseline="central">{bar.count}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
