"""The person's own scales over time as a photo under /history."""

from __future__ import annotations

import asyncio

from telegram import InputFile
from telegram.constants import ChatAction, ParseMode

from bot.services.people import PersonInfo
from bot.summary.trends import own_chart
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller
from bot.telegram.views.history import chart_caption


async def send_history_chart(context: BotContext, caller: Caller, person: PersonInfo) -> None:
    """Sends the chart of all the person's own scale answers (nothing before one repeats)."""
    t = caller.t
    trends = await context.services.history.trends(person.id, t)
    if not trends:
        return
    await context.bot.send_chat_action(caller.chat_id, ChatAction.UPLOAD_PHOTO)
    # Drawing takes a moment of CPU: off the event loop, so other chats are not kept waiting.
    png = await asyncio.to_thread(own_chart, trends, t)
    if png is None:
        return
    await context.bot.send_photo(
        caller.chat_id,
        InputFile(png, filename="hemmaplan-scales.png"),
        caption=chart_caption(t),
        parse_mode=ParseMode.HTML,
    )
