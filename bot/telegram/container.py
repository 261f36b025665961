"""The services a running bot uses: stored once in `bot_data`, reached via a typed context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog
from bot.services.dialogue_runs import DialogueService
from bot.services.history import HistoryService
from bot.services.invites import InviteService
from bot.services.onboarding import OnboardingService
from bot.services.people import PeopleService
from bot.services.privacy import PrivacyService
from bot.services.relations import RelationService
from bot.services.roles import RoleService
from bot.storage.uow import UnitOfWorkFactory

# The only key this package puts into bot_data.
SERVICES_KEY = "hemmaplan.services"


def utc_now() -> datetime:
    """The real clock (tests inject their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class BotServices:
    """Everything a handler may call; built once per application."""

    settings: Settings
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
    clock: Callable[[], datetime] = utc_now
    # Bulk sends (check-ins, reminders) go through their own Bot and rate limiter so that
    # replies to people never wait in the same queue; see bot/telegram/app.py.
    bulk_bot: Bot | None = None

    def now(self) -> datetime:
        """The current time (UTC, aware)."""
        return self.clock()


class BotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context of Hemmaplan handlers: adds a typed `services` accessor."""

    @property
    def services(self) -> BotServices:
        """The application's services."""
        return services_of(self.application)


# The job queue type is left open: PTB's builder cannot infer it for custom context types.
HemmaplanApp = Application[
    ExtBot[int], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> BotServices:
    """The services stored in an application's bot_data (raises if the app was not built here)."""
    services = application.bot_data.get(SERVICES_KEY)
    if not isinstance(services, BotServices):
        raise RuntimeError("application was not built by bot.telegram.app.build_application")
    return services
