"""MeetingService on SQLite and PostgreSQL: set, move, cancel, held meetings, re-plan marks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.config import Settings
from bot.services.meetings import MeetingService, Outcome
from bot.services.people import PeopleService
from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _people(uow_factory: UnitOfWorkFactory) -> tuple[int, int, int]:
    """A coach, their client and a stranger (another coach's nobody)."""
    async with uow_factory() as uow:
        coach = await uow.people.add(
            Person(telegram_id=1, role="coach", display_name="Coach", consent_at=NOW)
        )
        client = await uow.people.add(
            Person(telegram_id=2, role="client", display_name="Klara", consent_at=NOW)
        )
        stranger = await uow.people.add(
            Person(telegram_id=3, role="coach", display_name="Other", consent_at=NOW)
        )
        await uow.relations.link(coach.id, client.id, NOW)
        await uow.commit()
        return coach.id, client.id, stranger.id


async def _replan_at(uow_factory: UnitOfWorkFactory, person_id: int) -> datetime | None:
    async with uow_factory() as uow:
        person = await uow.people.get(person_id)
        assert person is not None
        return person.replan_at


async def test_coach_sets_moves_and_cancels_and_each_change_marks_replan(
    uow_factory: UnitOfWorkFactory,
) -> None:
    coach, client, stranger = await _people(uow_factory)
    service = MeetingService(uow_factory)
    start = NOW + timedelta(days=14)
    saved = await service.schedule(coach, client, start, NOW)
    assert saved.outcome == Outcome.SAVED and saved.meeting is not None
    assert [p.id for p in saved.tell] == [client]
    assert await _replan_at(uow_factory, client) == NOW

    later = NOW + timedelta(hours=1)
    moved = await service.move(coach, saved.meeting.id, start + timedelta(days=1), later)
    assert moved.outcome == Outcome.MOVED and moved.previous_start == start
    assert await _replan_at(uow_factory, client) == later

    assert (await service.move(stranger, saved.meeting.id, start, later)).outcome == (
        Outcome.NOT_ALLOWED
    )
    assert (await service.move(coach, saved.meeting.id, NOW, later)).outcome == Outcome.PASSED

    cancel_at = NOW + timedelta(hours=2)
    cancelled = await service.cancel(coach, saved.meeting.id, cancel_at)
    assert cancelled.outcome == Outcome.CANCELLED
    assert cancelled.meeting is not None and cancelled.meeting.cancelled_at == cancel_at
    assert await _replan_at(uow_factory, client) == cancel_at
    assert await service.next(client, cancel_at) is None
    assert (await service.cancel(coach, saved.meeting.id, cancel_at)).outcome == (Outcome.NOT_FOUND)


async def test_a_passed_meeting_counts_as_held_and_a_cancelled_one_does_not(
    uow_factory: UnitOfWorkFactory,
) -> None:
    coach, client, _ = await _people(uow_factory)
    service = MeetingService(uow_factory)
    first = await service.schedule(coach, client, NOW + timedelta(days=1), NOW)
    second = await service.schedule(coach, client, NOW + timedelta(days=30), NOW)
    assert first.meeting is not None and second.meeting is not None
    assert await service.last_held(client, NOW) is None
    upcoming = await service.next(client, NOW)
    assert upcoming is not None and upcoming.id == first.meeting.id

    two_days_later = NOW + timedelta(days=2)
    held = await service.last_held(client, two_days_later)
    assert held is not None and held.id == first.meeting.id
    upcoming = await service.next(client, two_days_later)
    assert upcoming is not None and upcoming.id == second.meeting.id

    await service.cancel(coach, second.meeting.id, two_days_later)
    much_later = NOW + timedelta(days=40)
    held = await service.last_held(client, much_later)
    assert held is not None and held.id == first.meeting.id


async def test_a_client_records_their_own_meeting_only_when_the_coach_has_not(
    uow_factory: UnitOfWorkFactory,
) -> None:
    coach, client, _ = await _people(uow_factory)
    service = MeetingService(uow_factory)
    own = await service.schedule(client, client, NOW + timedelta(days=10), NOW)
    assert own.outcome == Outcome.SAVED and own.meeting is not None
    assert own.meeting.coach_id == coach and own.meeting.created_by_id == client
    assert [p.id for p in own.tell] == [coach]
    # A second time from the client moves their own meeting instead of adding another.
    again = await service.schedule(client, client, NOW + timedelta(days=11), NOW)
    assert again.outcome == Outcome.MOVED and again.meeting is not None
    assert again.meeting.id == own.meeting.id
    assert len(await service.upcoming(client, NOW)) == 1

    await service.cancel(client, own.meeting.id, NOW)
    by_coach = await service.schedule(coach, client, NOW + timedelta(days=12), NOW)
    assert by_coach.meeting is not None
    refused = await service.schedule(client, client, NOW + timedelta(days=9), NOW)
    assert refused.outcome == Outcome.COACH_SET
    assert refused.meeting is not None and refused.meeting.id == by_coach.meeting.id
    # The coach's meeting is the coach's to change.
    assert (await service.cancel(client, by_coach.meeting.id, NOW)).outcome == (Outcome.NOT_ALLOWED)
    assert [m.client_name for m in await service.upcoming_for_coach(coach, NOW)] == ["Klara"]


async def test_pause_and_resume_mark_replan(uow_factory: UnitOfWorkFactory) -> None:
    _, client, _ = await _people(uow_factory)
    people = PeopleService(uow_factory, Settings())
    async with uow_factory() as uow:
        person = await uow.people.get(client)
        assert person is not None
        person.auto_paused_at = NOW
        person.paused = True
        person.ignored_streak = 2
        await uow.commit()
    later = NOW + timedelta(hours=1)
    resumed = await people.resume(client, later)
    assert (resumed.paused, resumed.auto_paused_at) == (False, None)
    assert await _replan_at(uow_factory, client) == later
    again = NOW + timedelta(hours=2)
    paused = await people.pause(client, date(2026, 12, 7), again)
    assert (paused.paused, paused.pause_until) == (True, date(2026, 12, 7))
    assert await _replan_at(uow_factory, client) == again
    async with uow_factory() as uow:
        person = await uow.people.get(client)
        assert person is not None and person.ignored_streak == 0
