"""Failure handling: log a failed update with its context, apologise, track blocked people."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any

from telegram import ChatMember, Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.i18n import Translator
from bot.services.people import PersonInfo
from bot.telegram.container import BotContext
from bot.telegram.conversation import send, translator_for
from bot.telegram.rendering import Rendered, render_screen

log = logging.getLogger(__name__)

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def named(callback: Callback) -> Callback:
    """Wrap a handler so an exception carries the handler's name into the error log."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        try:
            await callback(update, context)
        except Exception as exc:
            exc.add_note(f"handler={callback.__module__}.{callback.__qualname__}")
            raise

    return wrapper


async def on_error(update: object, context: BotContext) -> None:
    """Logs the failure with update id, user id and handler, then apologises to the person."""
    error = context.error
    user = update.effective_user if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and user is not None:
        # They blocked the bot: remember it and do not try to write to them again.
        await context.services.people.set_active(user.id, False)
        log.info("user %s blocked the bot; marked inactive", user.id)
        return
    notes = getattr(error, "__notes__", [])
    handler = next((n.removeprefix("handler=") for n in notes if n.startswith("handler=")), "?")
    log.error(
        "update %s from user %s failed in %s",
        update.update_id if isinstance(update, Update) else "-",
        user.id if user is not None else "-",
        handler,
        exc_info=error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        person = await context.services.people.find(user.id) if user is not None else None
    except Exception:
        person = None  # the database may be what failed; apologise in Telegram's language
    t = translator_for(person, user.language_code if user else None, context)
    chat_id = update.effective_chat.id
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if isinstance(error, NetworkError) and await _show_current_screen(
            context, person, chat_id, t
        ):
            # A send that timed out (or was cut off) may or may not have arrived: the screen
            # the run is at is safe to show again, and says more than an apology.
            return
        text = t.gettext(
            "Sorry, something went wrong on my side. Please try again in a moment; "
            "what you answered before is kept."
        )
        await context.bot.send_message(chat_id, escape(text))
    except TelegramError:
        log.warning("could not send the apology for update %s", update.update_id, exc_info=True)


async def _show_current_screen(
    context: BotContext, person: PersonInfo | None, chat_id: int, t: Translator
) -> bool:
    """Send the screen of the person's current reflection; False if there is none to show."""
    if person is None or not person.consented:
        return False
    services = context.services
    try:
        current = await services.dialogues.current(person.id, t, services.now())
    except Exception:
        log.warning("could not read the current screen after a failed send", exc_info=True)
        return False
    if current is None:
        return False
    rendered: Rendered = render_screen(current.screen, current.run_id, t)
    await send(context, chat_id, rendered.text, rendered.keyboard)
    return True


async def membership_changed(update: Update, context: BotContext) -> None:
    """Marks a person inactive when they block the bot, and active again when they return."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    active = status not in (ChatMember.BANNED, ChatMember.LEFT)
    await context.services.people.set_active(change.from_user.id, active)
