"""The scheduler's side of the pre-meeting summary: what planning it reads, and the decision at
send time (whom a summary prompt goes to, and whether now is a good moment for that person).

The client's preview goes to the client; the summary (or the word that there is none) goes to
the meeting's coach, in the coach's language and outside the coach's quiet hours. Both are rows
of the client's plan, so a change of the client's meetings or decision re-plans them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.scheduling.localtime import LocalTiming
from bot.scheduling.summary_plan import (
    SUMMARY_DELIVERY,
    SUMMARY_KINDS,
    SUMMARY_PREVIEW,
    SummaryMeeting,
    SummaryPlanInput,
)
from bot.storage.models import Person, PlannedPrompt
from bot.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.services.delivery import Outgoing

__all__ = ["SUMMARY_KINDS", "decide_summary_prompt", "summary_plan_input"]


async def summary_plan_input(
    uow: UnitOfWork, client: Person, now: datetime, settings: Settings
) -> SummaryPlanInput:
    """Read what the client's summary prompts depend on."""
    defaults = settings.timing_defaults
    meetings = []
    for meeting in await uow.meetings.upcoming_for_client(client.id, now):
        if meeting.kind == "backstage" or meeting.coach_id is None:
            continue
        if await uow.relations.active(meeting.coach_id, client.id) is None:
            continue
        coach = await uow.people.get(meeting.coach_id)
        if coach is None:
            continue
        consent = await uow.summaries.consent(client.id, coach.id, meeting.id)
        decision = consent.status if consent is not None else "pending"
        if decision == "pending" and client.summary_auto_share:
            decision = "auto"
        meetings.append(
            SummaryMeeting(
                id=meeting.id,
                starts_at=meeting.starts_at,
                coach_timing=LocalTiming.of(coach, defaults),
                decision=decision,
                delivered=consent is not None and consent.delivered_at is not None,
                preview_sent_at=consent.preview_sent_at if consent is not None else None,
            )
        )
    return SummaryPlanInput(
        now=now,
        timing=LocalTiming.of(client, defaults),
        preview_before=timedelta(hours=settings.summary_preview_hours),
        delivery_before=timedelta(hours=settings.summary_delivery_hours),
        meetings=meetings,
        closed_keys=frozenset(await uow.prompts.closed_keys(client.id, SUMMARY_KINDS)),
        paused=client.paused,
        active=client.active and client.consent_at is not None,
    )


async def decide_summary_prompt(
    uow: UnitOfWork, prompt: PlannedPrompt, now: datetime, settings: Settings
) -> Outgoing | None:
    """Send a claimed summary prompt now (to whom), defer it out of its reader's quiet hours,
    or cancel it when its meeting, relation or reader is gone."""
    client = await uow.people.get(prompt.person_id)
    meeting = await uow.meetings.get(prompt.ref_id) if prompt.ref_id is not None else None
    if (
        client is None
        or meeting is None
        or meeting.client_id != client.id
        or meeting.cancelled_at is not None
        or meeting.starts_at <= now
        or meeting.coach_id is None
        or await uow.relations.active(meeting.coach_id, client.id) is None
    ):
        prompt.status = "cancelled"
        return None
    reader: Person | None = client
    if prompt.kind == SUMMARY_DELIVERY:
        reader = await uow.people.get(meeting.coach_id)
    elif prompt.kind != SUMMARY_PREVIEW or client.paused:
        reader = None
    if (
        reader is None
        or reader.telegram_id is None
        or not reader.active
        or reader.consent_at is None
    ):
        prompt.status = "cancelled"
        return None
    timing = LocalTiming.of(reader, settings.timing_defaults)
    if timing.is_quiet(now):
        prompt.due_at = timing.leave_quiet(now)
        prompt.claimed_at = None
        return None
    # Imported here: re-planning (all that `hemmaplan chat` uses of this module) needs no
    # delivery code.
    from bot.services.delivery import Outgoing

    return Outgoing(
        prompt_id=prompt.id,
        attempt=prompt.attempts,
        person_id=client.id,
        telegram_id=reader.telegram_id,
        kind=prompt.kind,
        ref_id=meeting.id,
        locale=reader.locale,
        timezone=reader.timezone,
        variant=0,
        meeting_starts_at=meeting.starts_at,
    )
