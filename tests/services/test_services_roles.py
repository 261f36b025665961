"""RoleService: admins follow the setting; removing a coach ends relations and voids links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.services.invites import InviteService, hash_token
from bot.services.relations import JoinOutcome, RelationService
from bot.services.roles import RemoveOutcome, RoleService
from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


async def _person(uow_factory: UnitOfWorkFactory, telegram_id: int, role: str) -> int:
    async with uow_factory() as uow:
        person = Person(
            telegram_id=telegram_id, role=role, display_name=f"P{telegram_id}", consent_at=NOW
        )
        await uow.people.add(person)
        await uow.commit()
        return person.id


async def _role(uow_factory: UnitOfWorkFactory, person_id: int) -> str:
    async with uow_factory() as uow:
        person = await uow.people.get(person_id)
        assert person is not None
        return person.role


async def test_sync_admins_follows_the_setting(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    coaching_admin = await _person(uow_factory, 1, "admin")
    plain_admin = await _person(uow_factory, 2, "admin")
    kept_admin = await _person(uow_factory, 3, "admin")
    listed_coach = await _person(uow_factory, 4, "coach")
    client = await _person(uow_factory, 5, "client")
    async with uow_factory() as uow:
        await uow.relations.link(coaching_admin, client, NOW)
        await uow.commit()
    invites = InviteService(uow_factory, Settings(data_dir=tmp_path))
    coach_link = await invites.create("coach", coaching_admin, NOW)
    client_link = await invites.create("client", coaching_admin, NOW)

    settings = Settings(data_dir=tmp_path, admin_ids="3,4")
    synced = await RoleService(uow_factory, settings).sync_admins(NOW + timedelta(hours=1))
    assert set(synced.demoted) == {1, 2} and synced.promoted == (4,)
    # Whoever still has clients stays their coach; the others keep nothing of a coach.
    assert await _role(uow_factory, coaching_admin) == "coach"
    assert await _role(uow_factory, plain_admin) == "client"
    assert await _role(uow_factory, kept_admin) == "admin"
    assert await _role(uow_factory, listed_coach) == "admin"
    async with uow_factory() as uow:
        coach_invite = await uow.invites.by_token_hash(hash_token(coach_link))
        client_invite = await uow.invites.by_token_hash(hash_token(client_link))
        assert coach_invite is not None and coach_invite.expires_at <= NOW + timedelta(hours=1)
        assert client_invite is not None and client_invite.expires_at > NOW + timedelta(days=1)
    again = await RoleService(uow_factory, settings).sync_admins(NOW + timedelta(hours=2))
    assert again.demoted == () and again.promoted == ()


async def test_join_uses_the_link_once_and_not_for_a_removed_coach(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    coach = await _person(uow_factory, 10, "coach")
    client = await _person(uow_factory, 11, "client")
    other = await _person(uow_factory, 12, "client")
    invites = InviteService(uow_factory, settings)
    relations = RelationService(uow_factory, settings)
    token = await invites.create("client", coach, NOW)
    assert (await relations.join(coach, token, NOW)).outcome is JoinOutcome.OWN
    joined = await relations.join(client, token, NOW)
    assert joined.outcome is JoinOutcome.JOINED and joined.coach is not None
    assert (await relations.join(client, token, NOW)).outcome is JoinOutcome.ALREADY
    assert (await relations.join(other, token, NOW)).outcome is JoinOutcome.USED
    assert (await relations.join(other, "x" * 32, NOW)).outcome is JoinOutcome.UNKNOWN

    unused = await invites.create("client", coach, NOW)
    removed = await RoleService(uow_factory, settings).remove_coach(10, NOW)
    assert removed.outcome is RemoveOutcome.REMOVED
    assert [c.id for c in removed.clients] == [client]
    assert (await relations.join(other, unused, NOW)).outcome is JoinOutcome.EXPIRED
    assert await relations.coaches_of(client) == []
