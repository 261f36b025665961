"""/commitments as one message whose buttons start the check-in about that commitment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot_harness import CLIENT_ID, press, register, say
from fakes.botapi import BotApiFake

from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.models import Commitment
from bot.storage.uow import make_uow_factory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _commitments(database: Database) -> tuple[int, int]:
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        first = await uow.commitments.add(
            Commitment(
                person_id=person.id,
                text="Talk to Anna about the new roles",
                due_date=date(2026, 11, 20),
                created_at=NOW,
            )
        )
        second = await uow.commitments.add(
            Commitment(
                person_id=person.id,
                text="Book the team day",
                due_date=date(2026, 12, 4),
                created_at=NOW,
            )
        )
        await uow.commitments.record_check(first, "partly", NOW)
        await uow.commit()
        return first.id, second.id


async def test_commitments_are_one_message_and_a_press_starts_that_check_in(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    await _commitments(database)
    await say(client, "/help")
    before = len(client.messages)
    text = await say(client, "/commitments")
    assert len(client.messages) == before + 1  # one message, however many commitments
    assert "Talk to Anna about the new roles" in text and "Book the team day" in text
    assert "Was due 20 Nov 2026 · last check-in: Partly" in text
    assert "Due 4 Dec 2026" in text
    assert client.last_message is not None
    assert client.last_message.buttons == [
        ["1. Talk to Anna about the new roles"],
        ["2. Book the team day"],
    ]
    text = await press(client, "2. Book the team day")
    # The check-in is about that commitment: it shows its text, not the other one's.
    assert "Book the team day" in text
    assert "Talk to Anna" not in text
    assert fake.errors == [], fake.describe_errors()


async def test_not_yet_with_a_new_date_keeps_the_commitment_open_at_that_date(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="sv")
    client = fake.user(CLIENT_ID, language_code="sv")
    t = get_translator("sv")
    _, second = await _commitments(database)
    await say(client, "/commitments")
    await press(client, "2. Book the team day")
    await press(client, t.pgettext("checkin", "Not yet"))
    await say(client, "Teamet var sjukt halva veckan")
    await say(client, "2026-12-18")
    text = await press(client, "✅ " + t.gettext("Save"))
    async with make_uow_factory(database)() as uow:
        commitment = await uow.commitments.get(second)
        assert commitment is not None
        assert (commitment.status, commitment.last_check) == ("open", "not_yet")
        assert commitment.due_date == date(2026, 12, 18)
        events = await uow.commitments.events_for(second)
        assert [e.kind for e in events] == ["created", "not_yet"]
    # "Inte än" no longer makes a commitment vanish: the list tells the truth.
    text = await say(client, "/commitments")
    assert "Book the team day" in text
    assert "18 dec. 2026 · senaste avstämning: Inte än" in text
    assert fake.errors == [], fake.describe_errors()
