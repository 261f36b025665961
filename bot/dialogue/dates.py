"""Reading the dates people type: ISO, Swedish day/month, month names, relative words, weekdays."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

# Swedish and English words are accepted whatever the locale: people mix them.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("jan", "januari", "january"),
        ("feb", "februari", "february"),
        ("mar", "mars", "march"),
        ("apr", "april"),
        ("maj", "may"),
        ("jun", "juni", "june"),
        ("jul", "juli", "july"),
        ("aug", "augusti", "august"),
        ("sep", "sept", "september"),
        ("okt", "oct", "oktober", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("måndag", "mån", "monday", "mon"),
        ("tisdag", "tis", "tuesday", "tue"),
        ("onsdag", "ons", "wednesday", "wed"),
        ("torsdag", "tors", "thursday", "thu"),
        ("fredag", "fre", "friday", "fri"),
        ("lördag", "lör", "saturday", "sat"),
        ("söndag", "sön", "sunday", "sun"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _number

_RELATIVE_WORDS = {
    "idag": 0,
    "i dag": 0,
    "today": 0,
    "imorgon": 1,
    "i morgon": 1,
    "imorn": 1,
    "i morn": 1,
    "tomorrow": 1,
    "i övermorgon": 2,
    "övermorgon": 2,
}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/. ]\s*(\d{2}|\d{4}))?\Z")
_DAY_NAME = re.compile(r"(\d{1,2})\.?\s+([a-zåäö]+)\.?(?:\s+(\d{4}))?\Z")
_NAME_DAY = re.compile(r"([a-zåäö]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?\Z")
_PLUS_DAYS = re.compile(r"\+\s*(\d{1,4})\s*(d|dag|dagar|day|days|v|w|veckor|vecka|week|weeks)?\Z")
_PREFIXES = ("på ", "nästa ", "next ", "on ")


def parse_date(text: str, today: date) -> date | None:
    """The date meant by `text` relative to `today`, or None if it cannot be read."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        return None
    if cleaned in _RELATIVE_WORDS:
        return today + timedelta(days=_RELATIVE_WORDS[cleaned])
    match = _ISO.match(cleaned)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]))
    match = _PLUS_DAYS.match(cleaned)
    if match:
        amount = int(match[1])
        unit = match[2] or "d"
        days = amount * 7 if unit in ("v", "w", "veckor", "vecka", "week", "weeks") else amount
        return today + timedelta(days=days)
    match = _DAY_MONTH.match(cleaned)
    if match:
        return _with_year(int(match[1]), int(match[2]), match[3], today)
    match = _DAY_NAME.match(cleaned)
    if match and match[2] in _MONTHS:
        return _with_year(int(match[1]), _MONTHS[match[2]], match[3], today)
    match = _NAME_DAY.match(cleaned)
    if match and match[1] in _MONTHS:
        return _with_year(int(match[2]), _MONTHS[match[1]], match[3], today)
    weekday = cleaned
    for prefix in _PREFIXES:
        if weekday.startswith(prefix):
            weekday = weekday[len(prefix) :]
            break
    if weekday in _WEEKDAYS:
        # The next such day after today: "friday" said on a Friday means a week later.
        ahead = (_WEEKDAYS[weekday] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    return None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(day: int, month: int, year_text: str | None, today: date) -> date | None:
    if year_text is not None:
        year = int(year_text)
        if year < 100:
            year += 2000
        return _make(year, month, day)
    # Without a year the next such date is meant, so "1/1" in December is next January.
    candidate = _make(today.year, month, day)
    if candidate is None:
        return _make(today.year + 1, month, day)  # 29 Feb in a later leap year
    if candidate < today:
        return _make(today.year + 1, month, day)
    return candidate


# A clock time beside a date: "14:00", "14.00", "kl 14", "kl. 9.30", "at 10", "2pm", "2:30 pm".
# A bare number is not a time ("8 dec 12" could be a year or a day), so it needs ":"/"." minutes,
# a "kl"/"at" in front or am/pm after it.
_CLOCK = (
    r"(?:(?:kl\.?|klockan|at|@)\s*(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?"
    r"|(?P<h2>\d{1,2})[:.](?P<m2>\d{2})"
    r"|(?P<h3>\d{1,2}))"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
)
_CLOCK_AT_END = re.compile(r"(?:^|[\s,])" + _CLOCK + r"\Z")
_CLOCK_AT_START = re.compile(r"\A" + _CLOCK + r"(?:[\s,]|\Z)")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})t(\d{1,2}):(\d{2})\Z")


def parse_date_time(text: str, today: date) -> datetime | None:
    """The local wall-clock date and time meant by `text` (naive), or None if it cannot be read.

    Any date `parse_date` reads, with a clock time before or after it: `8 dec 14:00`,
    `imorgon kl 10`, `2026-12-08 14:00`, `tomorrow at 2pm`, `14.30 fredag`.
    """
    cleaned = " ".join(text.strip().lower().split())
    match = _ISO_DATETIME.match(cleaned)
    if match:
        day = parse_date(match[1], today)
        return _at(day, match[2], match[3], None)
    for pattern in (_CLOCK_AT_END, _CLOCK_AT_START):
        match = pattern.search(cleaned)
        if match is None:
            continue
        hour = match["h1"] or match["h2"] or match["h3"]
        minute = match["m1"] or match["m2"]
        if match["h3"] and not match["ampm"]:
            continue
        rest = (cleaned[: match.start()] + " " + cleaned[match.end() :]).strip(" ,")
        if not rest:
            continue
        found = _at(parse_date(rest, today), hour, minute, match["ampm"])
        if found is not None:
            return found
    return None


def _at(
    day: date | None, hour_text: str, minute_text: str | None, ampm: str | None
) -> datetime | None:
    if day is None:
        return None
    hour, minute = int(hour_text), int(minute_text or 0)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(day, time(hour, minute))
