"""A whole dialogue in chat by buttons and text, in English and in Swedish."""

from __future__ import annotations

from typing import Any

import pytest
from bot_harness import CLIENT_ID, press, register, say
from fakes.botapi import BotApiFake

from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory


# Swedish over real HTTP long polling, English in memory: the same scenario on both transports.
@pytest.mark.parametrize(
    "locale", [pytest.param("en"), pytest.param("sv", marks=pytest.mark.http_transport)]
)
async def test_next_step_dialogue_creates_a_commitment(
    bot: Any, fake: BotApiFake, database: Database, locale: str
) -> None:
    t = get_translator(locale)
    await register(database, CLIENT_ID, locale=locale)
    client = fake.user(CLIENT_ID, language_code="en")
    menu = await say(client, "/reflect")
    assert menu.startswith(t.gettext("What would you like to reflect on?"))
    text = await press(client, t.pgettext("nasta_steg", "Next concrete step"))
    assert t.pgettext("nasta_steg", "Next concrete step") in text
    text = await say(client, "Book a 1:1 with <Per> & Eva")
    assert t.pgettext("nasta_steg", "By when will you have done it?") in text
    text = await say(client, "+7")
    assert "1:1" not in text
    await say(client, "I have booked it")
    await say(client, "If the week fills up, then Monday morning")
    text = await press(client, "8")
    # confidence 8: no extra question, straight to the recap
    assert t.pgettext("nasta_steg", "Your commitment") in text
    assert "Book a 1:1 with <Per> & Eva" in text  # escaped going out, shown literally
    # Only the recap has buttons now: each typed answer took the previous question's away.
    assert [m for m in client.messages if m.buttons] == [client.last_message]
    recap = client.last_message
    assert recap is not None
    old_data = recap.find_button("✅ " + t.gettext("Save"))
    assert old_data is not None
    text = await press(client, "✅ " + t.gettext("Save"))
    assert "/commitments" in text
    # The recap stays readable above "Saved", without its buttons.
    assert recap.text is not None and "Book a 1:1" in recap.text and not recap.buttons
    assert client.last_message is not recap
    # A button of the finished run (an old client showing it still) is stale: a polite toast.
    await client.press_data(old_data["callback_data"], recap)
    await fake.wait_idle()
    stale = t.gettext("That button belongs to an earlier question, so nothing was changed.")
    assert client.callback_answers[-1].text == stale
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        commitments = await uow.commitments.open_for(person.id)
        assert [c.text for c in commitments] == ["Book a 1:1 with <Per> & Eva"]
    text = await say(client, "/commitments")
    assert "Book a 1:1" in text
    # The commitment's button starts its check-in; "Done" there closes it.
    await press(client, "1. Book a 1:1 with <Per> & Eva")
    await press(client, t.pgettext("checkin", "Done"))
    await say(client, "Booking it right away")
    await press(client, "✅ " + t.gettext("Save"))
    async with make_uow_factory(database)() as uow:
        assert await uow.commitments.open_for(person.id) == []
    assert fake.errors == [], fake.describe_errors()
