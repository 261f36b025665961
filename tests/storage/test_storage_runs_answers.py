"""Dialogue runs, answers with revisions, and commitments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from storage_helpers import PersonMaker, add_run

from bot.storage.models import Commitment
from bot.storage.uow import UnitOfWorkFactory


async def test_active_for_is_the_latest_active_or_paused_run(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    other = await make_person()
    async with uow_factory() as uow:
        assert await uow.runs.active_for(person.id) is None
        await add_run(uow, person, status="paused", updated_at=now - timedelta(hours=3))
        latest = await add_run(uow, person, status="active", updated_at=now - timedelta(hours=1))
        await add_run(uow, person, status="finished", updated_at=now)
        await add_run(uow, other, status="active", updated_at=now)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.runs.active_for(person.id)
        assert found is not None and found.id == latest.id
        found.status = "cancelled"
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.runs.active_for(person.id)
        assert found is not None and found.status == "paused"


async def test_run_state_round_trips_and_list_filters(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    state = {"v": 1, "answers": {"issue": {"value": "Budget för 2027", "private": True}}}
    async with uow_factory() as uow:
        first = await add_run(uow, person, dialogue_id="nulage", started_at=now - timedelta(days=2))
        second = await add_run(
            uow, person, dialogue_id="handlingsfrihet", state=state, status="finished"
        )
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.runs.get(second.id)
        assert loaded is not None
        assert loaded.state == state
        assert loaded.started_at == now
        all_runs = await uow.runs.list_for(person.id)
        assert [r.id for r in all_runs] == [second.id, first.id]
        only_nulage = await uow.runs.list_for(person.id, dialogue_id="nulage")
        assert [r.id for r in only_nulage] == [first.id]
        finished = await uow.runs.list_for(person.id, statuses=["finished"])
        assert [r.id for r in finished] == [second.id]
        assert len(await uow.runs.list_for(person.id, limit=1)) == 1
        assert await uow.runs.get(123_456) is None


async def test_last_phrasings_takes_each_step_from_its_latest_run(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        assert await uow.runs.last_phrasings(person.id, "nulage") == {}
        await add_run(uow, person, phrasings={"a": 0, "b": 2}, started_at=now - timedelta(days=7))
        # The latest run was cancelled early: it only showed step a.
        await add_run(uow, person, phrasings={"a": 1}, started_at=now - timedelta(days=1))
        await add_run(uow, person, dialogue_id="other", phrasings={"a": 4}, started_at=now)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.runs.last_phrasings(person.id, "nulage") == {"a": 1, "b": 2}


async def test_answers_are_eager_loaded_only_when_asked(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        run = await add_run(uow, person)
        await uow.answers.upsert(run, "energy", "scale", 6, "coach", now)
        await uow.answers.upsert(run, "issue", "text", "Rekrytering", "private", now)
        await uow.commit()
    async with uow_factory() as uow:
        with_answers = await uow.runs.get(run.id, with_answers=True)
        assert with_answers is not None
        assert [(a.step_id, a.value) for a in with_answers.answers] == [
            ("energy", 6),
            ("issue", "Rekrytering"),
        ]
        listed = await uow.runs.list_for(person.id, with_answers=True)
        assert len(listed[0].answers) == 2
    async with uow_factory() as uow:
        plain = await uow.runs.get(run.id)
        assert plain is not None
        with pytest.raises(InvalidRequestError):
            _ = plain.answers


async def test_upsert_replaces_the_answer_of_a_step(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        run = await add_run(uow, person, dialogue_id="nulage")
        first = await uow.answers.upsert(run, "focus", "multi", ["team", "self"], "coach", now)
        later = now + timedelta(minutes=5)
        second = await uow.answers.upsert(run, "focus", "multi", ["team"], "private", later)
        await uow.commit()
    assert second.id == first.id
    async with uow_factory() as uow:
        answers = await uow.answers.for_run(run.id)
        assert len(answers) == 1
        assert answers[0].value == ["team"]
        assert answers[0].visibility == "private"
        assert answers[0].person_id == person.id
        assert answers[0].dialogue_id == "nulage"
        assert answers[0].created_at == now
        assert answers[0].updated_at == later
        assert list(await uow.answers.revisions(answers[0].id)) == []


async def test_edit_keeps_the_previous_value_with_its_time(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        run = await add_run(uow, person)
        answer = await uow.answers.upsert(run, "issue", "text", "Första", "coach", now)
        await uow.commit()
    first_edit = now + timedelta(days=1)
    second_edit = now + timedelta(days=2)
    async with uow_factory() as uow:
        loaded = await uow.answers.get(answer.id)
        assert loaded is not None
        await uow.answers.edit(loaded, "Andra", first_edit)
        await uow.answers.edit(loaded, "Tredje", second_edit, visibility="private")
        await uow.commit()
    async with uow_factory() as uow:
        current = await uow.answers.get(answer.id, with_revisions=True)
        assert current is not None
        assert current.value == "Tredje"
        assert current.visibility == "private"
        assert current.updated_at == second_edit
        revisions = await uow.answers.revisions(answer.id)
        assert [(r.value, r.visibility, r.changed_at) for r in revisions] == [
            ("Första", "coach", first_edit),
            ("Andra", "coach", second_edit),
        ]
        assert [r.id for r in current.revisions] == [r.id for r in revisions]


async def test_set_visibility_keeps_no_revision(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        run = await add_run(uow, person)
        answer = await uow.answers.upsert(run, "issue", "text", "x", "coach", now)
        await uow.answers.set_visibility(answer, "private", now)
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.answers.get(answer.id)
        assert loaded is not None and loaded.visibility == "private"
        assert list(await uow.answers.revisions(answer.id)) == []


async def test_answers_for_person_filter_by_dialogue_and_step(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    other = await make_person()
    async with uow_factory() as uow:
        run_a = await add_run(uow, person, dialogue_id="nulage")
        run_b = await add_run(uow, person, dialogue_id="nasta_steg")
        run_c = await add_run(uow, other, dialogue_id="nulage")
        await uow.answers.upsert(run_a, "energy", "scale", 3, "coach", now)
        await uow.answers.upsert(run_a, "mood", "scale", 5, "coach", now)
        await uow.answers.upsert(run_b, "energy", "scale", 8, "coach", now + timedelta(days=1))
        await uow.answers.upsert(run_c, "energy", "scale", 1, "coach", now)
        await uow.commit()
    async with uow_factory() as uow:
        assert [a.value for a in await uow.answers.for_person(person.id)] == [3, 5, 8]
        assert [a.value for a in await uow.answers.for_person(person.id, "nulage")] == [3, 5]
        energy = await uow.answers.for_person(person.id, step_id="energy")
        assert [a.value for a in energy] == [3, 8]


async def test_one_answer_per_step_and_run(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    from bot.storage.models import Answer

    person = await make_person()
    async with uow_factory() as uow:
        run = await add_run(uow, person)
        await uow.answers.upsert(run, "s", "text", "a", "coach", now)
        uow.session.add(
            Answer(
                run_id=run.id,
                person_id=person.id,
                dialogue_id=run.dialogue_id,
                step_id="s",
                kind="text",
                value="b",
                visibility="coach",
            )
        )
        with pytest.raises(IntegrityError):
            await uow.flush()


async def test_commitments_open_list_due_and_status(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    other = await make_person()
    today = date(2026, 11, 22)
    async with uow_factory() as uow:
        run = await add_run(uow, person)
        later = await uow.commitments.add(
            Commitment(
                person_id=person.id,
                run_id=run.id,
                text="Boka samtal med min chef",
                done_when="Mötet står i kalendern",
                due_date=today + timedelta(days=7),
                created_at=now,
                updated_at=now,
            )
        )
        sooner = await uow.commitments.add(
            Commitment(
                person_id=person.id,
                text="Skriv ner tre prioriteringar",
                due_date=today,
                created_at=now + timedelta(minutes=1),
                updated_at=now,
            )
        )
        await uow.commitments.add(
            Commitment(person_id=other.id, text="x", due_date=today - timedelta(days=1))
        )
        await uow.commit()
    async with uow_factory() as uow:
        assert [c.id for c in await uow.commitments.open_for(person.id)] == [sooner.id, later.id]
        assert [c.id for c in await uow.commitments.list_for(person.id)] == [sooner.id, later.id]
        due_today = await uow.commitments.open_due_by(today)
        assert {c.person_id for c in due_today} == {person.id, other.id}
        loaded = await uow.commitments.get(later.id)
        assert loaded is not None
        assert loaded.text == "Boka samtal med min chef"
        assert loaded.done_when == "Mötet står i kalendern"
        assert loaded.status == "open"
        checked = now + timedelta(days=7)
        # "Partly" keeps it open with the new date; "done" closes it. Both are kept as events.
        await uow.commitments.record_check(
            loaded, "partly", checked, new_due=today + timedelta(days=14), note="Halvvägs"
        )
        await uow.commit()
    async with uow_factory() as uow:
        still_open = await uow.commitments.open_for(person.id)
        assert [c.id for c in still_open] == [sooner.id, later.id]
        assert still_open[1].last_check == "partly"
        assert still_open[1].due_date == today + timedelta(days=14)
        done_at = checked + timedelta(days=1)
        await uow.commitments.record_check(still_open[1], "done", done_at)
        await uow.commit()
    async with uow_factory() as uow:
        assert [c.id for c in await uow.commitments.open_for(person.id)] == [sooner.id]
        stored = await uow.commitments.get(later.id)
        assert stored is not None
        assert stored.status == "done"
        assert stored.checked_at == done_at
        events = await uow.commitments.events_for(later.id)
        assert [(e.kind, e.due_date, e.note) for e in events] == [
            ("created", today + timedelta(days=7), None),
            ("partly", today + timedelta(days=14), "Halvvägs"),
            ("done", None, None),
        ]
        assert await uow.commitments.get(987_654) is None


async def test_commitment_status_is_checked(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.commitments.add(
                Commitment(person_id=person.id, text="x", due_date=date(2026, 1, 1), status="maybe")
            )
