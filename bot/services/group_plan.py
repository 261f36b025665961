"""A Backstage group's meeting plan, pure: the dates, and who owns the case at each meeting.

The plan is the start-up meeting (number 0, no case owner) and then one meeting per member
(numbers 1..size), every `interval_days`, at the same local wall-clock time as the start-up
(so a meeting after a daylight-saving change is still at 13:00 in the group's time zone).
Members get the first case meeting without an owner when they join, so the rotation follows
the order in which they joined; the facilitator can swap owners afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

START_UP = 0


@dataclass(frozen=True)
class PlannedMeeting:
    """One meeting of the plan: its number and start (UTC)."""

    number: int
    starts_at: datetime


def meeting_dates(
    first: datetime, interval_days: int, size: int, zone: ZoneInfo
) -> list[PlannedMeeting]:
    """The start-up at `first` and `size` case meetings after it, each `interval_days` apart
    at the same local time in `zone`."""
    local = first.astimezone(zone).replace(tzinfo=None)
    return [
        PlannedMeeting(
            number, (local + timedelta(days=interval_days * number)).replace(tzinfo=zone)
        )
        for number in range(size + 1)
    ]


def as_utc(planned: PlannedMeeting) -> datetime:
    """The planned start in UTC (what is stored)."""
    return planned.starts_at.astimezone(UTC)


@dataclass(frozen=True)
class Slot:
    """A case meeting as the rotation sees it."""

    number: int
    starts_at: datetime
    owner_id: int | None
    cancelled: bool = False


def first_free_slot(slots: Sequence[Slot], now: datetime) -> Slot | None:
    """The earliest case meeting still ahead that has no case owner, or None."""
    free = [
        s
        for s in slots
        if s.number != START_UP and s.owner_id is None and not s.cancelled and s.starts_at > now
    ]
    return min(free, key=lambda s: s.number) if free else None


def swapped(a: Slot, b: Slot) -> tuple[Slot, Slot]:
    """Two case meetings with their owners exchanged."""
    return (
        Slot(a.number, a.starts_at, b.owner_id, a.cancelled),
        Slot(b.number, b.starts_at, a.owner_id, b.cancelled),
    )
