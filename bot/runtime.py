"""The one place that wires a process: settings, database, dialogues, clock and every service.

`hemmaplan run`, the console commands and the tests all build their services here, so a
service exists once per process and every caller shares the same clock (tests inject theirs).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.dialogue.load_cache import dialogue_cache_dir
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.storage.crypto import Keyring
from bot.storage.db import Database, upgrade_database
from bot.storage.key_check import verify_key
from bot.storage.uow import UnitOfWorkFactory, make_uow_factory

if TYPE_CHECKING:
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

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock (tests inject their own)."""
    return datetime.now(UTC)


class Runtime:
    """Everything a transport or the scheduler needs, built once per process.

    Each service is built (and its module imported) on first use, then shared: a console
    command pays only for the services it uses (`hemmaplan chat` never imports the groups' or
    the summaries' modules on its way to the first question)."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        catalog: DialogueCatalog,
        uow_factory: UnitOfWorkFactory,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.database = database
        self.catalog = catalog
        self.uow_factory = uow_factory
        self.clock = clock

    def now(self) -> datetime:
        """The current time (UTC, aware) from the process's clock."""
        return self.clock()

    @cached_property
    def dialogues(self) -> DialogueService:
        """Runs dialogues."""
        from bot.services.dialogue_runs import DialogueService

        return DialogueService(self.uow_factory, self.catalog, self.settings)

    @cached_property
    def history(self) -> HistoryService:
        """Past runs, answers and trends."""
        from bot.services.history import HistoryService

        return HistoryService(self.uow_factory, self.catalog)

    @cached_property
    def people(self) -> PeopleService:
        """People and their preferences."""
        from bot.services.people import PeopleService

        return PeopleService(self.uow_factory, self.settings)

    @cached_property
    def invites(self) -> InviteService:
        """Invitations."""
        from bot.services.invites import InviteService

        return InviteService(self.uow_factory, self.settings)

    @cached_property
    def onboarding(self) -> OnboardingService:
        """Consent and first steps."""
        from bot.services.onboarding import OnboardingService

        return OnboardingService(self.uow_factory, self.settings)

    @cached_property
    def privacy(self) -> PrivacyService:
        """Export and erasure."""
        from bot.services.privacy import PrivacyService

        return PrivacyService(self.uow_factory, self.catalog, self.history)

    @cached_property
    def relations(self) -> RelationService:
        """Coach-client relations."""
        from bot.services.relations import RelationService

        return RelationService(self.uow_factory, self.settings)

    @cached_property
    def roles(self) -> RoleService:
        """Roles and admin rights."""
        from bot.services.roles import RoleService

        return RoleService(self.uow_factory, self.settings)

    @cached_property
    def meetings(self) -> MeetingService:
        """Meetings."""
        from bot.services.meetings import MeetingService

        return MeetingService(self.uow_factory)

    @cached_property
    def schedule(self) -> ScheduleService:
        """Planning prompts."""
        from bot.services.schedule import ScheduleService

        return ScheduleService(self.uow_factory, self.settings)

    @cached_property
    def delivery(self) -> DeliveryService:
        """Sending due prompts."""
        from bot.services.delivery import DeliveryService

        return DeliveryService(self.uow_factory, self.settings)

    @cached_property
    def commitments(self) -> CommitmentService:
        """Commitments."""
        from bot.services.commitments import CommitmentService

        return CommitmentService(self.uow_factory)

    @cached_property
    def summaries(self) -> SummaryService:
        """Pre-meeting summaries."""
        from bot.services.summaries import SummaryService

        return SummaryService(self.uow_factory, self.catalog, self.settings)

    @cached_property
    def groups(self) -> GroupService:
        """Backstage groups."""
        from bot.services.groups import GroupService

        return GroupService(self.uow_factory, self.settings, self.catalog)

    @cached_property
    def group_view(self) -> GroupViewService:
        """The facilitator's view of a group."""
        from bot.services.group_view import GroupViewService

        return GroupViewService(self.uow_factory, self.groups)


def build_runtime(
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    *,
    clock: Clock | None = None,
) -> Runtime:
    """The runtime on an open database (tests call this with their own database); its services
    are built on first use."""
    return Runtime(settings, database, catalog, make_uow_factory(database), clock or utc_now)


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
