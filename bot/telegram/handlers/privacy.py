"""Privacy commands: /privacy, /export (documents), /delete (erasure after confirmation)."""

from __future__ import annotations

import contextlib

from telegram import (
    BotCommandScopeChat,
    InputFile,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.telegram.container import BotContext
from bot.telegram.conversation import send, show
from bot.telegram.handlers.access import pressed
from bot.telegram.handlers.groups import erasure_warning, tell_erasure
from bot.telegram.handlers.summaries import audit_log_text
from bot.telegram.notices import privacy_notice
from bot.telegram.rendering import CAPTION_LIMIT
from bot.telegram.views.erasure import delete_question_view, erased_view, kept_view
from bot.telegram.who import Member, for_members


@for_members
async def privacy(me: Member, update: Update, context: BotContext) -> None:
    """Shows the privacy notice and who has opened the person's summaries."""
    log = await audit_log_text(context, me.person.id, me.t)
    await send(context, me.chat_id, privacy_notice(me.t) + "\n\n" + log)


@for_members
async def export(me: Member, update: Update, context: BotContext) -> None:
    """Sends everything stored about the person as a JSON file and a readable document."""
    t = me.t
    await context.bot.send_chat_action(me.chat_id, ChatAction.UPLOAD_DOCUMENT)
    data = await context.services.privacy.export(me.person.id, t)
    caption = t.gettext("Everything Hemmaplan stores about you, readable.")[:CAPTION_LIMIT]
    await context.bot.send_document(
        me.chat_id,
        InputFile(data.markdown.encode("utf-8"), filename="hemmaplan-export.md"),
        caption=caption,
    )
    caption = t.gettext("The same data as JSON, for other programs.")[:CAPTION_LIMIT]
    await context.bot.send_document(
        me.chat_id,
        InputFile(data.json_bytes, filename="hemmaplan-export.json"),
        caption=caption,
    )


@for_members
async def delete(me: Member, update: Update, context: BotContext) -> None:
    """Asks for confirmation before erasing everything about the person."""
    groups = erasure_warning(await context.services.groups.before_erasure(me.person.id), me.t)
    view = delete_question_view(groups, me.t)
    await send(context, me.chat_id, view.text, view.keyboard)


async def delete_button(update: Update, context: BotContext) -> None:
    """Erases the person completely, or keeps everything."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, person = press.caller, press.person
    t = caller.t
    await press.query.answer()
    if press.name != "yes":
        await show(update, context, kept_view(t), edit=True)
        return
    # Read before the erasure: afterwards the groups this person led are gone, and with them
    # whom to tell.
    groups = await context.services.groups.before_erasure(person.id)
    erased = await context.services.privacy.erase(person.id)
    if context.user_data is not None:
        context.user_data.clear()
    if person.is_coach:
        with contextlib.suppress(TelegramError):
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(caller.chat_id))
    await show(update, context, erased_view(t), edit=True)
    if erased:
        # The name the members saw as the group's facilitator in /group.
        await tell_erasure(context, groups, person.display_name or f"#{person.id}")
