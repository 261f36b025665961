"""Roles an operator controls: admins follow HEMMAPLAN_ADMIN_IDS, coaches can be removed.

The setting is the source of truth for admins: `PersonInfo.is_admin` is read from it on every
update, and `sync_admins` (run at start-up) brings the stored role in line, so an id removed
from the setting loses admin rights at the next start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.config import Settings
from bot.services.people import PersonInfo, person_info
from bot.services.relations import end_relation
from bot.storage.models import Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class AdminSync:
    """Telegram ids whose stored role changed at start-up."""

    demoted: tuple[int, ...]
    promoted: tuple[int, ...]


class RemoveOutcome(StrEnum):
    """What removing a coach did."""

    REMOVED = "removed"
    FORGOTTEN = "forgotten"  # a coach added by id who never finished /start: nothing kept
    NOT_FOUND = "not_found"
    NOT_A_COACH = "not_a_coach"
    IS_ADMIN = "is_admin"  # listed in HEMMAPLAN_ADMIN_IDS: remove it there first


@dataclass(frozen=True)
class RemoveResult:
    """The outcome, the former coach and the clients whose relation ended."""

    outcome: RemoveOutcome
    coach: PersonInfo | None = None
    clients: tuple[PersonInfo, ...] = ()


@dataclass(frozen=True)
class PersonRow:
    """One line of `hemmaplan admin list`."""

    person: PersonInfo
    clients: int
    coaches: int


class RoleService:
    """Keeps admins in line with the settings and removes coaches."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._admin_ids = settings.admin_telegram_ids

    def _info(self, person: Person) -> PersonInfo:
        return person_info(person, self._admin_ids)

    async def sync_admins(self, now: datetime) -> AdminSync:
        """Demote stored admins no longer listed; promote listed people who have registered."""
        demoted: list[int] = []
        promoted: list[int] = []
        async with self._uow_factory() as uow:
            for person in await uow.people.list_by_role("admin"):
                if person.telegram_id in self._admin_ids:
                    continue
                # Admins coach too: whoever still has clients stays their coach.
                has_clients = bool(await uow.relations.clients_of(person.id))
                person.role = "coach" if has_clients else "client"
                # Links they handed out as admin must not make coaches any more.
                await uow.invites.expire_unused(person.id, now, kinds=_invite_kinds(person.role))
                demoted.append(person.telegram_id or person.id)
            for telegram_id in sorted(self._admin_ids):
                listed = await uow.people.by_telegram_id(telegram_id)
                if listed is not None and listed.consent_at is not None and listed.role != "admin":
                    listed.role = "admin"
                    promoted.append(telegram_id)
            await uow.commit()
        return AdminSync(tuple(demoted), tuple(promoted))

    async def coaches(self) -> list[PersonInfo]:
        """Registered coaches (not admins), oldest first."""
        async with self._uow_factory() as uow:
            return [
                self._info(p)
                for p in await uow.people.list_by_role("coach")
                if p.telegram_id not in self._admin_ids
            ]

    async def remove_coach(self, telegram_id: int, now: datetime) -> RemoveResult:
        """Take away a coach's role, end all their relations and void their unused links."""
        async with self._uow_factory() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
            if person is None:
                return RemoveResult(RemoveOutcome.NOT_FOUND)
            return await self._remove(uow, person, now)

    async def remove_coach_by_id(self, person_id: int, now: datetime) -> RemoveResult:
        """`remove_coach` for a person id (from a button)."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                return RemoveResult(RemoveOutcome.NOT_FOUND)
            return await self._remove(uow, person, now)

    async def _remove(self, uow: UnitOfWork, person: Person, now: datetime) -> RemoveResult:
        if person.telegram_id in self._admin_ids:
            return RemoveResult(RemoveOutcome.IS_ADMIN, self._info(person))
        if person.role not in ("coach", "admin"):
            return RemoveResult(RemoveOutcome.NOT_A_COACH, self._info(person))
        if person.consent_at is None:
            # Pre-registered by id and never consented: only the id was stored; forget it.
            await uow.people.delete(person.id)
            await uow.commit()
            return RemoveResult(RemoveOutcome.FORGOTTEN)
        clients = list(await uow.relations.clients_of(person.id))
        for client in clients:
            await end_relation(uow, person.id, client.id, now)
        await uow.invites.expire_unused(person.id, now, kinds=("client", "coach"))
        person.role = "client"
        await uow.commit()
        return RemoveResult(
            RemoveOutcome.REMOVED,
            self._info(person),
            tuple(self._info(client) for client in clients),
        )

    async def people(self) -> list[PersonRow]:
        """Everyone with a Telegram id, with their role and number of current relations."""
        async with self._uow_factory() as uow:
            rows = []
            for person in await uow.people.list_all():
                if person.telegram_id is None:
                    continue
                rows.append(
                    PersonRow(
                        self._info(person),
                        clients=len(await uow.relations.clients_of(person.id)),
                        coaches=len(await uow.relations.coaches_of(person.id)),
                    )
                )
            return rows


def _invite_kinds(role: str) -> tuple[str, ...]:
    """The invitations a person may no longer hand out in this role."""
    return ("coach",) if role == "coach" else ("coach", "client")
