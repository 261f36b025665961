"""The desired prompts of one person: offsets, caps with priorities, pauses, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.scheduling.localtime import LocalTiming, local_instant
from bot.scheduling.offsets import PromptOffsets
from bot.scheduling.plan import (
    CommitmentFact,
    DesiredPrompt,
    MeetingFact,
    PlanInput,
    desired_prompts,
    fits,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TIMING = LocalTiming(STOCKHOLM, time(9, 0), time(21, 0), time(8, 0))
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # a Monday


def at(day: date, clock: time = time(9, 0)) -> datetime:
    return local_instant(day, clock, STOCKHOLM)


def meeting(mid: int, day: date, clock: time = time(14, 0), **kw: bool) -> MeetingFact:
    return MeetingFact(mid, at(day, clock), **kw)


def plan(**kw: object) -> list[DesiredPrompt]:
    kw.setdefault("now", NOW)
    kw.setdefault("timing", TIMING)
    return desired_prompts(PlanInput(**kw))  # type: ignore[arg-type]


def keys(prompts: list[DesiredPrompt]) -> list[tuple[str, datetime]]:
    return [(p.plan_key, p.due_at) for p in prompts]


def test_a_meeting_interval_gets_after_nudge_and_before_at_the_check_in_time() -> None:
    meetings = [meeting(1, date(2026, 11, 3)), meeting(2, date(2026, 12, 1))]
    assert keys(plan(meetings=meetings)) == [
        # The meeting is tomorrow: preparation comes now rather than not at all.
        ("before_meeting:1:2026-11-03", NOW),
        ("after_meeting:1", at(date(2026, 11, 4))),
        ("nudge:1", at(date(2026, 11, 17))),
        ("before_meeting:2:2026-12-01", at(date(2026, 11, 29))),
        ("after_meeting:2", at(date(2026, 12, 2))),
    ]


def test_a_coachs_offsets_move_the_prompts() -> None:
    offsets = PromptOffsets().with_overrides(
        {"after_meeting_days": 2, "before_meeting_days": 3, "nudge_percent": True, "x": 1}
    )
    assert offsets == PromptOffsets(after_meeting_days=2, nudge_percent=50, before_meeting_days=3)
    assert PromptOffsets().with_overrides({"before_meeting_days": 99}) == PromptOffsets()
    meetings = [meeting(1, date(2026, 11, 10)), meeting(2, date(2026, 12, 8))]
    result = dict(keys(plan(meetings=meetings, offsets=offsets)))
    assert result["before_meeting:1:2026-11-10"] == at(date(2026, 11, 7))
    assert result["after_meeting:1"] == at(date(2026, 11, 12))


def test_a_commitment_is_checked_on_its_due_date_and_a_new_date_is_a_new_check_in() -> None:
    first = plan(commitments=[CommitmentFact(7, date(2026, 11, 12))])
    assert keys(first) == [("checkin:7:2026-11-12", at(date(2026, 11, 12)))]
    assert (first[0].kind, first[0].ref_id) == ("checkin", 7)
    sent = frozenset({"checkin:7:2026-11-12"})
    later = NOW.replace(day=13)
    moved = plan(now=later, commitments=[CommitmentFact(7, date(2026, 11, 20))], closed_keys=sent)
    assert keys(moved) == [("checkin:7:2026-11-20", at(date(2026, 11, 20)))]
    # What was sent is never planned again, even when still wanted.
    again = plan(now=later, commitments=[CommitmentFact(7, date(2026, 11, 12))], closed_keys=sent)
    assert again == []


def test_the_weekly_cap_lets_preparation_win_and_moves_check_ins_to_free_days() -> None:
    meetings = [meeting(1, date(2026, 11, 12))]  # Thursday; inför mötet on Tuesday 10th
    commitments = [CommitmentFact(3, date(2026, 11, 10)), CommitmentFact(4, date(2026, 11, 9))]
    result = keys(plan(meetings=meetings, commitments=commitments, weekly_cap=2))
    # Preparation and the follow-up keep their days; the check-ins wait for room in the week.
    assert result == [
        ("before_meeting:1:2026-11-12", at(date(2026, 11, 10))),
        ("after_meeting:1", at(date(2026, 11, 13))),
        ("checkin:4:2026-11-09", at(date(2026, 11, 17))),
        ("checkin:3:2026-11-10", at(date(2026, 11, 20))),
    ]
    dues = [due for _, due in result]
    assert all(fits(TIMING, due, [d for d in dues if d != due], 2) for due in dues)
    assert not fits(TIMING, at(date(2026, 11, 11)), dues, 2)
    # With room for three a week, the check-ins come on their own days.
    roomy = dict(keys(plan(meetings=meetings, commitments=commitments, weekly_cap=3)))
    assert roomy["checkin:4:2026-11-09"] == at(date(2026, 11, 9))
    assert roomy["checkin:3:2026-11-10"] == at(date(2026, 11, 16))


def test_sent_prompts_count_towards_the_cap() -> None:
    sent = (at(date(2026, 11, 2), time(10)), at(date(2026, 11, 3)))
    result = plan(commitments=[CommitmentFact(5, date(2026, 11, 4))], recent_sends=sent)
    # Two were sent from 3 Nov 09:00 on, so the next fits exactly 7 days later.
    assert keys(result) == [("checkin:5:2026-11-04", at(date(2026, 11, 10)))]
    capped = plan(
        commitments=[CommitmentFact(5, date(2026, 11, 4))], recent_sends=sent, weekly_cap=3
    )
    assert keys(capped) == [("checkin:5:2026-11-04", at(date(2026, 11, 4)))]


def test_a_pause_plans_nothing_and_a_pause_until_a_date_resumes_then() -> None:
    meetings = [meeting(1, date(2026, 11, 20))]
    commitments = [CommitmentFact(5, date(2026, 11, 4))]
    assert plan(meetings=meetings, commitments=commitments, paused=True) == []
    assert plan(meetings=meetings, commitments=commitments, active=False) == []
    resumed = plan(
        meetings=meetings, commitments=commitments, paused=True, pause_until=date(2026, 11, 19)
    )
    # Preparation comes on the day the pause ends, the follow-up the day after the meeting;
    # the overdue check-in waits for room in the week.
    assert keys(resumed) == [
        ("before_meeting:1:2026-11-20", at(date(2026, 11, 19))),
        ("after_meeting:1", at(date(2026, 11, 21))),
        ("checkin:5:2026-11-04", at(date(2026, 11, 26))),
    ]


def test_no_nudge_after_reflecting_since_the_meeting_and_cancelled_meetings_anchor_nothing() -> (
    None
):
    meetings = [meeting(1, date(2026, 10, 27)), meeting(2, date(2026, 11, 24))]
    with_nudge = dict(keys(plan(meetings=meetings)))
    assert with_nudge["nudge:1"] == at(date(2026, 11, 10))
    reflected = plan(meetings=meetings, last_reflection_at=at(date(2026, 10, 29)))
    assert "nudge:1" not in dict(keys(reflected))
    cancelled = [meeting(1, date(2026, 10, 27)), meeting(2, date(2026, 11, 24), cancelled=True)]
    assert [k for k, _ in keys(plan(meetings=cancelled))] == []


def test_a_late_recorded_meeting_prompts_as_soon_as_quiet_hours_allow() -> None:
    late_evening = at(date(2026, 11, 4), time(22, 30))
    result = plan(now=late_evening, meetings=[meeting(1, date(2026, 11, 3))])
    assert keys(result) == [("after_meeting:1", at(date(2026, 11, 5), time(8, 0)))]
    too_late = plan(now=at(date(2026, 11, 6)), meetings=[meeting(1, date(2026, 11, 3))])
    assert too_late == []


def test_planning_is_a_function_of_its_input() -> None:
    kw = {
        "meetings": [meeting(1, date(2026, 11, 3)), meeting(2, date(2026, 12, 1))],
        "commitments": [CommitmentFact(9, date(2026, 11, 20))],
    }
    assert plan(**kw) == plan(**kw)
