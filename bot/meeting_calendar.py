"""A meeting as an iCalendar (.ics) file that calendar apps import, update and cancel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT_ID = "-//Hemmaplan//Hemmaplan//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """What goes into the file: the meeting's identity, time and words in the reader's language."""

    meeting_id: int
    created_at: datetime
    updated_at: datetime
    starts_at: datetime
    duration_minutes: int
    summary: str
    description: str
    cancelled: bool = False
    # Another kind of meeting (a group's own plan) names its UIDs itself, e.g. "group-meeting".
    uid_prefix: str = "meeting"


def meeting_uid(meeting_id: int, created_at: datetime, prefix: str = "meeting") -> str:
    """A UID that stays the same when the meeting moves, so calendars update the one event."""
    return f"{prefix}-{meeting_id}-{int(created_at.timestamp())}@hemmaplan"


def meeting_ics(entry: CalendarEntry, zone: ZoneInfo, stamp: datetime) -> bytes:
    """The meeting as a VCALENDAR with one VEVENT in `zone` (with its VTIMEZONE)."""
    return meetings_ics([entry], zone, stamp)


def meetings_ics(entries: Sequence[CalendarEntry], zone: ZoneInfo, stamp: datetime) -> bytes:
    """Several meetings (a group's plan) as one VCALENDAR, one VEVENT each, in `zone`."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    # CANCEL makes a calendar app remove the event it imported earlier with the same UID.
    every_cancelled = bool(entries) and all(entry.cancelled for entry in entries)
    calendar.add("method", "CANCEL" if every_cancelled else "PUBLISH")
    years = [entry.starts_at.astimezone(zone).year for entry in entries] or [stamp.year]
    for entry in entries:
        calendar.add_component(_event(entry, zone, stamp))
    # Only the years around the meetings: the whole tz history makes a file of many kilobytes.
    calendar.add_missing_timezones(
        first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
    )
    return bytes(calendar.to_ical())


def _event(entry: CalendarEntry, zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", meeting_uid(entry.meeting_id, entry.created_at, entry.uid_prefix))
    start = entry.starts_at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=entry.duration_minutes))
    event.add("dtstamp", stamp)
    # Every change must raise SEQUENCE; seconds since creation grow with each move or cancel
    # without a column of their own.
    event.add("sequence", max(0, int((entry.updated_at - entry.created_at).total_seconds())))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event
