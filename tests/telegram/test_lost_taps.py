"""Taps answered too late, sends that time out, and input no button of ours carries.

Each case used to end in the error handler (or in silence); now the person always sees the
screen their state is at, or a short answer saying why nothing changed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from bot_harness import ADMIN_ID, CLIENT_ID, COACH_ID, Clock, make_settings, press, register, say
from fakes.botapi import BotApiFake
from telegram.request import HTTPXRequest

from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.runtime import build_runtime
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.app import build_application
from bot.telegram.http_retry import RetryingRequest
from bot.telegram.runner import serve_polling

T = get_translator("en")
NEXT_STEP = T.pgettext("nasta_steg", "Next concrete step")
WHAT = T.pgettext("nasta_steg", "Next concrete step")
BY_WHEN = T.pgettext("nasta_steg", "By when will you have done it?")
APOLOGY = "Sorry, something went wrong on my side."


@pytest.fixture
def failures(caplog: pytest.LogCaptureFixture) -> Any:
    """The failed-update records of the error handler (none may appear)."""
    caplog.set_level(logging.ERROR, logger="bot.telegram.handlers.errors")
    return lambda: [r.getMessage() for r in caplog.records if "failed in" in r.getMessage()]


async def test_a_tap_answered_too_late_still_shows_the_next_screen(
    bot: Any, fake: BotApiFake, database: Database, failures: Any
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    fake.callback_query_ttl = 0.0  # every answerCallbackQuery is "query is too old" now
    text = await press(client, NEXT_STEP)
    assert WHAT in text  # the menu became the first question
    first_question = client.last_touched
    assert first_question is not None
    old_button = first_question.find_button(first_question.buttons[-1][-1])
    assert old_button is not None
    text = await say(client, "Book a talk with Eva")
    assert BY_WHEN in text  # the typed text answered the question on screen
    await say(client, "+7")
    await say(client, "It is booked")
    await say(client, "If the week fills up, then Monday")
    text = await press(client, "8")  # the step advances and the recap is shown
    assert T.pgettext("nasta_steg", "Your commitment") in text
    assert "Book a talk with Eva" in text
    # A stale button (still on an old client's screen) whose toast Telegram no longer takes:
    # the note comes as a message.
    await client.press_data(old_button["callback_data"], first_question)
    reply = await client.wait_for_reply()
    stale = T.gettext("That button belongs to an earlier question, so nothing was changed.")
    assert reply.text == stale
    assert failures() == []
    assert {c.description for c in fake.errors} == {
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    }


@pytest.fixture
async def impatient_bot(
    fake: BotApiFake, database: Database, catalog: DialogueCatalog, tmp_path: Path
) -> AsyncIterator[Any]:
    """A bot whose sends time out after half a second."""
    request = RetryingRequest(HTTPXRequest(read_timeout=0.5, connection_pool_size=8))
    runtime = build_runtime(make_settings(fake, tmp_path), database, catalog, clock=Clock())
    application = build_application(runtime, request=request)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_polling(application, stop))
    for _ in range(500):
        if fake.polls_parked or task.done():
            break
        await asyncio.sleep(0.01)
    try:
        yield application
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def test_a_send_that_times_out_shows_the_current_screen_again(
    impatient_bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, NEXT_STEP)
    # The next question's send is delivered only after the bot gave up waiting for it.
    fake.fail_next("sendMessage", 200, delay=1.0)
    await client.send("Book a talk with Eva")
    await asyncio.sleep(1.2)
    await fake.wait_idle()
    texts = [m.text or "" for m in client.messages]
    assert not any(text.startswith(APOLOGY) for text in texts), texts
    assert BY_WHEN in texts[-1]
    text = await say(client, "+7")  # the run goes on from the screen shown
    assert BY_WHEN not in text


async def test_ids_too_large_for_the_database_name_nobody(
    bot: Any, fake: BotApiFake, database: Database, failures: Any
) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    coach = fake.user(COACH_ID, language_code="en")
    not_yours = T.gettext("That is not one of your clients.")
    for command in (
        "/summary 99999999999999999999",
        "/summary #2147483648",
        "/meeting 9223372036854775808 2026-12-01 14:00",
    ):
        assert await say(coach, command) == not_yours, command
    await say(coach, "/summary ²")  # not a number: read as a name, found nobody
    assert failures() == []


async def test_forged_buttons_of_a_registered_person_change_nothing(
    bot: Any, fake: BotApiFake, database: Database, failures: Any
) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    coach = fake.user(COACH_ID, language_code="en")
    await say(coach, "/help")
    forged = [
        "h:run:²",
        "h:run:99999999999",
        "cm:99999999999:done",
        "cm:1:nonsense",
        "cm:²:done",
        "sm:99999999999:",
        "sm:²:",
        "rl:leave:²",
        "rl:endok:99999999999",
        "rl:rmok:2147483648",
        "pr:start:²",
        "pr:skip:99999999999",
        "mt:mv:².1",
        "mt:add:1.99999999999999999999",
        "mt:cx:99999999999",
        "d:99999999999:issue:s",
        "d:²:issue:s",
        "d:1:issue:c.#²",
        "st:tz:Europe",
        "st:tz:" + "x" * 58,
        "st:lang:xx",
        "m:reflect:nonexistent",
        "del:maybe:",
        "o:lang:sv",
        "zz",
    ]
    for data in forged:
        answered = len(coach.callback_answers) + len(coach.messages)
        await coach.press_data(data)
        await fake.wait_idle()
        assert len(coach.callback_answers) + len(coach.messages) > answered, data
    assert failures() == []
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(COACH_ID)
        assert person is not None and person.locale == "en" and person.timezone is not None


async def test_forged_onboarding_buttons_ask_again_and_lose_nothing(
    bot: Any, fake: BotApiFake, database: Database, failures: Any
) -> None:
    admin = fake.user(ADMIN_ID, language_code="en")
    language_question = "Welcome to Hemmaplan! Which language do you prefer?"
    assert language_question in await say(admin, "/start")

    async def still_asks(data: str, question: str) -> None:
        answers = len(admin.callback_answers)
        await admin.press_data(data)
        await fake.wait_idle()
        assert len(admin.callback_answers) == answers + 1, data
        assert question in (admin.messages[-1].text or ""), data

    for data in ("o:lang:xx", "o:tz:Europe/Stockholm", "o:consent:maybe", "o:x:y"):
        await still_asks(data, language_question)
    await press(admin, "English")
    zone_question = T.gettext(
        "Which time zone are you in? Pick one, or type its name (for example Europe/Oslo)."
    )
    for data in ("o:tz:Europe", "o:tz:" + "a" * 58, "o:tz:../../etc/passwd", "o:lang:xx"):
        await still_asks(data, zone_question)
    await say(admin, "Europe")  # typed, a directory of the tz database: not a zone
    assert admin.messages[-1].text and "I don't know the time zone" in admin.messages[-1].text
    await press(admin, "Europe/Stockholm")
    await press(admin, "✅ " + T.gettext("I agree"))
    assert failures() == []


async def test_an_edited_message_is_not_read_as_a_new_answer(
    bot: Any, fake: BotApiFake, database: Database, failures: Any
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, NEXT_STEP)
    sent = await client.send("Book a talk with Eva")
    assert BY_WHEN in (await client.wait_for_reply()).text
    await client.edit(sent, "Book a talk with Per")
    reply = await client.wait_for_reply()
    assert reply.text == T.gettext(
        "I only read new messages, so your edit changed nothing. "
        "Send what you meant as a new message."
    )
    text = await say(client, "+7")  # still the date question: the edit answered nothing
    assert BY_WHEN not in text
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        runs = await uow.runs.list_for(person.id)
        assert "Book a talk with Eva" in str(runs[0].state)
        assert "Per" not in str(runs[0].state)
    assert failures() == []
