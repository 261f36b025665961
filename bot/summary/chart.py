"""The scale trends as a PNG chart, drawn headless and readable in black-and-white print.

One small panel per scale, stacked over a shared time axis: the scales have different ranges
(1–5, 0–10, four maturity stages), so one shared axis would make them look comparable when they
are not. Lines differ in marker and dash as well as in colour, so a grey print keeps them apart.
matplotlib is imported on first use: the other commands should not pay for it at start-up.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

from babel.dates import format_date

from bot.summary.labels import CHART_TITLE, label
from bot.summary.model import TrendSeries

# Dark, colour-blind-safe colours; each with its own marker and dash for grey print.
_STYLES = (
    ("#1b1b1b", "o", "-"),
    ("#0b5394", "s", "--"),
    ("#a0522d", "^", "-."),
    ("#38761d", "D", ":"),
    ("#674ea7", "v", (0, (5, 1, 1, 1))),
    ("#7f6000", "P", (0, (1, 1))),
)
_PANEL_HEIGHT_IN = 1.35
_LEFT_IN, _RIGHT_IN, _BOTTOM_IN = 0.4, 0.25, 0.35
_GAP_IN = 0.42  # between panels: room for the next panel's title
_WIDTH_IN = 7.0
_DPI = 200
_FORMAT_LOCALES = {"en": "en_GB"}
# matplotlib's font and text caches are not safe for two threads drawing at once.
_lock = threading.Lock()


def plottable(trends: Sequence[TrendSeries]) -> list[TrendSeries]:
    """The series that have at least one point (the ones a chart can show)."""
    return [series for series in trends if series.points]


def chart_height_in(
    panels: int, panel_height_in: float = _PANEL_HEIGHT_IN, title: bool = True
) -> float:
    """How tall a chart of this many panels is, in inches."""
    return (0.7 if title else 0.35) + panel_height_in * panels


def _tick_date(at: datetime, language: str) -> str:
    return format_date(at, "d MMM", locale=_FORMAT_LOCALES.get(language, language))


def render_chart(
    trends: Sequence[TrendSeries],
    labels: dict[str, str],
    language: str = "sv",
    *,
    width_in: float = _WIDTH_IN,
    panel_height_in: float = _PANEL_HEIGHT_IN,
    dpi: int = _DPI,
    title: bool = True,
) -> bytes | None:
    """A PNG of the trends (one panel per scale), or None when there is nothing to draw.

    Without `title` the chart leaves its heading to the page it is placed on.
    """
    series_list = plottable(trends)
    if not series_list:
        return None
    # Imported here so that only the commands that draw pay matplotlib's import time.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _lock:
        height = chart_height_in(len(series_list), panel_height_in, title)
        figure = Figure(figsize=(width_in, height), dpi=dpi, facecolor="white")
        FigureCanvasAgg(figure)
        axes = figure.subplots(len(series_list), 1, sharex=True, squeeze=False)[:, 0]
        # Fixed margins in inches: matplotlib's automatic layout measures every label and
        # costs more than the drawing itself; these panels always look the same.
        top_in = (0.5 if title else 0.0) + _GAP_IN * 0.7
        panels = len(series_list)
        axes_in = (height - top_in - _BOTTOM_IN - _GAP_IN * (panels - 1)) / panels
        figure.subplots_adjust(
            left=_LEFT_IN / width_in,
            right=1 - _RIGHT_IN / width_in,
            top=1 - top_in / height,
            bottom=_BOTTOM_IN / height,
            hspace=_GAP_IN / axes_in,
        )
        if title:
            figure.suptitle(
                label(labels, CHART_TITLE), fontsize=12, fontweight="bold", y=1 - 0.12 / height
            )
        moments = [point.at for series in series_list for point in series.points]
        first, last = min(moments), max(moments)
        for index, (series, ax) in enumerate(zip(series_list, axes, strict=True)):
            _draw_panel(ax, series, _STYLES[index % len(_STYLES)], first)
        _date_axis(axes[-1], first, last, language)
        buffer = BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _draw_panel(ax: Any, series: TrendSeries, style: tuple[str, str, Any], first: datetime) -> None:
    """One scale: its line, its values written at the points, its own range on the y axis."""
    colour, marker, dash = style
    xs = [_days(first, point.at) for point in series.points]
    ys = [point.value for point in series.points]
    ax.plot(xs, ys, color=colour, marker=marker, linestyle=dash, linewidth=1.6, markersize=5)
    for x, y in zip(xs, ys, strict=True):
        ax.annotate(
            _number(y),
            (x, y),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
            color="#000000",
        )
    low, high = min(series.low, min(ys)), max(series.high, max(ys))
    pad = max((high - low) * 0.12, 0.3)
    ax.set_ylim(low - pad, high + pad * 2.2)
    span = high - low
    if span <= 20:
        # Every value on a short scale, every other on 0–10: a small panel stays legible.
        every = 1 if span <= 6 else 2
        ax.set_yticks([low + step for step in range(0, int(span) + 1, every)])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(series.label, loc="left", fontsize=9, fontweight="bold")
    ax.grid(axis="y", color="#bbbbbb", linewidth=0.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _date_axis(ax: Any, first: datetime, last: datetime, language: str) -> None:
    """Days since the first answer on the axis, labelled as dates in the reader's language."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    span = max(_days(first, last), 1.0)
    ax.set_xlim(
        -span * 0.04 - (7 if first == last else 0), span * 1.04 + (7 if first == last else 0)
    )
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True, steps=[1, 2, 5, 7, 10]))
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _pos: _tick_date(first + timedelta(days=float(value)), language)
        )
    )
    ax.tick_params(axis="x", labelsize=7)


def _days(first: datetime, at: datetime) -> float:
    return (at - first).total_seconds() / 86400


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
