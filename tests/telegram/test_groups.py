"""Backstage groups end to end through the Bot API fake: a facilitator creates a group and
invites members with one-time links, members onboard or join with a button and get the plan as
an .ics; the case owner prepares a case and consents, the other members receive the brief, a
member of another group receives nothing; the facilitator's view comes as messages and a PDF;
the group's own chat gets logistics only, within Telegram's group limit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from bot_harness import Clock, link_token, press, register, say
from fakes.botapi import BotApiFake, FakeUser
from icalendar import Calendar

from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.app import sender_of

FACILITATOR, OTHER_FACILITATOR = 4001, 4002
MEMBERS = (5001, 5002, 5003, 5004)
OUTSIDER = 6001
# Thursday 3 December 2026 at 13:00 in Stockholm (the clock starts on 23 November).
START_UP = "3 dec 13:00"


async def _onboard(user: FakeUser, token: str) -> list[str]:
    """A new person opens an invitation link and goes through onboarding in English."""
    await say(user, f"/start {token}")
    await press(user, "English")
    await press(user, "Europe/Stockholm")
    before = len(user.messages)
    await user.press("✅ I agree")
    await user.wait_for_reply()
    await user.fake.wait_idle()
    return [m.text or "" for m in user.messages[before:]]


async def _create_group(fake: BotApiFake, facilitator: FakeUser, name: str, size: int) -> list[str]:
    """Create a group and return one invitation token per member."""
    created = await say(facilitator, f"/group {name} | {size} | {START_UP} | 5 | Tuesdays, room Ek")
    assert "The group is created" in created, created
    assert "0. Thu 3 Dec 2026 13:00 · Start-up" in created
    tokens = []
    for _ in range(size):
        link = await say(facilitator, "/group_invite")
        assert "invitation to join your group" in link, link
        tokens.append(link_token(link))
    return tokens


async def _document(user: FakeUser, name: str, seen: int) -> Any:
    """Wait for a document after the first `seen` (a PDF takes a moment to lay out)."""
    for _ in range(300):
        if len(user.documents) > seen and user.documents[-1].file_name == name:
            return user.documents[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {name}: {user.texts[-3:]}")


def _buttons(message: Any) -> list[str]:
    return [label for row in message.buttons for label in row]


async def _skip_pending(users: list[FakeUser]) -> None:
    """Members answer every open prompt with "Skip this time" (as people do; prompts nobody
    reacts to would pause their check-ins)."""
    for user in users:
        for message in list(user.messages):
            if "Skip this time" in _buttons(message) and "You bring your case" not in (
                message.text or ""
            ):
                await user.press("Skip this time", message)
                await user.wait_for_reply()


async def _day(bot: Any, clock: Clock, at: datetime, users: list[FakeUser]) -> None:
    """Move the clock, send what is due, and let the members skip what they do not need."""
    clock.now = at
    await sender_of(bot).drain()
    await _skip_pending(users)


# Meeting 1 is on Thursday 7 January 2027; its case is prepared from 2 January and its brief
# goes out on 5 January (the defaults: 5 and 2 days before, at the 09:00 check-in time).
STEPS = (
    datetime(2026, 12, 1, 8, 30, tzinfo=UTC),  # before the start-up meeting
    datetime(2026, 12, 4, 8, 30, tzinfo=UTC),  # after it
    datetime(2026, 12, 21, 8, 30, tzinfo=UTC),  # half-way
)
CASE_DAY = datetime(2027, 1, 2, 8, 30, tzinfo=UTC)
BRIEF_DAY = datetime(2027, 1, 5, 8, 30, tzinfo=UTC)


async def _prepare_case(owner: FakeUser, share: bool) -> str:
    """Answer the case preparation from its prompt; returns the recap's text."""
    prompt = next(m for m in reversed(owner.messages) if "You bring your case" in (m.text or ""))
    await owner.press("▶️ Start now", prompt)
    text = (await owner.wait_for_reply()).text or ""
    assert "Describe your dilemma" in text or "What is the dilemma" in text, text
    await say(owner, "Kim wants to work part time in the middle of a move.")
    assert "What kind of help" in await say(owner, "One conversation, no decision yet")
    assert "What is at stake" in await press(owner, "Ideas for what to do")
    consent = await say(owner, "The team's trust")
    assert "May the other members of the group read your preparation" in consent
    assert "only the facilitator reads it" in consent
    recap = await press(owner, "Yes" if share else "No")
    assert "Shared with the group" in recap
    saved = await press(owner, "✅ Save")
    return saved


async def test_a_case_owner_consents_and_only_their_group_gets_the_brief(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida")
    await register(database, OTHER_FACILITATOR, role="coach", name="Olof")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    other_facilitator = fake.user(OTHER_FACILITATOR, first_name="Olof", language_code="en")
    tokens = await _create_group(fake, facilitator, "Norr", 4)

    # Two members are new (onboarding through the link), two already use Hemmaplan.
    users = [
        fake.user(tid, first_name=f"M{i}", language_code="en") for i, tid in enumerate(MEMBERS, 1)
    ]
    for user, token in zip(users[:2], tokens[:2], strict=True):
        after_consent = await _onboard(user, token)
        joined = "\n".join(after_consent)
        assert "Welcome" not in joined or "Norr" in joined
        assert any("You bring your case to meeting" in text for text in after_consent), (
            after_consent
        )
        calendar = Calendar.from_ical(user.documents[-1].data)
        assert len(calendar.walk("VEVENT")) == 5  # start-up + 4 case meetings
    for user, token in zip(users[2:], tokens[2:], strict=True):
        await register(database, user.id, name=user.first_name)
        offer = await say(user, f"/start {token}")
        assert "You are invited to the Backstage group Norr" in offer
        assert "your individual coach" in offer.lower() or "individual coach" in offer
        await press(user, "✅ Join the group")
        await fake.wait_idle()
        assert any("Welcome to Norr" in text for text in user.texts[-3:]), user.texts[-3:]
        assert user.documents and user.documents[-1].file_name == "backstage.ics", user.texts

    # Another group with its own member, who must receive nothing of Norr's.
    outsider_token = (await _create_group(fake, other_facilitator, "Syd", 4))[0]
    outsider = fake.user(OUTSIDER, first_name="Outsider", language_code="en")
    await _onboard(outsider, outsider_token)

    plan = await say(facilitator, "/group")
    assert "1. Thu 7 Jan 2027 13:00 · M1's case" in plan, plan
    assert "4. Thu 22 Apr 2027 13:00 · M4's case" in plan  # summer time: still 13:00 local

    for step in STEPS:
        await _day(bot, clock, step, [*users, outsider])
    # Five days before meeting 1 its case owner is asked to prepare.
    await _day(bot, clock, CASE_DAY, [*users[1:], outsider])
    owner = users[0]
    # The group's own meetings are named as such (not as coaching).
    sent = [
        str(call.params.get("text", ""))
        for call in fake.calls_to("sendMessage")
        if call.params.get("chat_id") == owner.id
    ]
    assert any(
        text.startswith("Norr meets 3 Dec 2026 13:00 (Stockholm). Shall we prepare")
        for text in sent
    ), sent
    saved = await _prepare_case(owner, share=True)
    assert "saved" in saved.lower(), saved
    assert "Your facilitator reads what you did not keep for yourself" in saved
    assert "/preview" not in saved  # no coach reads a group's reflection
    outsider_seen = len(outsider.messages)

    # Two days before, the other members get the brief; the outsider gets nothing.
    await _day(bot, clock, BRIEF_DAY, [*users, outsider])
    for member in users[1:]:
        brief_prompts = [m for m in member.messages if "📄 Read the case" in _buttons(m)]
        assert len(brief_prompts) == 1, [m.text for m in member.messages[-3:]]
        await member.press("📄 Read the case", brief_prompts[0])
        brief = (await member.wait_for_reply()).text or ""
        assert "M1's case for Norr" in brief
        assert "Kim wants to work part time" in brief
        assert "Ideas for what to do" in brief
    assert not any("📄 Read the case" in _buttons(m) for m in owner.messages)
    # The outsider's own prompts came (inför mötet of their group), no brief and no case.
    assert not any("📄 Read the case" in _buttons(m) for m in outsider.messages[outsider_seen:])
    assert all("Kim" not in (m.text or "") for m in outsider.messages)

    # The facilitator's view before the meeting: messages and a PDF.
    await say(facilitator, "/group")
    seen = len(facilitator.documents)
    await facilitator.press("📄 Before the next meeting")
    pdf = await _document(facilitator, "backstage.pdf", seen)
    assert pdf.data.startswith(b"%PDF")
    texts = "\n".join(m.text or "" for m in facilitator.messages[-4:])
    assert "Before the group meeting: Norr" in texts
    assert "Case owner: M1" in texts and "Kim wants to work part time" in texts
    assert fake.errors == [], fake.describe_errors()


async def test_without_consent_only_the_facilitator_reads_the_case(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    tokens = await _create_group(fake, facilitator, "Norr", 4)
    users = []
    for i, (tid, token) in enumerate(zip(MEMBERS, tokens, strict=True), 1):
        await register(database, tid, name=f"M{i}")
        user = fake.user(tid, first_name=f"M{i}", language_code="en")
        await say(user, f"/start {token}")
        await press(user, "✅ Join the group")
        users.append(user)
    for step in STEPS:
        await _day(bot, clock, step, users)
    await _day(bot, clock, CASE_DAY, users[1:])
    await _prepare_case(users[0], share=False)
    await _day(bot, clock, BRIEF_DAY, users)
    for member in users[1:]:
        assert not any("📄 Read the case" in _buttons(m) for m in member.messages)
        assert all("Kim" not in (m.text or "") for m in member.messages)
    await say(facilitator, "/group")
    seen = len(facilitator.documents)
    await facilitator.press("📄 Before the next meeting")
    await _document(facilitator, "backstage.pdf", seen)
    texts = "\n".join(m.text or "" for m in facilitator.messages[-4:])
    assert "Kim wants to work part time" in texts
    assert "Not shared with the group: only you have read it." in texts


async def test_the_group_chat_gets_logistics_only_within_the_group_limit(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    tokens = await _create_group(fake, facilitator, "Norr", 4)
    for i, (tid, token) in enumerate(zip(MEMBERS, tokens, strict=True), 1):
        await register(database, tid, name=f"M{i}")
        user = fake.user(tid, first_name=f"M{i}", language_code="en")
        await say(user, f"/start {token}")
        await press(user, "✅ Join the group")
    chat = fake.group_chat(-100777, "Norr chat")
    await chat.add_bot(facilitator)
    await chat.wait_for_reply()
    posted = "\n".join(chat.texts)
    assert "I will post the meeting reminders" in posted
    assert "The rotation in Norr:" in posted and "M1" in posted

    # Members talking in the chat are ignored (no answer, nothing stored about it).
    member = fake.user(MEMBERS[1])
    seen = len(chat.messages)
    await chat.say(member, "I feel completely inadequate this week")
    await chat.say(member, "/help")
    await fake.wait_idle()
    assert len(chat.messages) == seen

    # Swapping owners and moving a meeting are posted there, as logistics.
    await say(facilitator, "/group")
    await press(facilitator, "🔁 Swap case owners")
    await press(facilitator, "1. Thu 7 Jan 2027 13:00 · M1's case")
    await press(facilitator, "2. Thu 11 Feb 2027 13:00 · M2's case")
    await fake.wait_idle()
    assert "M2" in chat.texts[-1].split("\n")[1]  # meeting 1 now M2's
    await say(facilitator, "/group_move 1 2 17 feb 14:00")
    await fake.wait_idle()
    assert "Meeting 2 of Norr is moved" in chat.texts[-1]
    # The day before a meeting: a reminder in the chat, the overview for the facilitator.
    clock.now = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    await sender_of(bot).drain()
    assert chat.texts[-1].startswith("Reminder: Norr meets 3 Dec 2026 13:00 (Stockholm).")
    assert "The start-up meeting." in chat.texts[-1] and "Tuesdays, room Ek" in chat.texts[-1]
    overview = facilitator.messages[-1]
    assert "Norr meets 3 Dec 2026 13:00 (Stockholm)" in (overview.text or "")
    seen = len(facilitator.documents)
    await facilitator.press("📄 Show the overview", overview)
    pdf = await _document(facilitator, "backstage.pdf", seen)
    assert pdf.data.startswith(b"%PDF")
    assert any("Start-up meeting:" in text for text in facilitator.texts[-4:])
    # The fake enforces Telegram's 20 messages a minute per group; the bot stays within it.
    assert len(chat.post_times) <= 20
    assert not [c for c in fake.errors if c.status == 429], fake.describe_errors()


async def test_the_fake_refuses_a_21st_group_message_within_a_minute(fake: BotApiFake) -> None:
    chat = fake.group_chat(-100888, "Busy")
    for number in range(20):
        status, _ = await fake.call("sendMessage", {"chat_id": chat.id, "text": f"post {number}"})
        assert status == 200
    status, payload = await fake.call("sendMessage", {"chat_id": chat.id, "text": "one too many"})
    assert status == 429 and payload["parameters"]["retry_after"] >= 1


async def test_someone_who_leads_no_group_cannot_add_the_bot_to_a_chat(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, MEMBERS[0], name="M1")
    member = fake.user(MEMBERS[0], first_name="M1", language_code="en")
    chat = fake.group_chat(-100999, "Random")
    await chat.add_bot(member)
    await chat.wait_for_reply()
    assert "Only a Backstage group's facilitator can add me" in chat.texts[-1]
    await fake.wait_idle()
    assert not chat.bot_member


async def test_moving_a_meeting_sends_every_member_an_updated_calendar(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, FACILITATOR, role="coach", name="Frida")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    tokens = await _create_group(fake, facilitator, "Norr", 4)
    users = []
    for i, (tid, token) in enumerate(zip(MEMBERS, tokens, strict=True), 1):
        await register(database, tid, name=f"M{i}")
        user = fake.user(tid, first_name=f"M{i}", language_code="en")
        await say(user, f"/start {token}")
        await press(user, "✅ Join the group")
        users.append(user)
    await fake.wait_idle()
    first_uids = {
        user.id: str(Calendar.from_ical(user.documents[-1].data).walk("VEVENT")[2]["UID"])
        for user in users
    }
    await say(facilitator, "/group_move 1 2 17 feb 14:00")
    await fake.wait_idle()
    for user in users:
        document = user.documents[-1]
        events = Calendar.from_ical(document.data).walk("VEVENT")
        assert len(events) == 1
        assert str(events[0]["UID"]) == first_uids[user.id]  # the same event, updated
        start = events[0].decoded("DTSTART")
        assert (start.hour, start.minute, start.day) == (14, 0, 17)
    wrong = await say(users[0], "/group_move 1 2 17 feb 14:00")
    assert "for coaches" in wrong
    passed = await say(facilitator, "/group_move 1 0 2026-11-20 10:00")
    assert "the time has passed" in passed
    out_of_order = await say(facilitator, "/group_move 1 3 1 jan 10:00")
    assert "Meetings keep their order" in out_of_order
    clock.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    held = await say(facilitator, "/group_move 1 0 10 dec 10:00")
    assert "already been held" in held


async def test_leaving_when_the_facilitators_chat_is_gone_still_confirms_and_marks_them(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    """Telegram answers "chat not found" for a deleted account: like a block, the facilitator
    is marked unreachable and the member who left gets their confirmation, not an apology."""
    await register(database, FACILITATOR, role="coach", name="Frida")
    facilitator = fake.user(FACILITATOR, first_name="Frida", language_code="en")
    token = (await _create_group(fake, facilitator, "Norr", 4))[0]
    await register(database, MEMBERS[0], name="M1")
    member = fake.user(MEMBERS[0], first_name="M1", language_code="en")
    await say(member, f"/start {token}")
    await press(member, "✅ Join the group")
    await fake.wait_idle()
    del fake._users[FACILITATOR]  # the facilitator's account is deleted
    await say(member, "/group")
    await press(member, "🚪 Leave the group")
    left = await press(member, "Yes, leave the group")
    assert "You have left Norr" in left, left
    await fake.wait_idle()
    assert not any("went wrong" in text for text in member.texts[-3:]), member.texts[-3:]
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(FACILITATOR)
        assert person is not None and person.active is False
