"""Per-update context: who is writing, in which language, and how to answer them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.i18n import Translator, choose_locale, get_translator
from bot.services.people import PersonInfo
from bot.telegram.container import BotContext
from bot.telegram.rendering import Rendered, split_message


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
) -> None:
    """Show a message: edit the pressed button's message when asked and possible, else send."""
    query = update.callback_query
    if edit and query is not None and query.message is not None and len(rendered.text) <= 4096:
        try:
            await query.edit_message_text(
                rendered.text,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.keyboard,
                disable_web_page_preview=True,
            )
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            # Too old to edit, deleted, ...: fall through to a fresh message.
    chat = update.effective_chat
    if chat is None:
        return
    await send(context, chat.id, rendered.text, rendered.keyboard)


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
