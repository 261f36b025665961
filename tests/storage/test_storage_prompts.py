"""Planned prompts: claiming due rows once, leases, and disjoint claims under concurrency."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from storage_helpers import PersonMaker

from bot.storage.db import Database
from bot.storage.models import PlannedPrompt
from bot.storage.uow import UnitOfWorkFactory


async def _plan(
    uow_factory: UnitOfWorkFactory, person_id: int, due: list[datetime], kind: str = "checkin"
) -> list[int]:
    async with uow_factory() as uow:
        ids = [
            (await uow.prompts.add(PlannedPrompt(person_id=person_id, kind=kind, due_at=at))).id
            for at in due
        ]
        await uow.commit()
    return ids


async def test_claim_due_takes_due_planned_prompts_once(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    late, early, future = await _plan(
        uow_factory,
        person.id,
        [now - timedelta(minutes=1), now - timedelta(hours=1), now + timedelta(minutes=1)],
    )
    async with uow_factory() as uow:
        claimed = await uow.prompts.claim_due(now)
        await uow.commit()
    assert [p.id for p in claimed] == [early, late]
    assert all(p.claimed_at == now and p.attempts == 1 for p in claimed)
    async with uow_factory() as uow:
        assert list(await uow.prompts.claim_due(now + timedelta(minutes=1))) != []
        await uow.rollback()
        # Still within the lease: the two claimed rows are not handed out again.
        again = await uow.prompts.claim_due(now + timedelta(minutes=2))
        assert [p.id for p in again] == [future]


async def test_claim_respects_the_limit_and_expired_leases(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    ids = await _plan(uow_factory, person.id, [now - timedelta(minutes=m) for m in (3, 2, 1)])
    async with uow_factory() as uow:
        first = await uow.prompts.claim_due(now, limit=2)
        await uow.commit()
    assert [p.id for p in first] == ids[:2]
    async with uow_factory() as uow:
        after_lease = await uow.prompts.claim_due(now + timedelta(minutes=11))
        await uow.commit()
    assert sorted(p.id for p in after_lease) == sorted(ids)
    assert {p.id: p.attempts for p in after_lease} == {ids[0]: 2, ids[1]: 2, ids[2]: 1}


async def test_sent_released_and_cancelled_prompts(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    sent_id, released_id, _cancelled = await _plan(
        uow_factory, person.id, [now - timedelta(minutes=m) for m in (3, 2, 1)]
    )
    await _plan(uow_factory, person.id, [now + timedelta(days=1)], kind="commitment")
    async with uow_factory() as uow:
        claimed = {p.id: p for p in await uow.prompts.claim_due(now, limit=2)}
        await uow.prompts.mark_sent(claimed[sent_id], now)
        await uow.prompts.release(claimed[released_id])
        assert await uow.prompts.cancel_planned(person.id, kind="checkin") == 2
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.prompts.claim_due(now + timedelta(days=2)) != []
        assert await uow.prompts.count_sent_since(person.id, now - timedelta(days=7)) == 1
        assert await uow.prompts.count_sent_since(person.id, now + timedelta(seconds=1)) == 0
        sent = await uow.prompts.get(sent_id)
        assert sent is not None and sent.status == "sent" and sent.sent_at == now
        statuses = [p.status for p in await uow.prompts.list_for(person.id, kind="checkin")]
        assert statuses == ["sent", "cancelled", "cancelled"]
        assert len(await uow.prompts.list_for(person.id, status="planned")) == 1


@pytest.mark.parametrize(
    "database_backend", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
async def test_concurrent_claims_on_postgresql_are_disjoint(
    database: Database, make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    assert database.dialect_name == "postgresql"
    person = await make_person()
    ids = await _plan(uow_factory, person.id, [now - timedelta(minutes=m) for m in range(6, 0, -1)])
    async with uow_factory() as first, uow_factory() as second:
        claimed_first = await first.prompts.claim_due(now, limit=3)
        # The first transaction still holds its row locks: SKIP LOCKED must pass over them
        # instead of waiting (a wait would hit the timeout) or claiming them twice.
        claimed_second = await asyncio.wait_for(second.prompts.claim_due(now, limit=10), 5)
        await first.commit()
        await second.commit()
    first_ids = {p.id for p in claimed_first}
    second_ids = {p.id for p in claimed_second}
    assert len(first_ids) == 3
    assert first_ids.isdisjoint(second_ids)
    assert first_ids | second_ids == set(ids)


async def test_concurrent_tasks_never_claim_a_prompt_twice(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    person = await make_person()
    ids = await _plan(uow_factory, person.id, [now - timedelta(seconds=s) for s in range(20)])

    async def worker() -> list[int]:
        taken: list[int] = []
        for _ in range(10):
            async with uow_factory() as uow:
                batch = await uow.prompts.claim_due(now, limit=2)
                await uow.commit()
            taken.extend(p.id for p in batch)
            await asyncio.sleep(0)
        return taken

    results = await asyncio.gather(*(worker() for _ in range(4)))
    everything = [prompt_id for result in results for prompt_id in result]
    assert sorted(everything) == sorted(ids)
