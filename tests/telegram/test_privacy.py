"""Privacy in chat: /export sends everything, /delete leaves no row about the person, /preview."""

from __future__ import annotations

import json
from typing import Any

from bot_harness import CLIENT_ID, COACH_ID, press, register, say
from fakes.botapi import BotApiFake
from sqlalchemy import select

from bot.config import PROJECT_ROOT
from bot.dialogue.loader import load_dialogues
from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.models import Base, Person

T = get_translator("en")
NASTA = load_dialogues(PROJECT_ROOT / "dialogues").get("nasta_steg")


async def finish_next_step(client: Any, *, private_action: bool = False) -> None:
    """Run `nasta_steg` through to the saved recap."""
    await say(client, "/reflect")
    await press(client, T.pgettext("nasta_steg", NASTA.title))
    if private_action:
        await press(client, "🔒 " + T.gettext("Only for me"))
    await say(client, "Talk to my manager about the budget")
    await say(client, "+7")
    await say(client, "The meeting is booked")
    await say(client, "If she is away, then I write an email")
    await press(client, "9")
    await press(client, "✅ " + T.gettext("Save"))


async def _all(user: Any, text: str) -> str:
    """Send a command and return every message the bot sent for it (a summary is several)."""
    before = len(user.messages)
    await user.send(text)
    await user.wait_for_reply()
    return "\n".join(m.text or "" for m in user.messages[before:])


async def test_export_sends_json_and_readable_document(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en", name="Klara")
    client = fake.user(CLIENT_ID, language_code="en")
    await finish_next_step(client)
    await client.send("/export")
    await client.wait_for_reply()
    documents = {d.file_name: d for d in client.documents}
    assert set(documents) == {"hemmaplan-export.json", "hemmaplan-export.md"}
    data = json.loads(documents["hemmaplan-export.json"].data)
    assert data["person"]["display_name"] == "Klara"
    assert {a["step_id"] for a in data["answers"]} >= {"action", "due", "confidence"}
    assert data["commitments"][0]["text"] == "Talk to my manager about the budget"
    readable = documents["hemmaplan-export.md"].data.decode("utf-8")
    assert "Talk to my manager about the budget" in readable
    assert all(len(d.caption or "") <= 1024 for d in documents.values())
    assert fake.errors == [], fake.describe_errors()


async def test_delete_leaves_no_row_about_the_person(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="en")
    await finish_next_step(client)
    coach = fake.user(COACH_ID, language_code="en")
    await say(coach, "/clients")
    async with database.sessionmaker() as session:
        person = (
            await session.scalars(select(Person).where(Person.telegram_id == CLIENT_ID))
        ).one()
        person_id = person.id
    await say(client, "/delete")
    text = await press(client, "🗑 " + T.gettext("Yes, delete everything"))
    assert "deleted" in text
    async with database.sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                refers = any(fk.column.table.name == "people" for fk in column.foreign_keys)
                if refers or (table.name == "people" and column.name == "id"):
                    count = len((await session.execute(
                        select(column).where(column == person_id)
                    )).all())  # fmt: skip
                    assert count == 0, f"{table.name}.{column.name} still refers to the person"
        people = (await session.scalars(select(Person.telegram_id))).all()
        assert CLIENT_ID not in people
    # The client is a stranger now; the coach keeps working.
    assert "invitation" in await say(client, "/help")
    assert "no clients" in await say(coach, "/clients")
    assert fake.errors == [], fake.describe_errors()


async def test_preview_and_coach_summary_leave_out_private_answers(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="en")
    await finish_next_step(client, private_action=True)
    coach = fake.user(COACH_ID, language_code="en")
    clients = await say(coach, "/clients")
    number = clients.split("#", 1)[1].split()[0]
    assert "Meeting with Klara saved" in await say(coach, f"/meeting {number} 2026-12-01 14:00")
    preview = await _all(client, "/preview")
    assert "The meeting is booked" in preview
    assert "Talk to my manager" not in preview
    assert "Approved" in await press(client, "✅ Approve")
    summary = await _all(coach, f"/summary {number}")
    assert "The meeting is booked" in summary
    assert "Talk to my manager" not in summary
    assert fake.errors == [], fake.describe_errors()


async def test_history_and_meeting(bot: Any, fake: BotApiFake, database: Database) -> None:
    await register(database, COACH_ID, locale="en", role="coach", name="Cora")
    client_id = await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="en")
    await finish_next_step(client)
    text = await say(client, "/history")
    assert "latest reflections" in text
    text = await press(client, client.last_message.buttons[0][0])
    assert "Talk to my manager about the budget" in text
    coach = fake.user(COACH_ID, language_code="en")
    assert "/meeting Klara 8 dec 14:00" in await say(coach, "/meeting")
    assert "not one of your clients" in await say(coach, "/meeting 999 2026-12-01 14:00")
    assert "already passed" in await say(coach, f"/meeting {client_id} 2020-01-01 14:00")
    assert "Meeting with Klara saved" in await say(coach, f"/meeting {client_id} 2026-12-01 14:00")
    assert "14:00" in await say(coach, "/clients")
    assert "already has a meeting" in await say(coach, "/meeting klara 2026-11-30 09:30")
    await coach.press("➕ Add a new meeting")
    await coach.wait_for_reply()
    assert "Meeting with Klara saved" in "\n".join(coach.texts[-2:])
    assert "09:30" in await say(coach, "/clients")
    # Nothing reaches the coach before Klara approves it.
    assert "has not approved a summary" in await say(coach, "/summary Klara")
    assert fake.errors == [], fake.describe_errors()
