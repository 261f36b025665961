"""The schedule of record: re-plan one person's prompts, re-plan everyone marked, the agenda."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from bot.config import Settings
from bot.scheduling.localtime import LocalTiming
from bot.scheduling.plan import (
    PLANNED_KINDS,
    UNCOUNTED_KINDS,
    WEEK,
    CommitmentFact,
    DesiredPrompt,
    GroupMeetingFact,
    GroupTiming,
    LedMeetingFact,
    MeetingFact,
    PlanInput,
    desired_prompts,
)
from bot.scheduling.summary_plan import SUMMARY_KINDS, summary_prompts
from bot.services.summary_schedule import summary_plan_input
from bot.storage.models import Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplanResult:
    """What one re-plan wanted and how many planned rows it cancelled."""

    person_id: int
    wanted: tuple[DesiredPrompt, ...]
    cancelled: int


@dataclass(frozen=True)
class AgendaMeeting:
    """An upcoming meeting as the agenda shows it."""

    id: int
    starts_at: datetime
    duration_minutes: int
    kind: str


@dataclass(frozen=True)
class AgendaPrompt:
    """A planned prompt as the agenda shows it (with the commitment it is about, if any)."""

    id: int
    kind: str
    ref_id: int | None
    due_at: datetime
    commitment_text: str | None = None
    commitment_due: date | None = None
    meeting_starts_at: datetime | None = None


@dataclass(frozen=True)
class Agenda:
    """A person's next meetings and planned prompts, and the time zone they are shown in."""

    person_id: int
    timezone: str
    meetings: tuple[AgendaMeeting, ...]
    prompts: tuple[AgendaPrompt, ...]


class ScheduleService:
    """Plans prompts from meetings and commitments into `planned_prompts` (one unit of work per
    person), never touching what was already sent."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    def timing(self, person: Person) -> LocalTiming:
        """The person's time zone, check-in time and quiet hours (defaults filled in)."""
        return LocalTiming.of(person, self._settings.timing_defaults)

    async def replan(self, person_id: int, now: datetime) -> ReplanResult | None:
        """Re-plan one person's pending prompts now; None if there is no such person."""
        async with self._uow_factory() as uow:
            result = await self.replan_in(uow, person_id, now)
            await uow.commit()
        return result

    async def replan_marked(self, now: datetime, limit: int = 100) -> int:
        """Re-plan people marked with `replan_at` (oldest first); return how many were done.

        Each person gets their own unit of work; the mark is cleared only if it is unchanged, so
        a change made while re-planning is re-planned on the next call. A failure keeps the mark.
        """
        async with self._uow_factory() as uow:
            marked = await uow.people.marked_for_replan(limit)
        done = 0
        for person_id, mark in marked:
            try:
                async with self._uow_factory() as uow:
                    await self.replan_in(uow, person_id, now)
                    await uow.people.clear_replan(person_id, mark)
                    await uow.commit()
                done += 1
            except Exception:  # one person's failure must not stop everyone else's plan
                log.exception("re-planning person %s failed; kept for the next tick", person_id)
        return done

    async def replan_in(
        self, uow: UnitOfWork, person_id: int, now: datetime
    ) -> ReplanResult | None:
        """Re-plan inside the caller's unit of work (the caller commits)."""
        person = await uow.people.lock(person_id)
        if person is None:
            return None
        wanted = desired_prompts(await self._plan_input(uow, person, now))
        wanted += summary_prompts(await summary_plan_input(uow, person, now, self._settings))
        await uow.prompts.upsert_planned(
            person.id, [(p.kind, p.ref_id, p.plan_key, p.due_at) for p in wanted]
        )
        cancelled = await uow.prompts.cancel_planned_except(
            person.id, PLANNED_KINDS + SUMMARY_KINDS, [p.plan_key for p in wanted]
        )
        return ReplanResult(person.id, tuple(wanted), cancelled)

    async def _plan_input(self, uow: UnitOfWork, person: Person, now: datetime) -> PlanInput:
        """Read everything the person's schedule depends on."""
        offsets = self._settings.prompt_offsets
        coaches = await uow.relations.coaches_of(person.id)
        if coaches:
            offsets = offsets.with_overrides(coaches[0].prompt_offsets)
        meetings = await uow.meetings.list_for_client(person.id)
        commitments = await uow.commitments.open_for(person.id)
        closed = await uow.prompts.closed_keys(person.id, PLANNED_KINDS)
        sent = await uow.prompts.sent_times_since(person.id, now - WEEK, uncounted=UNCOUNTED_KINDS)
        return PlanInput(
            now=now,
            timing=self.timing(person),
            offsets=offsets,
            weekly_cap=person.weekly_prompt_cap or self._settings.weekly_prompt_cap,
            active=person.active,
            paused=person.paused,
            pause_until=person.pause_until,
            auto_paused=person.paused and person.auto_paused_at is not None,
            meetings=[
                MeetingFact(
                    m.id, m.starts_at, m.cancelled_at is not None, m.group_meeting_id is not None
                )
                for m in meetings
            ],
            commitments=[CommitmentFact(c.id, c.due_date) for c in commitments],
            closed_keys=frozenset(closed),
            recent_sends=tuple(sent),
            last_reflection_at=await uow.runs.last_finished_at(person.id),
            group_meetings=await self._group_facts(uow, person.id, now),
            led_meetings=await self._led_facts(uow, person.id, now),
            group_timing=GroupTiming(
                case_prep_days=self._settings.case_prep_days,
                brief_days=self._settings.group_brief_days,
            ),
        )

    @staticmethod
    async def _led_facts(uow: UnitOfWork, person_id: int, now: datetime) -> list[LedMeetingFact]:
        """The meetings ahead of the groups the person leads."""
        facts: list[LedMeetingFact] = []
        for group in await uow.groups.led_by(person_id):
            for gm in await uow.groups.meetings(group.id):
                if gm.cancelled_at is None and gm.starts_at > now:
                    facts.append(LedMeetingFact(gm.id, gm.starts_at, group.chat_id is not None))
        return facts

    @staticmethod
    async def _group_facts(
        uow: UnitOfWork, person_id: int, now: datetime
    ) -> list[GroupMeetingFact]:
        """The person's group meetings ahead: their own case, or someone else's shared brief."""
        facts: list[GroupMeetingFact] = []
        for copy, gm, _ in await uow.groups.member_meetings(person_id):
            if (
                copy.cancelled_at is not None
                or gm.cancelled_at is not None
                or copy.starts_at <= now
            ):
                continue
            owner_id = gm.case_owner_id
            case = await uow.groups.case_run(owner_id, gm.id) if owner_id is not None else None
            shared = False
            if case is not None and owner_id != person_id:
                shared = bool(await uow.groups.answers_of(case.id, ("group",)))
            facts.append(
                GroupMeetingFact(
                    copy.id,
                    copy.starts_at,
                    case_owner=owner_id == person_id,
                    brief_shared=shared,
                    case_prepared=owner_id == person_id and case is not None,
                )
            )
        return facts

    async def agenda(self, person_id: int, now: datetime, *, limit: int = 10) -> Agenda | None:
        """The person's next meetings and planned prompts (including ones due but not sent)."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                return None
            meetings = [
                AgendaMeeting(m.id, m.starts_at, m.duration_minutes, m.kind)
                for m in await uow.meetings.list_for_client(person_id)
                if m.cancelled_at is None and m.starts_at >= now
            ][:limit]
            prompts = [
                await self._describe(uow, row.id, row.kind, row.ref_id, row.due_at)
                for row in await uow.prompts.upcoming_for(person_id, limit=limit)
            ]
            return Agenda(
                person.id,
                self.timing(person).zone.key,
                tuple(meetings),
                tuple(prompts),
            )

    async def due_for(self, person_id: int, now: datetime) -> list[AgendaPrompt]:
        """Planned prompts due by `now` that have not been sent (what `hemmaplan chat` offers)."""
        async with self._uow_factory() as uow:
            rows = await uow.prompts.upcoming_for(person_id, due_before=now)
            return [await self._describe(uow, r.id, r.kind, r.ref_id, r.due_at) for r in rows]

    async def take(self, person_id: int, prompt_id: int, now: datetime) -> bool:
        """Record that the person started a due prompt themselves (so it is not offered again)."""
        async with self._uow_factory() as uow:
            prompt = await uow.prompts.get(prompt_id)
            if prompt is None or prompt.person_id != person_id or prompt.status != "planned":
                return False
            prompt.status = "answered"
            prompt.acted_at = now
            await uow.commit()
        return True

    @staticmethod
    async def _describe(
        uow: UnitOfWork, prompt_id: int, kind: str, ref_id: int | None, due_at: datetime
    ) -> AgendaPrompt:
        if kind == "checkin" and ref_id is not None:
            commitment = await uow.commitments.get(ref_id)
            if commitment is not None:
                return AgendaPrompt(
                    prompt_id, kind, ref_id, due_at, commitment.text, commitment.due_date
                )
        if kind in ("after_meeting", "before_meeting", "nudge", *SUMMARY_KINDS) and ref_id:
            meeting = await uow.meetings.get(ref_id)
            if meeting is not None:
                return AgendaPrompt(
                    prompt_id, kind, ref_id, due_at, meeting_starts_at=meeting.starts_at
                )
        return AgendaPrompt(prompt_id, kind, ref_id, due_at)
