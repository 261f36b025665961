"""Local times: check-in time in the person's zone, quiet hours, daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.localtime import (
    CHECKIN_IN_QUIET_HOURS,
    LocalTiming,
    TimingDefaults,
    checkin_time_problem,
    in_quiet_hours,
    local_instant,
    zone_or,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def timing(zone: ZoneInfo, checkin: time = time(9, 0)) -> LocalTiming:
    return LocalTiming(zone, checkin, time(21, 0), time(8, 0))


@pytest.mark.parametrize(
    ("at", "quiet"),
    [
        (time(20, 59), False),
        (time(21, 0), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_wrap_midnight(at: time, quiet: bool) -> None:
    assert in_quiet_hours(at, time(21, 0), time(8, 0)) is quiet


def test_quiet_hours_within_one_day_and_empty() -> None:
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(14, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(3, 0), time(8, 0), time(8, 0))


def test_checkin_time_inside_quiet_hours_is_refused_with_a_key() -> None:
    assert checkin_time_problem(time(22, 30), time(21, 0), time(8, 0)) == CHECKIN_IN_QUIET_HOURS
    assert checkin_time_problem(time(7, 0), time(21, 0), time(8, 0)) == CHECKIN_IN_QUIET_HOURS
    assert checkin_time_problem(time(8, 0), time(21, 0), time(8, 0)) is None
    assert checkin_time_problem(time(20, 59), time(21, 0), time(8, 0)) is None


@pytest.mark.parametrize(
    ("zone", "before", "after", "hours_before", "hours_after"),
    [
        # Stockholm: CET → CEST on 29 March, CEST → CET on 25 October 2026.
        (STOCKHOLM, date(2026, 3, 28), date(2026, 3, 30), 8, 7),
        (STOCKHOLM, date(2026, 10, 24), date(2026, 10, 26), 7, 8),
        # New York: EST → EDT on 8 March, EDT → EST on 1 November 2026.
        (NEW_YORK, date(2026, 3, 7), date(2026, 3, 9), 14, 13),
        (NEW_YORK, date(2026, 10, 31), date(2026, 11, 2), 13, 14),
        # Kolkata has no daylight saving: always UTC+5:30.
        (KOLKATA, date(2026, 3, 28), date(2026, 3, 30), 3, 3),
    ],
)
def test_the_check_in_time_stays_at_local_nine_across_dst(
    zone: ZoneInfo, before: date, after: date, hours_before: int, hours_after: int
) -> None:
    t = timing(zone)
    first, second = t.on_day(before), t.on_day(after)
    assert first.astimezone(zone).time() == time(9, 0)
    assert second.astimezone(zone).time() == time(9, 0)
    if zone is KOLKATA:
        assert first.time() == time(3, 30) and second.time() == time(3, 30)
    else:
        assert first.hour == hours_before and second.hour == hours_after


def test_a_wall_time_skipped_in_spring_moves_forward_and_a_doubled_one_means_the_first() -> None:
    skipped = local_instant(date(2026, 3, 29), time(2, 30), STOCKHOLM)
    assert skipped == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert skipped.astimezone(STOCKHOLM).time() == time(3, 30)
    doubled = local_instant(date(2026, 10, 25), time(2, 30), STOCKHOLM)
    assert doubled == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_time_in_quiet_hours_moves_to_their_end() -> None:
    t = LocalTiming(STOCKHOLM, time(9, 0), time(21, 0), time(8, 0))
    evening = local_instant(date(2026, 11, 30), time(22, 15), STOCKHOLM)
    morning = local_instant(date(2026, 12, 1), time(6, 0), STOCKHOLM)
    assert t.leave_quiet(evening) == local_instant(date(2026, 12, 1), time(8, 0), STOCKHOLM)
    assert t.leave_quiet(morning) == local_instant(date(2026, 12, 1), time(8, 0), STOCKHOLM)
    noon = local_instant(date(2026, 12, 1), time(12, 0), STOCKHOLM)
    assert t.leave_quiet(noon) == noon
    # A check-in time set (before validation existed) inside quiet hours still never fires there.
    late = LocalTiming(STOCKHOLM, time(23, 0), time(21, 0), time(8, 0))
    assert late.on_day(date(2026, 12, 1)) == local_instant(date(2026, 12, 2), time(8, 0), STOCKHOLM)


def test_next_and_tomorrow_at_the_check_in_time() -> None:
    t = timing(NEW_YORK)
    before_nine = local_instant(date(2026, 11, 30), time(7, 0), NEW_YORK)
    after_nine = local_instant(date(2026, 11, 30), time(10, 0), NEW_YORK)
    assert t.next_at(before_nine) == local_instant(date(2026, 11, 30), time(9, 0), NEW_YORK)
    assert t.next_at(after_nine) == local_instant(date(2026, 12, 1), time(9, 0), NEW_YORK)
    assert t.tomorrow(before_nine) == local_instant(date(2026, 12, 1), time(9, 0), NEW_YORK)
    # "This evening" at 18:00; after 18:00 it is tomorrow evening.
    assert t.next_at(after_nine, time(18, 0)) == local_instant(
        date(2026, 11, 30), time(18, 0), NEW_YORK
    )
    # Just past 23:00 UTC is already the next local day in Kolkata.
    kolkata = timing(KOLKATA)
    now = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert kolkata.local_date(now) == date(2026, 12, 1)
    assert kolkata.next_at(now) == datetime(2026, 12, 1, 3, 30, tzinfo=UTC)
    assert kolkata.next_at(now) - now < timedelta(hours=5)


def test_a_person_without_choices_gets_the_defaults_and_an_unknown_zone_falls_back() -> None:
    class Row:
        timezone: str | None = "Not/AZone"
        checkin_time: time | None = None
        quiet_start: time | None = time(22, 0)
        quiet_end: time | None = None

    defaults = TimingDefaults("Asia/Kolkata", time(10, 0), time(21, 0), time(7, 0))
    t = LocalTiming.of(Row(), defaults)
    assert t == LocalTiming(KOLKATA, time(10, 0), time(22, 0), time(7, 0))
    assert zone_or(None, "Europe/Stockholm") == STOCKHOLM


def test_the_refusal_is_worded_in_the_persons_language() -> None:
    from bot.i18n import get_translator
    from bot.scheduling.texts import checkin_problem_text

    key = checkin_time_problem(time(22, 0), time(21, 0), time(7, 30))
    assert key is not None
    sv = checkin_problem_text(key, get_translator("sv"), time(22, 0), time(21, 0), time(7, 30))
    en = checkin_problem_text(key, get_translator("en"), time(22, 0), time(21, 0), time(7, 30))
    assert sv.startswith("22:00 ligger inom dina tysta timmar (21:00–07:30)")
    assert en.startswith("22:00 is inside your quiet hours (21:00–07:30)")
