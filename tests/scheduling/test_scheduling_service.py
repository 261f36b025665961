"""ScheduleService on both databases: upsert by key, never touching sent rows, marks, races."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.scheduling.localtime import local_instant
from bot.services.schedule import ScheduleService
from bot.storage.models import Commitment, Meeting, Person, PlannedPrompt
from bot.storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: date, clock: time = time(9, 0)) -> datetime:
    return local_instant(day, clock, STOCKHOLM)


async def client(uow_factory: UnitOfWorkFactory, **fields: object) -> int:
    async with uow_factory() as uow:
        person = await uow.people.add(
            Person(role="client", created_at=NOW, timezone="Europe/Stockholm", **fields)
        )
        await uow.commit()
        return person.id


async def meeting(uow_factory: UnitOfWorkFactory, client_id: int, starts: datetime) -> int:
    async with uow_factory() as uow:
        row = await uow.meetings.add(Meeting(client_id=client_id, starts_at=starts, created_at=NOW))
        await uow.people.mark_replan(client_id, NOW)
        await uow.commit()
        return row.id


async def planned(
    uow_factory: UnitOfWorkFactory, person_id: int
) -> dict[str, tuple[str, datetime]]:
    async with uow_factory() as uow:
        rows = await uow.prompts.list_for(person_id)
    return {row.plan_key or "": (row.status, row.due_at) for row in rows}


def service(uow_factory: UnitOfWorkFactory) -> ScheduleService:
    return ScheduleService(uow_factory, Settings(secret_key="x"))


async def test_replan_plans_meetings_and_is_idempotent(uow_factory: UnitOfWorkFactory) -> None:
    person = await client(uow_factory)
    first = await meeting(uow_factory, person, at(date(2026, 11, 10), time(14)))
    second = await meeting(uow_factory, person, at(date(2026, 12, 8), time(14)))
    schedule = service(uow_factory)
    await schedule.replan(person, NOW)
    once = await planned(uow_factory, person)
    await schedule.replan(person, NOW)
    assert await planned(uow_factory, person) == once
    assert once == {
        f"before_meeting:{first}:2026-11-10": ("planned", at(date(2026, 11, 8))),
        f"after_meeting:{first}": ("planned", at(date(2026, 11, 11))),
        f"nudge:{first}": ("planned", at(date(2026, 11, 24))),
        f"before_meeting:{second}:2026-12-08": ("planned", at(date(2026, 12, 6))),
        f"after_meeting:{second}": ("planned", at(date(2026, 12, 9))),
    }


async def test_a_moved_meeting_replans_what_is_pending_and_leaves_sent_rows(
    uow_factory: UnitOfWorkFactory,
) -> None:
    person = await client(uow_factory)
    first = await meeting(uow_factory, person, at(date(2026, 11, 10), time(14)))
    schedule = service(uow_factory)
    await schedule.replan(person, NOW)
    async with uow_factory() as uow:
        prompt = (await uow.prompts.list_for(person, kind="before_meeting"))[0]
        await uow.prompts.mark_sent(prompt, at(date(2026, 11, 8)))
        row = await uow.meetings.get(first)
        assert row is not None
        row.starts_at = at(date(2026, 11, 17), time(14))
        await uow.people.mark_replan(person, NOW)
        await uow.commit()
    await schedule.replan(person, NOW + timedelta(days=7))
    rows = await planned(uow_factory, person)
    assert rows[f"before_meeting:{first}:2026-11-10"] == ("sent", at(date(2026, 11, 8)))
    # Sent on the 8th: the new preparation waits until the week allows (cap 2, one a day).
    assert rows[f"before_meeting:{first}:2026-11-17"] == ("planned", at(date(2026, 11, 15)))
    assert rows[f"after_meeting:{first}"] == ("planned", at(date(2026, 11, 18)))


async def test_cancelled_prompts_come_back_when_wanted_again(
    uow_factory: UnitOfWorkFactory,
) -> None:
    person = await client(uow_factory)
    mid = await meeting(uow_factory, person, at(date(2026, 11, 10), time(14)))
    schedule = service(uow_factory)
    await schedule.replan(person, NOW)
    async with uow_factory() as uow:
        row = await uow.people.get(person)
        assert row is not None
        row.paused = True
        await uow.commit()
    result = await schedule.replan(person, NOW)
    assert result is not None and result.cancelled == 2 and result.wanted == ()
    assert {s for s, _ in (await planned(uow_factory, person)).values()} == {"cancelled"}
    async with uow_factory() as uow:
        row = await uow.people.get(person)
        assert row is not None
        row.paused = False
        await uow.commit()
    await schedule.replan(person, NOW)
    rows = await planned(uow_factory, person)
    assert rows[f"after_meeting:{mid}"] == ("planned", at(date(2026, 11, 11)))
    assert len(rows) == 2


async def test_replan_marked_clears_only_an_unchanged_mark(uow_factory: UnitOfWorkFactory) -> None:
    person = await client(uow_factory)
    await meeting(uow_factory, person, at(date(2026, 11, 10), time(14)))
    other = await client(uow_factory)
    schedule = service(uow_factory)
    assert await schedule.replan_marked(NOW) == 1
    async with uow_factory() as uow:
        assert await uow.people.marked_for_replan(10) == []
        await uow.people.mark_replan(person, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        (marked,) = await uow.people.marked_for_replan(10)
        # Someone changes something again while the first re-plan runs: the mark stays.
        await uow.people.mark_replan(person, NOW + timedelta(seconds=1))
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.people.clear_replan(person, marked[1])
        assert await uow.people.clear_replan(person, NOW + timedelta(seconds=1))
        await uow.commit()
    assert (await planned(uow_factory, other)) == {}


async def test_commitments_use_the_coachs_offsets_and_move_with_their_date(
    uow_factory: UnitOfWorkFactory,
) -> None:
    person = await client(uow_factory, checkin_time=time(7, 30), quiet_end=time(7, 0))
    async with uow_factory() as uow:
        coach = await uow.people.add(
            Person(role="coach", created_at=NOW, prompt_offsets={"before_meeting_days": 3})
        )
        await uow.relations.link(coach.id, person, NOW)
        commitment = await uow.commitments.add(
            Commitment(person_id=person, text="Ask Eva", due_date=date(2026, 11, 5), created_at=NOW)
        )
        await uow.commit()
    mid = await meeting(uow_factory, person, at(date(2026, 11, 20), time(14)))
    schedule = service(uow_factory)
    await schedule.replan(person, NOW)
    rows = await planned(uow_factory, person)
    assert rows[f"checkin:{commitment.id}:2026-11-05"] == (
        "planned",
        at(date(2026, 11, 5), time(7, 30)),
    )
    assert rows[f"before_meeting:{mid}:2026-11-20"] == (
        "planned",
        at(date(2026, 11, 17), time(7, 30)),
    )
    async with uow_factory() as uow:
        row = await uow.commitments.get(commitment.id)
        assert row is not None
        await uow.commitments.move_due(row, date(2026, 11, 12), NOW)
        await uow.commit()
    await schedule.replan(person, NOW)
    rows = await planned(uow_factory, person)
    assert rows[f"checkin:{commitment.id}:2026-11-05"][0] == "cancelled"
    assert rows[f"checkin:{commitment.id}:2026-11-12"] == (
        "planned",
        at(date(2026, 11, 12), time(7, 30)),
    )
    agenda = await schedule.agenda(person, NOW)
    assert agenda is not None and agenda.timezone == "Europe/Stockholm"
    assert [m.id for m in agenda.meetings] == [mid]
    assert [(p.kind, p.commitment_text) for p in agenda.prompts][:2] == [
        ("checkin", "Ask Eva"),
        ("before_meeting", None),
    ]


async def test_two_replans_at_once_leave_one_row_per_key(uow_factory: UnitOfWorkFactory) -> None:
    person = await client(uow_factory)
    for week in range(4):
        await meeting(
            uow_factory, person, at(date(2026, 11, 10) + timedelta(weeks=3 * week), time(14))
        )
    first, second = service(uow_factory), service(uow_factory)
    await asyncio.gather(*(s.replan(person, NOW) for s in (first, second, first, second)))
    async with uow_factory() as uow:
        rows = await uow.prompts.list_for(person)
    keys = [row.plan_key for row in rows]
    assert len(keys) == len(set(keys)) > 4
    assert all(isinstance(row, PlannedPrompt) and row.status == "planned" for row in rows)
