"""One live screen per run: old buttons go, stale ones do what they say or say why not, no
edit that changes nothing, the recap stays readable on save, the count never grows."""

from __future__ import annotations

import re
from typing import Any

from bot_harness import CLIENT_ID, press, register, say
from fakes.botapi import BotApiFake, FakeUser, SentMessage

from bot.i18n import get_translator
from bot.storage.db import Database

T = get_translator("en")
NEXT_STEP = T.pgettext("nasta_steg", "Next concrete step")
NULAGE = T.pgettext("nulage", "Where you stand now")
RECAP = T.pgettext("nasta_steg", "Your commitment")


def live(client: FakeUser) -> list[SentMessage]:
    """The bot's messages in the chat that still have buttons."""
    return [m for m in client.messages if m.buttons]


async def to_recap(client: FakeUser, confidence: str = "8") -> SentMessage:
    """Walk "Next concrete step" to its recap by typing, and return the recap message."""
    await say(client, "/reflect")
    await press(client, NEXT_STEP)
    for answer in ("Book a talk with Eva", "+7", "It is booked", "If it slips, Monday"):
        await say(client, answer)
    text = await press(client, confidence)
    assert RECAP in text
    recap = client.last_touched
    assert recap is not None
    return recap


async def test_typed_answers_leave_buttons_only_on_the_question_in_use(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, NEXT_STEP)
    for answer in ("Book a talk with Eva", "+7", "It is booked"):
        await say(client, answer)
        assert live(client) == [client.last_message]
    assert fake.errors == [], fake.describe_errors()


async def test_a_stale_continue_never_leaves_two_live_recaps(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    recap = await to_recap(client)
    await press(client, "⏸ " + T.gettext("Pause"))  # the recap becomes "Paused" + Continue
    paused = client.last_touched
    assert paused is recap
    continue_button = paused.find_button(T.gettext("Continue"))
    assert continue_button is not None
    # Back through the menu (where it is marked paused): the recap comes back there ...
    await say(client, "/reflect")
    await press(client, "⏸ " + NEXT_STEP)
    assert RECAP in (client.last_text or "")
    # ... and the paused message lost its Continue: one live recap.
    assert not paused.buttons
    assert len([m for m in live(client) if RECAP in (m.text or "")]) == 1
    # An old client still showing Continue presses it: the recap moves there, still one.
    await client.press_data(continue_button["callback_data"], paused)
    await client.wait_for_reply()
    recaps = [m for m in live(client) if RECAP in (m.text or "")]
    assert recaps == [paused]
    assert fake.errors == [], fake.describe_errors()


async def test_an_old_recap_button_resumes_its_run_and_does_what_it_says(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    recap = await to_recap(client)
    # Another reflection is started while the recap is open (that run is paused).
    await say(client, "/reflect")
    first_of_other = await press(client, NULAGE)
    assert NULAGE in first_of_other
    # ✏️ 2 on the first run's recap: that run comes back at answer 2 (by when), right there.
    await client.press("✏️ 2", recap)
    text = (await client.wait_for_reply()).text or ""
    assert client.last_touched is recap
    assert T.pgettext("nasta_steg", "By when will you have done it?") in text
    # Nothing was edited into the same content, nothing refused.
    assert fake.errors == [], fake.describe_errors()
    # The answer goes to that run; its recap follows with the new date.
    await client.press(recap.buttons[0][0], recap)
    assert RECAP in ((await client.wait_for_reply()).text or "")


async def test_a_double_tap_sends_no_edit_that_changes_nothing(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await to_recap(client)
    await press(client, "⏸ " + T.gettext("Pause"))
    paused = client.last_touched
    assert paused is not None
    data = paused.find_button(T.gettext("Continue"))
    assert data is not None
    await client.press_data(data["callback_data"], paused)
    await client.press_data(data["callback_data"], paused)  # the second tap: already there
    await fake.wait_idle()
    assert [c for c in fake.calls if c.method.startswith("edit") and c.status != 200] == []
    assert len(client.callback_answers) >= 3  # every tap is answered
    assert RECAP in (paused.text or "")


async def test_saving_keeps_the_recap_readable_above_saved(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    recap = await to_recap(client)
    text = await press(client, "✅ " + T.gettext("Save"))
    assert "/commitments" in text and client.last_message is not recap
    assert "Book a talk with Eva" in (recap.text or "") and not recap.buttons
    assert live(client) == []


async def test_typing_ok_at_the_recap_saves(bot: Any, fake: BotApiFake, database: Database) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    recap = await to_recap(client)
    text = await say(client, "ok")
    assert "/commitments" in text
    assert not recap.buttons and "Book a talk with Eva" in (recap.text or "")


async def test_the_question_count_never_grows(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    headers = [(await press(client, NEXT_STEP)).splitlines()[0]]
    for answer in ("Book a talk with Eva", "+7", "It is booked", "If it slips, Monday", "4"):
        headers.append((await say(client, answer)).splitlines()[0])
    counts = [re.search(r"(\d+)/(\d+)(?:–(\d+))?", h) for h in headers]
    assert all(counts), headers
    most = [int(m.group(3) or m.group(2)) for m in counts if m]
    assert most == sorted(most, reverse=True), headers
    # Low confidence (4) adds the sixth question; it was in the range all along.
    assert headers[0].endswith("1/5–6") and headers[-1].endswith("6/6"), headers


JOINED = T.gettext(
    "Your two messages came close together, so I added the second one to your previous answer."
)
BY_WHEN = T.pgettext("nasta_steg", "By when will you have done it?")


async def _first_answer(database: Database, run_step: str = "action") -> object:
    from bot.storage.uow import make_uow_factory

    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        run = await uow.runs.active_for(person.id)
        assert run is not None
        return run.state["answers"].get(run_step, {}).get("value")


async def test_a_thought_sent_as_two_quick_messages_is_one_answer(
    bot: Any, fake: BotApiFake, database: Database, clock: Any
) -> None:
    fake.clock = lambda: clock.now.timestamp()  # Telegram's dates and the bot's clock agree
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, NEXT_STEP)
    await client.send("Book a talk with Eva")
    await client.send("and Per, about the budget")  # before the next question arrived
    text = (await client.wait_for_reply()).text or ""
    assert JOINED in text and BY_WHEN in text
    assert await _first_answer(database) == "Book a talk with Eva\nand Per, about the budget"
    assert live(client) == [client.last_message]
    # The next message, a while later, answers the question on screen as usual.
    clock.now = clock.now.replace(minute=1)
    text = await say(client, "+7")
    assert JOINED not in text and BY_WHEN not in text
    assert fake.errors == [], fake.describe_errors()


async def test_a_second_message_right_after_the_question_arrived_is_joined_too(
    bot: Any, fake: BotApiFake, database: Database, clock: Any
) -> None:
    fake.clock = lambda: clock.now.timestamp()
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await say(client, "/reflect")
    await press(client, NEXT_STEP)
    await say(client, "Book a talk with Eva")  # the next question is on screen now
    text = await say(client, "this week")  # but nobody reads and answers it within a second
    assert JOINED in text and BY_WHEN in text
    assert await _first_answer(database) == "Book a talk with Eva\nthis week"
