"""Hand-built summaries for the renderer tests (no database, no composer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.summary.model import (
    Section,
    SectionCode,
    Summary,
    SummaryHeader,
    SummaryItem,
    SummaryStatus,
    TrendPoint,
    TrendSeries,
)

START = datetime(2026, 9, 1, 7, 30, tzinfo=UTC)


def header(title: str = "Inför mötet med Klara Åström") -> SummaryHeader:
    """A header with the usual lines."""
    return SummaryHeader(
        title=title,
        client_name="Klara Åström",
        lines=(
            "Nästa möte: torsdag 3 dec. 2026 09:00 (Stockholm)",
            "Sedan 5 november: 4 reflektioner",
        ),
        next_meeting_at=START + timedelta(days=90),
        period_start=START + timedelta(days=60),
        reflections_since=4,
    )


def series(
    key: str, label: str, values: list[float], low: float = 1, high: float = 5
) -> TrendSeries:
    """A trend with one point a week."""
    points = tuple(
        TrendPoint(at=START + timedelta(days=7 * i), value=v) for i, v in enumerate(values)
    )
    return TrendSeries(key=key, label=label, points=points, low=low, high=high)


def ordinary(language: str = "sv", trends: bool = True) -> Summary:
    """A summary like one a coach gets: every kind of section, a flag, an empty section."""
    sections = (
        Section(
            SectionCode.BRING,
            "Det här vill Klara ta upp",
            (
                SummaryItem(
                    "answer:1:bring", "Hur jag säger nej till ledningsgruppen utan att backa."
                ),
            ),
        ),
        Section(
            SectionCode.COMMITMENTS,
            "Åtaganden",
            (
                SummaryItem("commitment:7", "Boka 1:1 med alla i teamet — Klart (12 nov)"),
                SummaryItem(
                    "commitment:8",
                    "Delegera budgetarbetet — Inte ännu (två gånger)",
                    detail="Hindrade: kvartalsbokslutet tog all tid.",
                    attention=True,
                ),
            ),
        ),
        Section(
            SectionCode.TRENDS,
            "Skalor över tid",
            (
                SummaryItem("trend:energy", "Energi: 4 → 3 → 1", direction=-1, attention=True),
                SummaryItem("trend:role", "Tydlighet i rollen: 2 → 4", direction=1),
                SummaryItem("trend:collab", "Samarbete: 3 → 3", direction=0),
            ),
        ),
        Section(SectionCode.PLAN, "Utvecklingsplan", (), empty_text="Ingen utvecklingsplan ännu."),
        Section(SectionCode.SCOPE, "Handlingsutrymme", ()),  # empty, no sentence: left out
        Section(
            SectionCode.EARLIER,
            "Tidigare reflektioner",
            (
                SummaryItem(
                    "run:3",
                    "12 nov · Nuläge: Mycket på en gång.",
                    detail="Mycket på en gång, men teamet bär.",
                ),
            ),
        ),
    )
    trend_series = (
        (
            series("nulage:energy", "Energi", [4, 3, 3, 1]),
            series("nulage:role", "Tydlighet i rollen", [2, 3, 4, 4]),
            series("grupp_mognad:stage", "Gruppens mognad", [1, 2, 2, 3], low=1, high=4),
        )
        if trends
        else ()
    )
    return Summary(
        header=header(),
        sections=sections,
        trends=trend_series,
        status=SummaryStatus.APPROVED,
        status_text="Klara godkände detta 1 december.",
        language=language,
        labels={"continued": "{title} (forts.)", "chart_title": "Skalor över tid"},
    )


def with_sections(*sections: Section, title: str = "Inför mötet med Klara Åström") -> Summary:
    """A summary with just these sections."""
    return Summary(
        header=header(title), sections=sections, labels={"continued": "{title} (forts.)"}
    )
