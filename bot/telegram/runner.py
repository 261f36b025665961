"""Entry points for the CLI: run the bot (polling or webhook); add, remove and list coaches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from html import escape
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Conflict, TelegramError
from telegram.ext import ExtBot

from bot.config import Settings, SettingsError
from bot.i18n import Translator, get_translator
from bot.runtime import open_runtime
from bot.services.people import AddCoachResult, PersonInfo
from bot.services.roles import PersonRow, RemoveOutcome, RemoveResult
from bot.telegram.app import POLL_TIMEOUT, build_application, require_token
from bot.telegram.views.relations import COACH_REMOVED_CLIENT_NOTICE, COACH_REMOVED_NOTICE
from bot.telegram.webhook import parse_listen, webhook_server

log = logging.getLogger(__name__)

# A Conflict on getUpdates this soon after we began polling means another process already
# polls with this token: the newcomer steps back. Later, the newcomer is the other one, so the
# running bot keeps polling (one warning per conflict) until that one gives up.
CONFLICT_WINDOW = 60.0


class PollingConflict(Exception):
    """Another process is already polling with the same bot token."""


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
        application = build_application(runtime)
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


async def serve_polling(
    application: Any, stop: asyncio.Event, *, conflict_window: float = CONFLICT_WINDOW
) -> None:
    """Long-poll until `stop` is set; then finish in-flight updates and shut down cleanly.

    Raises PollingConflict when another instance turns out to be polling the same token.
    """
    started = time.monotonic()
    conflicted = False

    def on_poll_error(error: TelegramError) -> None:
        nonlocal conflicted
        if isinstance(error, Conflict):
            if time.monotonic() - started < conflict_window:
                conflicted = True
                stop.set()
            else:
                log.warning("another instance polled with this token: %s", error.message)
            return
        log.warning("polling for updates failed: %s", error)

    async with application:
        await application.post_init(application)
        await application.start()
        # start_polling removes a webhook left from webhook mode before it polls.
        await application.updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES, error_callback=on_poll_error
        )
        log.info("polling as @%s", application.bot.username)
        try:
            await stop.wait()
        finally:
            await application.updater.stop()
            await application.stop()  # waits for updates already being handled
            await application.post_shutdown(application)
    if conflicted:
        raise PollingConflict(application.bot.username)


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


async def add_coach(
    settings: Settings, telegram_id: int, t: Translator, name: str | None = None
) -> str:
    """Make a Telegram user a coach; returns a one-line report for the terminal."""
    async with open_runtime(settings) as runtime:
        result = await runtime.people.add_coach(telegram_id, runtime.now(), name)
    return describe_add_coach(result, telegram_id, t)


def describe_add_coach(result: AddCoachResult, telegram_id: int, t: Translator) -> str:
    """The terminal message for an add-coach result."""
    if result.created:
        return t.gettext(
            "Telegram user {id} is now a coach; they finish with /start in the bot "
            "(language, time zone, consent)."
        ).format(id=telegram_id)
    if result.promoted:
        return t.gettext("Telegram user {id} is now a coach.").format(id=telegram_id)
    return t.gettext("Telegram user {id} already is a coach or admin; nothing changed.").format(
        id=telegram_id
    )


async def remove_coach(
    settings: Settings, telegram_id: int, t: Translator
) -> tuple[str, RemoveOutcome]:
    """Remove a coach's role and end their relations; tells them over Telegram if configured."""
    async with open_runtime(settings) as runtime:
        result = await runtime.roles.remove_coach(telegram_id, runtime.now())
    notified = 0
    if result.outcome is RemoveOutcome.REMOVED and settings.telegram_bot_token:
        notified = await _notify_removal(settings, result)
    return describe_remove_coach(result, telegram_id, notified, t), result.outcome


async def _notify_removal(settings: Settings, result: RemoveResult) -> int:
    """Send the removal notices as the bot does; how many people were reached."""
    assert result.coach is not None
    coach_name = result.coach.display_name or "—"
    notices: list[tuple[PersonInfo, str]] = [
        (client, COACH_REMOVED_CLIENT_NOTICE) for client in result.clients
    ]
    notices.append((result.coach, COACH_REMOVED_NOTICE))
    bot: ExtBot[None] = ExtBot(settings.telegram_bot_token, base_url=settings.bot_api_url)
    reached = 0
    async with bot:
        for person, message in notices:
            if person.telegram_id is None or not person.active:
                continue
            t = get_translator(
                person.locale or settings.default_locale,
                person.timezone or settings.timezone,
                settings.locales_dir,
            )
            try:
                await bot.send_message(
                    person.telegram_id,
                    escape(t.gettext(message).format(coach=coach_name)),
                    parse_mode=ParseMode.HTML,
                )
                reached += 1
            except TelegramError:
                log.warning("could not notify Telegram user %s", person.telegram_id, exc_info=True)
    return reached


def describe_remove_coach(
    result: RemoveResult, telegram_id: int, notified: int, t: Translator
) -> str:
    """The terminal message for a remove-coach result."""
    if result.outcome is RemoveOutcome.NOT_FOUND:
        return t.gettext("No one with Telegram id {id} uses Hemmaplan.").format(id=telegram_id)
    if result.outcome is RemoveOutcome.IS_ADMIN:
        return t.gettext(
            "Telegram user {id} is an admin: remove the id from HEMMAPLAN_ADMIN_IDS and "
            "restart the bot first."
        ).format(id=telegram_id)
    if result.outcome is RemoveOutcome.NOT_A_COACH:
        return t.gettext("Telegram user {id} is not a coach; nothing changed.").format(
            id=telegram_id
        )
    if result.outcome is RemoveOutcome.FORGOTTEN:
        return t.gettext(
            "Telegram user {id} had not finished /start; they are no longer a coach and nothing "
            "about them is stored."
        ).format(id=telegram_id)
    count = len(result.clients)
    text = t.ngettext(
        "Telegram user {id} is no longer a coach; their work with {n} client has ended.",
        "Telegram user {id} is no longer a coach; their work with {n} clients has ended.",
        count,
    ).format(id=telegram_id, n=count)
    notice = t.ngettext(
        "{n} person was told over Telegram.", "{n} people were told over Telegram.", notified
    ).format(n=notified)
    return text + " " + notice


async def list_people(settings: Settings) -> list[PersonRow]:
    """Everyone on Telegram with their role and number of current relations."""
    async with open_runtime(settings) as runtime:
        return await runtime.roles.people()
