"""/help tells a Backstage group's member who reads what in the group (the facilitator, the
other members, not their own coach); someone outside a group is not told about groups."""

from __future__ import annotations

from typing import Any

from bot_harness import Clock, link_token, press, register, say
from fakes.botapi import BotApiFake

from bot.storage.db import Database

FACILITATOR, COACH, MEMBER = 4301, 4302, 5301


async def test_a_members_help_says_who_reads_what_in_the_group(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida", locale="sv")
    await register(database, COACH, role="coach", name="Ingrid", locale="sv")
    await register(database, MEMBER, name="Sara", locale="sv", coach_telegram_id=COACH)
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="sv")
    member = fake.user(MEMBER, first_name="Sara", language_code="sv")

    before = await say(member, "/help")
    assert "samtalsledaren" not in before, before

    await say(facilitator, "/group Norr | 4 | 3 dec 13:00 | 5 | tisdagar")
    token = link_token(await say(facilitator, "/group_invite"))
    await say(member, f"/start {token}")
    await press(member, "✅ Gå med i gruppen")
    await fake.wait_idle()

    after = await say(member, "/help")
    assert "I din Backstagegrupp läser samtalsledaren det du delar med hen" in after, after
    assert "En egen coach ser ingenting från gruppen." in after
    assert fake.errors == [], fake.describe_errors()


async def test_meeting_names_the_groups_meeting_apart_from_coaching(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida", locale="sv")
    await register(database, COACH, role="coach", name="Ingrid", locale="sv")
    await register(database, MEMBER, name="Sara", locale="sv", coach_telegram_id=COACH)
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="sv")
    coach = fake.user(COACH, first_name="Ingrid", language_code="sv")
    member = fake.user(MEMBER, first_name="Sara", language_code="sv")
    await say(facilitator, "/group Norr | 4 | 3 dec 13:00 | 5 | tisdagar")
    token = link_token(await say(facilitator, "/group_invite"))
    await say(member, f"/start {token}")
    await press(member, "✅ Gå med i gruppen")
    await fake.wait_idle()

    # Only the group's start-up is ahead: it is not "your next meeting".
    alone = await say(member, "/meeting")
    assert "Ditt nästa möte" not in alone, alone
    assert "Din Backstagegrupp Norr träffas härnäst 3 dec. 2026 13:00" in alone, alone

    # The coach books a coaching meeting after the start-up: that is the next meeting.
    await say(coach, "/meeting Sara 10 dec 14:00")
    await fake.wait_idle()
    both = await say(member, "/meeting")
    assert "Ditt nästa möte: 10 dec. 2026 14:00" in both, both
    assert "Din Backstagegrupp Norr träffas härnäst 3 dec. 2026 13:00" in both
    assert fake.errors == [], fake.describe_errors()


async def test_the_consent_says_who_reads_what_in_a_group(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida", locale="sv")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="sv")
    await say(facilitator, "/group Norr | 4 | 3 dec 13:00 | 5 | tisdagar")
    token = link_token(await say(facilitator, "/group_invite"))
    newcomer = fake.user(MEMBER, first_name="Sara", language_code="sv")
    await say(newcomer, f"/start {token}")
    await press(newcomer, "Svenska")
    consent = await press(newcomer, "Europe/Stockholm")
    assert "I en Backstagegrupp: samtalsledaren läser det du delar med hen" in consent, consent
    assert "En egen coach ser ingenting från gruppen" in consent
    assert fake.errors == [], fake.describe_errors()


def _command_names(fake: BotApiFake, user: Any) -> list[str]:
    return [c["command"] for c in fake.commands_for(user)]


async def test_a_member_without_a_coach_is_welcomed_to_the_group_without_preview(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida", locale="sv")
    await register(database, COACH, role="coach", name="Ingrid", locale="sv")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="sv")
    coach = fake.user(COACH, first_name="Ingrid", language_code="sv")
    await say(facilitator, "/group Norr | 4 | 3 dec 13:00 | 5 | tisdagar")
    token = link_token(await say(facilitator, "/group_invite"))
    newcomer = fake.user(MEMBER, first_name="Sara", language_code="sv")
    await say(newcomer, f"/start {token}")
    await press(newcomer, "Svenska")
    await press(newcomer, "Europe/Stockholm")
    before = len(newcomer.messages)
    await newcomer.press("✅ Jag godkänner")
    await newcomer.wait_for_reply()
    await fake.wait_idle()
    welcome = "\n".join(m.text or "" for m in newcomer.messages[before:])
    assert "Välkommen till Hemmaplan, som deltagare i gruppen Norr." in welcome, welcome
    assert "Frida är samtalsledare för din Backstagegrupp" in welcome
    assert "/group" in welcome
    assert "coach" not in welcome.casefold(), welcome

    # No coach: no summary to preview, in /help or in the menu.
    help_alone = await say(newcomer, "/help")
    assert "/preview" not in help_alone and "/note" not in help_alone, help_alone
    assert "Du har ingen coach här" in help_alone
    assert "/group" in help_alone
    assert "preview" not in _command_names(fake, newcomer)
    assert "group" in _command_names(fake, newcomer)

    # Once they work with a coach, /preview is back.
    coach_token = link_token(await say(coach, "/invite"))
    await say(newcomer, f"/start {coach_token}")
    await press(newcomer, "✅ Tacka ja")
    await fake.wait_idle()
    assert "/preview" in await say(newcomer, "/help")
    assert "preview" in _command_names(fake, newcomer)
    assert fake.errors == [], fake.describe_errors()


async def test_preview_for_a_group_only_member_names_the_facilitator(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida", locale="sv")
    await register(database, MEMBER, name="Sara", locale="sv")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="sv")
    member = fake.user(MEMBER, first_name="Sara", language_code="sv")
    alone = await say(member, "/preview")
    assert "ingen ser dina svar" in alone, alone

    await say(facilitator, "/group Norr | 4 | 3 dec 13:00 | 5 | tisdagar")
    token = link_token(await say(facilitator, "/group_invite"))
    await say(member, f"/start {token}")
    await press(member, "✅ Gå med i gruppen")
    await fake.wait_idle()

    shown = await say(member, "/preview")
    assert "ingen ser dina svar" not in shown, shown
    assert "I Norr läser Frida (samtalsledaren) det du delar med hen" in shown, shown
    assert "/group" in shown
    assert fake.errors == [], fake.describe_errors()
