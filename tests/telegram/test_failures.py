"""Failures: 429 and 5xx retried, blocked people marked inactive, handler errors apologised for."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from bot_harness import CLIENT_ID, register, say
from fakes.botapi import BotApiFake

from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.app import bulk_bot_of
from bot.telegram.container import services_of
from bot.telegram.delivery import deliver

T = get_translator("en")


async def is_active(database: Database) -> bool:
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        return person.active


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


async def test_blocking_marks_inactive_and_bulk_sends_skip(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.block()
    await fake.wait_idle()
    assert not await is_active(database)
    services = services_of(bot)
    bulk_bot = bulk_bot_of(bot)
    # Not even tried while inactive.
    assert not await deliver(bulk_bot, services.people, CLIENT_ID, "Check-in")
    assert fake.calls_to("sendMessage") == []
    # Marked active by mistake: the 403 marks them inactive again, and it is not retried.
    await services.people.set_active(CLIENT_ID, True)
    assert not await deliver(bulk_bot, services.people, CLIENT_ID, "Check-in")
    assert [c.status for c in fake.calls_to("sendMessage")] == [403]
    assert not await is_active(database)
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

    monkeypatch.setattr(services_of(bot).history, "open_commitments", broken)
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
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    recipients = [fake.user(9000 + n, language_code="en") for n in range(40)]
    for recipient in recipients:
        recipient.started = True  # they talked to the bot before
    bulk_bot = bulk_bot_of(bot)
    bulk = [
        asyncio.create_task(bulk_bot.send_message(r.id, "Time for a check-in")) for r in recipients
    ]
    await asyncio.sleep(0.3)  # the bulk batch is now draining at its own pace
    await client.send("/help")
    for _ in range(300):
        if client.messages:
            break
        await asyncio.sleep(0.01)
    delivered = sum(1 for r in recipients if r.messages)
    assert "/reflect" in (client.last_text or "")
    assert delivered < len(recipients), "the reply waited for the whole bulk batch"
    await asyncio.gather(*bulk)
    assert all(r.messages for r in recipients)
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
