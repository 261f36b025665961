"""A dialogue run's screen lives on one chat message: showing it elsewhere removes the old
message's buttons, so no question or recap is left with buttons that no longer apply."""

from __future__ import annotations

from telegram import Update

from bot.services.dialogue_runs import RunResult
from bot.telegram.container import BotContext
from bot.telegram.conversation import show, strip_keyboard
from bot.telegram.rendering import Rendered


async def show_run(
    update: Update,
    context: BotContext,
    result: RunResult,
    rendered: Rendered,
    *,
    edit: bool = False,
) -> None:
    """Show a run's screen (editing the pressed message when `edit`) and move its live buttons
    there: the message that had them before keeps its text and loses its buttons first.

    The service recorded the move with the step (`live_message_id`), so of two processes
    racing on one run only the one whose step was written removes the old buttons."""
    chat = update.effective_chat
    query = update.callback_query
    pressed = query.message.message_id if edit and query and query.message else None
    before = result.screen_message_id
    if chat is not None and before is not None and before != pressed:
        await strip_keyboard(context, chat.id, before)
    shown = await show(update, context, rendered, edit=edit)
    if shown is None or result.run_id == 0:
        return
    now_live = shown if rendered.keyboard is not None else None
    if now_live != result.live_message_id:
        await context.services.dialogues.screen_shown(
            result.run_id, now_live, version=result.version
        )
