"""/settings whose check-in time, quiet hours and pauses act (and say so)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from bot_harness import CLIENT_ID, Clock, press, register, say
from fakes.botapi import BotApiFake

from bot.storage.db import Database
from bot.storage.models import Person
from bot.storage.uow import make_uow_factory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _person(database: Database) -> Person:
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        return person


async def test_settings_refuse_a_check_in_time_inside_quiet_hours(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="sv")
    client = fake.user(CLIENT_ID, language_code="sv")
    assert "Dina inställningar" in await say(client, "/settings")
    # 07:30 lies inside the default quiet hours 21:00–08:00: refused, with the reason.
    text = await press(client, "⏰ 07:30")
    assert "07:30 ligger inom dina tysta timmar (21:00–08:00)" in text
    assert "Tid för avstämning: 09:00" in text
    person = await _person(database)
    assert person.checkin_time is None and person.replan_at is None
    # Quiet hours that would swallow the current check-in time are refused too.
    text = await say(client, "/settings 21:30")
    assert "21:30 ligger inom dina tysta timmar" in text
    text = await say(client, "/settings 08:15")
    assert "Tid för avstämning: 08:15" in text
    text = await press(client, "🌙 20–09")
    assert "skulle täcka din tid för avstämning 08:15" in text
    person = await _person(database)
    assert person.checkin_time == time(8, 15)
    assert (person.quiet_start, person.quiet_end) == (None, None)
    assert person.replan_at == NOW  # the check-in time changed: the planner re-plans
    assert fake.errors == [], fake.describe_errors()


async def test_pause_choices_and_resume_mark_replan(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/settings")
    text = await press(client, "⏸ 2 weeks")
    assert "Check-ins: paused until 7 Dec 2026" in text
    person = await _person(database)
    assert (person.paused, person.pause_until, person.replan_at) == (True, date(2026, 12, 7), NOW)

    clock.now = NOW.replace(hour=10)
    text = await press(client, "▶️ Resume check-ins")
    assert "Check-ins: on" in text
    person = await _person(database)
    assert (person.paused, person.pause_until) == (False, None)
    assert person.replan_at == clock.now

    # With a meeting ahead, check-ins can wait until the meeting day.
    async with make_uow_factory(database)() as uow:
        from bot.storage.models import Meeting

        await uow.meetings.add(
            Meeting(client_id=person.id, starts_at=datetime(2026, 12, 10, 13, 0, tzinfo=UTC))
        )
        await uow.commit()
    await say(client, "/settings")
    text = await press(client, "⏸ Until the meeting 10 Dec 2026")
    assert "paused until 10 Dec 2026" in text
    await press(client, "▶️ Resume check-ins")
    text = await press(client, "⏸ Until I resume")
    assert "Check-ins: paused until you resume them" in text
    assert (await _person(database)).pause_until is None
    assert fake.errors == [], fake.describe_errors()


async def test_settings_say_when_the_product_paused_itself(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="sv")
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        person.paused = True
        person.auto_paused_at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        person.ignored_streak = 2
        await uow.commit()
    client = fake.user(CLIENT_ID, language_code="sv")
    text = await say(client, "/settings")
    assert "pausade av Hemmaplan 20 nov. 2026" in text
    assert "▶️ Återuppta avstämningar" in text
    text = await press(client, "▶️ Återuppta avstämningar")
    assert "Avstämningar: på" in text
    person = await _person(database)
    assert (person.paused, person.auto_paused_at, person.ignored_streak) == (False, None, 0)
    assert fake.errors == [], fake.describe_errors()
