"""Two bot processes (Applications with their own engines) on one database, one person typing
fast: every answer is stored exactly once, whichever process handles it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, Clock, make_settings, register
from fakes.botapi import BotApiFake
from fakes.in_memory import IN_MEMORY_BASE_URL, InMemoryBotApi
from sqlalchemy import event
from telegram import Update

from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.runtime import build_runtime
from bot.storage.db import Database
from bot.storage.repositories.steps import StepRepository
from bot.storage.uow import make_uow_factory
from bot.telegram.app import build_application

ROUNDS = 3  # six answers: "Scope of action" asks seven text questions


@pytest.fixture
async def two_apps(
    database: Database, catalog: DialogueCatalog, tmp_path: Path
) -> AsyncIterator[tuple[BotApiFake, list[Any], list[int]]]:
    """One Bot API fake, two applications, each on its own engine (pool) to the same database;
    also the count of run UPDATEs that matched no row (a lost race, retried)."""
    fake = BotApiFake()
    settings = make_settings(fake, tmp_path, bot_api_url=IN_MEMORY_BASE_URL)
    lost_races = [0]
    async with AsyncExitStack() as stack:
        apps = []
        for _ in range(2):
            engine_database = Database(database.url, database.keyring)
            stack.push_async_callback(engine_database.dispose)

            def seen(_conn: Any, cursor: Any, sql: str, *_args: Any) -> None:
                if sql.startswith("UPDATE dialogue_runs") and cursor.rowcount == 0:
                    lost_races[0] += 1

            for engine in engine_database.engines:
                event.listen(engine.sync_engine, "after_cursor_execute", seen)
            app = build_application(
                build_runtime(settings, engine_database, catalog, clock=Clock()),
                request=InMemoryBotApi(fake),
            )
            await stack.enter_async_context(app)
            apps.append(app)
        yield fake, apps, lost_races


@pytest.fixture
def paused_between_read_and_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process yields between reading the run and writing it, as a real process may be
    preempted there. Without it two Applications on one event loop never interleave on SQLite,
    whose statements run in place (bot.storage.sqlite_inline) and do not yield."""
    read = StepRepository.person_with_run

    async def read_then_pause(self: StepRepository, *args: Any, **kwargs: Any) -> Any:
        found = await read(self, *args, **kwargs)
        await asyncio.sleep(0)
        return found

    monkeypatch.setattr(StepRepository, "person_with_run", read_then_pause)


@pytest.mark.usefixtures("paused_between_read_and_write")
async def test_answers_racing_through_two_processes_are_neither_lost_nor_doubled(
    two_apps: tuple[BotApiFake, list[Any], list[int]], database: Database
) -> None:
    fake, apps, lost_races = two_apps
    t = get_translator("en")
    person_id = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")

    async def handle(app: Any) -> None:
        for raw in fake.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))

    await client.send("/reflect")
    await handle(apps[0])
    await client.press(t.pgettext("handlingsfrihet", "Scope of action"))
    await handle(apps[1])

    sent: list[str] = []
    for round_ in range(ROUNDS):
        # Two quick messages; each process picks up one (as two webhook workers would).
        texts = [f"answer {round_}a", f"answer {round_}b"]
        for text in texts:
            await client.send(text)
        first, second = fake.take_updates()
        await asyncio.gather(
            apps[0].process_update(Update.de_json(first, apps[0].bot)),
            apps[1].process_update(Update.de_json(second, apps[1].bot)),
        )
        sent.extend(texts)

    async with make_uow_factory(database)() as uow:
        run = await uow.runs.active_for(person_id)
        assert run is not None
        stored = [entry["value"] for entry in run.state["answers"].values()]
    # Every message once: none overwritten by the other process, none applied twice (two
    # quick messages may be one answer: a thought sent in two parts is joined, in either order).
    parts = [part for value in stored for part in value.split("\n")]
    assert sorted(parts) == sorted(sent), (stored, sent)
    assert lost_races[0] >= 1, "the two processes never raced; the test proves nothing"
    assert fake.errors == [], fake.describe_errors()
