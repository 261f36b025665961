"""Per-update context: who is writing, in which language, and how to answer them."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from html import escape, unescape

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.i18n import Translator, choose_locale, get_translator
from bot.services.people import PersonInfo
from bot.telegram.container import BotContext
from bot.telegram.rendering import Rendered, split_message

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Caller:
    """The person behind an update (None before onboarding) and their translator."""

    user_id: int
    chat_id: int
    person: PersonInfo | None
    t: Translator

    @property
    def registered(self) -> PersonInfo | None:
        """The person if they have consented, else None."""
        return self.person if self.person is not None and self.person.consented else None


def translator_for(
    person: PersonInfo | None, telegram_code: str | None, context: BotContext
) -> Translator:
    """The translator for a person: stored language, else Telegram's, else the default."""
    settings = context.services.settings
    locale = choose_locale(
        person.locale if person else None, telegram_code, settings.default_locale
    )
    tz = (person.timezone if person else None) or settings.timezone
    return get_translator(locale, tz, settings.locales_dir)


async def identify(update: Update, context: BotContext) -> Caller:
    """Look up the person behind an update and build their translator (once per update)."""
    known = context.caller
    if known is not None and known[0] is update:
        return known[1]
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        raise RuntimeError("update without a user or chat")
    person = await context.services.people.find(user.id)
    if person is not None and not person.active:
        # They wrote to us, so they unblocked the bot: reachable again.
        await context.services.people.set_active(user.id, True)
    caller = Caller(user.id, chat.id, person, translator_for(person, user.language_code, context))
    context.caller = (update, caller)
    return caller


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message:
    """Send HTML text (split at 4096 characters); the keyboard goes with the last part."""
    chunks = split_message(text)
    message: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        message = await context.bot.send_message(
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard if last else None,
            disable_web_page_preview=True,
        )
    assert message is not None
    return message


async def show(
    update: Update, context: BotContext, rendered: Rendered, *, edit: bool = False
) -> int | None:
    """Show a message: edit the pressed button's message when asked and possible, else send.
    Returns the id of the message that shows it (None if there is no chat to show it in).

    An edit that would change nothing is not sent (Telegram refuses it): the message already
    shows this."""
    query = update.callback_query
    if edit and query is not None and query.message is not None and len(rendered.text) <= 4096:
        message = query.message
        if isinstance(message, Message) and shows_already(message, rendered):
            return message.message_id
        try:
            await query.edit_message_text(
                rendered.text,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.keyboard,
                disable_web_page_preview=True,
            )
            return message.message_id
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return message.message_id
            # Too old to edit, deleted, ...: fall through to a fresh message.
    chat = update.effective_chat
    if chat is None:
        return None
    return (await send(context, chat.id, rendered.text, rendered.keyboard)).message_id


def plain_text(html: str) -> str:
    """The text Telegram shows for our HTML (tags dropped, entities read, ends trimmed)."""
    return unescape(_TAG.sub("", html)).strip()


def shows_already(message: Message, rendered: Rendered) -> bool:
    """Whether the message already shows this text and these buttons."""
    markup = message.reply_markup
    same_keyboard = (markup.inline_keyboard if markup else ()) == (
        rendered.keyboard.inline_keyboard if rendered.keyboard else ()
    )
    return same_keyboard and (message.text or "").strip() == plain_text(rendered.text)


async def strip_keyboard(context: BotContext, chat_id: int, message_id: int) -> None:
    """Remove the buttons of an earlier message (its text stays readable)."""
    # Already without buttons, deleted by the person, ...: then nothing is left to remove.
    with contextlib.suppress(BadRequest):
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


async def toast(update: Update, context: BotContext, text: str) -> None:
    """Answer a pressed button with a short note; too late for that, send it as a message."""
    query = update.callback_query
    if query is None:
        return
    if not await query.answer(text) and update.effective_chat is not None:
        await send(context, update.effective_chat.id, escape(text))


async def typing(update: Update, context: BotContext) -> None:
    """Show "typing…" before slow work."""
    if update.effective_chat is not None:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
