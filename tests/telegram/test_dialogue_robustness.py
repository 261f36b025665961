"""Dialogues survive restarts, stale buttons, double taps and non-text input."""

from __future__ import annotations

import asyncio
from typing import Any

from bot_harness import CLIENT_ID, Clock, press, register, running_bot, say
from fakes.botapi import BotApiFake

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory

T = get_translator("en")
STALE = T.gettext("That button belongs to an earlier question, so nothing was changed.")
NULAGE = load_dialogues(PROJECT_ROOT / "dialogues").get("nulage")
TITLE = T.pgettext("nulage", NULAGE.title)
ROLE_QUESTION = T.pgettext("nulage", next(s for s in NULAGE.steps if s.id == "role").prompts[0])


async def cursor(database: Database) -> str:
    """The engine cursor of the client's open run."""
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        run = await uow.runs.active_for(person.id)
        assert run is not None
        return str(run.state["cursor"])


async def start_nulage(fake: BotApiFake, database: Database) -> Any:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, TITLE)
    return client


async def test_restart_mid_dialogue_continues_where_it_was(
    settings: Settings, database: Database, catalog: DialogueCatalog, fake: BotApiFake
) -> None:
    async with running_bot(settings, database, catalog, fake, Clock()):
        client = await start_nulage(fake, database)
        text = await say(client, "The reorganisation")
        assert ROLE_QUESTION in text
    question = client.last_message
    # A new process on the same database: the old message's buttons still work.
    async with running_bot(settings, database, catalog, fake, Clock()):
        await client.press("6", question)
        await client.wait_for_reply()
        assert await cursor(database) != "role"
        assert "role" not in client.last_text.lower() or ROLE_QUESTION not in client.last_text
    assert fake.errors == [], fake.describe_errors()


async def test_stale_button_changes_nothing(bot: Any, fake: BotApiFake, database: Database) -> None:
    client = await start_nulage(fake, database)
    await say(client, "The reorganisation")
    question = client.last_message
    await press(client, "7")  # the same message now shows the next question
    assert question is not None
    back = question.find_button("◀️ " + T.gettext("Back"))
    assert back is not None
    await say(client, "5")  # answered by text: the next question comes as a new message
    assert not question.buttons  # ... and the answered one has no buttons left
    before = await cursor(database)
    # Its Back button, on a screen that had not caught up yet, is stale: nothing changes.
    await client.press_data(back["callback_data"], question)
    await fake.wait_idle()
    assert client.callback_answers[-1].text == STALE
    assert await cursor(database) == before
    assert fake.errors == [], fake.describe_errors()


async def test_double_tap_counts_once(bot: Any, fake: BotApiFake, database: Database) -> None:
    client = await start_nulage(fake, database)
    await say(client, "The reorganisation")
    scale_message = client.last_message
    assert scale_message is not None
    # Both taps carry the button as first shown, however soon the first one is answered.
    button = scale_message.find_button("7")
    assert button is not None
    await client.press_data(button["callback_data"], scale_message)
    await client.press_data(button["callback_data"], scale_message)
    await fake.wait_idle()
    await asyncio.sleep(0.2)
    after_one = await cursor(database)
    assert after_one not in ("focus", "role")
    assert [a.text for a in client.callback_answers[-2:]] == [None, STALE]
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        run = await uow.runs.active_for(person.id)
        assert run is not None
        assert run.state["path"].count("role") == 1
        assert run.state["answers"]["role"]["value"] == 7
    assert fake.errors == [], fake.describe_errors()


async def test_photo_where_text_is_expected(bot: Any, fake: BotApiFake, database: Database) -> None:
    client = await start_nulage(fake, database)
    before = await cursor(database)
    await client.send_photo()
    await client.wait_for_reply()
    assert any("only read text" in text for text in client.texts[-2:]), client.texts[-2:]
    for send_other in (client.send_sticker, client.send_voice, client.send_location):
        await send_other()
        await client.wait_for_reply()
    await client.send_document(b"notes", "notes.txt")
    await client.wait_for_reply()
    assert "only read text" in client.texts[-2]
    assert await cursor(database) == before
    text = await say(client, "The reorganisation")
    assert ROLE_QUESTION in text
    assert fake.errors == [], fake.describe_errors()


async def test_cancel_and_pause_resume(bot: Any, fake: BotApiFake, database: Database) -> None:
    client = await start_nulage(fake, database)
    await press(client, "⏸ " + T.gettext("Pause"))
    text = await press(client, T.gettext("Continue"))
    assert TITLE in text
    await say(client, "/cancel")
    text = await say(client, "anything")
    assert "/reflect" in text
    assert fake.errors == [], fake.describe_errors()
