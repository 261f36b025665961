"""People and roles: who someone is, their settings and pauses, coach–client relations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.config import Settings
from bot.storage.models import Person
from bot.storage.repositories.steps import PersonRow
from bot.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class PersonInfo:
    """A read-only snapshot of a person, safe to pass around outside a unit of work."""

    id: int
    telegram_id: int | None
    role: str
    locale: str | None
    timezone: str | None
    checkin_time: time | None
    quiet_start: time | None
    quiet_end: time | None
    paused: bool
    active: bool
    consented: bool
    onboarding: dict[str, Any] | None
    display_name: str | None
    # Listed in HEMMAPLAN_ADMIN_IDS when the snapshot was taken: the setting, not the stored
    # role, decides, so removing an id from it revokes admin rights (see RoleService).
    admin: bool = False
    # Check-ins resume on this local date (None: until the person resumes them).
    pause_until: date | None = None
    # Set when the product paused check-ins itself after prompts went unanswered.
    auto_paused_at: datetime | None = None

    @property
    def is_coach(self) -> bool:
        """Coaches and admins may invite clients and read what their own clients share."""
        return self.role in ("coach", "admin") or self.admin

    @property
    def is_admin(self) -> bool:
        """Admins may invite and remove coaches."""
        return self.admin


@dataclass(frozen=True)
class ClientInfo:
    """One client of a coach as listed to the coach."""

    id: int
    display_name: str
    next_meeting: datetime | None
    paused: bool = False
    pause_until: date | None = None
    auto_paused_at: datetime | None = None


@dataclass(frozen=True)
class AddCoachResult:
    """What `add_coach` did: created a pending coach, promoted a person, or nothing."""

    person_id: int
    created: bool
    promoted: bool


def person_info(person: Person | PersonRow, admin_ids: frozenset[int]) -> PersonInfo:
    """Snapshot a person (as the ORM or a dialogue step read it); `admin_ids` are the Telegram
    ids the settings list as admins."""
    return PersonInfo(
        id=person.id,
        telegram_id=person.telegram_id,
        role=person.role,
        locale=person.locale,
        timezone=person.timezone,
        checkin_time=person.checkin_time,
        quiet_start=person.quiet_start,
        quiet_end=person.quiet_end,
        paused=person.paused,
        active=person.active,
        consented=person.consent_at is not None,
        onboarding=dict(person.onboarding) if person.onboarding else None,
        display_name=person.display_name,
        admin=person.telegram_id is not None and person.telegram_id in admin_ids,
        pause_until=person.pause_until,
        auto_paused_at=person.auto_paused_at,
    )


# Settings a person may change themselves from /settings.
SETTABLE = frozenset({"locale", "timezone", "checkin_time", "quiet_start", "quiet_end"})
# Settings the schedule depends on: changing one asks the scheduler to re-plan.
_PLANNED_BY = frozenset({"timezone", "checkin_time", "quiet_start", "quiet_end"})


class PeopleService:
    """Looks people up and changes their role, settings, pauses, activity and relations."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    async def find(self, telegram_id: int) -> PersonInfo | None:
        """Return the person with this Telegram id, or None."""
        async with self._uow_factory() as uow:
            # Every update asks this first: read without the ORM (see the steps repository).
            person = await uow.steps.person(telegram_id)
            return self._info(person) if person is not None else None

    def _info(self, person: Person | PersonRow) -> PersonInfo:
        return person_info(person, self._settings.admin_telegram_ids)

    async def set_active(self, telegram_id: int, active: bool) -> bool:
        """Mark someone as reachable or not (they blocked the bot); True if anything changed."""
        async with self._uow_factory() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
            if person is None or person.active == active:
                return False
            person.active = active
            await uow.commit()
            return True

    async def update_settings(self, person_id: int, now: datetime, **changes: Any) -> PersonInfo:
        """Change the person's own settings (language, time zone, check-in time, quiet hours)."""
        unknown = set(changes) - SETTABLE
        if unknown:
            raise ValueError(f"not a person setting: {', '.join(sorted(unknown))}")
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                raise LookupError(person_id)
            for name, value in changes.items():
                setattr(person, name, value)
            if not _PLANNED_BY.isdisjoint(changes):
                await uow.people.mark_replan(person_id, now)
            await uow.commit()
            return self._info(person)

    async def pause(self, person_id: int, until: date | None, now: datetime) -> PersonInfo:
        """Pause the person's check-ins until a local date (None: until they resume)."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                raise LookupError(person_id)
            person.paused = True
            person.pause_until = until
            # Their own pause replaces the product's: they chose it, so it is no longer "auto".
            person.auto_paused_at = None
            await uow.people.mark_replan(person_id, now)
            await uow.commit()
            return self._info(person)

    async def resume(self, person_id: int, now: datetime) -> PersonInfo:
        """Resume the person's check-ins (also after the product paused them itself)."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                raise LookupError(person_id)
            person.paused = False
            person.pause_until = None
            person.auto_paused_at = None
            # A fresh start: earlier unanswered prompts do not count towards the next pause.
            person.ignored_streak = 0
            await uow.people.mark_replan(person_id, now)
            await uow.commit()
            return self._info(person)

    async def add_coach(
        self, telegram_id: int, now: datetime, name: str | None = None
    ) -> AddCoachResult:
        """Make a Telegram user a coach: promote a known person or pre-register a pending one."""
        async with self._uow_factory() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
            if person is None:
                # Only the id is stored; the person still chooses language and consents on /start.
                person = Person(
                    telegram_id=telegram_id,
                    role="coach",
                    # The name the admin gave is used once they consent (see OnboardingService).
                    onboarding={"step": "language", "source": "admin", "name": name},
                    created_at=now,
                )
                await uow.people.add(person)
                await uow.commit()
                return AddCoachResult(person.id, created=True, promoted=False)
            if person.role in ("coach", "admin"):
                return AddCoachResult(person.id, created=False, promoted=False)
            person.role = "coach"
            if name and person.consent_at is not None:
                person.display_name = name
            await uow.commit()
            return AddCoachResult(person.id, created=False, promoted=True)

    async def clients_of(self, coach_id: int, now: datetime) -> list[ClientInfo]:
        """The coach's current consented clients with their next meeting with this coach."""
        async with self._uow_factory() as uow:
            clients: list[ClientInfo] = []
            for client in await uow.relations.clients_of(coach_id):
                if client.consent_at is None:
                    continue
                # Only this coach's meetings: another coach's appointments are not theirs to see.
                meeting = await uow.meetings.next_for_client(client.id, now, coach_id=coach_id)
                clients.append(
                    ClientInfo(
                        id=client.id,
                        display_name=client.display_name or f"#{client.id}",
                        next_meeting=meeting.starts_at if meeting is not None else None,
                        paused=client.paused,
                        pause_until=client.pause_until,
                        auto_paused_at=client.auto_paused_at,
                    )
                )
            return clients

    async def is_coach_of(self, coach_id: int, client_id: int) -> bool:
        """True when the coach works with this client."""
        async with self._uow_factory() as uow:
            return await uow.relations.active(coach_id, client_id) is not None
