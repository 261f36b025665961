"""When the pre-meeting summary prompts go out: the client's preview, then the coach's copy.

Pure, like the rest of the planner: from the client's upcoming meetings with a coach, the
client's decision about each and the two people's quiet hours. The delivery's plan key carries
the decision, so a client who approves after the coach was told "not approved yet" still gets
the summary to the coach (a new key), while each decision reaches the coach once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.scheduling.localtime import LocalTiming
from bot.scheduling.plan import DesiredPrompt

SUMMARY_PREVIEW = "summary_preview"
SUMMARY_DELIVERY = "summary_delivery"
SUMMARY_KINDS = (SUMMARY_PREVIEW, SUMMARY_DELIVERY)
# The client's decision as the planner sees it ("auto": automatic sharing, nothing decided).
DECISIONS = ("pending", "approved", "declined", "auto")


@dataclass(frozen=True)
class SummaryMeeting:
    """An upcoming meeting with a coach the client works with now."""

    id: int
    starts_at: datetime
    coach_timing: LocalTiming
    decision: str = "pending"
    delivered: bool = False


@dataclass(frozen=True)
class SummaryPlanInput:
    """What the summary prompts of one client depend on."""

    now: datetime
    timing: LocalTiming  # the client's
    preview_before: timedelta
    delivery_before: timedelta
    meetings: Sequence[SummaryMeeting] = ()
    closed_keys: frozenset[str] = frozenset()
    # A client who paused check-ins gets no preview; the coach is still told nothing was shared.
    paused: bool = False
    active: bool = True


def preview_key(meeting_id: int) -> str:
    """The plan key of the client's preview before a meeting."""
    return f"{SUMMARY_PREVIEW}:{meeting_id}"


def delivery_key(meeting_id: int, decision: str) -> str:
    """The plan key of what the coach gets before a meeting, per decision of the client."""
    return f"{SUMMARY_DELIVERY}:{meeting_id}:{decision}"


def summary_prompts(plan: SummaryPlanInput) -> list[DesiredPrompt]:
    """The preview and delivery prompts wanted from now on, each outside its reader's quiet
    hours (the preview in the client's, the delivery in the coach's)."""
    if not plan.active:
        return []
    wanted: list[DesiredPrompt] = []
    for meeting in plan.meetings:
        if meeting.starts_at <= plan.now or meeting.delivered:
            continue
        coach = meeting.coach_timing
        delivery_at = coach.leave_quiet(max(meeting.starts_at - plan.delivery_before, plan.now))
        if delivery_at >= meeting.starts_at:
            continue  # the coach's quiet hours last until the meeting: nothing useful to send
        key = delivery_key(meeting.id, meeting.decision)
        if key not in plan.closed_keys:
            wanted.append(DesiredPrompt(SUMMARY_DELIVERY, meeting.id, key, delivery_at))
        key = preview_key(meeting.id)
        if plan.paused or meeting.decision not in ("pending", "auto") or key in plan.closed_keys:
            continue
        preview_at = plan.timing.leave_quiet(max(meeting.starts_at - plan.preview_before, plan.now))
        if preview_at < delivery_at:
            wanted.append(DesiredPrompt(SUMMARY_PREVIEW, meeting.id, key, preview_at))
    return wanted
