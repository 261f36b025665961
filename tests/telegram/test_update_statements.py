"""Statements and commits per update on the hot path, counted on the engine (both databases).

A typed answer or a dialogue button press reads the person and their run in one statement,
writes the run in one and commits once; saving at the recap writes all answers in one statement.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, Clock, make_settings, register
from fakes.botapi import BotApiFake, FakeUser
from fakes.in_memory import IN_MEMORY_BASE_URL, InMemoryBotApi
from sqlalchemy import event
from telegram import Update

from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.runtime import build_runtime
from bot.storage.db import Database
from bot.telegram.app import build_application


@dataclass
class Counter:
    """SQL statements and commits seen by an engine."""

    statements: list[str] = field(default_factory=list)
    commits: int = 0

    def reset(self) -> None:
        self.statements.clear()
        self.commits = 0


@pytest.fixture
def counter(database: Database) -> Counter:
    """Counts what the bot's engine sends from now on."""
    counted = Counter()

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        counted.statements.append(" ".join(sql.split())[:60])

    def commit(_conn: Any) -> None:
        counted.commits += 1

    for engine in database.engines:  # the dialogue steps' own engine too (PostgreSQL)
        event.listen(engine.sync_engine, "before_cursor_execute", statement)
        event.listen(engine.sync_engine, "commit", commit)
    return counted


@pytest.fixture
async def app(database: Database, catalog: DialogueCatalog, tmp_path: Path) -> AsyncIterator[Any]:
    """The real application, fed updates in memory (nothing else runs beside them)."""
    fake = BotApiFake()
    settings = make_settings(fake, tmp_path, bot_api_url=IN_MEMORY_BASE_URL)
    application = build_application(
        build_runtime(settings, database, catalog, clock=Clock()), request=InMemoryBotApi(fake)
    )
    application.bot_data["test.fake"] = fake
    async with application:
        yield application


async def _handle(app: Any) -> None:
    fake: BotApiFake = app.bot_data["test.fake"]
    for raw in fake.take_updates():
        await app.process_update(Update.de_json(raw, app.bot))


async def _say(app: Any, user: FakeUser, text: str) -> None:
    await user.send(text)
    await _handle(app)


async def _press(app: Any, user: FakeUser, button: str) -> None:
    await user.press(button)
    await _handle(app)


async def test_typed_answers_and_presses_take_few_statements_and_commits(
    app: Any, database: Database, counter: Counter
) -> None:
    t = get_translator("en")
    await register(database, CLIENT_ID, locale="en")
    fake: BotApiFake = app.bot_data["test.fake"]
    client = fake.user(CLIENT_ID, language_code="en")
    await _say(app, client, "/reflect")
    await _press(app, client, t.pgettext("nasta_steg", "Next concrete step"))

    for name, act in [
        ("typed", lambda: _say(app, client, "Book a 1:1 with Per")),
        ("typed date", lambda: _say(app, client, "+7")),
        ("typed again", lambda: _say(app, client, "I have booked it")),
        ("typed last", lambda: _say(app, client, "If the week fills up, then Monday")),
        ("button", lambda: _press(app, client, "8")),
    ]:
        counter.reset()
        await act()
        assert len(counter.statements) <= 2, (name, counter.statements)
        assert counter.commits == 1, (name, counter.statements)
        # A step that saves nothing final does not wait for the disk (README "Durability").
        assert not any("synchronous_commit" in s for s in counter.statements), counter.statements
    assert t.pgettext("nasta_steg", "Your commitment") in (client.last_text or "")

    counter.reset()
    await _press(app, client, "✅ " + t.gettext("Save"))
    answer_inserts = [s for s in counter.statements if s.startswith("INSERT INTO answers")]
    assert len(answer_inserts) == 1, counter.statements
    assert counter.commits == 1, counter.statements
    if database.dialect_name == "postgresql":  # saving waits for the WAL flush
        assert "SET LOCAL synchronous_commit TO on" in counter.statements, counter.statements
    assert "/commitments" in (client.last_text or "")
    async with database.engine.connect() as connection:
        from sqlalchemy import text

        stored = (await connection.execute(text("SELECT count(*) FROM answers"))).scalar_one()
    assert stored == 5  # action, due, done_sign, if_then, confidence
    assert fake.errors == [], fake.describe_errors()


async def test_the_menu_and_a_start_read_no_other_runs_state(
    app: Any, database: Database, counter: Counter
) -> None:
    """The menu needs which dialogues are paused, not every earlier run: its cost must not grow
    with the history. Starting reads only the open runs."""
    t = get_translator("en")
    await register(database, CLIENT_ID, locale="en")
    fake: BotApiFake = app.bot_data["test.fake"]
    client = fake.user(CLIENT_ID, language_code="en")
    counter.reset()
    await _say(app, client, "/reflect")
    assert len(counter.statements) <= 3, counter.statements  # who, group member, paused ids
    # Whole runs (with their state) are read by statements starting with their id column.
    assert not any(s.startswith("SELECT dialogue_runs.id") for s in counter.statements)
    assert counter.commits == 0, counter.statements
    counter.reset()
    await _press(app, client, t.pgettext("nasta_steg", "Next concrete step"))
    runs_read = [s for s in counter.statements if s.startswith("SELECT dialogue_runs.id")]
    assert len(runs_read) == 1, counter.statements  # the open runs, once
    assert counter.commits == 1, counter.statements
    assert not any(s.startswith("UPDATE dialogue_runs") for s in counter.statements)
