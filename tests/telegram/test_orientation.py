"""Orientation and small things: welcomes per role, /help, menus, the bot's descriptions, the
/reflect menu, written dialogue commands, time zone names, full stops and /export in the
person's language."""

from __future__ import annotations

from typing import Any

from bot_harness import ADMIN_ID, CLIENT_ID, COACH_ID, link_token, press, register, say
from fakes.botapi import BotApiFake, FakeUser

from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory

EN = get_translator("en")
SV = get_translator("sv")


async def onboard(user: FakeUser, start: str, language: str, zone: str = "Europe/Stockholm") -> str:
    """Language, time zone (a button, or typed), consent; the text of the welcome."""
    await say(user, start)
    await press(user, language)
    if zone == "Europe/Stockholm":
        await press(user, zone)
    else:
        await say(user, zone)
    await user.press("✅ " + ("I agree" if language == "English" else "Jag godkänner"))
    await user.wait_for_reply()
    return user.last_text or ""


async def test_a_coach_and_a_client_are_welcomed_as_what_they_are(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    admin = fake.user(ADMIN_ID, first_name="Ada", language_code="en")
    welcome = await onboard(admin, "/start", "English")
    assert "You are a coach" in welcome and "/invite_coach" in welcome
    coach = fake.user(COACH_ID, first_name="Cora", language_code="en")
    welcome = await onboard(
        coach, f"/start {link_token(await say(admin, '/invite_coach'))}", "English"
    )
    assert EN.gettext("Welcome! You are a coach in Hemmaplan.") in welcome
    assert "/invite gives you a link" in welcome and not coach.last_message.buttons  # type: ignore[union-attr]

    client = fake.user(CLIENT_ID, first_name="Klara", language_code="sv")
    welcome = await onboard(client, f"/start {link_token(await say(coach, '/invite'))}", "Svenska")
    assert "Cora har bjudit in dig till Hemmaplan." in welcome
    assert "🔒" in welcome
    nulage = SV.pgettext("nulage", "Where you stand now")
    text = await press(client, "▶️ " + SV.gettext("Start with “{title}”").format(title=nulage))
    assert nulage in text and "1/" in text  # the first question of Nuläge
    assert fake.errors == [], fake.describe_errors()


async def test_help_explains_lock_pause_and_sharing_with_the_role_s_commands_first(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    await register(database, CLIENT_ID, locale="sv", coach_telegram_id=COACH_ID)
    client_help = await say(fake.user(CLIENT_ID, language_code="sv"), "/help")
    for part in ("🔒", "⏸", SV.gettext("Who sees what"), "/preview", "/back", "/private"):
        assert part in client_help, part
    assert "/clients" not in client_help and "/invite" not in client_help
    coach_help = await say(fake.user(COACH_ID, language_code="en"), "/help")
    assert coach_help.startswith(EN.gettext("As a coach"))
    assert coach_help.index("/clients") < coach_help.index("/reflect")


async def test_the_coach_menu_starts_with_coach_commands_and_descriptions_are_per_language(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    coach = fake.user(COACH_ID, first_name="Cora", language_code="en")
    admin = fake.user(ADMIN_ID, first_name="Ada", language_code="en")
    await onboard(admin, "/start", "English")
    await onboard(coach, f"/start {link_token(await say(admin, '/invite_coach'))}", "English")
    names = [c["command"] for c in fake.commands_for(coach)]
    assert names[:4] == ["clients", "invite", "meeting", "summary"], names
    assert names.index("reflect") > names.index("end_client")
    for lang, t in (("sv", SV), ("en", EN)):
        description = fake.descriptions[("description", lang)]
        short = fake.descriptions[("short_description", lang)]
        assert description == t.gettext(
            "Hemmaplan is your companion between coaching meetings: short reflections, gentle "
            "check-ins on your commitments, and a summary for your coach that you see and "
            "approve first. It works by invitation: open the link your coach gave you."
        )
        assert 0 < len(short) <= 120
    assert fake.descriptions[("description", "")] == fake.descriptions[("description", "sv")]


async def test_the_reflect_menu_has_sections_two_a_row_and_marks_a_paused_one(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    menu = await say(client, "/reflect")
    assert EN.gettext("Start here") in menu and EN.gettext("Around your meetings") in menu
    message = client.last_message
    assert message is not None
    assert all(1 <= len(row) <= 2 for row in message.buttons)
    # Every dialogue listed in the text has its button (the same ones, in the same order).
    listed = [line.removeprefix("• ") for line in menu.splitlines() if line.startswith("• ")]
    assert [label for row in message.buttons for label in row] == listed
    assert len(listed) >= 14
    title = EN.pgettext("nulage", "Where you stand now")
    await press(client, title)
    await press(client, "⏸ " + EN.gettext("Pause"))
    menu = await say(client, "/reflect")
    assert "⏸ " + title in menu
    assert any("⏸ " + title in label for row in client.last_message.buttons for label in row)  # type: ignore[union-attr]


async def test_back_skip_private_and_pause_work_as_written_commands(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, EN.pgettext("nasta_steg", "Next concrete step"))
    await say(client, "I will sit down with Eva.")
    text = await say(client, "/back")
    assert EN.pgettext("nasta_steg", "What will you do? Describe the step in your own words.") in (
        text
    )
    assert "Eva.." not in text and "I will sit down with Eva." in text  # no double full stop
    text = await say(client, "/private")
    assert EN.gettext("This answer is only for you.") in text
    text = await say(client, "/skip")  # keeps the answer, on to the next question
    assert EN.pgettext("nasta_steg", "By when will you have done it?") in text
    text = await say(client, "/pause")
    assert EN.gettext("Paused. Your answers are kept; continue whenever it suits you.") in text
    assert fake.errors == [], fake.describe_errors()


async def test_a_time_zone_name_in_any_case_is_understood(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    admin = fake.user(ADMIN_ID, first_name="Ada", language_code="en")
    await onboard(admin, "/start", "English", zone="america/new_york")
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(ADMIN_ID)
        assert person is not None and person.timezone == "America/New_York"


async def test_export_reads_in_the_person_s_language_without_codes(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="sv")
    client = fake.user(CLIENT_ID, language_code="sv")
    await say(client, "/reflect")
    await press(client, SV.pgettext("grupp_mognad", "Your team"))
    await say(client, "2")  # a choice: stored as a code
    for answer in ("Ett möte", "Fråga mer", "Att vi pratar öppet", "Fler frågor på mötena", "1"):
        await say(client, answer)
    await say(client, "ok")  # save at the recap
    await client.send("/export")
    await client.wait_for_reply()
    await fake.wait_idle()
    readable = next(d for d in client.documents if d.file_name.endswith(".md")).data.decode()
    assert readable.startswith("# " + SV.gettext("Everything Hemmaplan stores about you"))
    for heading in ("Your answers", "Your commitments", "Meetings", "Reflections you started"):
        assert "## " + SV.gettext(heading) in readable, heading
    assert SV.pgettext("grupp_mognad", "Your team") in readable
    stage = SV.pgettext("grupp_mognad", "Friction")
    assert stage in readable, readable
    for code in ("stage_", "grupp_mognad", "client", "finished", "open]", "coaching"):
        assert code not in readable, code
    # Times are the person's: 09:00 UTC is 10:00 in Stockholm, and the zone is named.
    assert "10:00" in readable and "Europe/Stockholm" in readable
