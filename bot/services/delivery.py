"""Delivery of planned prompts: claim what is due, decide at send time, record what happened,
and act on a prompt's buttons (start now, snooze, skip). Prompt fatigue lives here too.

Exactly once: a claim takes a lease on a batch of rows (`claimed_at`, `attempts` as the claim's
token); a process that dies while holding a lease gives the rows back when it expires, so
nothing is lost. Shortly before a small group of messages goes out (a second ahead, so that a
slow commit does not delay them), `begin_sending` turns those rows from `planned` to `sent` (no
`sent_at` yet) if the lease is still ours; `sent_at` and the Telegram message ids are recorded
after the batch.

Which way a crash errs: a process that dies after `begin_sending` but before its messages went
out (or before recording them) leaves those rows `sent` without a `sent_at`, and they are never
sent again. We err towards losing those few prompts rather than sending them twice: a duplicated
check-in reads as nagging and counts towards prompt fatigue, while a lost one is one gentle
reminder fewer, and the next planned prompt still comes. The window is about a second of
sending per process (the marked groups); the rest of a claimed batch is not lost, because its
lease runs out and another process (or the restarted one) sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.config import Settings
from bot.scheduling.localtime import LocalTiming, in_quiet_hours
from bot.scheduling.plan import (
    AFTER_MEETING,
    BEFORE_MEETING,
    CASE_PREP,
    CHECKIN,
    GROUP_BRIEF,
    GROUP_CHAT,
    GROUP_VIEW,
    NUDGE,
    THROUGH_AUTO_PAUSE,
    UNCOUNTED_KINDS,
)
from bot.scheduling.summary_plan import SUMMARY_KINDS
from bot.storage.models import Person, PlannedPrompt
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

# The auto-pause notice is the one kind the planner does not plan.
AUTO_PAUSED = "auto_paused"
# The dialogue "start now" opens for each kind (a nudge offers a choice instead).
DIALOGUE_OF_KIND = {
    CHECKIN: "checkin",
    BEFORE_MEETING: "infor_motet",
    AFTER_MEETING: "efter_motet",
    CASE_PREP: "case_forberedelse",
}
# Posts to a group's own chat (Telegram allows 20 a minute in a group): a full minute puts the
# reminder back this long.
CHAT_RETRY = timedelta(seconds=60)
NUDGE_DIALOGUES = ("nulage", "nasta_steg")
# Preparation before a meeting wins over the weekly cap; a snooze is a prompt the person asked for.
# So does a Backstage case owner's preparation, and a brief only informs.
CAP_EXEMPT_KINDS = frozenset(
    {BEFORE_MEETING, AUTO_PAUSED, CASE_PREP, GROUP_BRIEF, GROUP_VIEW, GROUP_CHAT}
)
SNOOZE_KEY_PREFIX = "snooze:"
# After this many ignored prompts in a row the product pauses itself.
IGNORED_TO_PAUSE = 2
WEEK = timedelta(days=7)

START = "start"
SKIP = "skip"
SNOOZE_HOUR = "hour"
SNOOZE_EVENING = "evening"
SNOOZE_TOMORROW = "tomorrow"
RESUME = "resume"
ACTIONS = (START, SKIP, SNOOZE_HOUR, SNOOZE_EVENING, SNOOZE_TOMORROW, RESUME)
# "This evening" means this local time; offered only while it is at least an hour away.
EVENING = time(18, 0)


@dataclass(frozen=True)
class Outgoing:
    """A prompt to send now, with the material its text shows (read inside the claim)."""

    prompt_id: int
    # The claim's token: `begin_send` only sends if the row is still held by this claim.
    attempt: int
    person_id: int
    telegram_id: int
    kind: str
    ref_id: int | None
    locale: str | None
    timezone: str | None
    variant: int
    snoozed: bool = False
    commitment_text: str | None = None
    commitment_due: date | None = None
    meeting_starts_at: datetime | None = None
    offer_evening: bool = False
    # Backstage: the group, the meeting's case owner and the usual place (logistics texts).
    group_name: str | None = None
    case_owner: str | None = None
    place: str | None = None
    # The automatic pause's notice: the groups the person leads (their reminders go on).
    led_groups: str | None = None


@dataclass(frozen=True)
class Material:
    """What a prompt is about, as its text shows it."""

    commitment_text: str | None = None
    commitment_due: date | None = None
    meeting_starts_at: datetime | None = None
    group_name: str | None = None
    case_owner: str | None = None
    place: str | None = None
    # A group's own chat: the reminder goes there instead of to the person.
    chat_id: int | None = None


@dataclass(frozen=True)
class ActResult:
    """What acting on a prompt did; `stale` when it was handled before or is not theirs."""

    status: str  # "ok", "stale", "gone" (what it was about no longer exists or is closed)
    kind: str = ""
    action: str = ""
    ref_id: int | None = None
    dialogue_id: str | None = None
    snoozed_until: datetime | None = None


class DeliveryService:
    """Claims due prompts for a sender, records the outcome and handles the prompt buttons."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    def timing(self, person: Person) -> LocalTiming:
        """The person's time zone, check-in time and quiet hours (defaults filled in)."""
        return LocalTiming.of(person, self._settings.timing_defaults)

    async def claim(self, now: datetime, limit: int) -> list[Outgoing]:
        """Claim up to `limit` due prompts and decide each one now: send, defer out of quiet
        hours, or cancel. The ones to send stay leased to the caller until `begin_send`."""
        return (await self.claim_batch(now, limit))[1]

    async def claim_batch(self, now: datetime, limit: int) -> tuple[int, list[Outgoing]]:
        """Like `claim`, also saying how many rows were claimed (0: nothing is due)."""
        async with self._uow_factory() as uow:
            claimed = await uow.prompts.claim_due(now, limit, telegram_only=True)
            outgoing: list[Outgoing] = []
            if claimed:
                batch = await _BatchFacts.load(uow, claimed, now - WEEK)
                for prompt in claimed:
                    ready = await self._decide(uow, prompt, now, batch)
                    if ready is not None:
                        outgoing.append(ready)
            await uow.commit()
        return len(claimed), outgoing

    async def _decide(
        self, uow: UnitOfWork, prompt: PlannedPrompt, now: datetime, batch: _BatchFacts
    ) -> Outgoing | None:
        if prompt.kind in SUMMARY_KINDS:
            # Read by the coach or in the client's preview, outside the check-in rhythm: no cap.
            # (Imported here: that module builds this module's Outgoing.)
            from bot.services.summary_schedule import decide_summary_prompt

            return await decide_summary_prompt(uow, prompt, now, self._settings)
        # Rows of the batch were loaded in bulk: these lookups come from the session's map.
        person = await uow.people.get(prompt.person_id)
        if (
            person is None
            or person.telegram_id is None
            or not person.active
            or person.consent_at is None
        ):
            prompt.status = "cancelled"
            return None
        timing = self.timing(person)
        pause_over = person.pause_until is not None and timing.local_date(now) >= person.pause_until
        if person.paused and pause_over:
            # The pause has run out: check-ins resume (the planner re-plans them).
            person.paused = False
            person.pause_until = None
            person.replan_at = now
        auto_paused = person.paused and person.auto_paused_at is not None
        if prompt.kind == AUTO_PAUSED:
            # A notice that went back into the plan (a failed send) still goes out while the
            # pause it announces holds; once check-ins resumed it would no longer be true.
            if not auto_paused:
                prompt.status = "cancelled"
                return None
            if timing.is_quiet(now):
                prompt.due_at = timing.leave_quiet(now)
                prompt.claimed_at = None
                return None
            return await self._notice(uow, prompt, person)
        if person.paused and not (auto_paused and prompt.kind in THROUGH_AUTO_PAUSE):
            prompt.status = "cancelled"
            return None
        if timing.is_quiet(now):
            # Planned before the person changed their quiet hours, or delayed until they began.
            prompt.due_at = timing.leave_quiet(now)
            prompt.claimed_at = None
            return None
        material = await self._material(uow, prompt, person)
        if material is None:
            prompt.status = "cancelled"
            return None
        if material.chat_id is not None and not await uow.groups.reserve_chat_post(
            material.chat_id, datetime.now(UTC), self._settings.group_chat_per_minute
        ):
            # The chat's minute is full (Telegram's wall-clock limit): try again shortly.
            prompt.due_at = now + CHAT_RETRY
            prompt.claimed_at = None
            return None
        # The group's case work is not held back by fatigue (it goes out through the pause
        # too); the next prompt of the person's own rhythm decides about pausing.
        if prompt.kind not in THROUGH_AUTO_PAUSE and self._tired(
            person, batch.unacted.pop(person.id, []), batch.group_unacted.pop(person.id, [])
        ):
            prompt.status = "cancelled"
            return await self._auto_pause(uow, person, now)
        snoozed = (prompt.plan_key or "").startswith(SNOOZE_KEY_PREFIX)
        if not snoozed and prompt.kind not in CAP_EXEMPT_KINDS:
            cap = person.weekly_prompt_cap or self._settings.weekly_prompt_cap
            if batch.sent_this_week.get(person.id, 0) >= cap:
                prompt.status = "cancelled"
                return None
        prompt.variant = batch.kinds_sent.get((person.id, prompt.kind), 0)
        # Later prompts of the same batch see this one as sent (cap, wording).
        if prompt.kind not in UNCOUNTED_KINDS:
            batch.sent_this_week[person.id] = batch.sent_this_week.get(person.id, 0) + 1
        batch.kinds_sent[(person.id, prompt.kind)] = prompt.variant + 1
        local_now = timing.local(now)
        return Outgoing(
            prompt_id=prompt.id,
            attempt=prompt.attempts,
            person_id=person.id,
            telegram_id=material.chat_id or person.telegram_id,
            kind=prompt.kind,
            ref_id=prompt.ref_id,
            locale=person.locale,
            timezone=person.timezone,
            variant=prompt.variant,
            snoozed=snoozed,
            offer_evening=_evening_offered(timing, local_now.time()),
            commitment_text=material.commitment_text,
            commitment_due=material.commitment_due,
            meeting_starts_at=material.meeting_starts_at,
            group_name=material.group_name,
            case_owner=material.case_owner,
            place=material.place,
        )

    async def _material(
        self, uow: UnitOfWork, prompt: PlannedPrompt, person: Person
    ) -> Material | None:
        """What the prompt is about, or None if that is gone (closed commitment, cancelled
        meeting, a nudge after the person reflected anyway)."""
        if prompt.kind == CHECKIN:
            commitment = (
                await uow.commitments.get(prompt.ref_id) if prompt.ref_id is not None else None
            )
            if commitment is None or commitment.person_id != person.id:
                return None
            if commitment.status != "open":
                return None
            return Material(commitment_text=commitment.text, commitment_due=commitment.due_date)
        if prompt.kind in (BEFORE_MEETING, AFTER_MEETING, NUDGE):
            meeting = await uow.meetings.get(prompt.ref_id) if prompt.ref_id is not None else None
            if meeting is None or meeting.client_id != person.id or meeting.cancelled_at:
                return None
            if prompt.kind == NUDGE and await uow.runs.finished_since(person.id, meeting.starts_at):
                # The nudge is for people who have not reflected since the meeting.
                return None
            if meeting.group_meeting_id is not None:
                # A Backstage group's meeting: the prompt names the group.
                found = await uow.groups.of_member_meeting(meeting.id)
                name = found[1].name if found is not None else None
                return Material(meeting_starts_at=meeting.starts_at, group_name=name)
            return Material(meeting_starts_at=meeting.starts_at)
        if prompt.kind in (CASE_PREP, GROUP_BRIEF):
            return await self._group_material(uow, prompt, person)
        if prompt.kind in (GROUP_VIEW, GROUP_CHAT):
            return await self._facilitator_material(uow, prompt, person)
        return None

    @staticmethod
    async def _facilitator_material(
        uow: UnitOfWork, prompt: PlannedPrompt, person: Person
    ) -> Material | None:
        """A meeting ahead of a group the person leads (and its chat, for the reminder)."""
        gm = await uow.groups.meeting(prompt.ref_id) if prompt.ref_id is not None else None
        group = await uow.groups.get(gm.group_id) if gm is not None else None
        if gm is None or group is None or group.facilitator_id != person.id or gm.cancelled_at:
            return None
        if prompt.kind == GROUP_CHAT and group.chat_id is None:
            return None
        owner = await uow.people.get(gm.case_owner_id) if gm.case_owner_id else None
        return Material(
            meeting_starts_at=gm.starts_at,
            group_name=group.name,
            case_owner=(owner.display_name or f"#{owner.id}") if owner is not None else None,
            place=group.place,
            chat_id=group.chat_id if prompt.kind == GROUP_CHAT else None,
        )

    @staticmethod
    async def _group_material(
        uow: UnitOfWork, prompt: PlannedPrompt, person: Person
    ) -> Material | None:
        """A case preparation still to do, or a brief the case owner still shares."""
        meeting = await uow.meetings.get(prompt.ref_id) if prompt.ref_id is not None else None
        if meeting is None or meeting.client_id != person.id or meeting.cancelled_at:
            return None
        found = await uow.groups.of_member_meeting(meeting.id)
        if found is None:
            return None
        gm, _ = found
        owner_id = gm.case_owner_id
        case = await uow.groups.case_run(owner_id, gm.id) if owner_id is not None else None
        if prompt.kind == CASE_PREP:
            if owner_id != person.id or case is not None:
                return None  # no longer theirs, or prepared meanwhile
        elif owner_id == person.id or case is None:
            return None
        elif not await uow.groups.answers_of(case.id, ("group",)):
            return None  # the owner changed their mind
        return Material(meeting_starts_at=meeting.starts_at)

    @staticmethod
    def _tired(
        person: Person, unacted: Sequence[PlannedPrompt], group_unacted: Sequence[PlannedPrompt]
    ) -> bool:
        """Mark sent prompts nobody acted on as ignored; True once enough of the person's own
        were in a row (the group's prompts are marked but do not count)."""
        for earlier in unacted:
            earlier.status = "ignored"
            person.ignored_streak = (person.ignored_streak or 0) + 1
        for earlier in group_unacted:
            earlier.status = "ignored"
        return (person.ignored_streak or 0) >= IGNORED_TO_PAUSE

    async def _auto_pause(self, uow: UnitOfWork, person: Person, now: datetime) -> Outgoing | None:
        """Pause check-ins and queue the one notice that says how to resume them."""
        person.paused = True
        person.pause_until = None
        person.auto_paused_at = now
        person.replan_at = now
        await uow.prompts.cancel_planned(person.id)
        key = f"{AUTO_PAUSED}:{self.timing(person).local_date(now).isoformat()}"
        if await uow.prompts.by_key(person.id, key) is not None:
            return None
        notice = await uow.prompts.add(
            PlannedPrompt(
                person_id=person.id,
                kind=AUTO_PAUSED,
                due_at=now,
                status="planned",
                claimed_at=now,
                attempts=1,
                plan_key=key,
            )
        )
        return await self._notice(uow, notice, person)

    @staticmethod
    async def _notice(uow: UnitOfWork, notice: PlannedPrompt, person: Person) -> Outgoing:
        """The auto-pause notice to send now (first time, or again after a failed send)."""
        assert person.telegram_id is not None
        # A group member is told that the group's case work still comes, a facilitator that
        # their groups' reminders do (they go through this pause).
        groups = await uow.groups.groups_of(person.id)
        led = await uow.groups.led_by(person.id)
        return Outgoing(
            prompt_id=notice.id,
            attempt=notice.attempts,
            person_id=person.id,
            telegram_id=person.telegram_id,
            kind=AUTO_PAUSED,
            ref_id=None,
            locale=person.locale,
            timezone=person.timezone,
            variant=0,
            group_name=", ".join(g.name for g in groups) or None,
            led_groups=", ".join(g.name for g in led) or None,
        )

    async def begin_send(self, outgoing: Outgoing) -> bool:
        """Mark one prompt as going out now, if this claim still holds it."""
        return outgoing.prompt_id in await self.begin_sending([outgoing])

    async def begin_sending(self, group: Sequence[Outgoing]) -> set[int]:
        """Mark prompts as going out now (one transaction for the group); returns the ids this
        claim still held. Only those may be sent."""
        async with self._uow_factory() as uow:
            taken = await uow.prompts.start_sending([(o.prompt_id, o.attempt) for o in group])
            await uow.commit()
        return taken

    async def finish(
        self,
        now: datetime,
        *,
        delivered: dict[int, int],
        undelivered: Sequence[int] = (),
        blocked: Sequence[int] = (),
        failed: Sequence[int] = (),
    ) -> None:
        """Record a sent batch: delivered prompt id -> message id; undelivered ones (certainly
        not sent) go back into the plan; a person who blocked the bot loses every planned prompt."""
        async with self._uow_factory() as uow:
            await uow.prompts.record_delivered(delivered, now)
            await uow.prompts.return_to_plan(undelivered)
            await uow.prompts.set_status_many(failed, "failed")
            if blocked:
                await uow.prompts.set_status_many(blocked, "failed")
                for prompt in await uow.prompts.get_many(blocked):
                    person = await uow.people.get(prompt.person_id)
                    if person is not None:
                        person.active = False
                    await uow.prompts.cancel_planned(prompt.person_id)
            await uow.commit()

    async def act(self, person_id: int, prompt_id: int, action: str, now: datetime) -> ActResult:
        """Start, snooze (an hour, this evening, tomorrow) or skip a prompt; or resume check-ins
        from the auto-pause notice. Any of these resets the ignored streak."""
        if action not in ACTIONS:
            return ActResult("stale")
        async with self._uow_factory() as uow:
            prompt = await uow.prompts.get(prompt_id)
            person = await uow.people.get(person_id)
            if prompt is None or person is None or prompt.person_id != person_id:
                return ActResult("stale")
            if action == RESUME:
                if prompt.kind != AUTO_PAUSED:
                    return ActResult("stale")
                was_paused = person.paused
                person.paused = False
                person.pause_until = None
                person.auto_paused_at = None
                person.ignored_streak = 0
                person.replan_at = now
                prompt.acted_at = prompt.acted_at or now
                await uow.commit()
                return ActResult("ok" if was_paused else "stale", AUTO_PAUSED, RESUME)
            if prompt.kind == AUTO_PAUSED or prompt.status not in ("sent", "ignored"):
                return ActResult("stale", prompt.kind, action, prompt.ref_id)
            prompt.acted_at = now
            person.ignored_streak = 0
            result = await self._apply(uow, prompt, person, action, now)
            await uow.commit()
            return result

    async def _apply(
        self, uow: UnitOfWork, prompt: PlannedPrompt, person: Person, action: str, now: datetime
    ) -> ActResult:
        if action == SKIP:
            prompt.status = "skipped"
            return ActResult("ok", prompt.kind, SKIP, prompt.ref_id)
        if action == START:
            prompt.status = "answered"
            if prompt.kind == CHECKIN:
                commitment = (
                    await uow.commitments.get(prompt.ref_id) if prompt.ref_id is not None else None
                )
                if commitment is None or commitment.status != "open":
                    return ActResult("gone", prompt.kind, START, prompt.ref_id)
            return ActResult(
                "ok", prompt.kind, START, prompt.ref_id, DIALOGUE_OF_KIND.get(prompt.kind)
            )
        until = self.snooze_until(person, action, now)
        prompt.status = "snoozed"
        # A new row carries the prompt; its own key keeps the original's plan key unique.
        await uow.prompts.add(
            PlannedPrompt(
                person_id=person.id,
                kind=prompt.kind,
                ref_id=prompt.ref_id,
                due_at=until,
                status="planned",
                plan_key=f"{SNOOZE_KEY_PREFIX}{prompt.id}",
                variant=prompt.variant + 1,
            )
        )
        return ActResult("ok", prompt.kind, action, prompt.ref_id, snoozed_until=until)

    def snooze_until(self, person: Person, action: str, now: datetime) -> datetime:
        """When a snoozed prompt comes back: in an hour, this evening or tomorrow at the
        person's check-in time, never inside their quiet hours."""
        timing = self.timing(person)
        if action == SNOOZE_HOUR:
            return timing.leave_quiet(now + timedelta(hours=1))
        if action == SNOOZE_EVENING and _evening_offered(timing, timing.local(now).time()):
            return timing.next_at(now, EVENING)
        return timing.tomorrow(now)


@dataclass
class _BatchFacts:
    """What deciding a batch needs about its people, read with a few queries for all of them."""

    sent_this_week: dict[int, int]
    kinds_sent: dict[tuple[int, str], int]
    unacted: dict[int, list[PlannedPrompt]]
    # Unacted prompts tied to a group meeting: the group's rhythm, not the person's own, so
    # they do not count towards the automatic pause.
    group_unacted: dict[int, list[PlannedPrompt]]
    # Holds the preloaded people, commitments and meetings while the batch is decided.
    rows: list[object]

    @classmethod
    async def load(
        cls, uow: UnitOfWork, prompts: Sequence[PlannedPrompt], week_ago: datetime
    ) -> _BatchFacts:
        person_ids = sorted({p.person_id for p in prompts})
        rows = await uow.prompts.preload_batch(prompts, checkin_kind=CHECKIN)
        unacted: dict[int, list[PlannedPrompt]] = {}
        group_unacted: dict[int, list[PlannedPrompt]] = {}
        sent_rows = await uow.prompts.unacted_sent_of(person_ids)
        group_rows = await uow.meetings.group_rows_among(
            [
                r.ref_id
                for r in sent_rows
                if r.kind in (BEFORE_MEETING, AFTER_MEETING) and r.ref_id is not None
            ]
        )
        for row in sent_rows:
            # A notice, a summary message or a brief asks nothing: leaving it unread is not
            # ignoring a prompt.
            if (
                row.kind in (AUTO_PAUSED, GROUP_BRIEF, GROUP_VIEW, GROUP_CHAT)
                or row.kind in SUMMARY_KINDS
            ):
                continue
            if row.kind == CASE_PREP or (
                row.kind in (BEFORE_MEETING, AFTER_MEETING) and row.ref_id in group_rows
            ):
                group_unacted.setdefault(row.person_id, []).append(row)
            else:
                unacted.setdefault(row.person_id, []).append(row)
        return cls(
            sent_this_week=await uow.prompts.sent_counts_since(
                person_ids, week_ago, uncounted=UNCOUNTED_KINDS
            ),
            kinds_sent=await uow.prompts.kind_counts(person_ids),
            unacted=unacted,
            group_unacted=group_unacted,
            rows=rows,
        )


def _evening_offered(timing: LocalTiming, local_now: time) -> bool:
    """ "This evening" makes sense until an hour before it, and only outside quiet hours."""
    latest = (datetime.combine(date(2000, 1, 1), EVENING) - timedelta(hours=1)).time()
    return local_now.replace(tzinfo=None) < latest and not in_quiet_hours(
        EVENING, timing.quiet_start, timing.quiet_end
    )
