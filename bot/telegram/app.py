"""Builds the PTB Application on a runtime: transport, rate limiting, handlers, menus and the
repeating job that sends due prompts.

Rate limits: replies go out at once through the application bot (`ReplyRateLimiter`: PTB's
AIORateLimiter, 429 `retry_after` honoured with retries) and are counted in the shared send
budget. Prompts go through a second Bot with its own connection pool, paced by that budget
(`send_pacers` in the database), so a large batch never holds up a reply, and replies plus
prompts of every process stay within `Settings.send_rate` (below Telegram's 30 messages/s).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
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
from bot.services.pacing import TELEGRAM_RATE, SendBudget
from bot.telegram import group_chat, prompts
from bot.telegram.container import (
    SENDER_KEY,
    SERVICES_KEY,
    BotContext,
    HemmaplanApp,
    services_of,
)
from bot.telegram.conversation import Caller, send, toast
from bot.telegram.delivery import PromptSender
from bot.telegram.handlers import (
    client,
    coach,
    dialogue,
    errors,
    groups,
    meetings,
    onboarding,
    privacy,
    relations,
    summaries,
)
from bot.telegram.http_retry import RetryingRequest
from bot.telegram.menus import set_default_menus, set_descriptions, set_person_menu
from bot.telegram.ratelimit import ReplyRateLimiter
from bot.telegram.tolerant_bot import TolerantBot
from bot.telegram.update_order import PerPersonUpdateProcessor
from bot.telegram.who import for_anyone

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
BULK_CONNECTIONS = 8
# Long polling keeps the request open for `timeout` seconds; allow that plus a margin.
POLL_TIMEOUT = 20


def require_token(settings: Settings) -> str:
    """The bot token, or a one-line SettingsError."""
    if not settings.telegram_bot_token:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: required to run the Telegram bot (from @BotFather)"
        )
    return settings.telegram_bot_token


def build_application(
    runtime: Runtime,
    *,
    request: BaseRequest | None = None,
    bulk_request: BaseRequest | None = None,
) -> HemmaplanApp:
    """Build the application on the runtime's services, with handlers, start-up hooks and the
    prompt delivery job (not started). `request`/`bulk_request` replace the transports of the
    reply bot and the prompt bot (tests pass an in-memory one)."""
    settings = runtime.settings
    token = require_token(settings)
    file_url = settings.bot_api_file_url or settings.bot_api_url.replace("/bot", "/file/bot")
    budget = SendBudget(runtime.uow_factory, settings.send_rate)
    # Prompts have their own Bot and connection pool; their pacing and 429s are handled by the
    # sender, so this bot has no rate limiter of its own.
    bulk_bot: ExtBot[None] = ExtBot(
        token,
        base_url=settings.bot_api_url,
        base_file_url=file_url,
        request=bulk_request
        or RetryingRequest(HTTPXRequest(connection_pool_size=BULK_CONNECTIONS)),
    )
    bot: ExtBot[int] = TolerantBot(
        token,
        base_url=settings.bot_api_url,
        base_file_url=file_url,
        request=request or RetryingRequest(),
        get_updates_request=RetryingRequest(
            HTTPXRequest(read_timeout=POLL_TIMEOUT + 10, connection_pool_size=1)
        ),
        rate_limiter=ReplyRateLimiter(
            budget, overall_max_rate=TELEGRAM_RATE, max_retries=RATE_LIMIT_RETRIES
        ),
    )
    application: HemmaplanApp = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerPersonUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES_KEY] = runtime
    application.bot_data[SENDER_KEY] = PromptSender(runtime, bulk_bot, budget)
    _add_handlers(application)
    if application.job_queue is None:
        raise RuntimeError("PTB's job queue is missing: install python-telegram-bot[job-queue]")
    # One short repeating job per process; the prompts themselves are rows in the database.
    application.job_queue.run_repeating(
        _deliver_due,
        interval=settings.delivery_interval,
        first=settings.delivery_interval,
        name="deliver-due-prompts",
    )
    return application


def sender_of(application: Application[Any, Any, Any, Any, Any, Any]) -> PromptSender:
    """The application's prompt sender."""
    sender = application.bot_data.get(SENDER_KEY)
    if not isinstance(sender, PromptSender):
        raise RuntimeError("application was not built by bot.telegram.app.build_application")
    return sender


async def _deliver_due(context: BotContext) -> None:
    """Wakes the prompt sender (it drains in the background, so the job itself stays short)."""
    sender_of(context.application).wake()


async def _post_init(application: Any) -> None:
    """Applies HEMMAPLAN_ADMIN_IDS, sets the client command menus, readies the prompt bot."""
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
    await sender_of(application).bot.initialize()
    try:
        locale, locales_dir = services.settings.default_locale, str(services.settings.locales_dir)
        await set_default_menus(application.bot, locale, locales_dir)
        await set_descriptions(application.bot, locale, locales_dir)
    except Exception:
        # Without menus the bot still works; do not refuse to start over it.
        log.warning("could not set the command menus or descriptions", exc_info=True)


async def _post_shutdown(application: Any) -> None:
    """Lets the prompt sender finish its batch, then closes the prompt bot."""
    sender = sender_of(application)
    await sender.stop()
    await sender.bot.shutdown()


def _add_handlers(application: HemmaplanApp) -> None:
    # New messages only: an edited message must not count as a new answer or command.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    commands: list[tuple[str, errors.Callback]] = [
        ("start", onboarding.start),
        ("help", client.help_command),
        ("reflect", dialogue.reflect),
        ("cancel", dialogue.cancel),
        ("back", dialogue.step_command),
        ("skip", dialogue.step_command),
        ("pause", dialogue.step_command),
        ("private", dialogue.step_command),
        ("commitments", client.commitments),
        ("history", client.history),
        ("preview", summaries.preview),
        ("note", summaries.note),
        ("settings", client.settings),
        ("privacy", privacy.privacy),
        ("export", privacy.export),
        ("delete", privacy.delete),
        ("clients", coach.clients),
        ("invite", coach.invite),
        ("invite_coach", coach.invite_coach),
        ("meeting", meetings.meeting),
        ("summary", summaries.summary),
        ("end_client", relations.end_client),
        ("remove_coach", relations.remove_coach),
        ("group", groups.group),
        ("group_invite", groups.group_invite),
        ("group_move", groups.group_move),
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
        (r"^sm:", summaries.summary_button),
        (r"^sp:", summaries.preview_button),
        (r"^rl:", relations.relation_button),
        (r"^pr:", prompts.prompt_button),
        (r"^mt:", meetings.meeting_button),
        (r"^gr:", groups.group_button),
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
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE,
            errors.named(dialogue.edited_message),
        )
    )
    application.add_handler(
        ChatMemberHandler(errors.named(errors.membership_changed), ChatMemberHandler.MY_CHAT_MEMBER)
    )
    # A group's own chat: the bot is added or removed there, and the facilitator may name the
    # group; nothing else said in a group chat reaches any handler.
    application.add_handler(
        CommandHandler(
            "group_chat",
            errors.named(group_chat.group_chat_command),
            filters=filters.ChatType.GROUPS & filters.UpdateType.MESSAGE,
        )
    )
    application.add_handler(
        ChatMemberHandler(errors.named(_group_membership), ChatMemberHandler.MY_CHAT_MEMBER),
        group=1,
    )
    application.add_error_handler(errors.on_error)


async def _group_membership(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a group chat (private chats: handled before)."""
    await group_chat.bot_membership(update, context)


@for_anyone
async def _unknown_button(caller: Caller, update: Update, context: BotContext) -> None:
    """Answers a button this version does not know (e.g. from before an upgrade)."""
    text = caller.t.gettext("That button is no longer in use, so nothing was changed.")
    await toast(update, context, text)


@for_anyone
async def _unknown_command(caller: Caller, update: Update, context: BotContext) -> None:
    """Says that a command is unknown and points to /help."""
    await send(
        context,
        caller.chat_id,
        caller.t.gettext("I don't know that command. /help lists what I can do."),
    )
