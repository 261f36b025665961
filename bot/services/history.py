"""Answers over time: past runs, reading a run, editing an answer, open commitments, trends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.dialogue.answer_views import format_answer, parse_answer, step_label
from bot.dialogue.instances import bind
from bot.dialogue.loader import DialogueCatalog
from bot.dialogue.material import Material, MaterialError
from bot.dialogue.model import Dialogue, Step, StepKind
from bot.i18n import Translator
from bot.storage.models import Answer, AnswerRevision, DialogueRun
from bot.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class RunSummary:
    """One past or open run, as listed in the history."""

    run_id: int
    dialogue_id: str
    title: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    # "group" for a Backstage group's run: what it shares goes to the facilitator, not a coach.
    context: str = "coaching"


@dataclass(frozen=True)
class AnswerView:
    """One stored answer of a run, ready to show."""

    step_id: str
    label: str
    value_text: str
    visibility: str
    edited: bool
    revisions: tuple[tuple[datetime, str], ...] = ()


@dataclass(frozen=True)
class RunDetail:
    """A finished run with its answers."""

    summary: RunSummary
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True)
class CommitmentView:
    """An open commitment."""

    commitment_id: int
    text: str
    due_date: date
    status: str
    done_when: str | None
    # The latest check-in answer (partly, not_yet ...), None before the first check-in.
    last_check: str | None = None


@dataclass(frozen=True)
class TrendPoint:
    """One value of a repeated question at the time its run finished."""

    at: datetime
    value: int | str
    value_text: str


@dataclass(frozen=True)
class Trend:
    """A repeated scale or choice question across finished runs, oldest first."""

    dialogue_id: str
    dialogue_title: str
    step_id: str
    label: str
    kind: StepKind
    points: tuple[TrendPoint, ...]
    # The lowest and highest value the question allows (a chart's axis): a scale's ends, or
    # 1..number of options of an ordered choice.
    low: int = 0
    high: int = 10

    @property
    def direction(self) -> int:
        """+1 rising, -1 falling, 0 flat or not comparable (first vs. last point)."""
        first, last = self.points[0].value, self.points[-1].value
        if isinstance(first, int) and isinstance(last, int):
            return (last > first) - (last < first)
        return 0


def run_material(run: DialogueRun) -> Material:
    """The material a run was started with (empty if it had none or it cannot be read)."""
    state = run.state if isinstance(run.state, dict) else {}
    try:
        return Material.from_json(state.get("material"))
    except MaterialError:
        return Material()


class EditError(ValueError):
    """The new value is not valid for the step; the message is translated."""


class HistoryService:
    """Reads and edits what a person has answered over time."""

    def __init__(self, uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog) -> None:
        self._uow_factory = uow_factory
        self._catalog = catalog

    def _dialogue(self, dialogue_id: str) -> Dialogue | None:
        try:
            return self._catalog.get(dialogue_id)
        except KeyError:
            return None

    def _title(self, dialogue_id: str, t: Translator) -> str:
        dialogue = self._dialogue(dialogue_id)
        return t.pgettext(dialogue.id, dialogue.title) if dialogue else dialogue_id

    def _summary(self, run: DialogueRun, t: Translator) -> RunSummary:
        return RunSummary(
            run_id=run.id,
            dialogue_id=run.dialogue_id,
            title=self._title(run.dialogue_id, t),
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            context=run.context,
        )

    async def list_runs(self, person_id: int, t: Translator) -> list[RunSummary]:
        """Lists the person's runs, newest first."""
        async with self._uow_factory() as uow:
            runs = await uow.runs.list_for(person_id)
        return [self._summary(run, t) for run in runs]

    async def read_run(self, person_id: int, run_id: int, t: Translator) -> RunDetail | None:
        """Returns one of the person's runs with its answers and their edit history."""
        async with self._uow_factory() as uow:
            run = await uow.runs.get(run_id)
            if run is None or run.person_id != person_id:
                return None
            answers = await uow.answers.for_run(run_id, with_revisions=True)
        material = run_material(run)
        views = tuple(
            self._answer_view(answer, answer.revisions, t, material) for answer in answers
        )
        return RunDetail(summary=self._summary(run, t), answers=views)

    async def shared_runs(self, person_id: int, since: datetime, t: Translator) -> list[RunDetail]:
        """Finished runs, newest first, with only the shared answers given at or after `since`.

        Edit histories are left out: an earlier value may have been private.
        """
        async with self._uow_factory() as uow:
            # A coach reads individual coaching only: runs of a Backstage group are the group's.
            runs = [
                run
                for run in await uow.runs.list_for(person_id, statuses=("finished",))
                if run.context != "group"
            ]
            answers = await uow.answers.for_person(person_id, since=since, shared_only=True)
        by_run: dict[int, list[AnswerView]] = {}
        materials = {run.id: run_material(run) for run in runs}
        for answer in answers:
            material = materials.get(answer.run_id, Material())
            by_run.setdefault(answer.run_id, []).append(self._answer_view(answer, (), t, material))
        return [
            RunDetail(summary=self._summary(run, t), answers=tuple(by_run[run.id]))
            for run in runs
            if run.id in by_run
        ]

    def _step(
        self, dialogue_id: str, step_id: str, material: Material | None = None
    ) -> tuple[Dialogue, Step] | None:
        """The dialogue and step an answer belongs to, if the dialogue still has that step;
        with the run's material, an answer about one commitment names that commitment."""
        dialogue = self._dialogue(dialogue_id)
        if dialogue is not None and material is not None:
            dialogue = bind(dialogue, material)
        if dialogue is None or not dialogue.has_step(step_id):
            return None
        return dialogue, dialogue.step(step_id)

    def _answer_view(
        self,
        answer: Answer,
        revisions: Sequence[AnswerRevision],
        t: Translator,
        material: Material | None = None,
    ) -> AnswerView:
        found = self._step(answer.dialogue_id, answer.step_id, material)

        def shown(value: object) -> str:
            return format_answer(found[0], found[1], value, t) if found else str(value)

        history = tuple((rev.changed_at, shown(rev.value)) for rev in revisions)
        return AnswerView(
            step_id=answer.step_id,
            label=step_label(found[0], found[1], t) if found else answer.step_id,
            value_text=shown(answer.value),
            visibility=answer.visibility,
            edited=bool(history),
            revisions=history,
        )

    async def edit_answer(
        self,
        person_id: int,
        run_id: int,
        step_id: str,
        text: str,
        t: Translator,
        now: datetime,
        visibility: str | None = None,
    ) -> AnswerView:
        """Replaces an answer of a finished run, keeping the previous value as a revision."""
        async with self._uow_factory() as uow:
            run = await uow.runs.get(run_id)
            if run is None or run.person_id != person_id:
                raise EditError(t.gettext("There is no such reflection."))
            answer = next(
                (a for a in await uow.answers.for_run(run_id) if a.step_id == step_id), None
            )
            found = self._step(answer.dialogue_id, step_id) if answer is not None else None
            if answer is None or found is None:
                raise EditError(t.gettext("That reflection has no answer with that name."))
            dialogue, step = found
            today = now.astimezone(t.tz).date()
            value, error = parse_answer(dialogue, step, text, t, today)
            if error is not None:
                raise EditError(error)
            await uow.answers.edit(answer, value, now, visibility=visibility)
            view = self._answer_view(answer, await uow.answers.revisions(answer.id), t)
            await uow.commit()
        return view

    async def open_commitments(self, person_id: int) -> list[CommitmentView]:
        """Lists commitments that are still open, soonest due first."""
        async with self._uow_factory() as uow:
            commitments = await uow.commitments.open_for(person_id)
        return [
            CommitmentView(
                commitment_id=c.id,
                text=c.text,
                due_date=c.due_date,
                status=c.status,
                done_when=c.done_when,
                last_check=c.last_check,
            )
            for c in sorted(commitments, key=lambda c: (c.due_date, c.id))
        ]

    async def trends(self, person_id: int, t: Translator) -> list[Trend]:
        """Scale and choice answers repeated over at least two finished runs, oldest first."""
        async with self._uow_factory() as uow:
            runs = {run.id: run for run in await uow.runs.list_for(person_id)}
            answers = await uow.answers.for_person(person_id)
        series: dict[tuple[str, str], list[tuple[datetime, Answer]]] = {}
        for answer in answers:
            run = runs.get(answer.run_id)
            if run is None or run.finished_at is None:
                continue
            series.setdefault((answer.dialogue_id, answer.step_id), []).append(
                (run.finished_at, answer)
            )
        trends = []
        for (dialogue_id, step_id), points in sorted(series.items()):
            found = self._step(dialogue_id, step_id)
            if found is None or found[1].kind not in (StepKind.SCALE, StepKind.CHOICE):
                continue
            dialogue, step = found
            if len(points) < 2 or (step.kind is StepKind.CHOICE and not step.ordered):
                continue
            points.sort(key=lambda item: item[0])
            low, high = (
                (1, len(step.options)) if step.kind is StepKind.CHOICE else (step.min, step.max)
            )
            trends.append(
                Trend(
                    dialogue_id=dialogue_id,
                    dialogue_title=t.pgettext(dialogue.id, dialogue.title),
                    step_id=step_id,
                    label=step_label(dialogue, step, t),
                    kind=step.kind,
                    points=tuple(
                        TrendPoint(
                            at=at,
                            value=_trend_value(step, answer.value),
                            value_text=format_answer(dialogue, step, answer.value, t),
                        )
                        for at, answer in points
                    ),
                    low=low,
                    high=high,
                )
            )
        return trends


def _trend_value(step: Step, value: object) -> int | str:
    """A comparable value: the number of a scale, the position of an ordered choice."""
    if step.kind is StepKind.CHOICE:
        values = [option.value for option in step.options]
        return values.index(str(value)) + 1 if str(value) in values else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value)
