"""SQLite without a thread per statement: statements in place, commits and lock waits on a thread.

SQLite only: the driver in bot.storage.sqlite_inline is what `Database` uses for SQLite URLs.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from storage_helpers import add_person

from bot.storage.crypto import Keyring
from bot.storage.db import Database
from bot.storage.migrate import upgrade_database
from bot.storage.uow import make_uow_factory


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(
        f"sqlite+aiosqlite:///{tmp_path / 'hemmaplan.sqlite3'}", Keyring([Keyring.generate_key()])
    )
    await upgrade_database(database)
    try:
        yield database
    finally:
        await database.dispose()


def _statement_threads(database: Database) -> dict[str, set[int]]:
    """Which threads ran which kind of statement (filled by an engine listener)."""
    seen: dict[str, set[int]] = {"select": set(), "write": set()}

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        kind = "select" if statement.lstrip().upper().startswith("SELECT") else "write"
        seen[kind].add(threading.get_ident())

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_statements_run_on_the_event_loop_thread_and_commits_elsewhere(
    sqlite_database: Database,
) -> None:
    seen = _statement_threads(sqlite_database)
    commits: set[int] = set()
    original = sqlite3.Connection.commit

    factory = make_uow_factory(sqlite_database)
    async with factory() as uow:
        person = await add_person(uow, display_name="Tråd")
        conn = await uow.session.connection()
        raw = (await conn.get_raw_connection()).driver_connection
        inner = raw._connection  # the sqlite3 connection under the inline driver

        class Spy:
            def __getattr__(self, name: str) -> object:
                return getattr(inner, name)

            def commit(self) -> None:
                commits.add(threading.get_ident())
                original(inner)

        raw._connection = Spy()
        try:
            await uow.commit()
        finally:
            raw._connection = inner
    async with factory() as uow:
        assert (await uow.people.get(person.id)) is not None
    loop_thread = threading.get_ident()
    assert seen["select"] == {loop_thread}
    assert seen["write"] == {loop_thread}
    assert commits and loop_thread not in commits


async def test_a_locked_database_is_waited_for_without_blocking_the_event_loop(
    sqlite_database: Database, tmp_path: Path
) -> None:
    # Another process (here: a plain connection) holds the write lock for a while.
    holder = sqlite3.connect(tmp_path / "hemmaplan.sqlite3", check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    async def write() -> float:
        async with make_uow_factory(sqlite_database)() as uow:
            await add_person(uow, display_name="Väntar")
            await uow.commit()
        return time.monotonic()

    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not writing.done()  # still waiting for the lock ...
    assert ticks >= 10  # ... while the loop kept serving others
    released = time.monotonic()
    holder.commit()
    holder.close()
    finished = await asyncio.wait_for(writing, timeout=5)
    ticking.cancel()
    assert finished >= released
    async with sqlite_database.engine.connect() as connection:
        names = await connection.scalar(text("SELECT count(*) FROM people"))
    assert names == 1


async def test_a_lock_held_too_long_is_reported_not_hung(
    sqlite_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import bot.storage.sqlite_inline as inline

    monkeypatch.setattr(inline, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(tmp_path / "hemmaplan.sqlite3")
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            async with make_uow_factory(sqlite_database)() as uow:
                await add_person(uow, display_name="Ger upp")
                await uow.commit()
    finally:
        holder.rollback()
        holder.close()
    # The connection is usable again afterwards.
    async with make_uow_factory(sqlite_database)() as uow:
        await add_person(uow, display_name="Igen")
        await uow.commit()


async def test_only_a_relaxed_commit_skips_the_wait_for_the_disk(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.storage.sqlite_inline as inline

    synced: list[int] = []
    real_fsync = inline.os.fsync

    def fsync(descriptor: int) -> None:
        synced.append(threading.get_ident())
        real_fsync(descriptor)

    monkeypatch.setattr(inline.os, "fsync", fsync)
    factory = make_uow_factory(sqlite_database)
    async with factory() as uow:
        person = await add_person(uow, display_name="Steg")
        await uow.commit()  # durable by default
    assert len(synced) == 1 and threading.get_ident() not in synced
    async with factory() as uow:
        loaded = await uow.people.get(person.id)
        assert loaded is not None
        loaded.locale = "en"
        await uow.commit(durable=False)
    assert len(synced) == 1
    async with factory() as uow:
        again = await uow.people.get(person.id)
        assert again is not None and again.locale == "en"
        again.locale = "sv"
        await uow.commit()
    assert len(synced) == 2
