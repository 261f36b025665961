"""Authorization matrix: who sees what of a client, by role and relation state (both databases).

Roles: the client, their own coach (active), another coach (never related), a former coach
(relation ended), an admin (no relation) and a stranger (no such person). Resources: answers in
`coach_view` (the relation-bounded read of shared answers; /summary itself goes through
`SummaryService`, whose matrix is tests/summary/test_summary_authorization.py), commitments
(they reach a coach only inside shared answers), setting a meeting (/meeting), the /clients
listing and the meetings it shows, and /preview.
The own coach's relation starts between two reflections: only the later one is theirs to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.inputs import Choose, Confirm, Text, TogglePrivate
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.i18n import Translator
from bot.services.dialogue_runs import DialogueService
from bot.services.history import HistoryService
from bot.services.meetings import MeetingService
from bot.services.people import PeopleService
from bot.services.privacy import PrivacyService
from bot.services.relations import Access, RelationService
from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)  # former coach starts; first reflection follows
T1 = T0 + timedelta(days=10)  # own coach starts
T2 = T0 + timedelta(days=20)  # second reflection
T3 = T0 + timedelta(days=25)  # former coach's relation ends
NOW = T0 + timedelta(days=30)
ADMIN_TELEGRAM_ID = 900
STRANGER_ID = 987_654_321  # no person has this id

ROLES = ("client", "own_coach", "other_coach", "former_coach", "admin", "stranger")


@dataclass(frozen=True)
class World:
    """Person ids by role, and the services under test."""

    ids: dict[str, int]
    privacy: PrivacyService
    people: PeopleService
    meetings: MeetingService


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


async def _add(uow_factory: UnitOfWorkFactory, role: str, name: str, telegram_id: int) -> int:
    async with uow_factory() as uow:
        person = Person(
            telegram_id=telegram_id,
            role=role,
            display_name=name,
            locale="en",
            consent_at=T0 - timedelta(days=1),
            created_at=T0 - timedelta(days=1),
        )
        await uow.people.add(person)
        await uow.commit()
        return person.id


async def _next_step(
    service: DialogueService, person_id: int, action: str, secret: str, t: Translator, at: datetime
) -> None:
    """A finished nasta_steg: a shared commitment `action`, and `secret` marked only for me."""
    run = (await service.start(person_id, "nasta_steg", t, at)).run_id
    inputs: list[object] = [
        Text(action),
        Text("+14"),
        Text("It is in the calendar"),
        TogglePrivate(),
        Text(secret),
        Choose("5"),
        Text("Ask for help"),
        Confirm(),
    ]
    for inp in inputs:
        result = await service.handle(person_id, run, inp, t, at)  # type: ignore[arg-type]
        assert result.screen.error is None, result.screen.error


@pytest.fixture
async def world(
    uow_factory: UnitOfWorkFactory,
    catalog: DialogueCatalog,
    tmp_path: Path,
    translator_en: Translator,
) -> World:
    settings = Settings(data_dir=tmp_path, admin_ids=str(ADMIN_TELEGRAM_ID))
    ids = {
        "client": await _add(uow_factory, "client", "Klara", 100),
        "own_coach": await _add(uow_factory, "coach", "Olle", 200),
        "other_coach": await _add(uow_factory, "coach", "Otto", 300),
        "former_coach": await _add(uow_factory, "coach", "Frida", 400),
        "admin": await _add(uow_factory, "admin", "Ada", ADMIN_TELEGRAM_ID),
        "stranger": STRANGER_ID,
    }
    client = ids["client"]
    dialogues = DialogueService(uow_factory, catalog, settings)
    people = PeopleService(uow_factory, settings)
    async with uow_factory() as uow:
        await uow.relations.link(ids["former_coach"], client, T0)
        await uow.commit()
    await _next_step(
        dialogues, client, "Early commitment", "Early secret", translator_en, T0 + timedelta(days=1)
    )
    async with uow_factory() as uow:
        await uow.relations.link(ids["own_coach"], client, T1)
        await uow.commit()
    await _next_step(dialogues, client, "Later commitment", "Later secret", translator_en, T2)
    meetings = MeetingService(uow_factory)
    assert (
        await meetings.schedule(ids["former_coach"], client, NOW + timedelta(days=2), T2)
    ).changed
    assert (await meetings.schedule(ids["own_coach"], client, NOW + timedelta(days=5), T2)).changed
    async with uow_factory() as uow:
        assert await uow.relations.end(ids["former_coach"], client, T3) is not None
        await uow.commit()
    privacy = PrivacyService(uow_factory, catalog, HistoryService(uow_factory, catalog))
    return World(ids, privacy, people, meetings)


def _texts(view_runs: tuple[object, ...]) -> str:
    return " | ".join(
        answer.value_text
        for run in view_runs
        for answer in run.answers  # type: ignore[attr-defined]
    )


EXPECTED_ACCESS = {
    "client": Access.NONE,  # a client is not their own coach; /preview is their view
    "own_coach": Access.ACTIVE,
    "other_coach": Access.NONE,
    "former_coach": Access.ENDED,
    "admin": Access.NONE,  # being an admin gives no view of anyone's answers
    "stranger": Access.NONE,
}


@pytest.mark.parametrize("role", ROLES)
async def test_answers_and_commitments_in_coach_view(
    world: World, role: str, translator_en: Translator
) -> None:
    view = await world.privacy.coach_view(world.ids[role], world.ids["client"], translator_en)
    assert view.access is EXPECTED_ACCESS[role]
    seen = _texts(view.runs)
    if role == "own_coach":
        assert "Later commitment" in seen
        assert "Early commitment" not in seen  # before their relation began
        assert "secret" not in seen  # only for me
    else:
        assert view.runs == ()


@pytest.mark.parametrize("role", ROLES)
async def test_setting_a_meeting(world: World, role: str) -> None:
    change = await world.meetings.schedule(
        world.ids[role], world.ids["client"], NOW + timedelta(days=9), NOW
    )
    # The client has a meeting from their coach, so they may not record one of their own.
    assert change.changed is (role == "own_coach")
    listed = await world.meetings.upcoming_for_coach(world.ids[role], NOW)
    if role == "own_coach":
        assert {m.starts_at for m in listed} == {NOW + timedelta(days=5), NOW + timedelta(days=9)}
    else:
        assert listed == []


@pytest.mark.parametrize("role", ROLES)
async def test_clients_listing_and_its_meetings(world: World, role: str) -> None:
    listed = await world.people.clients_of(world.ids[role], NOW)
    if role != "own_coach":
        assert world.ids["client"] not in [c.id for c in listed]
        return
    (client,) = listed
    assert client.id == world.ids["client"]
    # The former coach's meeting is earlier, but it is not this coach's to see.
    assert client.next_meeting == NOW + timedelta(days=5)


async def test_preview_shows_the_client_what_each_current_coach_sees(
    world: World, translator_en: Translator
) -> None:
    previews = await world.privacy.previews(world.ids["client"], translator_en)
    assert [p.coach_name for p in previews] == ["Olle"]
    seen = _texts(previews[0].runs)
    assert "Later commitment" in seen and "Early" not in seen and "secret" not in seen


async def test_a_reinvited_former_coach_sees_only_what_follows_the_new_start(
    world: World, uow_factory: UnitOfWorkFactory, translator_en: Translator
) -> None:
    former, client = world.ids["former_coach"], world.ids["client"]
    async with uow_factory() as uow:
        relation = await uow.relations.link(former, client, NOW)
        await uow.commit()
    assert relation.created_at == NOW and relation.ended_at is None
    view = await world.privacy.coach_view(former, client, translator_en)
    # Both reflections came before the new start, the first even during the old relation.
    assert view.access is Access.ACTIVE and view.runs == ()
    assert [c.id for c in await world.people.clients_of(former, NOW)] == [client]


async def test_ending_a_relation_cancels_that_coachs_coming_meetings(
    world: World, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    own, client = world.ids["own_coach"], world.ids["client"]
    relations = RelationService(uow_factory, Settings(data_dir=tmp_path))
    ended = await relations.end(own, client, NOW)
    assert ended is not None and ended.coach.id == own and ended.client.id == client
    assert await relations.end(own, client, NOW) is None  # only once
    async with uow_factory() as uow:
        assert await uow.meetings.next_for_client(client, NOW, coach_id=own) is None
        person = await uow.people.get(client)
        assert person is not None and person.replan_at == NOW
    assert await relations.access(own, client) == (Access.ENDED, None)
