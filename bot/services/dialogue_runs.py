"""Running a dialogue for a person: start, resume, feed input, and persist what it produces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.config import Settings
from bot.dialogue import engine
from bot.dialogue.answer_views import visible_answers
from bot.dialogue.engine import CreateCommitment, Effect, Finished, RecordCheck, StepContext
from bot.dialogue.inputs import Amend, Cancel, Input, Pause, Resume, Text
from bot.dialogue.loader import DialogueCatalog
from bot.dialogue.material import (
    MAX_PLAN_GOALS,
    MAX_WALKED,
    CommitmentItem,
    GoalItem,
    Material,
    MaterialKind,
)
from bot.dialogue.model import NEXT_MEETING, Dialogue, StepKind
from bot.dialogue.screens import Screen, ScreenKind
from bot.i18n import Translator
from bot.services.commitments import own_commitment
from bot.services.people import PersonInfo, person_info
from bot.storage.models import Commitment, DialogueRun
from bot.storage.repositories.steps import PersonRow, RunRow
from bot.storage.uow import ConcurrentUpdate, UnitOfWork, UnitOfWorkFactory

# A run as the ORM loads it, or as a dialogue step reads it (bot.storage.repositories.steps).
AnyRun = DialogueRun | RunRow

OPEN_STATUSES = ("active", "paused")
# A unit of work that lost a race for a run (another process stepped it first) starts over on
# the fresh row; two racing updates need one retry, this leaves room for a burst.
_ATTEMPTS = 5
# How many runs' shown-but-unwritten screen messages a process remembers (oldest forgotten).
_SHOWN_REMEMBERED = 4096


@dataclass(frozen=True)
class _Tie:
    """The meeting (if any) and context a run belongs to."""

    meeting_id: int | None
    context: str


class RunNotFound(LookupError):
    """The run does not exist or belongs to someone else."""


@dataclass(frozen=True)
class RunResult:
    """What a transport shows after an input: the screen, and what the step caused."""

    run_id: int
    screen: Screen
    effects: tuple[Effect, ...] = ()
    stale: bool = False
    # Telegram: the chat message that showed the run's live screen before this step, and the
    # one recorded for it now (written with the step, so one process owns moving the buttons).
    screen_message_id: int | None = None
    live_message_id: int | None = None
    # The run's version after this step (None: not a step): the message the screen is then
    # shown on is remembered for that version (see DialogueService.screen_shown).
    version: int | None = None
    # The typed text continued the previous answer instead of answering the screen's question.
    joined: bool = False
    resumed: bool = False
    restarted: bool = False


class StaleInput(Exception):
    """Raised by a button's `choose` callback: the button no longer fits the run."""


@dataclass(frozen=True)
class UpdateOutcome:
    """What one update did: who sent it, their translator and the step's result.

    `result` is None when nothing was stepped: an unknown or not yet consented person, no open
    run for typed text, a button that would change nothing (a repeated tap) or one that no
    longer fits its run (`stale`).
    """

    person: PersonInfo | None
    t: Translator
    result: RunResult | None = None
    stale: bool = False


Translate = Callable[[PersonInfo | None], Translator]
# Given a way to get the run's current screen (None if the run is not the person's current
# open one), the input a button means; None when it would change nothing; StaleInput if stale.
Choose = Callable[[Callable[[], Screen | None]], Input | None]


class DialogueService:
    """Starts, resumes and advances dialogue runs; owns one unit of work per call."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, settings: Settings
    ) -> None:
        self._uow_factory = uow_factory
        self._catalog = catalog
        self._settings = settings
        self._join_window = timedelta(seconds=settings.join_window_seconds)
        # run id -> (the run's version, the message showing its screen at that version): where
        # a step's screen went, known only after the reply, kept here instead of a second
        # write per update (issue 10's budget); the next step of that version uses it.
        self._shown: dict[int, tuple[int, int | None]] = {}

    @property
    def catalog(self) -> DialogueCatalog:
        """The dialogues this service runs."""
        return self._catalog

    def _context(
        self,
        t: Translator,
        now: datetime,
        last_phrasings: dict[str, int] | None = None,
        material: Material | None = None,
        run: AnyRun | None = None,
        context: str | None = None,
    ) -> StepContext:
        # "Today" is the person's calendar day, not the server's: due dates depend on it.
        today = now.astimezone(t.tz).date()
        return StepContext(
            translator=t,
            today=today,
            care_threshold=self._settings.care_threshold,
            last_phrasings=last_phrasings or {},
            material=material,
            reader="facilitator"
            if (context or (run.context if run else None)) == "group"
            else "coach",
        )

    async def menu(self, person_id: int) -> tuple[list[Dialogue], list[str]]:
        """The dialogues to offer the person (those only for a Backstage group only to a
        group's members) and the ids of those they have a paused run of."""
        async with self._uow_factory() as uow:
            member = await uow.groups.is_member(person_id)
            paused = await uow.runs.paused_dialogue_ids(person_id)
        offered = [d for d in self._catalog if member or d.audience != ("backstage",)]
        return offered, paused

    async def start(
        self,
        person_id: int,
        dialogue_id: str,
        t: Translator,
        now: datetime,
        *,
        commitment_id: int | None = None,
        meeting_id: int | None = None,
    ) -> RunResult:
        """Starts a dialogue, resuming an open run of the same dialogue and pausing any other.

        A dialogue about one commitment (a check-in) runs for `commitment_id`; without one it
        resumes an unfinished check-in or starts one about the soonest due open commitment;
        with none open it answers with an UNAVAILABLE screen and starts nothing (run_id 0).
        Raises CommitmentNotFound when `commitment_id` is not the person's open commitment.

        `meeting_id` ties the run to one of the person's meetings: a Backstage group meeting
        makes it a group-context run (read by the facilitator and, if shared, the group; never
        by an individual coach). A check-in on a commitment made in a group is one as well,
        and a dialogue meant only for Backstage is tied to the person's group meeting (or not
        started, if they have none).
        """
        dialogue = self._catalog.get(dialogue_id)
        needs_one = dialogue.needs(MaterialKind.COMMITMENT)
        if commitment_id is not None and not needs_one:
            raise ValueError(f"dialogue {dialogue_id!r} is not about one commitment")
        # Starting writes no answer: its commit need not wait for the disk (see _saves).
        async with self._uow_factory().for_steps() as uow:
            # Without a named commitment an unfinished check-in is resumed, whichever it is about.
            target: Commitment | None = None
            if commitment_id is not None:
                target = await own_commitment(uow, person_id, commitment_id)
            tie = await self._tie(uow, person_id, dialogue, meeting_id, target, now)
            if tie is None:
                return RunResult(run_id=0, screen=self._not_in_group(dialogue, t))
            # A run tied to another meeting is another run; otherwise (a check-in, a menu
            # dialogue) the open one is resumed as before.
            match = tie if meeting_id is not None or dialogue.audience == ("backstage",) else None
            open_runs = await uow.runs.open_for(person_id)
            latest = open_runs[0] if open_runs else None
            same: DialogueRun | None = None
            if latest is not None and self._is_same(latest, dialogue_id, target, match):
                same = latest
            else:
                if latest is not None:
                    self._pause_other(latest, t, now)
                # An older paused run of this dialogue is resumed rather than started anew
                # (the most recently started one).
                older = sorted(open_runs, key=lambda run: (run.started_at, run.id), reverse=True)
                same = next(
                    (run for run in older if self._is_same(run, dialogue_id, target, match)), None
                )
            if same is not None:
                self._recall_screen(uow, same)
                result = await self._resume(uow, same, t, now)
                if result is not None:
                    await uow.commit(durable=False)
                    # Where its screen goes is remembered for this version (screen_shown).
                    return replace(result, version=same.version)
            if needs_one and target is None:
                open_ones = await uow.commitments.open_for(person_id)
                if not open_ones:
                    # Nothing is written: a run about no commitment would ask about nothing.
                    return RunResult(run_id=0, screen=self._nothing_to_check(dialogue, t))
                target = open_ones[0]
                tie = await self._tie(uow, person_id, dialogue, meeting_id, target, now) or tie
            last = await uow.runs.last_phrasings(person_id, dialogue_id)
            material = await self._material(uow, dialogue, person_id, target, t, now, tie)
            if dialogue.needs(MaterialKind.PLAN_GOALS) and (material is None or not material.goals):
                # A review of no plan would rate goals nobody wrote: point to the plan instead.
                return RunResult(run_id=0, screen=self._no_plan(dialogue, t))
            state, screen = engine.start(
                dialogue, self._context(t, now, last, material, context=tie.context)
            )
            run = DialogueRun(
                person_id=person_id,
                dialogue_id=dialogue.id,
                dialogue_version=dialogue.version,
                status=str(state["status"]),
                state=state,
                phrasings=dict(state.get("phrasings", {})),
                started_at=now,
                updated_at=now,
                meeting_id=tie.meeting_id,
                context=tie.context,
            )
            await uow.runs.add(run)
            await uow.commit(durable=False)
            return RunResult(run_id=run.id, screen=screen, version=run.version)

    async def current(self, person_id: int, t: Translator, now: datetime) -> RunResult | None:
        """Re-shows the person's most recent open run (e.g. after a restart), or None."""
        async with self._uow_factory() as uow:
            run = await uow.runs.active_for(person_id)
            if run is None:
                return None
            self._recall_screen(uow, run)
            status = run.status
            result = await self._resume(uow, run, t, now)
            if run.status != status:  # resumed from a pause, or closed: worth a write
                await uow.commit()
            return result

    async def screen_shown(
        self, run_id: int, message_id: int | None, *, version: int | None = None
    ) -> None:
        """Records the chat message now showing the run's live screen (None: no buttons).

        After a step (`version`: RunResult.version) it is only remembered in this process, and
        the run's next step here uses it if nobody stepped the run meanwhile: a typed answer
        then takes one write, not two. A restart or another process forgets it, so the old
        message keeps its buttons, which then answer as stale buttons do. A start gives its
        version too; other screens (re-showing the current run) are written to the run."""
        if version is not None:
            self._shown.pop(run_id, None)
            self._shown[run_id] = (version, message_id)
            if len(self._shown) > _SHOWN_REMEMBERED:
                del self._shown[next(iter(self._shown))]
            return
        # Written: what this process remembered for the run's version is older than this.
        self._shown.pop(run_id, None)
        async with self._uow_factory().for_steps() as uow:
            await uow.runs.set_screen_message(run_id, message_id)
            # Which message has the buttons is nothing final: no need to wait for the disk.
            await uow.commit(durable=False)

    def _recall_screen(self, uow: UnitOfWork, run: AnyRun | None) -> None:
        """Puts on a freshly read run the screen message remembered for its version, if any."""
        if run is None:
            return
        shown = self._shown.get(run.id)
        if shown is not None and shown[0] == run.version:
            uow.steps.assume_screen_message(run, shown[1])

    async def handle(
        self,
        person_id: int,
        run_id: int,
        inp: Input,
        t: Translator,
        now: datetime,
        expected_step: str | None = None,
    ) -> RunResult:
        """Feeds one input to a run, persists the new state and applies the effects."""
        async with self._uow_factory() as uow:
            run = await uow.runs.get(run_id)
            if run is None or run.person_id != person_id:
                raise RunNotFound(run_id)
            result = await self._step_run(uow, run, inp, t, now, expected_step)
            if not result.stale:
                await uow.commit()
            return result

    async def _step_run(
        self,
        uow: UnitOfWork,
        run: AnyRun,
        inp: Input,
        t: Translator,
        now: datetime,
        expected_step: str | None,
        shown_on: int | None = None,
        *,
        alone: bool = False,
    ) -> RunResult:
        """Steps the engine once on a loaded run; stale input changes nothing. `shown_on` is
        the chat message the new screen will be shown on, if known (a pressed one); `alone`:
        the caller writes nothing else unless the step finishes the run."""
        dialogue = self._dialogue_for(run)
        ctx = self._context(t, now, dict(run.phrasings or {}), run=run)
        state = dict(run.state)
        closed = RunResult(run_id=run.id, screen=self._closed_screen(run, t), stale=True)
        if dialogue is None:
            return closed
        # The engine checks the stored state against the dialogue (a changed dialogue file
        # makes it invalid) as it renders or steps: checked once, not before and again inside.
        try:
            if run.status not in OPEN_STATUSES or (
                expected_step is not None and state.get("cursor") != expected_step
            ):
                # A button from an older message, a finished run or a double tap: no change.
                screen = engine.render(dialogue, state, ctx)
                return RunResult(run_id=run.id, screen=screen, stale=True)
            new_state, screen, effects = engine.step(dialogue, state, inp, ctx)
        except engine.InvalidState:
            return closed
        finished = any(isinstance(effect, Finished) for effect in effects)
        before = run.screen_message_id
        if str(new_state["status"]) not in OPEN_STATUSES:
            shown_on = None  # a closed run has no live screen left (no buttons to keep)
        # One UPDATE that checks the version read (ConcurrentUpdate if another process stepped
        # the run meanwhile); it also records where the new screen goes.
        await uow.steps.save_step(
            run,
            new_state,
            now,
            finished=finished,
            screen_message_id=shown_on,
            alone=alone and not finished,
        )
        if finished:
            # The bound dialogue has a step per walked item, so every answer finds its step.
            bound = engine.validate_state(dialogue, new_state)
            await self._record_finished(uow, run, bound, new_state, effects, now)
        return RunResult(
            run_id=run.id,
            screen=screen,
            effects=tuple(effects),
            screen_message_id=before,
            live_message_id=shown_on,
            version=run.version,
        )

    async def _resume(
        self, uow: UnitOfWork, run: DialogueRun, t: Translator, now: datetime
    ) -> RunResult | None:
        """Re-renders an open run; a run whose dialogue changed shape is closed (None returned)."""
        dialogue = self._dialogue_for(run)
        state = dict(run.state)
        if dialogue is None or not _state_is_valid(dialogue, state):
            # The dialogue file changed under a paused run; its answers stay readable in history.
            run.status = "cancelled"
            run.updated_at = now
            return None
        ctx = self._context(t, now, dict(run.phrasings or {}), run=run)
        if state.get("status") == "paused":
            state, screen, _ = engine.step(dialogue, state, Resume(), ctx)
            self._store_state(run, state, now)
        else:
            screen = engine.render(dialogue, state, ctx)
        return RunResult(
            run_id=run.id,
            screen=screen,
            resumed=True,
            screen_message_id=run.screen_message_id,
            live_message_id=run.screen_message_id,
        )

    @staticmethod
    async def _tie(
        uow: UnitOfWork,
        person_id: int,
        dialogue: Dialogue,
        meeting_id: int | None,
        target: Commitment | None,
        now: datetime,
    ) -> _Tie | None:
        """Which meeting and context a new run belongs to; None: a group dialogue for someone
        with no group meeting."""
        if meeting_id is not None:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is not None and meeting.client_id == person_id:
                in_group = meeting.group_meeting_id is not None
                return _Tie(meeting.id, "group" if in_group else "coaching")
        if target is not None and target.run_id is not None:
            origin = await uow.runs.get(target.run_id)
            if origin is not None and origin.context == "group":
                return _Tie(origin.meeting_id, "group")
        if dialogue.audience == ("backstage",):
            tied = await uow.groups.tie_for_menu(person_id, dialogue.id, now)
            return _Tie(tied, "group") if tied is not None else None
        return _Tie(None, "coaching")

    @staticmethod
    def _not_in_group(dialogue: Dialogue, t: Translator) -> Screen:
        """Said instead of a Backstage dialogue to someone without a group meeting for it."""
        if dialogue.id == "case_forberedelse":
            text = t.gettext(
                "You prepare a case for a group meeting where you are the case owner. You have "
                "no such meeting ahead right now; your facilitator sets the rotation."
            )
        else:
            text = t.gettext(
                "This reflection belongs to a Backstage group meeting, and you have no group "
                "meeting yet."
            )
        return _unavailable(dialogue, t, text)

    @staticmethod
    def _is_same(
        run: DialogueRun, dialogue_id: str, target: Commitment | None, tie: _Tie | None = None
    ) -> bool:
        """Whether an open run is this dialogue (about this commitment, for a check-in; for
        this group meeting, in a group)."""
        if run.dialogue_id != dialogue_id:
            return False
        if tie is not None and (
            run.context != tie.context
            or (tie.meeting_id is not None and run.meeting_id != tie.meeting_id)
        ):
            return False
        if target is None:
            return True
        material = run.state.get("material") if isinstance(run.state, dict) else None
        about = material.get("commitment") if isinstance(material, dict) else None
        return isinstance(about, dict) and about.get("id") == target.id

    async def _material(
        self,
        uow: UnitOfWork,
        dialogue: Dialogue,
        person_id: int,
        target: Commitment | None,
        t: Translator,
        now: datetime,
        tie: _Tie | None = None,
    ) -> Material | None:
        """What the run shows: its commitment, the open ones (of the run's context: a group's
        commitments in a group, the others in coaching), the next meeting's local date."""
        offers_meeting = any(
            step.kind is StepKind.DATE and step.picks is not None and NEXT_MEETING in step.picks
            for step in dialogue.steps
        )
        if not dialogue.material and not offers_meeting:
            return None
        walked: tuple[CommitmentItem, ...] = ()
        if dialogue.needs(MaterialKind.OPEN_COMMITMENTS):
            open_ones = list(await uow.commitments.open_for(person_id))
            context = tie.context if tie is not None else "coaching"
            contexts = await uow.groups.commitment_contexts([c.id for c in open_ones])
            open_ones = [c for c in open_ones if contexts.get(c.id, "coaching") == context]
            walked = tuple(_item(c) for c in open_ones[:MAX_WALKED])
        goals: tuple[GoalItem, ...] = ()
        if dialogue.needs(MaterialKind.PLAN_GOALS):
            goals = await _plan_goals(uow, person_id)
        meeting_day = None
        if offers_meeting:
            meeting = await uow.meetings.next_for_client(person_id, now)
            if meeting is not None and meeting.cancelled_at is None:
                meeting_day = meeting.starts_at.astimezone(t.tz).date()
        return Material(
            commitment=_item(target) if target is not None else None,
            commitments=walked,
            next_meeting=meeting_day,
            goals=goals,
        )

    @staticmethod
    def _no_plan(dialogue: Dialogue, t: Translator) -> Screen:
        """Said instead of a plan review when the person has no development plan here yet."""
        return _unavailable(
            dialogue,
            t,
            t.gettext(
                "There is no development plan to review yet. Sketch one in “Development plan”; "
                "its goals are then shown here one by one."
            ),
        )

    @staticmethod
    def _nothing_to_check(dialogue: Dialogue, t: Translator) -> Screen:
        """Said instead of a check-in when the person has no open commitment."""
        return _unavailable(
            dialogue,
            t,
            t.gettext(
                "You have no open commitments to check in on right now. When you make one, "
                "for example in “Next concrete step”, you can follow it up here."
            ),
        )

    def _pause_other(self, run: DialogueRun, t: Translator, now: datetime) -> None:
        """Pauses an open run of another dialogue so it can be resumed later."""
        dialogue = self._dialogue_for(run)
        state = dict(run.state)
        if dialogue is None or not _state_is_valid(dialogue, state):
            run.status = "cancelled"
            run.updated_at = now
            return
        if state.get("status") == "active":
            state, _, _ = engine.step(dialogue, state, Pause(), self._context(t, now, run=run))
            self._store_state(run, state, now)

    # -- one unit of work per update (Telegram's typed answers and dialogue buttons) ----------

    async def answer_typed(
        self,
        telegram_id: int,
        inp: Input,
        translate: Translate,
        now: datetime,
        sent: tuple[int, datetime] | None = None,
    ) -> UpdateOutcome:
        """Identifies the sender and feeds typed input to their current run: one statement to
        read both, one to write the run, one commit.

        `sent` is the chat message's (id, time): text sent before the person could have seen
        the question on screen continues their previous typed answer (`RunResult.joined`)."""
        for attempt in range(_ATTEMPTS):
            try:
                async with self._uow_factory().for_steps() as uow:
                    found = await uow.steps.person_with_run(telegram_id)
                    if found is None:
                        return UpdateOutcome(None, translate(None))
                    self._recall_screen(uow, found.run)
                    changed = await _reactivate(uow, found.person)
                    info = person_info(found.person, self._settings.admin_telegram_ids)
                    t = translate(info)
                    result = None
                    if info.consented and found.run is not None:
                        result = await self._typed_step(uow, found.run, inp, t, now, sent)
                        changed = True
                    if changed:
                        await uow.commit(durable=_saves(result))
                    return UpdateOutcome(info, t, result)
            except ConcurrentUpdate:
                if attempt == _ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _typed_step(
        self,
        uow: UnitOfWork,
        run: AnyRun,
        inp: Input,
        t: Translator,
        now: datetime,
        sent: tuple[int, datetime] | None,
    ) -> RunResult:
        """Steps typed input; a split message is joined to the answer it continues."""
        if not (
            isinstance(inp, Text)
            and sent is not None
            and _before_seen(run, *sent, self._join_window)
        ):
            return await self._step_run(uow, run, inp, t, now, None, alone=True)
        cursor = run.state.get("cursor") if isinstance(run.state, dict) else None
        result = await self._step_run(uow, run, Amend(inp.text), t, now, None, alone=True)
        joined = result.screen.error is None and run.state.get("cursor") == cursor
        return replace(result, joined=joined) if joined else result

    async def press(
        self,
        telegram_id: int,
        run_id: int,
        step_id: str,
        choose: Choose,
        translate: Translate,
        now: datetime,
        message_id: int | None = None,
    ) -> UpdateOutcome:
        """Identifies the sender and feeds a pressed dialogue button (on chat message
        `message_id`) to its run in one unit of work; a button from an older question, or one
        that would change nothing, writes nothing."""
        for attempt in range(_ATTEMPTS):
            try:
                async with self._uow_factory().for_steps() as uow:
                    found = await uow.steps.person_with_run(telegram_id, run_id)
                    if found is None:
                        return UpdateOutcome(None, translate(None))
                    self._recall_screen(uow, found.run)
                    changed = await _reactivate(uow, found.person)
                    info = person_info(found.person, self._settings.admin_telegram_ids)
                    t = translate(info)
                    outcome = UpdateOutcome(info, t)
                    if info.consented:
                        outcome = await self._press(
                            uow,
                            found.run,
                            found.current_run_id,
                            outcome,
                            (step_id, message_id),
                            choose,
                            now,
                        )
                        changed = changed or outcome.result is not None
                    if changed:
                        await uow.commit(durable=_saves(outcome.result))
                    return outcome
            except ConcurrentUpdate:
                if attempt == _ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _press(
        self,
        uow: UnitOfWork,
        run: RunRow | None,
        current_run_id: int | None,
        outcome: UpdateOutcome,
        pressed: tuple[str, int | None],
        choose: Choose,
        now: datetime,
    ) -> UpdateOutcome:
        t = outcome.t
        step_id, message_id = pressed

        def screen() -> Screen | None:
            # Like `current`: only the person's current open run has a screen to act on.
            if run is None or run.id != current_run_id:
                return None
            return self._screen_of(run, t, now)

        try:
            inp = choose(screen)
        except StaleInput:
            return UpdateOutcome(outcome.person, t, stale=True)
        if inp is None:
            return UpdateOutcome(outcome.person, t)  # a repeated tap: nothing to do
        if run is None:
            return UpdateOutcome(outcome.person, t, stale=True)
        if (
            isinstance(inp, Resume)
            and run.status == "active"
            and message_id is not None
            and run.screen_message_id == message_id
        ):
            return UpdateOutcome(outcome.person, t)  # a repeated tap: the screen is there
        # Resuming is harmless to repeat, and a paused screen may not name its step.
        expected = None if isinstance(inp, Resume) else step_id
        alone = True
        if run.status == "paused" and not isinstance(inp, Resume | Cancel):
            # A button on a paused run's message does what it says: the run comes back (the
            # one in use is paused, as when switching from the menu) and then takes the input.
            if current_run_id is not None and current_run_id != run.id:
                current = await uow.runs.get(current_run_id)
                if current is not None:
                    self._pause_other(current, t, now)
            before = run.screen_message_id
            resumed = await self._step_run(uow, run, Resume(), t, now, None, before)
            if resumed.stale:
                return UpdateOutcome(outcome.person, t, stale=True)
            alone = False  # resuming wrote the run (and paused another) already
        result = await self._step_run(uow, run, inp, t, now, expected, message_id, alone=alone)
        if result.stale:
            return UpdateOutcome(outcome.person, t, stale=True)
        return UpdateOutcome(outcome.person, t, result)

    def _screen_of(self, run: RunRow, t: Translator, now: datetime) -> Screen | None:
        """The open run's screen as `current` shows it (a paused run as it would be resumed;
        nothing is changed: a button that acts on it resumes the run as its own step)."""
        dialogue = self._dialogue_for(run)
        state = dict(run.state)
        if dialogue is None or not _state_is_valid(dialogue, state):
            return None
        ctx = self._context(t, now, dict(run.phrasings or {}), run=run)
        if state.get("status") == "paused":
            _, screen, _ = engine.step(dialogue, state, Resume(), ctx)
            return screen
        return engine.render(dialogue, state, ctx)

    def _dialogue_for(self, run: AnyRun) -> Dialogue | None:
        try:
            return self._catalog.get(run.dialogue_id)
        except KeyError:
            return None

    @staticmethod
    def _closed_screen(run: AnyRun, t: Translator) -> Screen:
        """A screen for a run whose dialogue no longer exists or changed shape."""
        return Screen(
            kind=ScreenKind.CANCELLED,
            dialogue_id=run.dialogue_id,
            step_id=None,
            title=run.dialogue_id,
            text=t.gettext(
                "This reflection can no longer be continued because its questions have changed. "
                "Your earlier answers are kept; start it again from the menu."
            ),
        )

    @staticmethod
    def _store_state(run: DialogueRun, state: dict[str, object], now: datetime) -> None:
        run.state = state
        run.status = str(state["status"])
        phrasings = state.get("phrasings")
        run.phrasings = dict(phrasings) if isinstance(phrasings, dict) else {}
        run.updated_at = now

    async def _record_finished(
        self,
        uow: UnitOfWork,
        run: AnyRun,
        dialogue: Dialogue,
        state: dict[str, object],
        effects: list[Effect],
        now: datetime,
    ) -> None:
        """Writes the answers and the commitments of a finished run (already marked finished)."""
        steps = {step.id: step for step in dialogue.steps}
        answers = visible_answers(dialogue, state)
        # A Backstage case reaches the group only with the owner's explicit yes.
        shared = any(
            steps[step_id].share_with_group and answer.value is True
            for step_id, answer in answers.items()
        )
        await uow.answers.add_for_finished_run(
            run,
            [
                (
                    step_id,
                    steps[step_id].kind.value,
                    answer.value,
                    _visibility(answer.private, shared),
                )
                for step_id, answer in answers.items()
            ],
            now,
        )
        await self._apply_commitment_effects(uow, run, effects, now)
        if run.context == "group" and run.meeting_id is not None:
            # A finished case preparation decides whether the others get a brief.
            for other in await uow.groups.co_member_ids(run.meeting_id):
                await uow.people.mark_replan(other, now)
            await uow.people.mark_replan(run.person_id, now)

    async def _apply_commitment_effects(
        self, uow: UnitOfWork, run: AnyRun, effects: list[Effect], now: datetime
    ) -> None:
        """Records check-ins and creates commitments; the rest of a partly done commitment
        carries it on (the parent closes, so one open commitment remains)."""
        person_id = run.person_id
        carried = {e.parent_id for e in effects if isinstance(e, CreateCommitment) and e.parent_id}
        changed = False
        parents: dict[int, Commitment] = {}
        for effect in effects:
            if not isinstance(effect, RecordCheck):
                continue
            commitment = await uow.commitments.get(effect.commitment_id)
            if commitment is None or commitment.person_id != person_id:
                continue  # erased meanwhile; the answers are still kept with the run
            split = effect.result == "partly" and commitment.id in carried
            await uow.commitments.record_check(
                commitment,
                effect.result,
                now,
                new_due=None if split else effect.new_due,
                note=effect.note,
                run_id=run.id,
            )
            parents[commitment.id] = commitment
            changed = True
        for effect in effects:
            if not isinstance(effect, CreateCommitment):
                continue
            rest = Commitment(
                person_id=person_id,
                run_id=run.id,
                text=effect.text,
                done_when=effect.done_when,
                due_date=effect.due,
                status="open",
                created_at=now,
                updated_at=now,
            )
            parent = parents.get(effect.parent_id) if effect.parent_id is not None else None
            if parent is not None and parent.last_check == "partly":
                await uow.commitments.carry_on(parent, rest)
            else:
                await uow.commitments.add(rest)
            changed = True
        if changed:
            await uow.people.mark_replan(person_id, now)


# Where a development plan's goals are written: the goal steps of the plan dialogue.
PLAN_DIALOGUE = "utvecklingsplan"
PLAN_GOAL_STEPS = tuple(f"goal_{number}" for number in range(1, MAX_PLAN_GOALS + 1))


async def _plan_goals(uow: UnitOfWork, person_id: int) -> tuple[GoalItem, ...]:
    """The goals of the person's latest finished development plan, numbered as written."""
    plans = await uow.runs.list_for(
        person_id, dialogue_id=PLAN_DIALOGUE, statuses=("finished",), limit=1, with_answers=True
    )
    if not plans:
        return ()
    written = {answer.step_id: answer.value for answer in plans[0].answers}
    return tuple(
        GoalItem(number, written[step_id].strip())
        for number, step_id in enumerate(PLAN_GOAL_STEPS, start=1)
        if isinstance(written.get(step_id), str) and written[step_id].strip()
    )


def _item(commitment: Commitment) -> CommitmentItem:
    return CommitmentItem(
        id=commitment.id,
        text=commitment.text,
        due=commitment.due_date,
        done_when=commitment.done_when,
        last_check=commitment.last_check,
    )


def _saves(result: RunResult | None) -> bool:
    """Whether a step's commit must be on disk before its reply: finishing a run saves the
    answers and commitments; any other step only moves the run on (see UnitOfWork.commit)."""
    return result is None or any(isinstance(effect, Finished) for effect in result.effects)


async def _reactivate(uow: UnitOfWork, person: PersonRow) -> bool:
    """Someone writing to the bot has unblocked it: reachable again (True if that changed)."""
    if person.active:
        return False
    await uow.steps.reactivate(person)
    return True


def _visibility(private: bool, shared_with_group: bool) -> str:
    if private:
        return "private"
    return "group" if shared_with_group else "coach"


def _unavailable(dialogue: Dialogue, t: Translator, text: str) -> Screen:
    """The screen shown instead of a dialogue that cannot start for this person now."""
    return Screen(
        kind=ScreenKind.UNAVAILABLE,
        dialogue_id=dialogue.id,
        step_id=None,
        title=t.pgettext(dialogue.id, dialogue.title),
        text=text,
    )


def _state_is_valid(dialogue: Dialogue, state: dict[str, object]) -> bool:
    try:
        engine.validate_state(dialogue, state)
    except engine.InvalidState:
        return False
    return True


def _before_seen(run: AnyRun, message_id: int, sent_at: datetime, window: timedelta) -> bool:
    """Whether a message was sent before its sender could have read the run's live question:
    before that question's message reached the chat, or within `window` (the join window
    setting; Telegram dates are whole seconds) of the answer that brought it."""
    if run.status != "active":
        return False
    if run.screen_message_id is not None and message_id < run.screen_message_id:
        return True
    return window > timedelta(0) and timedelta(0) <= sent_at - run.updated_at <= window
