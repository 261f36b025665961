"""Reading a date with a clock time, as people type meetings: Swedish and English forms."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.dialogue.dates import parse_date_time

TODAY = date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 dec 14:00", datetime(2026, 12, 8, 14, 0)),
        ("8 december kl 14", datetime(2026, 12, 8, 14, 0)),
        ("8 dec, 14.30", datetime(2026, 12, 8, 14, 30)),
        ("imorgon 10:00", datetime(2026, 12, 1, 10, 0)),
        ("i morgon kl. 9.15", datetime(2026, 12, 1, 9, 15)),
        ("tomorrow at 2pm", datetime(2026, 12, 1, 14, 0)),
        ("2026-12-08 14:00", datetime(2026, 12, 8, 14, 0)),
        ("2026-12-08T14:00", datetime(2026, 12, 8, 14, 0)),
        ("December 8 2:30 pm", datetime(2026, 12, 8, 14, 30)),
        ("14:00 fredag", datetime(2026, 12, 4, 14, 0)),
        ("kl 9 nästa måndag", datetime(2026, 12, 7, 9, 0)),
        ("8/1 08:00", datetime(2027, 1, 8, 8, 0)),
        ("12am 8 dec", datetime(2026, 12, 8, 0, 0)),
    ],
)
def test_dates_with_times_are_read(text: str, expected: datetime) -> None:
    assert parse_date_time(text, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["8 dec", "14:00", "8 dec 25:00", "8 dec 14:61", "13pm 8 dec", "someday 10:00", ""]
)
def test_a_date_without_a_time_or_nonsense_is_not_read(text: str) -> None:
    assert parse_date_time(text, TODAY) is None
