"""Prompts on Telegram: a due check-in arrives with its buttons; snooze, skip, start; fatigue."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot_harness import CLIENT_ID, Clock, make_settings, register, running_bot
from fakes.botapi import BotApiFake

from bot.dialogue.loader import DialogueCatalog
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.app import sender_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from delivery_helpers import add_commitment, plan, prompt_row

# How often the Bot API transport tries a send before giving up (its default).
NETWORK_ATTEMPTS = 4


async def _checkin(database: Database, person_id: int, text: str, due_at: datetime) -> int:
    factory = make_uow_factory(database)
    commitment = await add_commitment(factory, person_id, text, date(2026, 11, 23))
    return await plan(factory, person_id, "checkin", commitment, due_at)


async def test_a_due_checkin_arrives_and_snooze_brings_it_back(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    await _checkin(database, person, "Talk to Sam <about the budget>", clock.now)
    sender = sender_of(bot)

    assert await sender.drain() == 1
    message = client.messages[-1]
    assert "“Talk to Sam <about the budget>”" in (message.text or "")
    assert "23 Nov 2026" in (message.text or "")
    assert message.buttons == [
        ["▶️ Start now", "Skip this time"],
        ["⏰ In an hour", "🌆 This evening", "📅 Tomorrow"],
    ]

    await client.press("⏰ In an hour")
    reply = await client.wait_for_reply()
    assert reply.message_id == message.message_id
    assert reply.text == "Of course. I'll come back to this on 23 Nov 2026 11:00 (Stockholm)."
    assert reply.buttons == []

    clock.now += timedelta(minutes=30)
    assert await sender.drain() == 0
    clock.now += timedelta(minutes=30)
    assert await sender.drain() == 1
    again = client.messages[-1]
    assert again.message_id != message.message_id
    assert (again.text or "").startswith("As you asked, here it is again.")
    assert "Talk to Sam" in (again.text or "")
    assert fake.errors == [], fake.describe_errors()


async def test_skip_and_start_now(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    skipped = await _checkin(database, person, "Write the plan", clock.now)
    sender = sender_of(bot)
    await sender.drain()
    await client.press("Skip this time")
    reply = await client.wait_for_reply()
    assert reply.text == "Skipped — that's fine. I'll leave this one be."
    assert (await prompt_row(make_uow_factory(database), skipped)).status == "skipped"

    clock.now += timedelta(days=1)
    started = await _checkin(database, person, "Ask for feedback", clock.now)
    await sender.drain()
    await client.press("▶️ Start now")
    reply = await client.wait_for_reply()
    # The check-in dialogue is running: its first question has the answers as buttons.
    assert reply.buttons and reply.text != client.messages[0].text
    assert "Check in on a commitment" in (reply.text or "")
    # About the prompt's own commitment, not "Write the plan" (open too, and due earlier).
    assert "Your commitment: Ask for feedback" in (reply.text or "")
    assert (await prompt_row(make_uow_factory(database), started)).status == "answered"
    assert fake.errors == [], fake.describe_errors()


async def test_two_ignored_prompts_pause_with_one_notice(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    sender = sender_of(bot)
    start = clock.now
    for day in range(4):
        await _checkin(database, person, f"Step {day}", start + timedelta(days=day))
    for day in range(4):
        clock.now = start + timedelta(days=day)
        await sender.drain()
    texts = client.texts
    assert len(texts) == 3
    assert "Step 0" in texts[0] and "Step 1" in texts[1]
    assert texts[2].startswith("I haven't heard from you on the last few check-ins")
    # It says what stops; nothing about a group to someone in none.
    assert "no check-ins and no reminders before or after your meetings" in texts[2]
    assert "group" not in texts[2]
    assert client.messages[-1].buttons == [["▶️ Resume check-ins"]]

    await client.press("▶️ Resume check-ins")
    reply = await client.wait_for_reply()
    assert reply.text == "Check-ins are back on. Good to have you back!"
    assert fake.errors == [], fake.describe_errors()


async def test_an_auto_pause_notice_whose_send_failed_still_arrives(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    sender = sender_of(bot)
    start = clock.now
    for day in range(3):
        await _checkin(database, person, f"Step {day}", start + timedelta(days=day))
    for day in range(2):
        clock.now = start + timedelta(days=day)
        await sender.drain()
    clock.now = start + timedelta(days=2)
    # Bad Gateway on every retry of the transport (a network error to the sender): certainly
    # not delivered, so the notice goes back into the plan.
    fake.fail_next("sendMessage", 502, times=NETWORK_ATTEMPTS)
    await sender.drain()
    clock.now += timedelta(minutes=1)
    await sender.drain()
    failures = [502] * NETWORK_ATTEMPTS
    assert [c.status for c in fake.calls_to("sendMessage")] == [200, 200, *failures, 200]
    assert len(client.texts) == 3
    assert client.texts[2].startswith("I haven't heard from you on the last few check-ins")
    assert client.messages[-1].buttons == [["▶️ Resume check-ins"]]
    assert [c.status for c in fake.errors] == failures, fake.describe_errors()


async def test_a_blocked_person_loses_their_planned_prompts(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    client.blocked = True  # Telegram has not told the bot yet
    now_id = await _checkin(database, person, "Now", clock.now)
    later_id = await _checkin(database, person, "Later", clock.now + timedelta(days=3))
    assert await sender_of(bot).drain() == 0
    factory = make_uow_factory(database)
    assert (await prompt_row(factory, now_id)).status == "failed"
    assert (await prompt_row(factory, later_id)).status == "cancelled"
    assert [c.status for c in fake.calls_to("sendMessage")] == [403]
    async with factory() as uow:
        stored = await uow.people.get(person)
        assert stored is not None and not stored.active


async def test_too_many_requests_is_retried_after_retry_after(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    await _checkin(database, person, "Once", clock.now)
    fake.fail_next("sendMessage", 429, retry_after=1)
    started = datetime.now(UTC)
    assert await sender_of(bot).drain() == 1
    assert datetime.now(UTC) - started >= timedelta(seconds=1)
    assert len(client.texts) == 1
    assert [c.status for c in fake.calls_to("sendMessage")] == [429, 200]


async def test_the_repeating_job_sends_what_is_due(
    fake: BotApiFake, database: Database, catalog: DialogueCatalog, clock: Clock, tmp_path: Path
) -> None:
    person = await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    client.started = True
    await _checkin(database, person, "Sent by the job", clock.now)
    settings = make_settings(fake, tmp_path, delivery_interval=0.2)
    async with running_bot(settings, database, catalog, fake, clock):
        message = await client.wait_for_reply(timeout=10)
    assert "Sent by the job" in (message.text or "")
    assert len(client.texts) == 1
