"""Authorization matrix for the summary (both databases): every role × every resource, through
the service entry points a transport uses, against a table written out here (not derived from
the rules it checks). Roles: the client, their own coach, another coach, an admin, a stranger,
and a former coach after the relation ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from summary_seed import NOW, Engagement, at, seed_engagement

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.services.commitments import CommitmentService
from bot.services.history import HistoryService
from bot.services.summaries import (
    RULES,
    Channel,
    NotAllowed,
    Resource,
    Role,
    SummaryService,
    may,
)
from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory

EN = get_translator("en", "Europe/Stockholm")
ADMIN_TELEGRAM_ID = 900

# role -> the resources it may see; everything else is refused.
EXPECTED: dict[str, set[Resource]] = {
    "client": {Resource.PREVIEW, Resource.ANSWERS, Resource.COMMITMENTS, Resource.AUDIT_LOG},
    "own_coach": {Resource.SUMMARY, Resource.PDF},
    "other_coach": set(),
    "admin": set(),
    "stranger": set(),
    "former_coach": set(),
}


async def _world(uow_factory: UnitOfWorkFactory) -> tuple[Engagement, dict[str, int | None]]:
    seeded = await seed_engagement(uow_factory, "en")
    async with uow_factory() as uow:
        admin = await uow.people.add(
            Person(telegram_id=ADMIN_TELEGRAM_ID, role="admin", display_name="Ada",
                   consent_at=at(8, 1), created_at=at(8, 1))
        )  # fmt: skip
        former = await uow.people.add(
            Person(telegram_id=5009, role="coach", display_name="Frida",
                   consent_at=at(8, 1), created_at=at(8, 1))
        )  # fmt: skip
        await uow.relations.link(former.id, seeded.client_id, at(8, 15))
        await uow.relations.end(former.id, seeded.client_id, at(10, 1))
        await uow.commit()
        ids: dict[str, int | None] = {
            "client": seeded.client_id,
            "own_coach": seeded.coach_id,
            "other_coach": seeded.other_coach_id,
            "admin": admin.id,
            "stranger": None,
            "former_coach": former.id,
        }
    return seeded, ids


async def _can_see(
    resource: Resource,
    viewer: int | None,
    seeded: Engagement,
    summaries: SummaryService,
    history: HistoryService,
    commitments: CommitmentService,
    uow_factory: UnitOfWorkFactory,
) -> bool:
    """Ask the entry point a transport uses; True if it showed the resource."""
    client = seeded.client_id
    who = viewer if viewer is not None else 987_654
    try:
        if resource is Resource.SUMMARY:
            await summaries.coach_summary(who, client, EN, NOW, Channel.TELEGRAM)
        elif resource is Resource.PDF:
            await summaries.coach_summary(who, client, EN, NOW, Channel.PDF)
        elif resource is Resource.PREVIEW:
            await summaries.previews(who, client, NOW)
        elif resource is Resource.AUDIT_LOG:
            await summaries.audit_log(who, client)
        elif resource is Resource.ANSWERS:
            async with uow_factory() as uow:
                runs = await uow.runs.list_for(client, statuses=("finished",))
            return all([await history.read_run(who, run.id, EN) is not None for run in runs])
        elif resource is Resource.COMMITMENTS:
            async with uow_factory() as uow:
                listed = await uow.commitments.list_for(client)
            return all([await commitments.get(who, c.id) is not None for c in listed])
    except NotAllowed:
        return False
    return True


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_each_role_sees_exactly_its_resources(
    uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, settings: Settings, role: str
) -> None:
    seeded, ids = await _world(uow_factory)
    summaries = SummaryService(uow_factory, catalog, settings)
    history = HistoryService(uow_factory, catalog)
    commitments = CommitmentService(uow_factory)
    await summaries.set_auto_share(seeded.client_id, True, NOW - timedelta(days=1))
    assert (await summaries.role_of(ids[role], seeded.client_id)).value == role
    seen = {
        resource
        for resource in Resource
        if await _can_see(resource, ids[role], seeded, summaries, history, commitments, uow_factory)
    }
    assert seen == EXPECTED[role]
    assert {r for r in Resource if may(Role(role), r)} == EXPECTED[role]


def test_the_rules_name_every_resource() -> None:
    assert set(RULES) == set(Resource)
