"""Delivery at send time: gating, prompt fatigue, the prompt buttons, and restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from delivery_helpers import (
    NOW,
    add_commitment,
    add_meeting,
    add_person,
    person_row,
    plan,
    prompt_row,
)

from bot.config import Settings
from bot.services.delivery import (
    AUTO_PAUSED,
    RESUME,
    SKIP,
    SNOOZE_EVENING,
    SNOOZE_HOUR,
    SNOOZE_TOMORROW,
    START,
    DeliveryService,
)
from bot.storage.db import Database
from bot.storage.uow import UnitOfWorkFactory, make_uow_factory


@pytest.fixture
def delivery(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> DeliveryService:
    """The delivery service with default settings."""
    return DeliveryService(uow_factory, Settings(data_dir=tmp_path))


async def send_all(service: DeliveryService, now: datetime, limit: int = 50) -> list[int]:
    """What a sender does: claim, go, record as delivered; returns the prompt ids sent."""
    sent: list[int] = []
    while batch := await service.claim(now, limit):
        delivered = {}
        for outgoing in batch:
            if await service.begin_send(outgoing):
                delivered[outgoing.prompt_id] = 1000 + outgoing.prompt_id
        await service.finish(now, delivered=delivered)
        sent.extend(delivered)
    return sent


async def test_a_due_checkin_carries_its_commitment(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 501)
    commitment = await add_commitment(uow_factory, person, "Talk to Sam", date(2026, 11, 23))
    prompt = await plan(uow_factory, person, "checkin", commitment, NOW - timedelta(minutes=1))
    [outgoing] = await delivery.claim(NOW, 10)
    assert (outgoing.prompt_id, outgoing.telegram_id, outgoing.kind) == (prompt, 501, "checkin")
    assert outgoing.commitment_text == "Talk to Sam"
    assert outgoing.commitment_due == date(2026, 11, 23)
    # Leased, not yet sent: nobody else claims it, and it is not counted as sent.
    assert (await prompt_row(uow_factory, prompt)).status == "planned"
    assert await delivery.claim(NOW, 10) == []
    assert await delivery.begin_send(outgoing)
    assert not await delivery.begin_send(outgoing)
    await delivery.finish(NOW, delivered={prompt: 77})
    row = await prompt_row(uow_factory, prompt)
    assert (row.status, row.sent_at, row.message_id) == ("sent", NOW, 77)


async def test_gating_at_send_time(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    due = NOW - timedelta(minutes=5)
    paused = await add_person(uow_factory, 601, paused=True)
    resumes_today = await add_person(uow_factory, 602, paused=True, pause_until=date(2026, 11, 23))
    # 03:00 in New York: inside the default quiet hours.
    sleeping = await add_person(uow_factory, 603, timezone="America/New_York")
    console_only = await add_person(uow_factory, None)
    blocked = await add_person(uow_factory, 604, active=False)
    done = await add_person(uow_factory, 605)
    ids = {}
    for person in (paused, resumes_today, sleeping, console_only, blocked):
        commitment = await add_commitment(uow_factory, person, "Delegate", date(2026, 11, 23))
        ids[person] = await plan(uow_factory, person, "checkin", commitment, due)
    closed = await add_commitment(uow_factory, done, "Closed", date(2026, 11, 20))
    async with uow_factory() as uow:
        row = await uow.commitments.get(closed)
        assert row is not None
        await uow.commitments.record_check(row, "done", NOW)
        await uow.commit()
    ids[done] = await plan(uow_factory, done, "checkin", closed, due)
    cancelled_meeting = await add_meeting(uow_factory, done, NOW - timedelta(days=1))
    async with uow_factory() as uow:
        meeting = await uow.meetings.get(cancelled_meeting)
        assert meeting is not None
        meeting.cancelled_at = NOW - timedelta(hours=2)
        await uow.commit()
    after = await plan(uow_factory, done, "after_meeting", cancelled_meeting, due)

    outgoing = await delivery.claim(NOW, 50)

    assert [o.person_id for o in outgoing] == [resumes_today]
    assert not (await person_row(uow_factory, resumes_today)).paused
    for person in (paused, blocked, done):
        assert (await prompt_row(uow_factory, ids[person])).status == "cancelled"
    assert (await prompt_row(uow_factory, after)).status == "cancelled"
    # Moved to the end of the quiet hours (08:00 in New York), still planned.
    sleeping_row = await prompt_row(uow_factory, ids[sleeping])
    assert (sleeping_row.status, sleeping_row.claimed_at) == ("planned", None)
    assert sleeping_row.due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    console_row = await prompt_row(uow_factory, ids[console_only])
    assert (console_row.status, console_row.claimed_at) == ("planned", None)


async def test_weekly_cap_holds_but_preparation_wins(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 701)
    for days in (2, 4):
        commitment = await add_commitment(uow_factory, person, f"Old {days}", date(2026, 11, 30))
        await plan(uow_factory, person, "checkin", commitment, NOW - timedelta(days=days))
        [old] = await delivery.claim(NOW - timedelta(days=days), 5)
        assert await delivery.begin_send(old)
        await delivery.finish(NOW - timedelta(days=days), delivered={old.prompt_id: 1})
        await delivery.act(person, old.prompt_id, SKIP, NOW - timedelta(days=days))
    commitment = await add_commitment(uow_factory, person, "Third", date(2026, 11, 23))
    capped = await plan(uow_factory, person, "checkin", commitment, NOW)
    meeting = await add_meeting(uow_factory, person, NOW + timedelta(days=2))
    before = await plan(uow_factory, person, "before_meeting", meeting, NOW)
    sent = await send_all(delivery, NOW)
    assert sent == [before]
    assert (await prompt_row(uow_factory, capped)).status == "cancelled"


async def test_two_ignored_prompts_pause_once_with_one_notice(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 801)
    prompts = []
    for day in range(4):
        commitment = await add_commitment(uow_factory, person, f"C{day}", date(2026, 11, 23))
        prompts.append(
            await plan(uow_factory, person, "checkin", commitment, NOW + timedelta(days=day))
        )
    assert await send_all(delivery, NOW) == [prompts[0]]
    assert await send_all(delivery, NOW + timedelta(days=1)) == [prompts[1]]
    third = await delivery.claim(NOW + timedelta(days=2), 10)
    assert [o.kind for o in third] == [AUTO_PAUSED]
    assert await delivery.begin_send(third[0])
    await delivery.finish(NOW + timedelta(days=2), delivered={third[0].prompt_id: 9})
    stored = await person_row(uow_factory, person)
    assert stored.paused and stored.auto_paused_at == NOW + timedelta(days=2)
    assert [(await prompt_row(uow_factory, p)).status for p in prompts] == [
        "ignored",
        "ignored",
        "cancelled",
        "cancelled",
    ]
    # Paused: nothing more, and the notice is not repeated.
    assert await delivery.claim(NOW + timedelta(days=3), 10) == []
    # Its button resumes check-ins and clears the mark the coach sees.
    result = await delivery.act(person, third[0].prompt_id, RESUME, NOW + timedelta(days=3))
    assert result.status == "ok"
    stored = await person_row(uow_factory, person)
    assert (stored.paused, stored.auto_paused_at, stored.ignored_streak) == (False, None, 0)
    assert stored.replan_at == NOW + timedelta(days=3)


async def test_an_auto_pause_notice_that_failed_to_send_goes_out_at_its_next_attempt(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 806)
    for day in range(3):
        commitment = await add_commitment(uow_factory, person, f"C{day}", date(2026, 11, 23))
        await plan(uow_factory, person, "checkin", commitment, NOW + timedelta(days=day))
    await send_all(delivery, NOW)
    await send_all(delivery, NOW + timedelta(days=1))
    paused_at = NOW + timedelta(days=2)
    [notice] = await delivery.claim(paused_at, 10)
    assert notice.kind == AUTO_PAUSED
    assert await delivery.begin_send(notice)
    # The send failed where it certainly did not arrive (a network error, a 429): back in the plan.
    await delivery.finish(paused_at, delivered={}, undelivered=[notice.prompt_id])
    assert (await prompt_row(uow_factory, notice.prompt_id)).status == "planned"
    # The person is paused now, but the notice about that pause still goes out, once.
    retry = await delivery.claim(paused_at + timedelta(minutes=1), 10)
    assert [(o.prompt_id, o.kind) for o in retry] == [(notice.prompt_id, AUTO_PAUSED)]
    assert await delivery.begin_send(retry[0])
    await delivery.finish(paused_at, delivered={notice.prompt_id: 7})
    assert (await prompt_row(uow_factory, notice.prompt_id)).status == "sent"
    assert await delivery.claim(paused_at + timedelta(days=1), 10) == []
    assert (await person_row(uow_factory, person)).paused


async def test_a_returned_auto_pause_notice_is_dropped_once_check_ins_resumed(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 807)
    for day in range(3):
        commitment = await add_commitment(uow_factory, person, f"C{day}", date(2026, 11, 23))
        await plan(uow_factory, person, "checkin", commitment, NOW + timedelta(days=day))
    await send_all(delivery, NOW)
    await send_all(delivery, NOW + timedelta(days=1))
    paused_at = NOW + timedelta(days=2)
    [notice] = await delivery.claim(paused_at, 10)
    assert await delivery.begin_send(notice)
    await delivery.finish(paused_at, delivered={}, undelivered=[notice.prompt_id])
    async with uow_factory() as uow:
        stored = await uow.people.get(person)
        assert stored is not None
        stored.paused, stored.auto_paused_at = False, None  # resumed in /settings meanwhile
        await uow.commit()
    # A notice saying "paused" would no longer be true.
    assert await delivery.claim(paused_at + timedelta(minutes=1), 10) == []
    assert (await prompt_row(uow_factory, notice.prompt_id)).status == "cancelled"


async def test_acting_resets_the_streak(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 802, weekly_prompt_cap=5)
    prompts = []
    for day in range(3):
        commitment = await add_commitment(uow_factory, person, f"C{day}", date(2026, 11, 23))
        prompts.append(
            await plan(uow_factory, person, "checkin", commitment, NOW + timedelta(days=day))
        )
    await send_all(delivery, NOW)
    await send_all(delivery, NOW + timedelta(days=1))
    # Skipping the second one is an answer: only the first counts as ignored, no pause.
    assert (await delivery.act(person, prompts[1], SKIP, NOW + timedelta(days=1))).status == "ok"
    assert await send_all(delivery, NOW + timedelta(days=2)) == [prompts[2]]
    assert not (await person_row(uow_factory, person)).paused


async def test_snooze_times_and_stale_presses(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 901, weekly_prompt_cap=10)
    ids = []
    for index in range(4):
        commitment = await add_commitment(uow_factory, person, f"C{index}", date(2026, 11, 23))
        ids.append(await plan(uow_factory, person, "checkin", commitment, NOW))
    delivery_all = await delivery.claim(NOW, 10)
    assert all(o.offer_evening for o in delivery_all)  # 09:00 local: the evening is ahead
    for outgoing in delivery_all:
        assert await delivery.begin_send(outgoing)
    await delivery.finish(NOW, delivered={o.prompt_id: o.prompt_id for o in delivery_all})

    hour = await delivery.act(person, ids[0], SNOOZE_HOUR, NOW)
    evening = await delivery.act(person, ids[1], SNOOZE_EVENING, NOW)
    tomorrow = await delivery.act(person, ids[2], SNOOZE_TOMORROW, NOW)
    assert hour.snoozed_until == NOW + timedelta(hours=1)
    assert evening.snoozed_until == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 18:00 local
    assert tomorrow.snoozed_until == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 local
    assert (await prompt_row(uow_factory, ids[0])).status == "snoozed"
    # Pressing again changes nothing.
    assert (await delivery.act(person, ids[0], SKIP, NOW)).status == "stale"
    # Someone else's prompt is not theirs to act on.
    other = await add_person(uow_factory, 902)
    assert (await delivery.act(other, ids[3], START, NOW)).status == "stale"
    started = await delivery.act(person, ids[3], START, NOW)
    assert (started.status, started.dialogue_id) == ("ok", "checkin")

    # The snoozed one comes back an hour later, marked as asked for, with the next wording.
    assert await delivery.claim(NOW + timedelta(minutes=59), 10) == []
    [again] = await delivery.claim(NOW + timedelta(hours=1), 10)
    assert again.snoozed and again.commitment_text == "C0" and again.variant >= 1


async def test_restart_in_the_middle_loses_and_repeats_nothing(
    database: Database, tmp_path: Path
) -> None:
    first = DeliveryService(make_uow_factory(database), Settings(data_dir=tmp_path))
    factory = make_uow_factory(database)
    ids = []
    for index in range(30):
        person = await add_person(factory, 10_000 + index)
        commitment = await add_commitment(factory, person, f"C{index}", date(2026, 11, 23))
        ids.append(await plan(factory, person, "checkin", commitment, NOW))
    sent: list[int] = []
    # The first process sends one batch, then dies holding the lease on the next one.
    batch = await first.claim(NOW, 10)
    for outgoing in batch:
        assert await first.begin_send(outgoing)
    await first.finish(NOW, delivered={o.prompt_id: 1 for o in batch})
    sent.extend(o.prompt_id for o in batch)
    abandoned = await first.claim(NOW, 10)
    assert len(abandoned) == 10

    # A new process on the same database (a restart): the dead lease keeps its rows until it
    # runs out, then they are sent, once.
    restarted = Database(database.url, database.keyring)
    try:
        second = DeliveryService(make_uow_factory(restarted), Settings(data_dir=tmp_path))
        sent.extend(await send_all(second, NOW + timedelta(minutes=1)))
        assert len(sent) == 20
        sent.extend(await send_all(second, NOW + timedelta(minutes=11)))
        # The old process wakes up and finds its lease taken over: it sends nothing.
        assert not any([await first.begin_send(o) for o in abandoned])
    finally:
        await restarted.dispose()
    assert sorted(sent) == sorted(ids)
    for prompt_id in ids:
        row = await prompt_row(factory, prompt_id)
        assert row.status == "sent" and row.sent_at is not None


async def test_a_crash_between_sending_and_recording_errs_towards_not_resending(
    delivery: DeliveryService, uow_factory: UnitOfWorkFactory
) -> None:
    person = await add_person(uow_factory, 1201)
    commitment = await add_commitment(uow_factory, person, "C", date(2026, 11, 23))
    prompt = await plan(uow_factory, person, "checkin", commitment, NOW)
    [outgoing] = await delivery.claim(NOW, 10)
    assert await delivery.begin_send(outgoing)
    # ... the message may have gone out, then the process died before `finish`.
    assert await send_all(delivery, NOW + timedelta(hours=1)) == []
    row = await prompt_row(uow_factory, prompt)
    assert (row.status, row.sent_at) == ("sent", None)
