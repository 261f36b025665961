"""Failures: 429 and 5xx retried, blocked people marked inactive, handler errors apologised for."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, Clock, make_settings, polling_bot, register, say
from fakes.botapi import BotApiFake

from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.app import sender_of
from bot.telegram.container import services_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from delivery_helpers import add_commitment, plan, prompt_row

T = get_translator("en")


async def is_active(database: Database) -> bool:
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        return person.active


@pytest.mark.http_transport
async def test_429_is_waited_out_and_retried(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    fake.fail_next("sendMessage", 429, retry_after=1)
    text = await say(client, "/help")
    assert "/reflect" in text
    assert [(c.method, c.status) for c in fake.errors] == [("sendMessage", 429)]
    sends = fake.calls_to("sendMessage")
    assert sends[-1].at - sends[-2].at >= 0.9  # retry_after honoured


@pytest.mark.http_transport
@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retried(
    bot: Any, fake: BotApiFake, database: Database, status: int
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    fake.fail_next("sendMessage", status)
    text = await say(client, "/help")
    assert "/reflect" in text
    assert [c.status for c in fake.errors] == [status]


async def test_blocking_marks_inactive_and_prompts_skip_them(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.block()
    await fake.wait_idle()
    assert not await is_active(database)
    factory = make_uow_factory(database)
    commitment = await add_commitment(factory, person, "Check-in", date(2026, 11, 23))
    prompt = await plan(factory, person, "checkin", commitment, clock.now)
    # Not even tried while inactive.
    assert await sender_of(bot).drain() == 0
    assert fake.calls_to("sendMessage") == []
    assert (await prompt_row(factory, prompt)).status == "cancelled"
    client.unblock()
    await fake.wait_idle()
    assert await is_active(database)


async def test_handler_error_is_logged_and_apologised(
    bot: Any,
    fake: BotApiFake,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")

    async def broken(person_id: int) -> list[Any]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services_of(bot).commitments, "open_for", broken)
    with caplog.at_level(logging.ERROR):
        text = await say(client, "/commitments")
    assert text.startswith("Sorry, something went wrong")
    record = next(r for r in caplog.records if "failed in" in r.getMessage())
    message = record.getMessage()
    assert str(CLIENT_ID) in message
    assert "commitments" in message
    assert record.exc_info is not None
    assert fake.errors == [], fake.describe_errors()


async def test_replies_do_not_queue_behind_bulk_sends(
    fake: BotApiFake,
    database: Database,
    catalog: DialogueCatalog,
    clock: Clock,
    tmp_path: Path,
) -> None:
    settings = make_settings(fake, tmp_path, send_rate=10)
    factory = make_uow_factory(database)
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    recipients = [fake.user(9000 + n, language_code="en") for n in range(40)]
    for recipient in recipients:
        recipient.started = True  # they talked to the bot before
        person = await register(database, recipient.id, locale="en")
        commitment = await add_commitment(factory, person, "Check-in", date(2026, 11, 23))
        await plan(factory, person, "checkin", commitment, clock.now)
    async with polling_bot(settings, database, catalog, fake, clock) as bot:
        bulk = asyncio.create_task(sender_of(bot).drain())
        await asyncio.sleep(0.5)  # the prompts are now going out at their own pace
        await client.send("/help")
        for _ in range(300):
            if client.messages:
                break
            await asyncio.sleep(0.01)
        delivered = sum(1 for r in recipients if r.messages)
        assert "/reflect" in (client.last_text or "")
        assert delivered < len(recipients), "the reply waited for the whole bulk batch"
        assert await bulk == len(recipients)
    assert all(len(r.messages) == 1 for r in recipients)
    assert fake.errors == [], fake.describe_errors()


async def test_command_menus_are_localized(bot: Any, fake: BotApiFake) -> None:
    for locale in ("sv", "en"):
        t = get_translator(locale)
        menu = {c["command"]: c["description"] for c in fake.commands({"type": "default"}, locale)}
        assert menu["reflect"] == t.gettext("Start a reflection")
        assert "clients" not in menu
    sv = fake.commands({"type": "default"}, "sv")
    en = fake.commands({"type": "default"}, "en")
    assert sv != en
    assert fake.commands({"type": "default"}, "") == sv  # the default locale
