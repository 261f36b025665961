"""Helpers for end-to-end Telegram tests: settings, a bot (in memory or polling), a clock, chat
shortcuts.

`running_bot(...)` is what tests use: by default the real Application gets the Bot API fake in
memory (`fakes.in_memory`: every call validated and answered by the fake's dispatcher, updates
handed to `Application.process_update` one at a time), so a scenario takes milliseconds. Pass
`transport="http"` (or mark a test `@pytest.mark.http_transport` to get it from the `bot`
fixture) for what only real HTTP shows: long polling, timeouts, dropped connections, several
processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fakes.botapi import BotApiFake, FakeUser
from fakes.in_memory import InMemoryBotApi, InMemoryFeed

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog
from bot.runtime import build_runtime
from bot.storage.db import Database
from bot.telegram.app import build_application
from bot.telegram.http_retry import RetryingRequest
from bot.telegram.runner import serve_polling

ADMIN_ID = 1001
COACH_ID = 2002
CLIENT_ID = 3003


class Clock:
    """A settable clock for the bot (invitation expiry, due dates)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def make_settings(fake: BotApiFake, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings pointing the bot at the fake, with one admin."""
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "bot_api_url": fake.base_url,
        "bot_api_file_url": fake.base_file_url,
        "admin_ids": str(ADMIN_ID),
        "data_dir": tmp_path,
        "default_locale": "sv",
        "webhook_url": "",
        "webhook_secret": "",
        "database_url": "",
        # Tests send due prompts themselves (`sender_of(app).drain()`); the job is tested apart.
        "delivery_interval": 3600,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    fake: BotApiFake,
    clock: Callable[[], datetime],
    *,
    transport: str = "memory",
) -> AsyncIterator[Any]:
    """Run the real PTB application until the block ends: fed in memory, or polling over HTTP."""
    if transport == "http":
        async with polling_bot(settings, database, catalog, fake, clock) as application:
            yield application
        return
    assert transport == "memory", transport
    application = build_application(
        build_runtime(settings, database, catalog, clock=clock),
        # Wrapped as in production, so 5xx answers are retried the same way.
        request=RetryingRequest(InMemoryBotApi(fake)),
        bulk_request=RetryingRequest(InMemoryBotApi(fake)),
    )
    feed = InMemoryFeed(application, fake)
    # The same start and stop as `serve_polling`, with the feed in the updater's place.
    async with application:
        await application.post_init(application)
        await application.start()
        feed.start()
        try:
            yield application
        finally:
            await feed.stop()
            await application.stop()
            await application.post_shutdown(application)
    assert feed.crashes == [], feed.crashes


@asynccontextmanager
async def polling_bot(
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    fake: BotApiFake,
    clock: Callable[[], datetime],
) -> AsyncIterator[Any]:
    """Run a real PTB application polling the fake until the block ends."""
    application = build_application(build_runtime(settings, database, catalog, clock=clock))
    stop = asyncio.Event()
    task = asyncio.create_task(serve_polling(application, stop))
    for _ in range(500):
        if (application.running and application.updater.running) or task.done():
            break
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
    try:
        yield application
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def say(user: FakeUser, text: str) -> str:
    """Send text and return the text of the bot's latest reply."""
    await user.send(text)
    reply = await user.wait_for_reply()
    return reply.text or ""


async def press(user: FakeUser, button: str) -> str:
    """Press a button and return the text of the message the bot touched last."""
    await user.press(button)
    reply = await user.wait_for_reply()
    return reply.text or ""


def link_token(text: str) -> str:
    """The start token of the deep link in a message."""
    marker = "?start="
    assert marker in text, text
    return text.split(marker, 1)[1].split()[0]


async def register(
    database: Database,
    telegram_id: int,
    *,
    locale: str = "en",
    role: str = "client",
    name: str = "Klara",
    coach_telegram_id: int | None = None,
) -> int:
    """Store an onboarded, consenting person directly (for tests not about onboarding)."""
    from bot.storage.models import Person
    from bot.storage.uow import make_uow_factory

    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    async with make_uow_factory(database)() as uow:
        person = Person(
            telegram_id=telegram_id,
            role=role,
            locale=locale,
            timezone="Europe/Stockholm",
            consent_at=now,
            display_name=name,
            created_at=now,
        )
        await uow.people.add(person)
        if coach_telegram_id is not None:
            coach = await uow.people.by_telegram_id(coach_telegram_id)
            assert coach is not None
            await uow.relations.link(coach.id, person.id, now)
        await uow.commit()
        return person.id
