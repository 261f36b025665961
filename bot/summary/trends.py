"""Trend series for the chart from the history's trends, and the person's own chart."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.services.history import Trend
from bot.summary.chart import chart_height_in, render_chart
from bot.summary.labels import CHART_TITLE, renderer_labels
from bot.summary.model import TrendPoint, TrendSeries

_PHOTO_PIXELS = 9000


def trend_series(trends: Sequence[Trend]) -> tuple[TrendSeries, ...]:
    """The numeric trends as chart series, labelled "<reflection>: <question>"."""
    series: list[TrendSeries] = []
    for trend in trends:
        points = tuple(
            TrendPoint(at=point.at, value=float(point.value))
            for point in trend.points
            if isinstance(point.value, int)
        )
        if not points:
            continue
        series.append(
            TrendSeries(
                key=f"{trend.dialogue_id}:{trend.step_id}",
                label=f"{trend.dialogue_title}: {trend.label}",
                points=points,
                low=float(trend.low),
                high=float(trend.high),
            )
        )
    return tuple(series)


def own_chart(trends: Sequence[Trend], t: Translator) -> bytes | None:
    """A person's own scales over time as a PNG (None before any scale was answered twice)."""
    series = trend_series(trends)
    labels = {**renderer_labels(t), CHART_TITLE: t.gettext("Your scales over time")}
    # Telegram takes photos up to 10,000 pixels of width plus height: many scales draw smaller.
    width_in, height_in = 7.0, chart_height_in(len(series))
    dpi = max(60, min(200, int(_PHOTO_PIXELS / (width_in + height_in))))
    return render_chart(series, labels, t.locale, width_in=width_in, dpi=dpi)
