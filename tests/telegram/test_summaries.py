"""The pre-meeting summary over Telegram (both databases): the client previews, holds an item
back and approves; the coach reads it and its PDF; the client sees each view under /privacy;
the scheduled preview and delivery, a decline, automatic sharing, and an approval that comes
after the coach was told "not yet". Answers marked only for me appear on no path."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

from bot_harness import CLIENT_ID, COACH_ID, Clock, register, say
from fakes.botapi import BotApiFake, FakeUser
from pypdf import PdfReader

from bot.storage.db import Database
from bot.storage.models import DialogueRun, Meeting
from bot.storage.uow import make_uow_factory
from bot.telegram.app import sender_of

MEETING = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # Friday 14:00 in Stockholm
PREVIEW_AT = MEETING - timedelta(hours=48)
DELIVERY_AT = MEETING - timedelta(hours=24)
SHARED = "The budget is late again"
WANT = "Prioritising when everything is urgent"
PRIVATE = "I cried in the car after the meeting"


async def _engagement(database: Database) -> int:
    """Maria coaches Klara; Klara shared a reflection (one answer only for her); a meeting."""
    await register(database, COACH_ID, role="coach", name="Maria")
    client_id = await register(database, CLIENT_ID, name="Klara", coach_telegram_id=COACH_ID)
    finished = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    async with make_uow_factory(database)() as uow:
        coach = await uow.people.by_telegram_id(COACH_ID)
        assert coach is not None
        run = await uow.runs.add(
            DialogueRun(
                person_id=client_id,
                dialogue_id="nulage",
                status="finished",
                state={"v": 1},
                phrasings={},
                started_at=finished,
                updated_at=finished,
                finished_at=finished,
            )
        )
        await uow.answers.add_for_finished_run(
            run,
            [
                ("occupies", "text", SHARED, "coach"),
                ("role", "scale", 4, "coach"),
                ("energy", "scale", 2, "coach"),
                ("works", "text", PRIVATE, "private"),
                ("want", "text", WANT, "coach"),
            ],
            finished,
        )
        await uow.meetings.add(
            Meeting(
                client_id=client_id,
                coach_id=coach.id,
                starts_at=MEETING,
                created_by_id=coach.id,
                created_at=finished,
                updated_at=finished,
            )
        )
        await uow.people.mark_replan(client_id, finished)
        await uow.commit()
    return client_id


def _users(fake: BotApiFake) -> tuple[FakeUser, FakeUser]:
    coach, client = (
        fake.user(COACH_ID, language_code="en"),
        fake.user(CLIENT_ID, language_code="en"),
    )
    coach.started = client.started = True
    return coach, client


def _since(user: FakeUser, count: int) -> str:
    return "\n".join(m.text or "" for m in user.messages[count:])


async def _command(user: FakeUser, text: str) -> str:
    """Send a command and return every message the bot sent for it."""
    before = len(user.messages)
    await user.send(text)
    await user.wait_for_reply()
    return _since(user, before)


async def _press(user: FakeUser, button: str) -> str:
    before = len(user.messages)
    await user.press(button)
    reply = await user.wait_for_reply()
    return _since(user, before) or (reply.text or "")


def _pdf_text(user: FakeUser) -> str:
    document = user.documents[-1]
    assert document.data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(document.data)).pages)


async def test_preview_hold_back_approve_then_the_coach_reads_it_and_the_client_sees_the_log(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await _engagement(database)
    coach, client = _users(fake)
    clock.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    nothing = await say(coach, "/summary Klara")
    assert (
        "Klara has not approved a summary for the meeting Friday 27 Nov 2026 14:00 (Stockholm)"
        in nothing
    )
    assert "48 hours before the meeting" in nothing

    shown = await _command(client, "/preview")
    assert "Your meeting with Maria: Friday 27 Nov 2026 14:00 (Stockholm)" in shown
    assert "Nothing goes to Maria until you approve it." in shown
    assert SHARED in shown and WANT in shown and PRIVATE not in shown

    items = await _press(client, "🙈 Hold back items")
    assert "Tap an item to hold it back" in items
    await client.press(f"✅ What occupies me most: {SHARED}")
    toggled = await client.wait_for_reply()
    assert [f"🚫 What occupies me most: {SHARED}"] in toggled.buttons
    again = await _press(client, "👀 Done: show the summary")
    assert SHARED not in again and WANT in again
    assert "You hold back 1 item." in again
    approved = await _press(client, "✅ Approve")
    assert "Approved. Maria gets it Thursday 26 Nov 2026 14:00 (Stockholm)." in approved

    summary = await _command(coach, "/summary Klara")
    assert "Before your meeting with Klara" in summary
    assert "Klara approved this summary on 23 Nov 2026." in summary
    assert WANT in summary and SHARED not in summary and PRIVATE not in summary
    assert "Energy and workload: 2 of 10" in summary  # a shared low score is flagged
    await coach.press("📄 As PDF")
    await coach.wait_for_reply()
    pdf = _pdf_text(coach)
    assert WANT in pdf and SHARED not in pdf and PRIVATE not in pdf

    privacy = await say(client, "/privacy")
    assert "Who has received or opened your summaries" in privacy
    assert privacy.count("Maria") >= 2
    assert "in Telegram" in privacy and "as PDF" in privacy
    # The export holds the decision and the log.
    await client.send("/export")
    await client.wait_for_reply()
    await fake.wait_idle()
    exported = json.loads(next(d for d in client.documents if d.file_name.endswith(".json")).data)
    (consent,) = exported["summary_consents"]
    assert consent["status"] == "approved" and len(consent["held_back"]) == 1
    assert [v["channel"] for v in exported["summary_views"]] == ["pdf", "telegram"]
    assert fake.errors == [], fake.describe_errors()


async def test_the_scheduled_preview_and_a_decline_tell_the_coach_without_content(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await _engagement(database)
    coach, client = _users(fake)
    sender = sender_of(bot)
    clock.now = PREVIEW_AT - timedelta(minutes=1)
    await sender.drain()  # the usual "before the meeting" prompt came this morning
    assert "Below is exactly what" not in _since(client, 0)
    seen = len(client.messages)
    clock.now = PREVIEW_AT
    await sender.drain()
    await client.wait_for_reply()
    preview = _since(client, seen)
    assert "Below is exactly what Maria gets Thursday 26 Nov 2026 14:00 (Stockholm)" in preview
    assert PRIVATE not in preview
    declined = await _press(client, "🚫 Don't share")
    assert "nothing is shared before this meeting" in declined

    clock.now = DELIVERY_AT
    await sender.drain()
    await coach.wait_for_reply()
    told = _since(coach, 0)
    assert "Klara chose not to share a summary before your meeting Friday 27 Nov 2026" in told
    assert SHARED not in told and WANT not in told
    assert coach.documents == []
    # The decision is closed once the coach was told; the next drain sends nothing more.
    before = len(coach.messages)
    clock.now += timedelta(hours=1)
    await sender.drain()
    assert len(coach.messages) == before
    assert fake.errors == [], fake.describe_errors()


async def test_automatic_sharing_sends_the_summary_and_the_pdf_to_the_coach(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await _engagement(database)
    coach, client = _users(fake)
    sender = sender_of(bot)
    clock.now = PREVIEW_AT
    await sender.drain()
    await client.wait_for_reply()
    turned_on = await _press(client, "🔁 Share automatically from now on")
    assert "Automatic sharing is on" in turned_on

    clock.now = DELIVERY_AT
    await sender.drain()
    await coach.wait_for_reply()
    delivered = _since(coach, 0)
    assert "Your summary before the meeting with Klara" in delivered
    assert "Klara shares summaries automatically" in delivered
    assert SHARED in delivered and PRIVATE not in delivered
    assert PRIVATE not in _pdf_text(coach)
    # The scales come as a picture too (one shared answer: role 4, energy 2).
    assert any("photo" in m.data for m in coach.messages)
    log = await say(client, "/privacy")
    assert "in Telegram" in log and "as PDF" in log
    # Delivered: the client's buttons no longer change anything.
    await client.press("🚫 Don't share")
    await fake.wait_idle()
    assert "can no longer be changed" in (client.callback_answers[-1].text or "")
    assert fake.errors == [], fake.describe_errors()


async def test_an_approval_after_the_coach_was_told_not_yet_still_reaches_the_coach(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await _engagement(database)
    coach, client = _users(fake)
    sender = sender_of(bot)
    clock.now = PREVIEW_AT
    await sender.drain()  # the preview arrives; Klara does not answer it yet
    await client.wait_for_reply()
    clock.now = DELIVERY_AT
    await sender.drain()
    await coach.wait_for_reply()
    assert "has not approved the summary for your meeting" in _since(coach, 0)
    before = len(coach.messages)
    await _command(client, "/preview")
    await _press(client, "✅ Approve")
    clock.now += timedelta(minutes=5)
    await sender.drain()
    await coach.wait_for_reply()
    arrived = _since(coach, before)
    assert "Klara approved this summary" in arrived and WANT in arrived
    assert [d.file_name for d in coach.documents] == ["scales.png", "hemmaplan-klara.pdf"]
    assert fake.errors == [], fake.describe_errors()


async def test_forged_buttons_show_nothing_to_anyone_else(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    """The Telegram side of the matrix: another coach asks for the PDF, another client presses
    the approval of someone else's summary; both are refused and nothing changes."""
    client_id = await _engagement(database)
    coach, client = _users(fake)
    await register(database, 2201, role="coach", name="Otto")
    await register(database, 3301, name="Stina")
    otto, stina = fake.user(2201, language_code="en"), fake.user(3301, language_code="en")
    clock.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    await _command(client, "/preview")
    data = next(
        button["callback_data"]
        for row in (client.messages[-1].reply_markup or {})["inline_keyboard"]
        for button in row
        if button["text"] == "✅ Approve"
    )
    await say(otto, "/help")
    await otto.press_data(f"sm:pdf:{client_id}", otto.messages[-1])
    await otto.wait_for_reply()
    assert "That is not one of your clients." in (otto.last_text or "")
    assert otto.documents == []
    await say(stina, "/help")
    await stina.press_data(data, stina.messages[-1])
    await fake.wait_idle()
    assert "can no longer be changed" in (stina.callback_answers[-1].text or "")
    assert "has not approved" in await say(coach, "/summary Klara")
    assert "No coach has received or opened a summary of yours yet." in await say(
        client, "/privacy"
    )
    assert fake.errors == [], fake.describe_errors()
