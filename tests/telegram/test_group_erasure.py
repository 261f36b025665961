"""Erasure and Backstage groups through the Bot API fake: the /delete question tells a
facilitator what happens to the groups they lead; afterwards every member is told, in their own
language, that the group has ended here; a member's /delete tells the facilitator someone left."""

from __future__ import annotations

from typing import Any

from bot_harness import Clock, link_token, press, register, say
from fakes.botapi import BotApiFake, FakeUser

from bot.storage.db import Database

FACILITATOR = 4101
SWEDE, BRIT, LEAVER = 5101, 5102, 5103


async def _join(database: Database, user: FakeUser, token: str, locale: str) -> None:
    await register(database, user.id, name=user.first_name, locale=locale)
    await say(user, f"/start {token}")
    await press(user, "✅ Gå med i gruppen" if locale == "sv" else "✅ Join the group")
    await user.fake.wait_idle()


async def test_a_facilitators_delete_tells_them_and_then_every_member(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    created = await say(facilitator, "/group Norr | 4 | 3 dec 13:00 | 5 | Tuesdays, room Ek")
    assert "The group is created" in created, created
    members = {
        SWEDE: fake.user(SWEDE, first_name="Sara", language_code="sv"),
        BRIT: fake.user(BRIT, first_name="Ben", language_code="en"),
        LEAVER: fake.user(LEAVER, first_name="Lea", language_code="en"),
    }
    for tid, user in members.items():
        token = link_token(await say(facilitator, "/group_invite"))
        await _join(database, user, token, "sv" if tid == SWEDE else "en")

    chat = fake.group_chat(-100778, "Norr chat")
    await chat.add_bot(facilitator)
    await chat.wait_for_reply()
    await fake.wait_idle()

    # A member deletes their account: the facilitator learns that someone left.
    leaver = members[LEAVER]
    question = await say(leaver, "/delete")
    assert "You also leave Norr; the facilitator is told that a member has left." in question
    await press(leaver, "🗑 Yes, delete everything")
    await fake.wait_idle()
    assert "A member has left Norr." in (facilitator.messages[-1].text or "")

    # The facilitator's question says what happens to the group and its members.
    question = await say(facilitator, "/delete")
    assert "You lead the Backstage group Norr." in question, question
    assert "each member is told that the group has ended here" in question
    assert "In the group's own chat I say that it has ended here, and leave the chat." in question
    seen = {tid: len(user.messages) for tid, user in members.items()}
    await press(facilitator, "🗑 Yes, delete everything")
    await fake.wait_idle()

    swede = members[SWEDE].messages[seen[SWEDE] :]
    brit = members[BRIT].messages[seen[BRIT] :]
    assert len(swede) == 1 and len(brit) == 1, ([m.text for m in swede], [m.text for m in brit])
    assert (swede[0].text or "").startswith("Frida, samtalsledare för Norr, har raderat"), swede[0]
    assert (brit[0].text or "").startswith("Frida, the facilitator of Norr, has deleted"), brit[0]
    assert "/history" in (brit[0].text or "")
    assert members[LEAVER].messages[-1].text == leaver.messages[-1].text  # the erased: nothing
    # The group's chat is told, and the bot leaves it.
    assert chat.texts[-1].startswith("Norr has ended in Hemmaplan"), chat.texts[-1]
    assert any(call.params.get("chat_id") == chat.id for call in fake.calls_to("leaveChat"))
    # And the group is gone for its members.
    assert "You are not in a Backstage group" in await say(members[BRIT], "/group")
    assert fake.errors == [], fake.describe_errors()


async def test_a_delete_without_groups_says_nothing_about_groups(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    question = await say(facilitator, "/delete")
    assert "Backstage" not in question and "leave" not in question, question
