"""Running a dialogue for a person: start, resume, feed input, and persist what it produces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.dialogue import engine
from bot.dialogue.answer_views import visible_answers
from bot.dialogue.engine import CreateCommitment, Effect, Finished, StepContext
from bot.dialogue.inputs import Input, Pause, Resume
from bot.dialogue.loader import DialogueCatalog
from bot.dialogue.model import Dialogue
from bot.dialogue.screens import Screen, ScreenKind
from bot.i18n import Translator
from bot.storage.models import Commitment, DialogueRun
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

OPEN_STATUSES = ("active", "paused")


class RunNotFound(LookupError):
    """The run does not exist or belongs to someone else."""


@dataclass(frozen=True)
class RunResult:
    """What a transport shows after an input: the screen, and what the step caused."""

    run_id: int
    screen: Screen
    effects: tuple[Effect, ...] = ()
    stale: bool = False
    resumed: bool = False
    restarted: bool = False


class DialogueService:
    """Starts, resumes and advances dialogue runs; owns one unit of work per call."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, settings: Settings
    ) -> None:
        self._uow_factory = uow_factory
        self._catalog = catalog
        self._settings = settings

    @property
    def catalog(self) -> DialogueCatalog:
        """The dialogues this service runs."""
        return self._catalog

    def _context(
        self, t: Translator, now: datetime, last_phrasings: dict[str, int] | None = None
    ) -> StepContext:
        # "Today" is the person's calendar day, not the server's: due dates depend on it.
        today = now.astimezone(t.tz).date()
        return StepContext(
            translator=t,
            today=today,
            care_threshold=self._settings.care_threshold,
            last_phrasings=last_phrasings or {},
        )

    async def start(
        self, person_id: int, dialogue_id: str, t: Translator, now: datetime
    ) -> RunResult:
        """Starts a dialogue, resuming an open run of the same dialogue and pausing any other."""
        dialogue = self._catalog.get(dialogue_id)
        async with self._uow_factory() as uow:
            latest = await uow.runs.active_for(person_id)
            same: DialogueRun | None = None
            if latest is not None and latest.dialogue_id == dialogue_id:
                same = latest
            else:
                if latest is not None:
                    self._pause_other(latest, t, now)
                # An older paused run of this dialogue is resumed rather than started anew.
                older = await uow.runs.list_for(
                    person_id, dialogue_id=dialogue_id, statuses=OPEN_STATUSES, limit=1
                )
                same = older[0] if older else None
            if same is not None:
                result = await self._resume(uow, same, t, now)
                if result is not None:
                    await uow.commit()
                    return result
            last = await uow.runs.last_phrasings(person_id, dialogue_id)
            state, screen = engine.start(dialogue, self._context(t, now, last))
            run = DialogueRun(
                person_id=person_id,
                dialogue_id=dialogue.id,
                dialogue_version=dialogue.version,
                status=str(state["status"]),
                state=state,
                phrasings=dict(state.get("phrasings", {})),
                started_at=now,
                updated_at=now,
            )
            await uow.runs.add(run)
            await uow.commit()
            return RunResult(run_id=run.id, screen=screen)

    async def current(self, person_id: int, t: Translator, now: datetime) -> RunResult | None:
        """Re-shows the person's most recent open run (e.g. after a restart), or None."""
        async with self._uow_factory() as uow:
            run = await uow.runs.active_for(person_id)
            if run is None:
                return None
            status = run.status
            result = await self._resume(uow, run, t, now)
            if run.status != status:  # resumed from a pause, or closed: worth a write
                await uow.commit()
            return result

    async def handle_current(
        self, person_id: int, inp: Input, t: Translator, now: datetime
    ) -> RunResult | None:
        """Feeds typed input to the person's most recent open run; None if there is none."""
        async with self._uow_factory() as uow:
            # One unit of work for lookup and step: a typed answer is the most common update.
            run = await uow.runs.active_for(person_id)
            if run is None:
                return None
            result = await self._step_run(uow, run, inp, t, now, None)
            await uow.commit()
            return result

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
        run: DialogueRun,
        inp: Input,
        t: Translator,
        now: datetime,
        expected_step: str | None,
    ) -> RunResult:
        """Steps the engine once on a loaded run; stale input changes nothing."""
        dialogue = self._dialogue_for(run)
        ctx = self._context(t, now, dict(run.phrasings or {}))
        state = dict(run.state)
        if dialogue is None or not _state_is_valid(dialogue, state):
            return RunResult(run_id=run.id, screen=self._closed_screen(run, t), stale=True)
        if run.status not in OPEN_STATUSES or (
            expected_step is not None and state.get("cursor") != expected_step
        ):
            # A button from an older message, a finished run or a double tap: change nothing.
            return RunResult(run_id=run.id, screen=engine.render(dialogue, state, ctx), stale=True)
        new_state, screen, effects = engine.step(dialogue, state, inp, ctx)
        self._store_state(run, new_state, now)
        if any(isinstance(effect, Finished) for effect in effects):
            await self._record_finished(uow, run, dialogue, new_state, effects, now)
        return RunResult(run_id=run.id, screen=screen, effects=tuple(effects))

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
        ctx = self._context(t, now, dict(run.phrasings or {}))
        if state.get("status") == "paused":
            state, screen, _ = engine.step(dialogue, state, Resume(), ctx)
            self._store_state(run, state, now)
        else:
            screen = engine.render(dialogue, state, ctx)
        return RunResult(run_id=run.id, screen=screen, resumed=True)

    def _pause_other(self, run: DialogueRun, t: Translator, now: datetime) -> None:
        """Pauses an open run of another dialogue so it can be resumed later."""
        dialogue = self._dialogue_for(run)
        state = dict(run.state)
        if dialogue is None or not _state_is_valid(dialogue, state):
            run.status = "cancelled"
            run.updated_at = now
            return
        if state.get("status") == "active":
            state, _, _ = engine.step(dialogue, state, Pause(), self._context(t, now))
            self._store_state(run, state, now)

    def _dialogue_for(self, run: DialogueRun) -> Dialogue | None:
        try:
            return self._catalog.get(run.dialogue_id)
        except KeyError:
            return None

    @staticmethod
    def _closed_screen(run: DialogueRun, t: Translator) -> Screen:
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
        run: DialogueRun,
        dialogue: Dialogue,
        state: dict[str, object],
        effects: list[Effect],
        now: datetime,
    ) -> None:
        """Writes the answers and the commitments of a finished run."""
        run.finished_at = now
        steps = {step.id: step for step in dialogue.steps}
        answers = visible_answers(dialogue, state)
        # A Backstage case reaches the group only with the owner's explicit yes.
        shared = any(
            steps[step_id].share_with_group and answer.value is True
            for step_id, answer in answers.items()
        )
        for step_id, answer in answers.items():
            await uow.answers.upsert(
                run,
                step_id,
                steps[step_id].kind.value,
                answer.value,
                _visibility(answer.private, shared),
                now,
            )
        for effect in effects:
            if isinstance(effect, CreateCommitment):
                await uow.commitments.add(
                    Commitment(
                        person_id=run.person_id,
                        run_id=run.id,
                        text=effect.text,
                        done_when=effect.done_when,
                        due_date=effect.due,
                        status="open",
                        created_at=now,
                        updated_at=now,
                    )
                )


def _visibility(private: bool, shared_with_group: bool) -> str:
    if private:
        return "private"
    return "group" if shared_with_group else "coach"


def _state_is_valid(dialogue: Dialogue, state: dict[str, object]) -> bool:
    try:
        engine.validate_state(dialogue, state)
    except engine.InvalidState:
        return False
    return True
