"""Entry points for the CLI: run the bot (polling or webhook) and add a coach."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import UTC, datetime
from typing import Any

from telegram import Update

from bot.config import Settings, SettingsError
from bot.runtime import open_runtime
from bot.services.people import AddCoachResult, PeopleService
from bot.telegram.app import POLL_TIMEOUT, build_application, require_token
from bot.telegram.webhook import parse_listen, webhook_server

log = logging.getLogger(__name__)


def check_settings(settings: Settings) -> None:
    """Refuse to start with a one-line SettingsError when Telegram settings are incomplete."""
    require_token(settings)
    if settings.webhook_url:
        if not settings.webhook_secret:
            raise SettingsError("HEMMAPLAN_WEBHOOK_SECRET: required in webhook mode")
        try:
            parse_listen(settings.listen)
        except ValueError as exc:
            raise SettingsError(str(exc)) from None


async def run_bot(settings: Settings) -> None:
    """Run the bot until SIGTERM/SIGINT: long polling, or a webhook if a webhook URL is set."""
    check_settings(settings)
    async with open_runtime(settings) as runtime:
        application = build_application(settings, runtime.database, runtime.catalog)
        stop = asyncio.Event()
        _stop_on_signals(stop)
        if settings.webhook_url:
            await serve_webhook(application, settings, stop)
        else:
            await serve_polling(application, stop)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def serve_polling(application: Any, stop: asyncio.Event) -> None:
    """Long-poll until `stop` is set; then finish in-flight updates and shut down cleanly."""
    async with application:
        await application.post_init(application)
        await application.start()
        # start_polling removes a webhook left from webhook mode before it polls.
        await application.updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES
        )
        log.info("polling as @%s", application.bot.username)
        try:
            await stop.wait()
        finally:
            await application.updater.stop()
            await application.stop()  # waits for updates already being handled
            await application.post_shutdown(application)


async def serve_webhook(application: Any, settings: Settings, stop: asyncio.Event) -> None:
    """Serve the webhook until `stop` is set; then finish in-flight updates and shut down."""
    server = webhook_server(application, settings.webhook_secret, settings.listen)
    async with application:
        await application.post_init(application)
        await application.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        await application.start()
        serving = asyncio.create_task(server.serve())
        stopping = asyncio.create_task(stop.wait())
        log.info("webhook listening on %s for @%s", settings.listen, application.bot.username)
        try:
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            server.should_exit = True
            stopping.cancel()
            await serving
            await application.stop()
            await application.post_shutdown(application)


async def add_coach(settings: Settings, telegram_id: int, name: str | None = None) -> str:
    """Make a Telegram user a coach; returns a one-line report for the terminal."""
    async with open_runtime(settings) as runtime:
        people = PeopleService(runtime.uow_factory, settings)
        result = await people.add_coach(telegram_id, datetime.now(UTC), name)
    return describe_add_coach(result, telegram_id)


def describe_add_coach(result: AddCoachResult, telegram_id: int) -> str:
    """The terminal message for an add-coach result."""
    if result.created:
        return (
            f"Telegram user {telegram_id} is now a coach; they finish with /start in the bot "
            "(language, time zone, consent)."
        )
    if result.promoted:
        return f"Telegram user {telegram_id} is now a coach."
    return f"Telegram user {telegram_id} already is a coach or admin; nothing changed."
