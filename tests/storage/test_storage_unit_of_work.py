"""The unit of work: one connection and one transaction for Core steps and the ORM session,
and on PostgreSQL reads outside a transaction until the first write (read_autocommit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text
from storage_helpers import PersonMaker

from bot.storage.db import Database
from bot.storage.models import DialogueRun, Person
from bot.storage.uow import ConcurrentUpdate, UnitOfWork, UnitOfWorkFactory

TELEGRAM_ID = 424242
ONLY_POSTGRESQL = pytest.mark.parametrize(
    "database_backend",
    [pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True,
)


async def _transaction_open(uow: UnitOfWork) -> bool:
    """Whether PostgreSQL (not SQLAlchemy's bookkeeping) has a transaction open."""
    raw: Any = (await uow.connection.get_raw_connection()).driver_connection
    return bool(raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)


async def _run_for(uow_factory: UnitOfWorkFactory, person: Person, now: datetime) -> int:
    async with uow_factory() as uow:
        run = await uow.runs.add(
            DialogueRun(
                person_id=person.id,
                dialogue_id="nulage",
                status="active",
                state={"v": 1},
                phrasings={},
                started_at=now,
                updated_at=now,
            )
        )
        await uow.commit()
        return run.id


async def _names(database: Database) -> list[str]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT console_name FROM people ORDER BY id"))
        return [row[0] for row in rows]


async def test_steps_and_the_orm_session_share_one_transaction(
    uow_factory: UnitOfWorkFactory, make_person: PersonMaker, now: datetime, database: Database
) -> None:
    person = await make_person(telegram_id=TELEGRAM_ID, console_name="first")
    run_id = await _run_for(uow_factory, person, now)
    with pytest.raises(RuntimeError):
        async with uow_factory().for_steps() as uow:
            found = await uow.steps.person_with_run(TELEGRAM_ID)
            assert found is not None and found.run is not None and found.run.id == run_id
            await uow.steps.save_step(found.run, {"v": 1, "status": "paused"}, now, finished=False)
            uow.people  # noqa: B018 (the ORM session is made here, on the same connection)
            await uow.people.add(Person(console_name="second", role="client"))
            await uow.flush()
            raise RuntimeError("no commit: everything above is rolled back")
    assert await _names(database) == ["first"]
    async with uow_factory() as uow:
        run = await uow.runs.get(run_id)
        assert run is not None and (run.status, run.version) == ("active", 1)


async def test_a_commit_keeps_both_and_a_stale_version_is_refused(
    uow_factory: UnitOfWorkFactory, make_person: PersonMaker, now: datetime, database: Database
) -> None:
    person = await make_person(telegram_id=TELEGRAM_ID, console_name="first")
    await _run_for(uow_factory, person, now)
    async with uow_factory().for_steps() as uow:
        found = await uow.steps.person_with_run(TELEGRAM_ID)
        assert found is not None and found.run is not None
        stale = found.run.version
        await uow.steps.save_step(found.run, {"v": 1, "status": "active"}, now, finished=False)
        await uow.people.add(Person(console_name="second", role="client"))
        await uow.commit()
    assert await _names(database) == ["first", "second"]
    with pytest.raises(ConcurrentUpdate):
        async with uow_factory().for_steps() as uow:
            found = await uow.steps.person_with_run(TELEGRAM_ID)
            assert found is not None and found.run is not None
            found.run.version = stale  # as read by another process before the write above
            await uow.steps.save_step(
                found.run, {"v": 1, "status": "active"}, now, finished=False, alone=True
            )


@ONLY_POSTGRESQL
async def test_postgresql_reads_outside_a_transaction_until_the_first_write(
    uow_factory: UnitOfWorkFactory, make_person: PersonMaker, database: Database
) -> None:
    await make_person(telegram_id=TELEGRAM_ID, console_name="first")
    async with uow_factory() as uow:
        assert await uow.steps.person(TELEGRAM_ID) is not None
        assert await uow.people.by_telegram_id(TELEGRAM_ID) is not None
        assert not await _transaction_open(uow)  # no BEGIN was sent for the reads
        await uow.people.add(Person(console_name="second", role="client"))
        await uow.flush()
        assert await _transaction_open(uow)  # the first write began one
        await uow.rollback()
    assert await _names(database) == ["first"]


@ONLY_POSTGRESQL
async def test_postgresql_select_for_update_begins_the_transaction(
    uow_factory: UnitOfWorkFactory, make_person: PersonMaker
) -> None:
    person = await make_person(telegram_id=TELEGRAM_ID, console_name="first")
    async with uow_factory() as uow:
        await uow.session.execute(select(Person).where(Person.id == person.id).with_for_update())
        assert await _transaction_open(uow)  # the lock is held until the commit


@ONLY_POSTGRESQL
async def test_postgresql_a_lone_step_write_needs_no_transaction(
    uow_factory: UnitOfWorkFactory, make_person: PersonMaker, now: datetime
) -> None:
    person = await make_person(telegram_id=TELEGRAM_ID, console_name="first")
    run_id = await _run_for(uow_factory, person, now)
    async with uow_factory().for_steps() as uow:
        found = await uow.steps.person_with_run(TELEGRAM_ID)
        assert found is not None and found.run is not None
        await uow.steps.save_step(
            found.run, {"v": 1, "status": "paused"}, now, finished=False, alone=True
        )
        assert not await _transaction_open(uow)
        await uow.commit(durable=False)
    async with uow_factory() as uow:
        run = await uow.runs.get(run_id)
        assert run is not None and (run.status, run.version) == ("paused", 2)


@ONLY_POSTGRESQL
async def test_postgresql_connections_go_back_to_the_pool_with_transactions_on(
    uow_factory: UnitOfWorkFactory, make_person: PersonMaker, database: Database
) -> None:
    await make_person(telegram_id=TELEGRAM_ID, console_name="first")
    async with uow_factory() as uow:
        await uow.steps.person(TELEGRAM_ID)
    # The pool has one idle connection: the one the unit of work used. Its next user (here not
    # a unit of work) gets a transaction from its first statement, so a rollback undoes it.
    async with database.engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None and raw.autocommit is False
        await connection.execute(text("UPDATE people SET console_name = 'changed'"))
        await connection.rollback()
    assert await _names(database) == ["first"]
