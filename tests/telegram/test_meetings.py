"""/meeting end to end: date forms, the client told with an .ics, move, cancel, own meetings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bot_harness import CLIENT_ID, COACH_ID, register
from fakes.botapi import BotApiFake, FakeUser
from icalendar import Calendar

from bot.storage.db import Database
from bot.storage.uow import make_uow_factory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")


async def _coach_and_client(
    database: Database, coach_locale: str = "sv", client_locale: str = "en"
) -> None:
    await register(database, COACH_ID, locale=coach_locale, role="coach", name="Cecilia")
    await register(database, CLIENT_ID, locale=client_locale, coach_telegram_id=COACH_ID)
    # The client lives in another time zone than the coach: they are told in their own.
    async with make_uow_factory(database)() as uow:
        client = await uow.people.by_telegram_id(CLIENT_ID)
        assert client is not None
        client.timezone = "America/New_York"
        await uow.commit()


async def _users(
    fake: BotApiFake, coach_locale: str, client_locale: str
) -> tuple[FakeUser, FakeUser]:
    """The coach and the client, each having talked to the bot before (as after onboarding)."""
    coach = fake.user(COACH_ID, language_code=coach_locale)
    client = fake.user(CLIENT_ID, language_code=client_locale)
    for user in (coach, client):
        await _act(user, "/help")
    return coach, client


async def _act(user: FakeUser, text: str) -> list[str]:
    """Send a command; the texts (and captions) of the bot's messages it caused."""
    before = len(user.messages)
    await user.send(text)
    await user.wait_for_reply()
    return [m.text or "" for m in user.messages[before:]]


async def _press(user: FakeUser, button: str) -> str:
    await user.press(button)
    reply = await user.wait_for_reply()
    return reply.text or ""


def _event(user: FakeUser) -> tuple[Calendar, Any]:
    """The last .ics the person got, parsed back, and its only VEVENT."""
    document = user.documents[-1]
    assert document.file_name is not None and document.file_name.endswith(".ics")
    calendar = Calendar.from_ical(document.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


@pytest.mark.parametrize(
    ("coach_locale", "typed", "local", "answer"),
    [
        ("sv", "8 dec 14:00", datetime(2026, 12, 8, 14, 0), "8 dec. 2026 14:00"),
        ("sv", "imorgon 10:00", datetime(2026, 11, 24, 10, 0), "24 nov. 2026 10:00"),
        ("sv", "2026-12-08 14:00", datetime(2026, 12, 8, 14, 0), "8 dec. 2026 14:00"),
        ("en", "8 dec 14:00", datetime(2026, 12, 8, 14, 0), "8 Dec 2026 14:00"),
        ("en", "tomorrow 10:00", datetime(2026, 11, 24, 10, 0), "24 Nov 2026 10:00"),
        ("en", "2026-12-08 14:00", datetime(2026, 12, 8, 14, 0), "8 Dec 2026 14:00"),
    ],
)
async def test_meeting_accepts_typed_dates_and_the_client_gets_an_ics(
    bot: Any,
    fake: BotApiFake,
    database: Database,
    coach_locale: str,
    typed: str,
    local: datetime,
    answer: str,
) -> None:
    await _coach_and_client(database, coach_locale=coach_locale, client_locale="sv")
    coach, client = await _users(fake, coach_locale, "sv")
    texts = await _act(coach, f"/meeting Klara {typed}")
    assert any(answer + " (Stockholm)" in text for text in texts), texts
    starts = local.replace(tzinfo=STOCKHOLM)

    # The client is told in Swedish and in New York time, with the meeting as a calendar file.
    assert client.documents, client.texts
    told = client.documents[-1].caption or ""
    assert "Din coach har bokat ditt nästa möte" in told
    assert starts.astimezone(NEW_YORK).strftime("%H:%M") in told
    assert "(New York)" in told
    calendar, event = _event(client)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTSTART").tzinfo is not None
    assert (
        event.decoded("DTEND") - event.decoded("DTSTART")
        == local.replace(hour=local.hour + 1) - local
    )
    assert str(event["UID"]).endswith("@hemmaplan")
    assert event.decoded("DTSTAMP") is not None
    assert str(event["SUMMARY"]) == "Coachingsamtal"
    assert calendar.walk("VTIMEZONE"), "the time zone travels with the file"
    # The coach gets the file too, named after the client.
    _, own = _event(coach)
    assert str(own["UID"]) == str(event["UID"])
    assert fake.errors == [], fake.describe_errors()


async def test_moving_and_cancelling_tell_the_client(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await _coach_and_client(database, coach_locale="en", client_locale="en")
    coach, client = await _users(fake, "en", "en")
    await _act(coach, "/meeting Klara 8 dec 14:00")
    _, first = _event(client)

    # A new time for a client who has a meeting asks whether to move it or add another.
    texts = await _act(coach, "/meeting Klara 9 dec 15:30")
    assert "Klara already has a meeting planned" in texts[-1]
    reply = await _press(coach, "✏️ Move 8 Dec 2026 14:00 (Stockholm)")
    assert "moved from 8 Dec 2026 14:00" in "\n".join(coach.texts), reply
    told = client.documents[-1].caption or ""
    assert "Your coach has moved your meeting from 8 Dec 2026 08:00" in told
    assert "to 9 Dec 2026 09:30 (New York)" in told
    _, moved = _event(client)
    assert str(moved["UID"]) == str(first["UID"])  # the calendar updates the same event
    assert moved.decoded("DTSTART") == datetime(2026, 12, 9, 15, 30, tzinfo=STOCKHOLM)
    assert int(moved["SEQUENCE"]) >= int(first["SEQUENCE"])

    # Cancel from the list of coming meetings, with a confirmation.
    texts = await _act(coach, "/meeting")
    assert "Klara" in texts[-1] and "9 Dec 2026 15:30" in texts[-1]
    question = await _press(coach, "✖️ 1. Cancel meeting")
    assert "Klara will be told" in question
    await _press(coach, "Yes, cancel it")
    told = client.documents[-1].caption or ""
    assert "Your coach has cancelled the meeting 9 Dec 2026 09:30" in told
    calendar, cancelled = _event(client)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(first["UID"])
    texts = await _act(coach, "/meeting")
    assert "No meetings are planned" in texts[-1]
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        assert person.replan_at is not None
        assert (
            await uow.meetings.next_for_client(person.id, datetime(2026, 11, 23, tzinfo=UTC))
            is None
        )
    assert fake.errors == [], fake.describe_errors()


async def test_a_client_records_their_own_next_meeting(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await _coach_and_client(database, coach_locale="sv", client_locale="sv")
    coach, client = await _users(fake, "sv", "sv")
    texts = await _act(client, "/meeting")
    assert "Inget nästa möte" in texts[-1]
    texts = await _act(client, "/meeting 8 dec kl 14")
    # Typed in New York time, confirmed in New York time.
    assert any("8 dec. 2026 14:00 (New York)" in t for t in texts), texts
    _, event = _event(client)
    assert event.decoded("DTSTART") == datetime(2026, 12, 8, 14, 0, tzinfo=NEW_YORK)
    # The coach hears about it in Swedish, in Stockholm time.
    told = coach.documents[-1].caption or ""
    assert "Klara har lagt in sitt nästa möte: 8 dec. 2026 20:00" in told
    texts = await _act(client, "/meeting")
    assert "Ditt nästa möte: 8 dec. 2026 14:00" in texts[-1]
    texts = await _act(client, "/meeting 2026-11-20 10:00")
    assert "redan passerat" in texts[-1]
    texts = await _act(client, "/meeting snart")
    assert "/meeting 8 dec 14:00" in texts[-1]
    assert fake.errors == [], fake.describe_errors()


async def test_clients_shows_the_next_meeting_and_who_paused_check_ins(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await _coach_and_client(database, coach_locale="en", client_locale="en")
    coach, _ = await _users(fake, "en", "en")
    await _act(coach, "/meeting Klara 8 dec 14:00")
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        person.paused = True
        person.auto_paused_at = datetime(2026, 11, 20, 9, 0, tzinfo=STOCKHOLM)
        await uow.commit()
    texts = await _act(coach, "/clients")
    assert "next meeting 8 Dec 2026 14:00 (Stockholm)" in texts[-1]
    assert "check-ins paused by Hemmaplan since 20 Nov 2026 (unanswered)" in texts[-1]
    assert fake.errors == [], fake.describe_errors()
