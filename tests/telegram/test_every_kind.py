"""Every step kind by buttons: info, text, scale, choice, skip, multi with check marks, yes/no,
date, recap with "only for me"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, press, register, say
from fakes.botapi import BotApiFake

from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory

T = get_translator("en")


@pytest.fixture
def catalog() -> DialogueCatalog:
    """Only the test dialogue with every kind of step."""
    return load_dialogues([Path(__file__).parent / "data" / "every_kind.yaml"])


async def test_every_kind_of_step(bot: Any, fake: BotApiFake, database: Database) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, "Every kind")
    assert "What is on your mind?" in await press(client, T.gettext("Continue"))
    assert "How is your energy?" in await say(client, "Budget")
    text = await press(client, "1")
    # A very low value: the care note comes as a calm message of its own, then the question.
    assert "Which relation?" in text and "1177" not in text
    assert T.gettext("Choose one option (or answer with its number).") not in text  # buttons do
    note = client.messages[-2]
    assert "1177" in (note.text or "") and "your coach" in (note.text or "")
    assert ["⏸ " + T.gettext("Pause here")] in note.buttons
    assert "What about your peers?" in await press(client, "Peer managers")
    await press(client, T.gettext("Skip") + " ▶️")
    multi = client.last_message
    await press(client, "⬜ I decide")
    # A double tap on a multi option: both presses want it on, so it stays on.
    # Both taps carry the button as first shown, however soon the first one is answered.
    influence = multi.find_button("⬜ I influence")
    assert influence is not None
    await client.press_data(influence["callback_data"], multi)
    await client.press_data(influence["callback_data"], multi)
    # The second tap changes nothing, so it may bring no new message: wait for quiet instead.
    await fake.wait_idle()
    buttons = [b for row in client.message(multi.message_id).buttons for b in row]
    assert {"☑️ I decide", "☑️ I influence", "⬜ Unclear"} <= set(buttons), buttons
    assert "May the group see it?" in await press(client, "✅ " + T.gettext("Done"))
    await press(client, T.gettext("Yes"))
    await press(client, "8")
    await say(client, "+7")
    text = await say(client, "It is decided")
    assert "Your plan" in text
    text = await press(client, "🔒 1")
    assert "🔓 1" in [b for row in client.last_message.buttons for b in row]
    await press(client, "✅ " + T.gettext("Save"))
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        answers = {a.step_id: a for a in await uow.answers.for_person(person.id)}
    assert answers["issue"].visibility == "private"
    assert answers["parts"].value == ["decide", "influence"]
    assert answers["share"].value is True
    assert answers["energy"].value == 1
    assert fake.errors == [], fake.describe_errors()


async def test_the_care_note_offers_a_pause_that_keeps_the_answers(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, "Every kind")
    await press(client, T.gettext("Continue"))
    await say(client, "Budget")
    await press(client, "0")
    note = client.messages[-2]
    await client.press("⏸ " + T.gettext("Pause here"), note)
    assert "Paused" in ((await client.wait_for_reply()).text or "")
    assert "1177" in (client.message(note.message_id).text or "")  # the note stays as it was
    assert "Which relation?" in await press(client, T.gettext("Continue"))
    assert fake.errors == [], fake.describe_errors()
