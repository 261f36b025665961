"""Date reading: the formats people type, relative to a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.dates import parse_date

TODAY = date(2026, 11, 22)  # a Sunday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2027-2-3", date(2027, 2, 3)),
        ("1/12", date(2026, 12, 1)),
        ("1 / 12", date(2026, 12, 1)),
        ("1.12", date(2026, 12, 1)),
        ("1/12 2027", date(2027, 12, 1)),
        ("1.12.27", date(2027, 12, 1)),
        ("1/1", date(2027, 1, 1)),  # already past this year: next year
        ("22/11", date(2026, 11, 22)),  # today itself
        ("1 dec", date(2026, 12, 1)),
        ("1 dec.", date(2026, 12, 1)),
        ("1 December", date(2026, 12, 1)),
        ("3 mars 2027", date(2027, 3, 3)),
        ("17 maj", date(2027, 5, 17)),
        ("december 1", date(2026, 12, 1)),
        ("Dec 1st, 2027", date(2027, 12, 1)),
        ("idag", TODAY),
        ("Today", TODAY),
        ("i dag", TODAY),
        ("imorgon", date(2026, 11, 23)),
        ("i morgon", date(2026, 11, 23)),
        ("tomorrow", date(2026, 11, 23)),
        ("i övermorgon", date(2026, 11, 24)),
        ("+7", date(2026, 11, 29)),
        ("+ 7", date(2026, 11, 29)),
        ("+3 dagar", date(2026, 11, 25)),
        ("+2v", date(2026, 12, 6)),
        ("+2 weeks", date(2026, 12, 6)),
        ("+0", TODAY),
        ("måndag", date(2026, 11, 23)),
        ("nästa måndag", date(2026, 11, 23)),
        ("fre", date(2026, 11, 27)),
        ("Friday", date(2026, 11, 27)),
        ("on friday", date(2026, 11, 27)),
        ("söndag", date(2026, 11, 29)),  # said on a Sunday: a week later
        ("sunday", date(2026, 11, 29)),
    ],
)
def test_reads_dates(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "31/2",
        "2026-13-01",
        "2026-02-30",
        "32 dec",
        "1 smarch",
        "+",
        "-7",
        "1/12/3",
    ],
)
def test_rejects_what_is_not_a_date(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_leap_day_without_year_picks_the_next_leap_year_only_if_this_year_has_one() -> None:
    assert parse_date("29/2", date(2028, 1, 10)) == date(2028, 2, 29)
    assert parse_date("29/2", TODAY) is None
