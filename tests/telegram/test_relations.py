"""Relations end to end: joining another coach only when asked, leaving, ending, removing.

Defect 1 of issue 8: a registered client who opened a second coach's link was linked without
being asked, and that coach's /summary showed what the client had shared with the first coach.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot_harness import (
    ADMIN_ID,
    CLIENT_ID,
    COACH_ID,
    Clock,
    link_token,
    make_settings,
    press,
    register,
    say,
)
from fakes.botapi import BotApiFake, FakeUser

from bot.config import PROJECT_ROOT
from bot.dialogue.loader import load_dialogues
from bot.i18n import get_translator
from bot.services.roles import RemoveOutcome
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory

T = get_translator("en")
NASTA = load_dialogues(PROJECT_ROOT / "dialogues").get("nasta_steg")
SECOND_COACH_ID = 2102


async def reflect(client: FakeUser, clock: Clock, action: str) -> None:
    """Finish `nasta_steg` with `action` as the commitment, a minute after the last event."""
    clock.now += timedelta(minutes=1)
    await say(client, "/reflect")
    await press(client, T.pgettext("nasta_steg", NASTA.title))
    await say(client, action)
    await say(client, "+7")
    await say(client, "The meeting is booked")
    await say(client, "If she is away, then I write an email")
    await press(client, "9")
    await press(client, "✅ " + T.gettext("Save"))
    clock.now += timedelta(minutes=1)


async def _relations(database: Database, client_id: int) -> dict[int, bool]:
    """Coach person id -> active, for every relation of the client."""
    async with make_uow_factory(database)() as uow:
        rows = await uow.relations.involving(client_id)
        return {row.coach_id: row.ended_at is None for row in rows}


async def test_a_second_coach_is_joined_only_on_yes_and_sees_only_later_answers(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    first_id = await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    second_id = await register(database, SECOND_COACH_ID, locale="en", role="coach", name="Bo")
    client_id = await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="en")
    first = fake.user(COACH_ID, language_code="en")
    second = fake.user(SECOND_COACH_ID, language_code="en")
    await reflect(client, clock, "Talk to my manager about the budget")

    token = link_token(await say(second, "/invite"))
    text = await say(client, f"/start {token}")
    assert "Bo invites you to work together in Hemmaplan — join?" in text
    assert "only the answers you give from now on" in text
    assert client.last_message is not None
    assert client.last_message.buttons == [["✅ Join", "No thanks"]]
    # Nothing happened yet: Bo has no client and sees nothing.
    assert await _relations(database, client_id) == {first_id: True}
    assert "not one of your clients" in await say(second, f"/summary {client_id}")

    text = await press(client, "No thanks")
    assert "nothing has changed" in text
    assert await _relations(database, client_id) == {first_id: True}
    async with make_uow_factory(database)() as uow:
        (invite,) = await uow.invites.list_by_creator(second_id)
        assert invite.used_at is None  # declining is not a use: the link stays theirs to open

    assert "join?" in await say(client, f"/start {token}")
    clock.now += timedelta(minutes=1)
    text = await press(client, "✅ Join")
    assert "You now work with Bo" in text
    notice = await second.wait_for_reply()
    assert "accepted your invitation" in (notice.text or "")
    assert await _relations(database, client_id) == {first_id: True, second_id: True}

    # Each coach gets a summary before their meeting; Klara lets them go automatically.
    assert "Meeting with Klara saved" in await say(second, "/meeting Klara 2026-12-01 14:00")
    assert "already has a meeting" in await say(first, "/meeting Klara 2026-12-02 14:00")
    await first.press("➕ Add a new meeting")
    await first.wait_for_reply()
    assert "Meeting with Klara saved" in "\n".join(first.texts[-3:])
    await say(client, "/preview")
    assert "Automatic sharing is on" in await press(client, "🔁 Share automatically from now on")
    # The earlier answers stay with the first coach.
    assert "No reflections shared in this period" in await _all(second, "/summary Klara")
    await reflect(client, clock, "Book a one-to-one with each new team member")
    summary = await _all(second, "/summary Klara")
    assert "Book a one-to-one" in summary
    assert "Talk to my manager" not in summary
    first_summary = await _all(first, "/summary Klara")
    assert "Book a one-to-one" in first_summary and "Talk to my manager" in first_summary

    preview = await _all(client, "/preview")
    assert "Your meeting with Bo" in preview and "Your meeting with Cora" in preview

    # Opening the link again changes nothing.
    assert "You already work with Bo" in await say(client, f"/start {token}")
    assert fake.errors == [], fake.describe_errors()


async def _all(user: Any, text: str) -> str:
    """Send a command and return every message the bot sent for it (a summary is several)."""
    before = len(user.messages)
    await user.send(text)
    await user.wait_for_reply()
    return "\n".join(m.text or "" for m in user.messages[before:])


async def test_a_client_leaves_a_coach_who_is_told_and_loses_access(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    coach_id = await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    client_id = await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="en")
    coach = fake.user(COACH_ID, language_code="en")
    await reflect(client, clock, "Talk to my manager about the budget")
    assert "Meeting with Klara saved" in await say(coach, f"/meeting {client_id} 2026-12-01 14:00")

    await client.send("/settings")
    await client.wait_for_reply()
    assert "Your coaches" in (client.last_text or "")
    text = await press(client, "🚪 Stop working with Cora")
    assert "Stop working with Cora in Hemmaplan?" in text
    assert "Okay, nothing changed" in await press(client, "Cancel")
    assert await _relations(database, client_id) == {coach_id: True}

    await client.send("/settings")
    await client.wait_for_reply()
    await press(client, "🚪 Stop working with Cora")
    text = await press(client, "Yes, stop")
    assert "Cora no longer sees your answers" in text
    notice = await coach.wait_for_reply()
    assert "Klara has chosen to end your work together" in (notice.text or "")
    assert await _relations(database, client_id) == {coach_id: False}

    assert "no longer work with this client" in await say(coach, f"/summary {client_id}")
    assert "no clients" in await say(coach, "/clients")
    assert "not one of your clients" in await say(coach, f"/meeting {client_id} 2026-12-02 14:00")
    assert "nobody sees your answers" in await say(client, "/preview")
    # A second confirmation (an older message, a double tap) changes nothing.
    await client.send("/settings")
    await client.wait_for_reply()
    assert "Your coaches" not in (client.last_text or "")

    # Re-invited, the coach sees only what the client shares after the new start.
    token = link_token(await say(coach, "/invite"))
    assert "Cora invites you" in await say(client, f"/start {token}")
    clock.now += timedelta(minutes=1)
    assert "You now work with Cora" in await press(client, "✅ Join")
    assert "no summary has been shared yet" in await say(coach, f"/summary {client_id}")
    assert fake.errors == [], fake.describe_errors()


async def test_a_coach_ends_the_work_with_a_client(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    coach_id = await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    client_id = await register(database, CLIENT_ID, locale="sv", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="sv")
    coach = fake.user(COACH_ID, language_code="en")
    await say(client, "/help")  # a bot can only write to people who have written to it
    text = await say(coach, "/end_client")
    assert "Whose work" in text
    text = await press(coach, f"#{client_id} Klara")
    assert "End your work with Klara in Hemmaplan?" in text
    assert "Okay, nothing changed" in await press(coach, "Cancel")
    assert await _relations(database, client_id) == {coach_id: True}
    assert "End your work with Klara" in await say(coach, "/end_client klara")
    assert "Klara is no longer among your clients" in await press(coach, "Yes, end it")
    notice = await client.wait_for_reply()
    assert "Cora" in (notice.text or "") and "/export" in (notice.text or "")
    assert await _relations(database, client_id) == {coach_id: False}
    assert "no longer work with this client" in await say(coach, f"/summary {client_id}")
    assert "not one of your clients" in await say(coach, f"/end_client {client_id}")
    assert fake.errors == [], fake.describe_errors()


async def test_an_admin_removes_a_coach(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, ADMIN_ID, locale="en", role="admin", name="Ada")
    coach_id = await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    client_id = await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    admin = fake.user(ADMIN_ID, language_code="en")
    coach = fake.user(COACH_ID, language_code="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/help")
    unused = link_token(await say(coach, "/invite"))
    assert "for admins" in await say(coach, "/remove_coach Cora")

    assert "Which coach" in await say(admin, "/remove_coach")
    text = await press(admin, f"#{coach_id} Cora")
    assert "Remove Cora as a coach?" in text
    text = await press(admin, "Yes, remove")
    assert "Removed" in text and "1 client" in text
    await fake.wait_idle()
    assert any("Cora no longer works as a coach" in t for t in client.texts)
    assert any("removed your coach role" in t for t in coach.texts)
    assert await _relations(database, client_id) == {coach_id: False}

    assert "for coaches" in await say(coach, "/clients")
    assert "expired" in await say(fake.user(7007, language_code="en"), f"/start {unused}")
    assert not any(c["command"] == "clients" for c in fake.commands_for(coach))
    assert "no coaches to remove" in await say(admin, "/remove_coach")
    assert fake.errors == [], fake.describe_errors()


async def test_summary_meeting_and_clients_by_role(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    """The Telegram side of the authorization matrix, with the relation states."""
    await register(database, ADMIN_ID, locale="en", role="admin", name="Ada")
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    await register(database, 2201, locale="en", role="coach", name="Otto")
    await register(database, 2301, locale="en", role="coach", name="Frida")
    client_id = await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    async with make_uow_factory(database)() as uow:
        former = await uow.people.by_telegram_id(2301)
        assert former is not None
        await uow.relations.link(former.id, client_id, clock.now)
        await uow.relations.end(former.id, client_id, clock.now)
        await uow.commit()
    client = fake.user(CLIENT_ID, language_code="en")
    await reflect(client, clock, "Talk to my manager about the budget")

    expected = {
        # No meeting yet, so no summary: the coach is told how one comes about.
        COACH_ID: ("No meeting with Klara is planned", "Meeting with Klara saved", "Klara"),
        2201: ("not one of your clients", "not one of your clients", "no clients"),
        2301: ("no longer work with this client", "not one of your clients", "no clients"),
        ADMIN_ID: ("not one of your clients", "not one of your clients", "no clients"),
        # A client's /meeting records their own next meeting: a client id is not a time.
        CLIENT_ID: ("for coaches", "when your next meeting is", "for coaches"),
        5005: ("invitation", "invitation", "invitation"),  # a stranger
    }
    for telegram_id, (summary, meeting, listing) in expected.items():
        user = fake.user(telegram_id, language_code="en")
        assert summary in await say(user, f"/summary {client_id}"), telegram_id
        assert meeting in await say(user, f"/meeting {client_id} 2026-12-01 14:00"), telegram_id
        assert listing in await say(user, "/clients"), telegram_id
    assert fake.errors == [], fake.describe_errors()


async def test_command_line_lists_people_and_removes_a_coach(
    bot: Any, fake: BotApiFake, database: Database, tmp_path: Path, test_secret_key: str
) -> None:
    from bot.telegram.runner import list_people, remove_coach

    settings = make_settings(
        fake, tmp_path / "cli", database_url=database.url, secret_key=test_secret_key
    )
    coach_id = await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    client_id = await register(database, CLIENT_ID, locale="sv", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="sv")
    await say(client, "/help")
    rows = {row.person.id: row for row in await list_people(settings)}
    assert (rows[coach_id].person.role, rows[coach_id].clients) == ("coach", 1)
    assert (rows[client_id].person.role, rows[client_id].coaches) == ("client", 1)

    message, outcome = await remove_coach(settings, COACH_ID, T)
    assert outcome is RemoveOutcome.REMOVED
    # The coach never wrote to the bot, so only the client can be told.
    assert message == (
        f"Telegram user {COACH_ID} is no longer a coach; their work with 1 client has ended. "
        "1 person was told over Telegram."
    )
    await fake.wait_idle()
    assert "Cora är inte längre coach i Hemmaplan" in (client.last_text or "")
    assert await _relations(database, client_id) == {coach_id: False}
    again, outcome = await remove_coach(settings, COACH_ID, T)
    assert outcome is RemoveOutcome.NOT_A_COACH and "not a coach" in again
    admin, outcome = await remove_coach(settings, ADMIN_ID, T)
    assert outcome is RemoveOutcome.NOT_FOUND
    await register(database, ADMIN_ID, locale="en", role="admin", name="Ada")
    admin, outcome = await remove_coach(settings, ADMIN_ID, T)
    assert outcome is RemoveOutcome.IS_ADMIN and "HEMMAPLAN_ADMIN_IDS" in admin
