"""The one place that wires a process: settings, database, dialogues, clock and every service.

`hemmaplan run`, the console commands and the tests all build their services here, so a
service exists once per process and every caller shares the same clock (tests inject theirs).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config import Settings
from bot.dialogue.load_cache import dialogue_cache_dir
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.services.commitments import CommitmentService
from bot.services.delivery import DeliveryService
from bot.services.dialogue_runs import DialogueService
from bot.services.group_view import GroupViewService
from bot.services.groups import GroupService
from bot.services.history import HistoryService
from bot.services.invites import InviteService
from bot.services.meetings import MeetingService
from bot.services.onboarding import OnboardingService
from bot.services.people import PeopleService
from bot.services.privacy import PrivacyService
from bot.services.relations import RelationService
from bot.services.roles import RoleService
from bot.services.schedule import ScheduleService
from bot.services.summaries import SummaryService
from bot.storage.crypto import Keyring
from bot.storage.db import Database, upgrade_database
from bot.storage.key_check import verify_key
from bot.storage.uow import UnitOfWorkFactory, make_uow_factory

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock (tests inject their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Runtime:
    """Everything a transport or the scheduler needs, built once per process."""

    settings: Settings
    database: Database
    catalog: DialogueCatalog
    uow_factory: UnitOfWorkFactory
    dialogues: DialogueService
    history: HistoryService
    people: PeopleService
    invites: InviteService
    onboarding: OnboardingService
    privacy: PrivacyService
    relations: RelationService
    roles: RoleService
    meetings: MeetingService
    schedule: ScheduleService
    delivery: DeliveryService
    commitments: CommitmentService
    summaries: SummaryService
    groups: GroupService
    group_view: GroupViewService
    clock: Clock = utc_now

    def now(self) -> datetime:
        """The current time (UTC, aware) from the process's clock."""
        return self.clock()


def build_runtime(
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    *,
    clock: Clock | None = None,
) -> Runtime:
    """Build every service on an open database (tests call this with their own database)."""
    uow_factory = make_uow_factory(database)
    history = HistoryService(uow_factory, catalog)
    groups = GroupService(uow_factory, settings, catalog)
    return Runtime(
        settings=settings,
        database=database,
        catalog=catalog,
        uow_factory=uow_factory,
        dialogues=DialogueService(uow_factory, catalog, settings),
        history=history,
        people=PeopleService(uow_factory, settings),
        invites=InviteService(uow_factory, settings),
        onboarding=OnboardingService(uow_factory, settings),
        privacy=PrivacyService(uow_factory, catalog, history),
        relations=RelationService(uow_factory, settings),
        roles=RoleService(uow_factory, settings),
        meetings=MeetingService(uow_factory),
        schedule=ScheduleService(uow_factory, settings),
        delivery=DeliveryService(uow_factory, settings),
        commitments=CommitmentService(uow_factory),
        summaries=SummaryService(uow_factory, catalog, settings),
        groups=groups,
        group_view=GroupViewService(uow_factory, groups),
        clock=clock or utc_now,
    )


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, migrate: bool | None = None, clock: Clock | None = None
) -> AsyncIterator[Runtime]:
    """Loads dialogues (refusing invalid files), opens the database and builds the services."""
    catalog = load_dialogues(settings.dialogues_dir, cache_dir=dialogue_cache_dir())
    keyring = Keyring.from_settings(settings)
    url = settings.effective_database_url
    # The embedded default migrates itself so that a first `hemmaplan chat` just works;
    # a production database is upgraded deliberately with `hemmaplan db upgrade`.
    if migrate if migrate is not None else settings.uses_embedded_database:
        await upgrade_database(url, keyring)
    database = Database(url, keyring)
    try:
        # Refuse a key that cannot read what is stored before anything is written with it.
        await verify_key(database)
        yield build_runtime(settings, database, catalog, clock=clock)
    finally:
        await database.dispose()
