"""Commitments over their life, on SQLite and PostgreSQL: quick check-ins and check-in runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.inputs import Choose, Confirm, Input, Text
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.dialogue.screens import ScreenKind
from bot.i18n import Translator
from bot.services.commitments import CommitmentNotFound, CommitmentService
from bot.services.dialogue_runs import DialogueService
from bot.services.history import HistoryService
from bot.storage.models import Commitment, Meeting, Person
from bot.storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.fixture
def dialogues(
    uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, tmp_path: Path
) -> DialogueService:
    return DialogueService(uow_factory, catalog, Settings(data_dir=tmp_path))


@pytest.fixture
def commitments(uow_factory: UnitOfWorkFactory) -> CommitmentService:
    return CommitmentService(uow_factory)


async def _person(uow_factory: UnitOfWorkFactory, name: str = "anna") -> int:
    async with uow_factory() as uow:
        person = Person(console_name=name, role="client", consent_at=NOW, created_at=NOW)
        await uow.people.add(person)
        await uow.commit()
        return person.id


async def _commitment(uow_factory: UnitOfWorkFactory, person_id: int, text: str, due: date) -> int:
    async with uow_factory() as uow:
        made = await uow.commitments.add(
            Commitment(
                person_id=person_id,
                text=text,
                done_when="It is in the calendar",
                due_date=due,
                status="open",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await uow.commit()
        return made.id


async def _replan_mark(uow_factory: UnitOfWorkFactory, person_id: int) -> datetime | None:
    async with uow_factory() as uow:
        person = await uow.people.get(person_id)
        assert person is not None
        return person.replan_at


async def _run(
    dialogues: DialogueService,
    person_id: int,
    dialogue_id: str,
    inputs: list[Input],
    t: Translator,
    *,
    commitment_id: int | None = None,
) -> list[str]:
    """Starts a run, answers, confirms; returns the texts shown above each question."""
    started = await dialogues.start(person_id, dialogue_id, t, NOW, commitment_id=commitment_id)
    shown = [started.screen.shows or ""]
    for inp in [*inputs, Confirm()]:
        result = await dialogues.handle(person_id, started.run_id, inp, t, LATER)
        assert result.screen.error is None, result.screen.error
        shown.append(result.screen.shows or "")
    assert result.screen.kind is ScreenKind.FINISHED
    return shown


async def test_a_quick_not_yet_keeps_the_commitment_open_with_its_new_date(
    commitments: CommitmentService, uow_factory: UnitOfWorkFactory
) -> None:
    person_id = await _person(uow_factory)
    cid = await _commitment(uow_factory, person_id, "Book one-to-ones", date(2026, 3, 12))
    info = await commitments.record_check(
        person_id, cid, "not_yet", LATER, new_due=date(2026, 3, 20), note="Sick staff"
    )
    assert (info.status, info.last_check, info.due_date) == ("open", "not_yet", date(2026, 3, 20))
    [listed] = await commitments.open_for(person_id)
    assert (listed.id, listed.last_check, listed.checked_at) == (cid, "not_yet", LATER)
    events = await commitments.history(person_id, cid)
    assert [(e.kind, e.at, e.due_date, e.note) for e in events] == [
        ("created", NOW, date(2026, 3, 12), None),
        ("not_yet", LATER, date(2026, 3, 20), "Sick staff"),
    ]
    assert await _replan_mark(uow_factory, person_id) == LATER


async def test_done_closes_and_an_old_button_cannot_reopen_it(
    commitments: CommitmentService, uow_factory: UnitOfWorkFactory
) -> None:
    person_id = await _person(uow_factory)
    cid = await _commitment(uow_factory, person_id, "Book one-to-ones", date(2026, 3, 12))
    await commitments.record_check(person_id, cid, "done", LATER)
    assert await commitments.open_for(person_id) == []
    with pytest.raises(CommitmentNotFound):
        await commitments.record_check(person_id, cid, "not_yet", LATER)
    info = await commitments.get(person_id, cid)
    assert info is not None and (info.status, info.last_check) == ("done", "done")
    with pytest.raises(ValueError):
        await commitments.record_check(person_id, cid, "open", LATER)


async def test_nobody_touches_another_persons_commitment(
    commitments: CommitmentService, uow_factory: UnitOfWorkFactory
) -> None:
    anna = await _person(uow_factory, "anna")
    bo = await _person(uow_factory, "bo")
    cid = await _commitment(uow_factory, anna, "Book one-to-ones", date(2026, 3, 12))
    with pytest.raises(CommitmentNotFound):
        await commitments.record_check(bo, cid, "done", LATER)
    with pytest.raises(CommitmentNotFound):
        await commitments.move_due(bo, cid, date(2026, 4, 1), LATER)
    with pytest.raises(CommitmentNotFound):
        await commitments.history(bo, cid)
    assert await commitments.get(bo, cid) is None
    moved = await commitments.move_due(anna, cid, date(2026, 4, 1), LATER)
    assert moved.due_date == date(2026, 4, 1)
    assert [e.kind for e in await commitments.history(anna, cid)] == ["created", "moved"]


async def test_checkin_not_yet_with_a_new_date_keeps_it_open_at_that_date(
    dialogues: DialogueService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    other = await _commitment(uow_factory, person_id, "Ask for the budget", date(2026, 3, 11))
    cid = await _commitment(uow_factory, person_id, "Book one-to-ones", date(2026, 3, 12))
    shown = await _run(
        dialogues,
        person_id,
        "checkin",
        [Choose("not_yet"), Text("Sick staff"), Text("+10")],
        translator_en,
        commitment_id=cid,
    )
    # The question shows the commitment it is about, not the one due first.
    assert "Your commitment: Book one-to-ones" in shown[0]
    assert "Due 12 Mar 2026" in shown[0]
    info = await commitments.get(person_id, cid)
    assert info is not None
    assert (info.status, info.last_check, info.due_date) == ("open", "not_yet", date(2026, 3, 20))
    events = await commitments.history(person_id, cid)
    assert [(e.kind, e.at, e.due_date, e.note) for e in events][1:] == [
        ("not_yet", LATER, date(2026, 3, 20), "Sick staff")
    ]
    untouched = await commitments.get(person_id, other)
    assert untouched is not None and untouched.last_check is None
    assert await _replan_mark(uow_factory, person_id) == LATER


async def test_checkin_done_closes_the_commitment(
    dialogues: DialogueService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
    translator_sv: Translator,
) -> None:
    person_id = await _person(uow_factory)
    cid = await _commitment(uow_factory, person_id, "Boka samtal", date(2026, 3, 12))
    # Without a commitment named, the check-in is about the one due first.
    shown = await _run(
        dialogues, person_id, "checkin", [Choose("done"), Text("Kalenderblock")], translator_sv
    )
    assert "Ditt åtagande: Boka samtal" in shown[0]
    assert await commitments.open_for(person_id) == []
    events = await commitments.history(person_id, cid)
    assert [(e.kind, e.note) for e in events] == [("created", None), ("done", "Kalenderblock")]


async def test_checkin_partly_makes_the_rest_a_new_commitment_with_its_parent(
    dialogues: DialogueService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    cid = await _commitment(uow_factory, person_id, "Book one-to-ones", date(2026, 3, 12))
    async with uow_factory() as uow:
        await uow.meetings.add(
            Meeting(
                client_id=person_id,
                starts_at=datetime(2026, 3, 26, 13, 0, tzinfo=UTC),
                created_at=NOW,
            )
        )
        await uow.commit()
    started = await dialogues.start(person_id, "checkin", translator_en, NOW, commitment_id=cid)
    run_id = started.run_id
    for inp in (Choose("partly"), Text("Half the team was away")):
        result = await dialogues.handle(person_id, run_id, inp, translator_en, LATER)
    labels = [choice.label for choice in result.screen.choices]
    assert labels[-1] == "At the next meeting (26 Mar 2026)"
    for inp in (Choose("2026-03-26"), Choose("yes"), Text("Book the last two"), Confirm()):
        result = await dialogues.handle(person_id, run_id, inp, translator_en, LATER)
        assert result.screen.error is None
    [rest] = await commitments.open_for(person_id)
    assert (rest.text, rest.due_date, rest.parent_id) == (
        "Book the last two",
        date(2026, 3, 26),
        cid,
    )
    parent = await commitments.get(person_id, cid)
    assert parent is not None
    # The part that was done is closed; the rest carries it on.
    assert (parent.status, parent.last_check, parent.due_date) == (
        "done",
        "partly",
        date(2026, 3, 12),
    )
    assert [(e.kind, e.at, e.note) for e in await commitments.history(person_id, cid)] == [
        ("created", NOW, None),
        ("partly", LATER, "Half the team was away"),
    ]


async def test_checkin_without_open_commitments_says_so_and_starts_nothing(
    dialogues: DialogueService, uow_factory: UnitOfWorkFactory, translator_sv: Translator
) -> None:
    person_id = await _person(uow_factory)
    result = await dialogues.start(person_id, "checkin", translator_sv, NOW)
    assert result.screen.kind is ScreenKind.UNAVAILABLE
    assert result.run_id == 0
    assert "inga öppna åtaganden" in result.screen.text
    async with uow_factory() as uow:
        assert await uow.runs.active_for(person_id) is None


async def test_checkin_for_a_closed_or_foreign_commitment_is_refused(
    dialogues: DialogueService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    anna = await _person(uow_factory, "anna")
    bo = await _person(uow_factory, "bo")
    cid = await _commitment(uow_factory, anna, "Book one-to-ones", date(2026, 3, 12))
    with pytest.raises(CommitmentNotFound):
        await dialogues.start(bo, "checkin", translator_en, NOW, commitment_id=cid)
    await commitments.record_check(anna, cid, "done", NOW)
    with pytest.raises(CommitmentNotFound):
        await dialogues.start(anna, "checkin", translator_en, NOW, commitment_id=cid)
    with pytest.raises(ValueError):
        await dialogues.start(anna, "nulage", translator_en, NOW, commitment_id=cid)


async def test_a_paused_checkin_resumes_about_its_own_commitment(
    dialogues: DialogueService, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    person_id = await _person(uow_factory)
    first = await _commitment(uow_factory, person_id, "Book one-to-ones", date(2026, 3, 12))
    second = await _commitment(uow_factory, person_id, "Ask for the budget", date(2026, 3, 13))
    a = await dialogues.start(person_id, "checkin", translator_en, NOW, commitment_id=first)
    b = await dialogues.start(person_id, "checkin", translator_en, NOW, commitment_id=second)
    assert a.run_id != b.run_id
    assert "Ask for the budget" in (b.screen.shows or "")
    again = await dialogues.start(person_id, "checkin", translator_en, LATER, commitment_id=first)
    assert again.run_id == a.run_id and again.resumed
    assert "Book one-to-ones" in (again.screen.shows or "")
    # Without a commitment named (the menu), the unfinished check-in is resumed as it is.
    plain = await dialogues.start(person_id, "checkin", translator_en, LATER)
    assert plain.run_id == a.run_id and plain.resumed


@pytest.mark.parametrize("count", [0, 1, 3])
async def test_before_the_meeting_walks_each_open_commitment(
    count: int,
    dialogues: DialogueService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    texts = ["Book one-to-ones", "Ask for the budget", "Write the plan"][:count]
    ids = [
        await _commitment(uow_factory, person_id, text, date(2026, 3, 12 + n))
        for n, text in enumerate(texts)
    ]
    statuses = ["done", "not_yet", "dropped"][:count]
    inputs: list[Input] = [Text("A busy month")]
    inputs += [Choose(status) for status in statuses]
    if "not_yet" in statuses:
        inputs.append(Text("The budget came late"))  # the optional note, shown after a not yet
    inputs.append(Text("My scope of action"))
    shown = await _run(dialogues, person_id, "infor_motet", inputs, translator_en)
    # Each commitment is shown on its own question, soonest due first.
    for text in texts:
        assert any(f"Your commitment: {text}" in block for block in shown)
    after = {cid: await commitments.get(person_id, cid) for cid in ids}
    assert [(a.status, a.last_check) for a in after.values() if a is not None] == [
        {
            "done": ("done", "done"),
            "not_yet": ("open", "not_yet"),
            "dropped": ("dropped", "dropped"),
        }[status]
        for status in statuses
    ]
    open_now = [c.id for c in await commitments.open_for(person_id)]
    assert open_now == [
        cid for cid, status in zip(ids, statuses, strict=True) if status == "not_yet"
    ]
    for cid, status in zip(ids, statuses, strict=True):
        events = await commitments.history(person_id, cid)
        assert [(e.kind, e.at) for e in events] == [("created", NOW), (status, LATER)]
    marked = await _replan_mark(uow_factory, person_id)
    assert marked == (LATER if count else None)
    # The stored reflection says which commitment each status is about.
    history = HistoryService(uow_factory, dialogues.catalog)
    [run] = await history.list_runs(person_id, translator_en)
    detail = await history.read_run(person_id, run.run_id, translator_en)
    assert detail is not None
    labels = [a.label for a in detail.answers if a.step_id.startswith("commitment.")]
    assert labels == [f"Commitment – {text}" for text in texts]


async def test_an_offered_commitment_is_created_with_the_chosen_date(
    dialogues: DialogueService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
    translator_en: Translator,
) -> None:
    person_id = await _person(uow_factory)
    inputs: list[Input] = [
        Text("A meeting went off track"),
        Text("I went quiet"),
        Text("When voices rise"),
        Text("Name what I see"),
        Text("+14"),
    ]
    shown = await _run(dialogues, person_id, "kolb", inputs, translator_en)
    assert "What I try next: Name what I see" in shown[4]
    [made] = await commitments.open_for(person_id)
    assert (made.text, made.due_date, made.parent_id) == (
        "Name what I see",
        date(2026, 3, 24),
        None,
    )
    assert await _replan_mark(uow_factory, person_id) == LATER
