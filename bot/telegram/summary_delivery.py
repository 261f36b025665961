"""Sending the scheduled summary prompts: the client's preview with its buttons, and before the
meeting the coach's summary (messages and the PDF) or the word that there is none.

Called by the prompt sender for the kinds of bot.scheduling.summary_plan. The rows stay `sent`
without `sent_at`, so these messages never count as unanswered check-ins (prompt fatigue) nor
towards the client's weekly cap.
"""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.runtime import Runtime
from bot.scheduling.summary_plan import SUMMARY_DELIVERY
from bot.services.delivery import Outgoing
from bot.services.summaries import Channel
from bot.summary.html import render_messages
from bot.summary.labels import CHART_TITLE, label
from bot.summary.model import Summary
from bot.telegram import summary_views as views
from bot.telegram.handlers.summaries import send_pdf
from bot.telegram.rendering import CAPTION_LIMIT

log = logging.getLogger(__name__)


class Sent(StrEnum):
    """How sending a summary prompt went."""

    DONE = "done"  # sent (or nothing left to send)
    RETRY = "retry"  # certainly not sent: back into the plan
    FAILED = "failed"  # refused (blocked, bad request): not tried again


async def send_summary_prompt(runtime: Runtime, bot: Bot, outgoing: Outgoing) -> Sent:
    """Send one summary prompt; what happened decides what becomes of its row."""
    try:
        if outgoing.kind == SUMMARY_DELIVERY:
            await _deliver(runtime, bot, outgoing)
        else:
            await _preview(runtime, bot, outgoing)
    except (Forbidden, BadRequest) as exc:
        log.info("summary prompt %s refused: %s", outgoing.prompt_id, exc)
        return Sent.FAILED
    except TimedOut:
        log.warning("summary prompt %s timed out; not resent", outgoing.prompt_id)
    except NetworkError:
        return Sent.RETRY
    except TelegramError:
        log.exception("summary prompt %s failed", outgoing.prompt_id)
        return Sent.FAILED
    return Sent.DONE


async def _send(bot: Bot, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    await bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        disable_web_page_preview=True,
    )


async def _send_chart(bot: Bot, chat: int, summary: Summary) -> None:
    """The scales over the engagement as a picture (drawn off the event loop), if any."""
    from bot.summary.chart import render_chart  # matplotlib stays out of start-up

    png = await asyncio.to_thread(render_chart, summary.trends, summary.labels, summary.language)
    if png is not None:
        caption = label(summary.labels, CHART_TITLE)[:CAPTION_LIMIT]
        await bot.send_photo(chat, InputFile(png, filename="scales.png"), caption=caption)


async def _preview(runtime: Runtime, bot: Bot, outgoing: Outgoing) -> None:
    assert outgoing.ref_id is not None
    prompt = await runtime.summaries.preview_prompt(
        outgoing.person_id, outgoing.ref_id, runtime.now()
    )
    if prompt.preview is None or prompt.preview.delivered:
        return
    for message in views.preview_messages(prompt.preview, prompt.t):
        await _send(bot, outgoing.telegram_id, message.text, message.keyboard)


async def _deliver(runtime: Runtime, bot: Bot, outgoing: Outgoing) -> None:
    assert outgoing.ref_id is not None
    now = runtime.now()
    delivery = await runtime.summaries.delivery(outgoing.person_id, outgoing.ref_id, now)
    if delivery.kind == "gone" or delivery.coach_t is None or delivery.meeting_starts_at is None:
        return
    t, chat = delivery.coach_t, outgoing.telegram_id
    if delivery.summary is None:
        text = views.delivery_notice(
            delivery.kind, delivery.client_name, delivery.meeting_starts_at, t
        )
        await _send(bot, chat, text, None)
        return
    await _send(
        bot, chat, views.delivery_intro(delivery.client_name, delivery.meeting_starts_at, t), None
    )
    for text in render_messages(delivery.summary, details=True):
        await _send(bot, chat, text, None)
    await _send_chart(bot, chat, delivery.summary)
    channels = [Channel.TELEGRAM]
    try:
        await send_pdf(bot, chat, delivery.summary, delivery.client_name, t)
        channels.append(Channel.PDF)
    finally:
        # The messages went out: record them (and the PDF if it did) whatever the PDF did.
        await runtime.summaries.mark_delivered(outgoing.person_id, outgoing.ref_id, channels, now)
