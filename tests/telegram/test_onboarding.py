"""Onboarding end to end: admin -> coach -> client through one-time deep links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot_harness import ADMIN_ID, CLIENT_ID, COACH_ID, Clock, link_token, press, register, say
from fakes.botapi import BotApiFake

from bot.config import Settings
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory


async def onboard(fake: BotApiFake, user_id: int, start: str, language: str) -> None:
    """Go through language, time zone and consent."""
    user = fake.user(user_id, first_name=f"U{user_id}", language_code="sv")
    text = await say(user, start)
    assert "Hemmaplan" in text
    await press(user, language)
    await press(user, "Europe/Stockholm")
    await press(user, "✅ " + ("I agree" if language == "English" else "Jag godkänner"))


async def test_admin_invites_coach_who_invites_client(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    admin = fake.user(ADMIN_ID, first_name="Ada", language_code="en")
    text = await say(admin, "/start")
    assert "language" in text.lower() or "språk" in text.lower()
    await press(admin, "English")
    text = await press(admin, "Europe/Stockholm")
    assert "not end-to-end encrypted" in text
    assert "health" in text.lower()
    await admin.press("✅ I agree")
    await admin.wait_for_reply()
    assert any("/invite_coach" in t for t in admin.texts), admin.texts
    link = await say(admin, "/invite_coach")
    assert "https://t.me/hemmaplan_test_bot?start=" in link
    coach_token = link_token(link)

    coach = fake.user(COACH_ID, first_name="Cora", language_code="en")
    text = await say(coach, f"/start {coach_token}")
    await press(coach, "English")
    await press(coach, "Europe/Stockholm")
    await coach.press("✅ I agree")
    await coach.wait_for_reply()
    assert any(c["command"] == "clients" for c in fake.commands_for(coach))
    client_link = await say(coach, "/invite")
    client_token = link_token(client_link)

    # The coach link is used now.
    intruder = fake.user(4004, first_name="Ivan", language_code="en")
    assert "already been used" in await say(intruder, f"/start {coach_token}")

    client = fake.user(CLIENT_ID, first_name="Klara", language_code="sv")
    await say(client, f"/start {client_token}")
    await press(client, "Svenska")
    await press(client, "Europe/Stockholm")
    await client.press("✅ Jag godkänner")
    await client.wait_for_reply()
    assert not any(c["command"] == "clients" for c in fake.commands_for(client))

    text = await say(coach, "/clients")
    assert "Klara" in text
    assert fake.errors == [], fake.describe_errors()
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None and person.consent_at is not None
        assert person.locale == "sv"
        coaches = await uow.relations.coaches_of(person.id)
        assert [c.telegram_id for c in coaches] == [COACH_ID]


async def test_no_invite_and_bad_tokens(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    stranger = fake.user(5005, language_code="en")
    text = await say(stranger, "/start")
    assert "invitation" in text
    assert "ask your coach" in text.lower()
    assert len(stranger.messages) == 1  # one short answer, nothing else
    assert "don't recognise" in await say(stranger, "/start notatokenatallbutlongenough")
    assert "invitation" in await say(stranger, "hello")
    async with make_uow_factory(database)() as uow:
        assert await uow.people.by_telegram_id(5005) is None
    assert fake.errors == [], fake.describe_errors()


async def test_expired_invite_and_declined_consent(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    coach = fake.user(COACH_ID, language_code="en")
    token = link_token(await say(coach, "/invite"))
    late = fake.user(6006, language_code="en")
    clock.now += timedelta(hours=73)
    assert "expired" in await say(late, f"/start {token}")
    clock.now -= timedelta(hours=2)  # 71 hours after creation: still valid
    fresh = fake.user(7007, language_code="en")
    await say(fresh, f"/start {token}")
    await press(fresh, "English")
    await press(fresh, "Europe/Stockholm")
    text = await press(fresh, "No thanks")
    assert "Nothing about you is stored" in text
    async with make_uow_factory(database)() as uow:
        assert await uow.people.by_telegram_id(7007) is None
    # Declining leaves the invitation usable.
    await say(fresh, f"/start {token}")
    await press(fresh, "English")
    text = await say(fresh, "Mars/Olympus")
    assert "don't know the time zone" in text
    await say(fresh, "europe/oslo")
    await fresh.press("✅ I agree")
    await fresh.wait_for_reply()
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(7007)
        assert person is not None and person.timezone == "Europe/Oslo"
    assert fake.errors == [], fake.describe_errors()


async def test_cli_added_coach_onboards_without_link(
    bot: Any, fake: BotApiFake, database: Database, settings: Settings
) -> None:
    from bot.i18n import get_translator
    from bot.services.people import PeopleService
    from bot.telegram.runner import describe_add_coach

    t = get_translator("en")
    people = PeopleService(make_uow_factory(database), settings)
    result = await people.add_coach(COACH_ID, datetime.now(UTC), "Coach Cora")
    assert "now a coach" in describe_add_coach(result, COACH_ID, t)
    coach = fake.user(COACH_ID, first_name="C", language_code="sv")
    await say(coach, "/start")
    await press(coach, "English")
    await press(coach, "Europe/Stockholm")
    await coach.press("✅ I agree")
    await coach.wait_for_reply()
    assert "https://t.me/" in await say(coach, "/invite")
    again = await people.add_coach(COACH_ID, datetime.now(UTC))
    assert "nothing changed" in describe_add_coach(again, COACH_ID, t)
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(COACH_ID)
        assert person is not None and person.display_name == "Coach Cora"
