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
# A preview this much later than its planned time came late (the meeting was set at short
# notice), not just a sending tick or two behind.
LATE_PREVIEW = timedelta(hours=1)


@dataclass(frozen=True)
class SummaryMeeting:
    """An upcoming meeting with a coach the client works with now."""

    id: int
    starts_at: datetime
    coach_timing: LocalTiming
    decision: str = "pending"
    delivered: bool = False
    # When the scheduled preview reached the client (None: not yet).
    preview_sent_at: datetime | None = None


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
    hours (the preview in the client's, the delivery in the coach's). A preview that comes late
    (a meeting set at short notice) leaves the client at least half of the remaining time to
    decide before the coach's copy goes."""
    if not plan.active:
        return []
    wanted: list[DesiredPrompt] = []
    for meeting in plan.meetings:
        start = meeting.starts_at
        if start <= plan.now or meeting.delivered:
            continue
        preview = preview_key(meeting.id)
        preview_at: datetime | None = None
        if (
            not plan.paused
            and meeting.decision in ("pending", "auto")
            and preview not in plan.closed_keys
        ):
            preview_at = plan.timing.leave_quiet(max(start - plan.preview_before, plan.now))
        deliver_from = start - plan.delivery_before
        shown_at = meeting.preview_sent_at or preview_at
        on_time = plan.timing.leave_quiet(start - plan.preview_before) + LATE_PREVIEW
        if shown_at is not None and shown_at > on_time:
            # Set at short notice: the preview went (or goes) late, so the coach's copy waits
            # until halfway from it to the meeting.
            deliver_from = max(deliver_from, shown_at + (start - shown_at) / 2)
        delivery_at = meeting.coach_timing.leave_quiet(max(deliver_from, plan.now))
        if delivery_at >= start:
            continue  # the coach's quiet hours last until the meeting: nothing useful to send
        key = delivery_key(meeting.id, meeting.decision)
        if key not in plan.closed_keys:
            wanted.append(DesiredPrompt(SUMMARY_DELIVERY, meeting.id, key, delivery_at))
        if preview_at is not None and preview_at < delivery_at:
            wanted.append(DesiredPrompt(SUMMARY_PREVIEW, meeting.id, preview, preview_at))
    return wanted
