"""The runtime a running bot uses: stored once in `bot_data`, reached via a typed context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.runtime import Runtime, utc_now

if TYPE_CHECKING:
    from bot.telegram.conversation import Caller

# The keys this package puts into bot_data (reached only through the typed accessors below).
SERVICES_KEY = "hemmaplan.services"
SENDER_KEY = "hemmaplan.prompt_sender"

__all__ = ["SENDER_KEY", "SERVICES_KEY", "BotContext", "BotServices", "services_of", "utc_now"]


# Handlers reach the process's services through `context.services`: the runtime built once in
# bot/runtime.py (no second copy of any service for the Telegram side).
BotServices = Runtime


class BotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context of Hemmaplan handlers: adds a typed `services` accessor."""

    # PTB builds one context per update: `identify` keeps the caller here, with the update it
    # belongs to, so the person is read once however many handlers look at the update.
    caller: tuple[object, Caller] | None = None

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
    if not isinstance(services, Runtime):
        raise RuntimeError("application was not built by bot.telegram.app.build_application")
    return services
