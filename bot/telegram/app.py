"""Builds the PTB Application on a runtime: transport, rate limiting, handlers and menus.

Rate limits: replies go through the application bot's `AIORateLimiter` (20 messages/s overall,
Telegram's per-chat limits, 429 `retry_after` honoured with retries). Bulk sends (check-ins,
reminders) use `bulk_bot_of(application)`, a second Bot with its own limiter at 10 messages/s,
so a large batch waits in its own queue and a person's reply never queues behind it; together
they stay within Telegram's 30 messages/s per bot.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings, SettingsError
from bot.i18n import get_translator
from bot.runtime import Runtime
from bot.telegram.container import SERVICES_KEY, BotContext, HemmaplanApp, services_of
from bot.telegram.conversation import identify, send
from bot.telegram.handlers import (
    client,
    coach,
    dialogue,
    errors,
    onboarding,
    privacy,
    relations,
)
from bot.telegram.http_retry import RetryingRequest
from bot.telegram.menus import set_default_menus, set_person_menu
from bot.telegram.update_order import PerPersonUpdateProcessor

log = logging.getLogger(__name__)

REPLY_RATE = 20  # messages per second for replies
BULK_RATE = 10  # messages per second for bulk sends
RATE_LIMIT_RETRIES = 3
# Long polling keeps the request open for `timeout` seconds; allow that plus a margin.
POLL_TIMEOUT = 20
BULK_BOT_KEY = "hemmaplan.bulk_bot"


def require_token(settings: Settings) -> str:
    """The bot token, or a one-line SettingsError."""
    if not settings.telegram_bot_token:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: required to run the Telegram bot (from @BotFather)"
        )
    return settings.telegram_bot_token


def build_application(runtime: Runtime, *, request: BaseRequest | None = None) -> HemmaplanApp:
    """Build the application on the runtime's services, with handlers and start-up hooks (not
    started)."""
    settings = runtime.settings
    token = require_token(settings)
    file_url = settings.bot_api_file_url or settings.bot_api_url.replace("/bot", "/file/bot")
    bulk_bot: ExtBot[int] = ExtBot(
        token,
        base_url=settings.bot_api_url,
        base_file_url=file_url,
        request=RetryingRequest(),
        rate_limiter=AIORateLimiter(overall_max_rate=BULK_RATE, max_retries=RATE_LIMIT_RETRIES),
    )
    application: HemmaplanApp = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.bot_api_url)
        .base_file_url(file_url)
        .context_types(ContextTypes(context=BotContext))
        .request(request or RetryingRequest())
        .get_updates_request(
            RetryingRequest(HTTPXRequest(read_timeout=POLL_TIMEOUT + 10, connection_pool_size=1))
        )
        .rate_limiter(AIORateLimiter(overall_max_rate=REPLY_RATE, max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerPersonUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES_KEY] = runtime
    application.bot_data[BULK_BOT_KEY] = bulk_bot
    _add_handlers(application)
    return application


def bulk_bot_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Bot:
    """The application's bot for bulk sends."""
    bot = application.bot_data.get(BULK_BOT_KEY)
    if not isinstance(bot, Bot):
        raise RuntimeError("application was not built by bot.telegram.app.build_application")
    return bot


async def _post_init(application: Any) -> None:
    """Applies HEMMAPLAN_ADMIN_IDS, sets the client command menus, readies the bulk-send bot."""
    services = services_of(application)
    synced = await services.roles.sync_admins(services.now())
    if synced.demoted:
        # Logged by Telegram id only: which ids lost admin rights is for the operator to see.
        log.info("no longer admins (not in HEMMAPLAN_ADMIN_IDS): %s", synced.demoted)
    if synced.promoted:
        log.info("admins from HEMMAPLAN_ADMIN_IDS: %s", synced.promoted)
    for telegram_id in synced.demoted + synced.promoted:
        # Their chat menu should list what they may use now (it is a convenience: best effort).
        person = await services.people.find(telegram_id)
        if person is not None:
            settings = services.settings
            t = get_translator(
                person.locale or settings.default_locale,
                person.timezone or settings.timezone,
                settings.locales_dir,
            )
            await set_person_menu(application.bot, person, telegram_id, t)
    await bulk_bot_of(application).initialize()
    try:
        await set_default_menus(
            application.bot, services.settings.default_locale, str(services.settings.locales_dir)
        )
    except Exception:
        # Without menus the bot still works; do not refuse to start over it.
        log.warning("could not set the command menus", exc_info=True)


async def _post_shutdown(application: Any) -> None:
    """Closes the bulk-send bot."""
    await bulk_bot_of(application).shutdown()


def _add_handlers(application: HemmaplanApp) -> None:
    private = filters.ChatType.PRIVATE
    commands: list[tuple[str, errors.Callback]] = [
        ("start", onboarding.start),
        ("help", client.help_command),
        ("reflect", dialogue.reflect),
        ("cancel", dialogue.cancel),
        ("commitments", client.commitments),
        ("history", client.history),
        ("preview", client.preview),
        ("settings", client.settings),
        ("privacy", privacy.privacy),
        ("export", privacy.export),
        ("delete", privacy.delete),
        ("clients", coach.clients),
        ("invite", coach.invite),
        ("invite_coach", coach.invite_coach),
        ("meeting", coach.meeting),
        ("summary", coach.summary),
        ("end_client", relations.end_client),
        ("remove_coach", relations.remove_coach),
    ]
    for name, callback in commands:
        application.add_handler(CommandHandler(name, errors.named(callback), filters=private))
    buttons: list[tuple[str, errors.Callback]] = [
        (r"^d:", dialogue.dialogue_button),
        (r"^m:reflect:", dialogue.start_dialogue),
        (r"^o:", onboarding.onboarding_button),
        (r"^cm:", client.commitment_button),
        (r"^h:", client.history_button),
        (r"^st:", client.settings_button),
        (r"^del:", privacy.delete_button),
        (r"^sm:", coach.summary_button),
        (r"^rl:", relations.relation_button),
    ]
    for pattern, callback in buttons:
        application.add_handler(CallbackQueryHandler(errors.named(callback), pattern=pattern))
    application.add_handler(CallbackQueryHandler(errors.named(_unknown_button)))
    application.add_handler(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND, errors.named(dialogue.text_message)
        )
    )
    application.add_handler(
        MessageHandler(private & filters.COMMAND, errors.named(_unknown_command))
    )
    application.add_handler(
        MessageHandler(
            private & ~filters.TEXT & ~filters.StatusUpdate.ALL, errors.named(dialogue.non_text)
        )
    )
    application.add_handler(
        ChatMemberHandler(errors.named(errors.membership_changed), ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(errors.on_error)


async def _unknown_button(update: Update, context: BotContext) -> None:
    """Answers a button this version does not know (e.g. from before an upgrade)."""
    query = update.callback_query
    assert query is not None
    caller = await identify(update, context)
    await query.answer(caller.t.gettext("That button is no longer in use, so nothing was changed."))


async def _unknown_command(update: Update, context: BotContext) -> None:
    """Says that a command is unknown and points to /help."""
    caller = await identify(update, context)
    await send(
        context,
        caller.chat_id,
        caller.t.gettext("I don't know that command. /help lists what I can do."),
    )
