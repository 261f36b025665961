"""DialogueService and HistoryService on SQLite and PostgreSQL: runs, resume, staleness, history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.inputs import Choose, Confirm, Pause, Text, TogglePrivate
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.dialogue.screens import ScreenKind
from bot.i18n import Translator
from bot.services.dialogue_runs import DialogueService, RunNotFound
from bot.services.history import EditError, HistoryService
from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.fixture
def service(
    uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, tmp_path: Path
) -> DialogueService:
    return DialogueService(uow_factory, catalog, Settings(data_dir=tmp_path))


@pytest.fixture
def history(uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog) -> HistoryService:
    return HistoryService(uow_factory, catalog)


async def _person(uow_factory: UnitOfWorkFactory, name: str = "anna") -> int:
    async with uow_factory() as uow:
        person = Person(console_name=name, role="client", consent_at=NOW, created_at=NOW)
        await uow.people.add(person)
        await uow.commit()
        return person.id


async def _walk(
    service: DialogueService, person_id: int, run_id: int, inputs: list[object], t: Translator
) -> None:
    for inp in inputs:
        result = await service.handle(person_id, run_id, inp, t, NOW)  # type: ignore[arg-type]
        assert result.screen.error is None, result.screen.error


NEXT_STEP = [
    Text("Book a one-to-one with each new team member"),
    Text("+14"),
    Text("All five meetings are in the calendar"),
    Text("If the week fills up, I book them for Monday morning"),
    Choose("5"),
    Text("Ask my assistant to find the slots"),
]


async def test_finishing_next_step_stores_answers_and_a_commitment(
    service: DialogueService,
    history: HistoryService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    started = await service.start(person_id, "nasta_steg", translator_en, NOW)
    assert started.screen.kind is ScreenKind.QUESTION
    await _walk(service, person_id, started.run_id, NEXT_STEP, translator_en)
    final = await service.handle(person_id, started.run_id, Confirm(), translator_en, NOW)
    assert final.screen.kind is ScreenKind.FINISHED

    commitments = await history.open_commitments(person_id)
    assert [(c.text, c.due_date) for c in commitments] == [
        ("Book a one-to-one with each new team member", date(2026, 3, 24))
    ]
    assert commitments[0].done_when == "All five meetings are in the calendar"
    detail = await history.read_run(person_id, started.run_id, translator_en)
    assert detail is not None
    answered = {a.step_id: a for a in detail.answers}
    assert set(answered) == {"action", "due", "done_sign", "if_then", "confidence", "raise_it"}
    assert all(a.visibility == "coach" for a in detail.answers)


async def test_an_answer_marked_private_is_stored_as_only_for_me(
    service: DialogueService, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    person_id = await _person(uow_factory)
    run = await service.start(person_id, "nasta_steg", translator_en, NOW)
    await service.handle(person_id, run.run_id, TogglePrivate(), translator_en, NOW)
    await _walk(service, person_id, run.run_id, NEXT_STEP, translator_en)
    await service.handle(person_id, run.run_id, Confirm(), translator_en, NOW)
    async with uow_factory() as uow:
        stored = {a.step_id: a.visibility for a in await uow.answers.for_run(run.run_id)}
    assert stored["action"] == "private"
    assert stored["due"] == "coach"


async def test_a_run_survives_a_new_service_instance_and_resumes_at_the_same_step(
    uow_factory: UnitOfWorkFactory,
    catalog: DialogueCatalog,
    tmp_path: Path,
    translator_sv: Translator,
) -> None:
    person_id = await _person(uow_factory)
    first = DialogueService(uow_factory, catalog, Settings(data_dir=tmp_path))
    run = await first.start(person_id, "handlingsfrihet", translator_sv, NOW)
    await _walk(
        first, person_id, run.run_id, [Text("Budgeten"), Text("Prioriteringar")], translator_sv
    )
    before = await first.current(person_id, translator_sv, NOW)
    assert before is not None

    restarted = DialogueService(uow_factory, catalog, Settings(data_dir=tmp_path))
    resumed = await restarted.current(person_id, translator_sv, NOW + timedelta(hours=5))
    assert resumed is not None and resumed.resumed
    assert resumed.run_id == run.run_id
    assert resumed.screen.step_id == before.screen.step_id == "influence"


async def test_starting_another_dialogue_pauses_the_first_which_then_resumes(
    service: DialogueService, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    person_id = await _person(uow_factory)
    scope = await service.start(person_id, "handlingsfrihet", translator_en, NOW)
    await _walk(service, person_id, scope.run_id, [Text("Hiring freeze")], translator_en)
    other = await service.start(person_id, "nulage", translator_en, NOW)
    assert other.run_id != scope.run_id
    async with uow_factory() as uow:
        paused = await uow.runs.get(scope.run_id)
        assert paused is not None and paused.status == "paused"
    await service.handle(person_id, other.run_id, Pause(), translator_en, NOW)
    again = await service.start(person_id, "handlingsfrihet", translator_en, NOW)
    assert again.run_id == scope.run_id
    assert again.screen.step_id == "decide"


async def test_a_stale_or_repeated_input_changes_nothing(
    service: DialogueService, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    person_id = await _person(uow_factory)
    run = await service.start(person_id, "nulage", translator_en, NOW)
    first = await service.handle(
        person_id,
        run.run_id,
        Text("The reorganisation"),
        translator_en,
        NOW,
        expected_step="occupies",
    )
    assert not first.stale
    # The same message delivered twice (a double tap) is for a step that is no longer current.
    repeat = await service.handle(
        person_id,
        run.run_id,
        Text("The reorganisation"),
        translator_en,
        NOW,
        expected_step="occupies",
    )
    assert repeat.stale
    assert repeat.screen.step_id == first.screen.step_id
    async with uow_factory() as uow:
        stored = await uow.runs.get(run.run_id)
        assert stored is not None
        assert stored.state["answers"]["occupies"]["value"] == "The reorganisation"


async def test_input_for_someone_elses_run_is_refused(
    service: DialogueService, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    anna = await _person(uow_factory, "anna")
    bo = await _person(uow_factory, "bo")
    run = await service.start(anna, "nulage", translator_en, NOW)
    with pytest.raises(RunNotFound):
        await service.handle(bo, run.run_id, Text("hello"), translator_en, NOW)


async def test_a_finished_run_answers_stale_with_its_final_screen(
    service: DialogueService, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    person_id = await _person(uow_factory)
    run = await service.start(person_id, "nasta_steg", translator_en, NOW)
    await _walk(service, person_id, run.run_id, [*NEXT_STEP, Confirm()], translator_en)
    late = await service.handle(person_id, run.run_id, Confirm(), translator_en, NOW)
    assert late.stale
    async with uow_factory() as uow:
        assert len(await uow.commitments.list_for(person_id)) == 1


async def test_editing_an_answer_keeps_the_earlier_one_with_its_time(
    service: DialogueService,
    history: HistoryService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    run = await service.start(person_id, "nasta_steg", translator_en, NOW)
    await _walk(service, person_id, run.run_id, [*NEXT_STEP, Confirm()], translator_en)
    later = NOW + timedelta(days=2)
    view = await history.edit_answer(person_id, run.run_id, "confidence", "8", translator_en, later)
    assert view.value_text.startswith("8")
    assert view.edited
    assert [text.split(" ")[0] for _, text in view.revisions] == ["5"]
    assert view.revisions[0][0] == later
    with pytest.raises(EditError, match="0"):
        await history.edit_answer(
            person_id, run.run_id, "confidence", "eight", translator_en, later
        )
    detail = await history.read_run(person_id, run.run_id, translator_en)
    assert detail is not None
    confidence = next(a for a in detail.answers if a.step_id == "confidence")
    assert confidence.value_text.startswith("8") and len(confidence.revisions) == 1


async def test_trends_follow_repeated_scales_over_finished_runs(
    service: DialogueService,
    history: HistoryService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    for offset, confidence in ((0, "4"), (7, "6"), (14, "9")):
        when = NOW + timedelta(days=offset)
        run = await service.start(person_id, "nasta_steg", translator_en, when)
        steps = [NEXT_STEP[0], Text("+7"), NEXT_STEP[2], NEXT_STEP[3], Choose(confidence)]
        if int(confidence) < 7:
            steps.append(Text("Smaller step"))
        for inp in [*steps, Confirm()]:
            result = await service.handle(person_id, run.run_id, inp, translator_en, when)
            assert result.screen.error is None, result.screen.error
    trends = {trend.step_id: trend for trend in await history.trends(person_id, translator_en)}
    assert [p.value for p in trends["confidence"].points] == [4, 6, 9]
    assert trends["confidence"].direction == 1


@pytest.mark.parametrize(("consent", "expected"), [("ja", "group"), ("nej", "coach")])
async def test_a_case_reaches_the_group_only_with_the_owners_yes(
    service: DialogueService,
    uow_factory: UnitOfWorkFactory,
    translator_sv: Translator,
    consent: str,
    expected: str,
) -> None:
    from bot.dialogue.inputs import parse_console_input
    from bot.dialogue.screens import InputKind
    from bot.services.groups import join_group
    from bot.storage.models import Group, GroupMeeting, Person

    person_id = await _person(uow_factory)
    # A case is prepared for a group meeting where the person brings it.
    async with uow_factory() as uow:
        facilitator = await uow.people.add(Person(role="coach", console_name="f", consent_at=NOW))
        group = await uow.groups.add(
            Group(facilitator_id=facilitator.id, name="Norr", size=4, interval_days=35)
        )
        for number in (0, 1):
            await uow.groups.add_meeting(
                GroupMeeting(
                    group_id=group.id, number=number, starts_at=NOW + timedelta(days=7 * number + 1)
                )
            )
        person = await uow.people.get(person_id)
        assert person is not None
        await join_group(uow, person, group.id, NOW)
        await uow.commit()
    result = await service.start(person_id, "case_forberedelse", translator_sv, NOW)
    assert result.run_id
    typed = {InputKind.TEXT: "Ett dilemma", InputKind.CHOICE: "1", InputKind.MULTI: "1"}
    while result.screen.kind is ScreenKind.QUESTION:
        if result.screen.step_id == "share":
            line = consent
        else:
            assert result.screen.input is not None
            line = typed.get(result.screen.input, "/done")
        result = await service.handle(
            person_id, result.run_id, parse_console_input(line), translator_sv, NOW
        )
        if result.screen.input is InputKind.MULTI and line == "1":
            result = await service.handle(
                person_id, result.run_id, parse_console_input("/done"), translator_sv, NOW
            )
    await service.handle(person_id, result.run_id, Confirm(), translator_sv, NOW)
    async with uow_factory() as uow:
        stored = await uow.answers.for_run(result.run_id)
    assert stored and {a.visibility for a in stored} == {expected}


async def test_the_plan_review_shows_the_goals_of_the_latest_plan(
    service: DialogueService, uow_factory: UnitOfWorkFactory, translator_sv: Translator
) -> None:
    person_id = await _person(uow_factory)
    refused = await service.start(person_id, "utvecklingsplan_uppfoljning", translator_sv, NOW)
    assert refused.run_id == 0 and refused.screen.kind is ScreenKind.UNAVAILABLE
    assert "Utvecklingsplan" in refused.screen.text
    async with uow_factory() as uow:
        assert await uow.runs.list_for(person_id) == []
    for goals in (["Old goal"], ["Delegera planeringen", "Tydligare mål"]):
        plan = await service.start(person_id, "utvecklingsplan", translator_sv, NOW)
        answers: list[object] = [Choose("continue"), Text(goals[0])]
        for goal in goals[1:]:
            answers += [Choose("yes"), Text(goal)]
        answers += [Choose("no"), Text("Färre frågor"), Text("Min coach"), Text("+28"), Confirm()]
        await _walk(service, person_id, plan.run_id, answers, translator_sv)
    review = await service.start(person_id, "utvecklingsplan_uppfoljning", translator_sv, NOW)
    assert review.screen.shows == "Mål 1: Delegera planeringen"
    second = await service.handle(person_id, review.run_id, Choose("6"), translator_sv, NOW)
    assert second.screen.shows == "Mål 2: Tydligare mål"
    third = await service.handle(person_id, review.run_id, Choose("2"), translator_sv, NOW)
    assert third.screen.step_id == "in_the_way"  # the plan has no third goal
