"""Meetings: set, move and cancel them, and know the next one and the last one held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.storage.models import Meeting, Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

# A coach's list of upcoming meetings reaches this far ahead (a term is about four months).
UPCOMING_WINDOW = timedelta(days=180)


class Outcome(StrEnum):
    """What a change of a meeting came to."""

    SAVED = "saved"
    MOVED = "moved"
    CANCELLED = "cancelled"
    NOT_ALLOWED = "not_allowed"  # not the coach of this client, nor the client themselves
    NOT_FOUND = "not_found"  # no such meeting, or it was already cancelled
    PASSED = "passed"  # the new time is not in the future
    COACH_SET = "coach_set"  # a client tried to record a meeting their coach already set


@dataclass(frozen=True)
class Party:
    """Someone to tell about a meeting, in their own language and time zone."""

    id: int
    telegram_id: int | None
    locale: str | None
    timezone: str | None
    display_name: str


@dataclass(frozen=True)
class MeetingInfo:
    """A read-only snapshot of a meeting, with the client's name."""

    id: int
    client_id: int
    client_name: str
    coach_id: int | None
    starts_at: datetime
    duration_minutes: int
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None

    @property
    def ends_at(self) -> datetime:
        """When the meeting ends."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class MeetingChange:
    """The result of a change: the meeting as it now is, the old start, and whom to tell."""

    outcome: Outcome
    meeting: MeetingInfo | None = None
    previous_start: datetime | None = None
    tell: tuple[Party, ...] = ()

    @property
    def changed(self) -> bool:
        """True if something was stored."""
        return self.outcome in (Outcome.SAVED, Outcome.MOVED, Outcome.CANCELLED)


def _name(person: Person) -> str:
    return person.display_name or f"#{person.id}"


def _info(meeting: Meeting, client: Person) -> MeetingInfo:
    return MeetingInfo(
        id=meeting.id,
        client_id=meeting.client_id,
        client_name=_name(client),
        coach_id=meeting.coach_id,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        created_by_id=meeting.created_by_id,
        created_at=meeting.created_at,
        updated_at=meeting.updated_at,
        cancelled_at=meeting.cancelled_at,
    )


def _party(person: Person) -> Party:
    return Party(person.id, person.telegram_id, person.locale, person.timezone, _name(person))


class MeetingService:
    """Sets, moves and cancels meetings; every change asks the scheduler to re-plan the client."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def schedule(
        self, actor_id: int, client_id: int, starts_at: datetime, now: datetime
    ) -> MeetingChange:
        """A coach adds a client's meeting; a client records their own next one.

        A client may only record a meeting when their coach has not set an upcoming one; if
        they recorded one themselves, the new time moves it instead of adding a second.
        """
        if starts_at <= now:
            return MeetingChange(Outcome.PASSED)
        async with self._uow_factory() as uow:
            client = await uow.people.get(client_id)
            if client is None:
                return MeetingChange(Outcome.NOT_ALLOWED)
            if actor_id == client_id:
                # A Backstage group's meetings are the facilitator's plan, not coaching.
                upcoming = await uow.meetings.next_for_client(client_id, now, kind="coaching")
                if upcoming is not None and upcoming.created_by_id != client_id:
                    return MeetingChange(Outcome.COACH_SET, _info(upcoming, client))
                if upcoming is not None:
                    return await self._move(uow, upcoming, client, actor_id, starts_at, now)
                coaches = await uow.relations.coaches_of(client_id)
                coach_id = coaches[0].id if coaches else None
            elif await uow.relations.active(actor_id, client_id) is None:
                return MeetingChange(Outcome.NOT_ALLOWED)
            else:
                coach_id = actor_id
            meeting = await uow.meetings.add(
                Meeting(
                    client_id=client_id,
                    coach_id=coach_id,
                    starts_at=starts_at,
                    kind="coaching",
                    created_by_id=actor_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            tell = await self._others(uow, client, actor_id)
            await uow.people.mark_replan(client_id, now)
            await uow.commit()
            return MeetingChange(Outcome.SAVED, _info(meeting, client), tell=tell)

    async def move(
        self, actor_id: int, meeting_id: int, starts_at: datetime, now: datetime
    ) -> MeetingChange:
        """Gives an upcoming meeting a new time."""
        if starts_at <= now:
            return MeetingChange(Outcome.PASSED)
        async with self._uow_factory() as uow:
            found = await self._editable(uow, actor_id, meeting_id)
            if isinstance(found, MeetingChange):
                return found
            meeting, client = found
            return await self._move(uow, meeting, client, actor_id, starts_at, now)

    async def cancel(self, actor_id: int, meeting_id: int, now: datetime) -> MeetingChange:
        """Cancels a meeting: it stays for the record but anchors nothing."""
        async with self._uow_factory() as uow:
            found = await self._editable(uow, actor_id, meeting_id)
            if isinstance(found, MeetingChange):
                return found
            meeting, client = found
            meeting.cancelled_at = now
            meeting.updated_at = now
            tell = await self._others(uow, client, actor_id)
            await uow.people.mark_replan(client.id, now)
            await uow.commit()
            return MeetingChange(Outcome.CANCELLED, _info(meeting, client), tell=tell)

    async def get(self, actor_id: int, meeting_id: int) -> MeetingInfo | None:
        """A meeting the actor may change (as the client's coach or as the client), or None."""
        async with self._uow_factory() as uow:
            found = await self._editable(uow, actor_id, meeting_id)
            if isinstance(found, MeetingChange):
                return None
            return _info(*found)

    async def upcoming_for_coach(self, coach_id: int, now: datetime) -> list[MeetingInfo]:
        """The coach's upcoming meetings with their current, consented clients, earliest first."""
        async with self._uow_factory() as uow:
            found: list[MeetingInfo] = []
            for client in await uow.relations.clients_of(coach_id):
                if client.consent_at is None:
                    continue
                for meeting in await uow.meetings.upcoming_for_client(client.id, now):
                    # Another coach's meetings with the same client are not this coach's.
                    if (
                        meeting.coach_id == coach_id
                        and meeting.kind == "coaching"
                        and meeting.starts_at <= now + UPCOMING_WINDOW
                    ):
                        found.append(_info(meeting, client))
            return sorted(found, key=lambda m: (m.starts_at, m.id))

    async def upcoming(self, client_id: int, now: datetime) -> list[MeetingInfo]:
        """The client's meetings after `now` that are not cancelled, earliest first."""
        async with self._uow_factory() as uow:
            client = await uow.people.get(client_id)
            if client is None:
                return []
            meetings = await uow.meetings.upcoming_for_client(client_id, now)
            return [_info(m, client) for m in meetings if m.kind == "coaching"]

    async def next(
        self, client_id: int, now: datetime, *, kind: str | None = None
    ) -> MeetingInfo | None:
        """The client's next meeting (of this kind, if given; not cancelled, starting after
        `now`), or None."""
        async with self._uow_factory() as uow:
            client = await uow.people.get(client_id)
            meeting = await uow.meetings.next_for_client(client_id, now, kind=kind)
            return _info(meeting, client) if meeting and client else None

    async def last_held(
        self, client_id: int, now: datetime, *, kind: str | None = None
    ) -> MeetingInfo | None:
        """The client's latest meeting (of this kind, if given) whose time has passed and that
        was not cancelled."""
        async with self._uow_factory() as uow:
            client = await uow.people.get(client_id)
            meeting = await uow.meetings.last_held_for_client(client_id, now, kind=kind)
            return _info(meeting, client) if meeting and client else None

    async def _editable(
        self, uow: UnitOfWork, actor_id: int, meeting_id: int
    ) -> tuple[Meeting, Person] | MeetingChange:
        """The meeting and its client if the actor may change it; else why not."""
        meeting = await uow.meetings.get(meeting_id)
        # A group meeting is changed for the whole group (/group_move), never one member's row.
        if meeting is None or meeting.cancelled_at is not None or meeting.kind != "coaching":
            return MeetingChange(Outcome.NOT_FOUND)
        client = await uow.people.get(meeting.client_id)
        if client is None:
            return MeetingChange(Outcome.NOT_FOUND)
        # A coach may change the meetings with them while they work with the client; the
        # client only those they recorded themselves (the coach's plan is the coach's to change).
        is_coach = (
            meeting.coach_id == actor_id
            and await uow.relations.active(actor_id, client.id) is not None
        )
        if not is_coach and not (actor_id == client.id and meeting.created_by_id == client.id):
            return MeetingChange(Outcome.NOT_ALLOWED)
        return meeting, client

    async def _move(
        self,
        uow: UnitOfWork,
        meeting: Meeting,
        client: Person,
        actor_id: int,
        starts_at: datetime,
        now: datetime,
    ) -> MeetingChange:
        previous = meeting.starts_at
        meeting.starts_at = starts_at
        meeting.updated_at = now
        tell = await self._others(uow, client, actor_id)
        await uow.people.mark_replan(client.id, now)
        await uow.commit()
        return MeetingChange(Outcome.MOVED, _info(meeting, client), previous, tell)

    @staticmethod
    async def _others(uow: UnitOfWork, client: Person, actor_id: int) -> tuple[Party, ...]:
        """Who to tell: the client when someone else changed it, else the client's coaches."""
        if actor_id != client.id:
            people: list[Person] = [client]
        else:
            people = list(await uow.relations.coaches_of(client.id))
        return tuple(
            _party(p)
            for p in people
            if p.telegram_id is not None and p.active and p.consent_at is not None
        )
