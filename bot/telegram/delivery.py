"""Sending unsolicited messages (check-ins, reminders): blocked people are marked and skipped."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.services.people import PeopleService
from bot.telegram.rendering import split_message

log = logging.getLogger(__name__)


async def deliver(
    bot: Bot,
    people: PeopleService,
    telegram_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> bool:
    """Send HTML text to a person; False (and marked inactive) if they blocked the bot."""
    person = await people.find(telegram_id)
    if person is None or not person.active:
        return False
    chunks = split_message(text)
    try:
        for index, chunk in enumerate(chunks):
            await bot.send_message(
                telegram_id,
                chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard if index == len(chunks) - 1 else None,
            )
    except Forbidden:
        await people.set_active(telegram_id, False)
        log.info("user %s blocked the bot; marked inactive", telegram_id)
        return False
    except BadRequest as exc:
        if "chat not found" not in str(exc).lower():
            raise
        await people.set_active(telegram_id, False)
        return False
    return True
