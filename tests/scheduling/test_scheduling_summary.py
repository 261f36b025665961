"""When the summary prompts go: the client's preview and the coach's delivery, each outside its
reader's quiet hours; the client's decision picks the delivery's key; nothing after delivery."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.localtime import LocalTiming
from bot.scheduling.summary_plan import (
    SummaryMeeting,
    SummaryPlanInput,
    delivery_key,
    preview_key,
    summary_prompts,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CLIENT = LocalTiming(STOCKHOLM, time(9, 0), time(21, 0), time(8, 0))
# A coach in New York with quiet hours 22–07 there.
COACH = LocalTiming(ZoneInfo("America/New_York"), time(9, 0), time(22, 0), time(7, 0))
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MEETING = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)  # Friday 14:00 Stockholm, 08:00 New York


def plan(*meetings: SummaryMeeting, **kw: object) -> list[tuple[str, datetime]]:
    values: dict[str, object] = {
        "now": NOW,
        "timing": CLIENT,
        "preview_before": timedelta(hours=48),
        "delivery_before": timedelta(hours=24),
        "meetings": meetings,
    }
    values.update(kw)
    return [(p.plan_key, p.due_at) for p in summary_prompts(SummaryPlanInput(**values))]  # type: ignore[arg-type]


def test_preview_48_hours_and_delivery_24_hours_before() -> None:
    got = plan(SummaryMeeting(7, MEETING, CLIENT))
    assert got == [
        (delivery_key(7, "pending"), MEETING - timedelta(hours=24)),
        (preview_key(7), MEETING - timedelta(hours=48)),
    ]


def test_each_prompt_leaves_its_own_readers_quiet_hours() -> None:
    late = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)  # 22:30 Stockholm, 16:30 New York
    got = dict(plan(SummaryMeeting(7, late, COACH)))
    # The preview would come at 22:30 in Stockholm: the next morning at 08:00 instead.
    assert got[preview_key(7)] == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    # The delivery at 16:30 in New York is outside the coach's quiet hours: unchanged.
    assert got[delivery_key(7, "pending")] == late - timedelta(hours=24)
    early = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)  # 06:00 New York the day after
    got = dict(plan(SummaryMeeting(8, early, COACH)))
    assert got[delivery_key(8, "pending")] == datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # 07:00


def test_the_decision_picks_the_delivery_and_a_decided_preview_is_not_sent() -> None:
    for decision in ("approved", "declined"):
        assert plan(SummaryMeeting(7, MEETING, CLIENT, decision=decision)) == [
            (delivery_key(7, decision), MEETING - timedelta(hours=24))
        ]
    auto = plan(SummaryMeeting(7, MEETING, CLIENT, decision="auto"))
    assert [key for key, _ in auto] == [delivery_key(7, "auto"), preview_key(7)]


def test_a_late_approval_goes_at_once_after_the_pending_notice() -> None:
    now = MEETING - timedelta(hours=20)
    closed = frozenset({delivery_key(7, "pending"), preview_key(7)})
    got = plan(SummaryMeeting(7, MEETING, CLIENT, decision="approved"), now=now, closed_keys=closed)
    assert got == [(delivery_key(7, "approved"), now)]
    assert plan(SummaryMeeting(7, MEETING, CLIENT), now=now, closed_keys=closed) == []


def test_nothing_after_delivery_after_the_meeting_or_for_an_inactive_client() -> None:
    assert plan(SummaryMeeting(7, MEETING, CLIENT, delivered=True)) == []
    assert plan(SummaryMeeting(7, NOW - timedelta(hours=1), CLIENT)) == []
    assert plan(SummaryMeeting(7, MEETING, CLIENT), active=False) == []


def test_a_paused_client_gets_no_preview_but_the_coach_is_still_told() -> None:
    got = plan(SummaryMeeting(7, MEETING, CLIENT), paused=True)
    assert got == [(delivery_key(7, "pending"), MEETING - timedelta(hours=24))]


def test_a_meeting_set_at_short_notice_leaves_the_client_half_the_time_to_decide() -> None:
    soon = NOW + timedelta(hours=30)
    got = dict(plan(SummaryMeeting(7, soon, CLIENT)))
    assert got[preview_key(7)] == NOW
    # Halfway is 03:00 at night in Stockholm: the coach's copy comes at 08:00.
    assert got[delivery_key(7, "pending")] == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    tonight = NOW + timedelta(hours=8)  # 21:00 in Stockholm
    got = dict(plan(SummaryMeeting(8, tonight, CLIENT)))
    assert got[preview_key(8)] == NOW
    assert got[delivery_key(8, "pending")] == NOW + timedelta(hours=4)
    # Re-planned later (the client changed something), the coach's copy keeps its time.
    later = NOW + timedelta(hours=1)
    sent = frozenset({preview_key(8)})
    shown = SummaryMeeting(8, tonight, CLIENT, preview_sent_at=NOW)
    got = dict(plan(shown, closed_keys=sent, now=later))
    assert got == {delivery_key(8, "pending"): NOW + timedelta(hours=4)}
