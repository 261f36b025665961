"""People, coach-client relations, invites and meetings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from storage_helpers import PersonMaker, add_person

from bot.storage.models import Invite, Meeting, Person
from bot.storage.uow import UnitOfWorkFactory


async def test_person_round_trip_and_lookups(uow_factory: UnitOfWorkFactory, now: datetime) -> None:
    async with uow_factory() as uow:
        person = await add_person(
            uow,
            telegram_id=2_000_000_123,
            display_name="Åsa Öberg",
            locale="sv",
            timezone="Europe/Stockholm",
            checkin_time=time(9, 15),
            quiet_start=time(21, 0),
            quiet_end=time(7, 30),
            consent_at=now,
            onboarding={"step": "consent"},
        )
        await add_person(uow, console_name="anna", role="coach")
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.people.by_telegram_id(2_000_000_123)
        assert loaded is not None
        assert loaded.id == person.id
        assert loaded.display_name == "Åsa Öberg"
        assert loaded.checkin_time == time(9, 15)
        assert loaded.quiet_end == time(7, 30)
        assert loaded.consent_at == now
        assert loaded.onboarding == {"step": "consent"}
        assert loaded.paused is False
        assert loaded.active is True
        coach = await uow.people.by_console_name("anna")
        assert coach is not None and coach.role == "coach"
        assert await uow.people.by_console_name("nobody") is None
        assert await uow.people.by_telegram_id(1) is None
        assert await uow.people.get(person.id) is not None
        assert await uow.people.get(999_999) is None


async def test_list_by_role_in_creation_order(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory
) -> None:
    first = await make_person(role="coach", console_name="c1")
    await make_person(role="client", console_name="m1")
    second = await make_person(role="coach", console_name="c2", active=False)
    async with uow_factory() as uow:
        coaches = await uow.people.list_by_role("coach")
        active = await uow.people.list_by_role("coach", active_only=True)
        everyone = await uow.people.list_all()
    assert [p.id for p in coaches] == [first.id, second.id]
    assert [p.id for p in active] == [first.id]
    assert len(everyone) == 3


async def test_telegram_id_is_unique(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await add_person(uow, telegram_id=42)
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await add_person(uow, telegram_id=42)


async def test_role_is_checked(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await add_person(uow, role="boss")


async def test_uncommitted_work_is_rolled_back(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await add_person(uow, console_name="ghost")
    async with uow_factory() as uow:
        assert await uow.people.by_console_name("ghost") is None


async def test_unit_of_work_is_not_reentrant(uow_factory: UnitOfWorkFactory) -> None:
    uow = uow_factory()
    async with uow:
        with pytest.raises(RuntimeError):
            await uow.__aenter__()
    with pytest.raises(RuntimeError):
        _ = uow.session


async def test_relations_link_once_and_list_both_ways(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    coach = await make_person(role="coach")
    client_a = await make_person()
    client_b = await make_person()
    async with uow_factory() as uow:
        link = await uow.relations.link(coach.id, client_a.id, now)
        again = await uow.relations.link(coach.id, client_a.id, now)
        await uow.relations.link(coach.id, client_b.id, now)
        await uow.commit()
    assert again.id == link.id
    async with uow_factory() as uow:
        assert [p.id for p in await uow.relations.clients_of(coach.id)] == [
            client_a.id,
            client_b.id,
        ]
        assert [p.id for p in await uow.relations.coaches_of(client_b.id)] == [coach.id]
        assert await uow.relations.unlink(coach.id, client_a.id) is True
        assert await uow.relations.unlink(coach.id, client_a.id) is False
        await uow.commit()
    async with uow_factory() as uow:
        assert [p.id for p in await uow.relations.clients_of(coach.id)] == [client_b.id]


async def test_invite_can_be_used_once_and_not_after_expiry(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    admin = await make_person(role="admin")
    newcomer = await make_person()
    other = await make_person()
    async with uow_factory() as uow:
        await uow.invites.add(
            Invite(
                token_hash="h-valid",
                kind="client",
                created_by_id=admin.id,
                expires_at=now + timedelta(hours=1),
            )
        )
        await uow.invites.add(
            Invite(
                token_hash="h-old",
                kind="coach",
                created_by_id=admin.id,
                expires_at=now - timedelta(seconds=1),
            )
        )
        await uow.commit()
    async with uow_factory() as uow:
        used = await uow.invites.use("h-valid", newcomer.id, now)
        assert used is not None
        assert used.used_by_id == newcomer.id
        assert used.used_at == now
        assert await uow.invites.use("h-valid", other.id, now) is None
        assert await uow.invites.use("h-old", other.id, now) is None
        assert await uow.invites.use("h-missing", other.id, now) is None
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.invites.by_token_hash("h-valid")
        assert stored is not None and stored.used_by_id == newcomer.id
        assert [i.token_hash for i in await uow.invites.list_by_creator(admin.id)] == [
            "h-old",
            "h-valid",
        ]


async def test_next_meeting_is_the_first_not_yet_started(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    coach = await make_person(role="coach")
    client = await make_person()
    async with uow_factory() as uow:
        for days in (-3, 10, 2):
            await uow.meetings.add(
                Meeting(
                    client_id=client.id,
                    coach_id=coach.id,
                    starts_at=now + timedelta(days=days),
                    kind="coaching",
                )
            )
        await uow.commit()
    async with uow_factory() as uow:
        upcoming = await uow.meetings.next_for_client(client.id, now)
        assert upcoming is not None
        assert upcoming.starts_at == now + timedelta(days=2)
        assert await uow.meetings.next_for_client(client.id, now + timedelta(days=11)) is None
        listed = await uow.meetings.list_for_client(client.id)
        assert [m.starts_at - now for m in listed] == [timedelta(days=d) for d in (-3, 2, 10)]
        assert len(await uow.meetings.list_for_coach(coach.id, now)) == 2
        assert await uow.meetings.delete(upcoming.id) is True
        await uow.commit()
    async with uow_factory() as uow:
        later = await uow.meetings.next_for_client(client.id, now)
        assert later is not None and later.starts_at == now + timedelta(days=10)


async def test_person_delete_reports_whether_someone_was_deleted(
    make_person: PersonMaker, uow_factory: UnitOfWorkFactory
) -> None:
    person = await make_person()
    async with uow_factory() as uow:
        assert await uow.people.delete(person.id) is True
        assert await uow.people.delete(person.id) is False
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.people.get(person.id) is None
        assert isinstance(await uow.people.list_all(), list | tuple)


def test_person_repr_has_no_personal_data() -> None:
    assert "Anna" not in repr(Person(id=1, role="client", display_name="Anna"))
