"""Local wall-clock times in a person's time zone: DST-safe conversion and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The key `checkin_time_problem` returns; `bot.scheduling.texts.problem_text` words it.
CHECKIN_IN_QUIET_HOURS = "checkin_in_quiet_hours"


def zone_or(name: str | None, default: str) -> ZoneInfo:
    """The named time zone, or `default` when unset or unknown to the tz database."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(default)


def in_quiet_hours(at: time, quiet_start: time, quiet_end: time) -> bool:
    """True if local time `at` is in [quiet_start, quiet_end); the window may wrap midnight."""
    at = at.replace(tzinfo=None, fold=0)
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= at < quiet_end
    return at >= quiet_start or at < quiet_end


def checkin_time_problem(checkin: time, quiet_start: time, quiet_end: time) -> str | None:
    """Why this check-in time cannot go with these quiet hours (a key), or None if it can."""
    if in_quiet_hours(checkin, quiet_start, quiet_end):
        return CHECKIN_IN_QUIET_HOURS
    return None


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `zone`.

    A wall time skipped by a spring-forward change comes out moved forward by the gap
    (02:30 → 03:30): zoneinfo reads it with the offset from before the change. A wall time that
    happens twice in autumn means its first occurrence (fold=0).
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC)


class TimingSource(Protocol):
    """What a person row (or anything like it) says about their own times; None = default."""

    timezone: str | None
    checkin_time: time | None
    quiet_start: time | None
    quiet_end: time | None


@dataclass(frozen=True)
class TimingDefaults:
    """The settings used for whatever a person has not chosen themselves."""

    timezone: str = "Europe/Stockholm"
    checkin_time: time = time(9, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)


@dataclass(frozen=True)
class LocalTiming:
    """One person's time zone, check-in time and quiet hours, with the arithmetic on them."""

    zone: ZoneInfo
    checkin: time
    quiet_start: time
    quiet_end: time

    @classmethod
    def of(cls, person: TimingSource, defaults: TimingDefaults) -> LocalTiming:
        """The person's own choices, falling back to the defaults."""
        quiet_start = person.quiet_start or defaults.quiet_start
        quiet_end = person.quiet_end or defaults.quiet_end
        checkin = person.checkin_time or defaults.checkin_time
        return cls(
            zone=zone_or(person.timezone, defaults.timezone),
            checkin=checkin.replace(tzinfo=None),
            quiet_start=quiet_start.replace(tzinfo=None),
            quiet_end=quiet_end.replace(tzinfo=None),
        )

    def local(self, instant: datetime) -> datetime:
        """The wall-clock time of a UTC instant."""
        return instant.astimezone(self.zone)

    def local_date(self, instant: datetime) -> date:
        """The local calendar day of a UTC instant."""
        return instant.astimezone(self.zone).date()

    def is_quiet(self, instant: datetime) -> bool:
        """True if the instant falls in the person's quiet hours."""
        return in_quiet_hours(self.local(instant).time(), self.quiet_start, self.quiet_end)

    def leave_quiet(self, instant: datetime) -> datetime:
        """`instant` if outside quiet hours, otherwise the moment those quiet hours end."""
        local = self.local(instant)
        if not in_quiet_hours(local.time(), self.quiet_start, self.quiet_end):
            return instant
        end_day = local.date()
        # Quiet hours that wrap midnight and began this evening end tomorrow morning.
        if self.quiet_start > self.quiet_end and local.time().replace(tzinfo=None) >= (
            self.quiet_start
        ):
            end_day += timedelta(days=1)
        return local_instant(end_day, self.quiet_end, self.zone)

    def on_day(self, day: date, at: time | None = None) -> datetime:
        """`at` (default: the check-in time) on the local `day`, moved out of quiet hours."""
        return self.leave_quiet(local_instant(day, at or self.checkin, self.zone))

    def next_at(self, now: datetime, at: time | None = None) -> datetime:
        """The first `at` (default: the check-in time) local time after `now`, out of quiet hours.

        E.g. a snooze to "this evening" is `next_at(now, time(18, 0))`.
        """
        day = self.local_date(now)
        for offset in range(3):
            candidate = self.on_day(day + timedelta(days=offset), at)
            if candidate > now:
                return candidate
        raise AssertionError("a local time recurs within three days")

    def tomorrow(self, now: datetime, at: time | None = None) -> datetime:
        """`at` (default: the check-in time) on the local day after `now`'s, out of quiet hours."""
        return self.on_day(self.local_date(now) + timedelta(days=1), at)
