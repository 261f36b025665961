"""The application's Bot: an expired button answer is a normal event, not a failed update.

Telegram accepts answerCallbackQuery only within about 15 seconds of the tap (and once). After a
restart or a slow step, the answer fails with "query is too old" after the handler has already
changed the state; letting that abort the handler left a stale screen and no reply at all.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

_EXPIRED = ("query is too old", "query id is invalid")


def is_expired_query(error: BadRequest) -> bool:
    """True for Telegram's answer to an answerCallbackQuery that came too late (or twice)."""
    message = error.message.lower()
    return any(part in message for part in _EXPIRED)


class TolerantBot(ExtBot[int]):
    """An ExtBot whose answer_callback_query returns False instead of raising when too late."""

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        """Answer a button press; False when Telegram no longer accepts an answer for it."""
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as exc:
            if not is_expired_query(exc):
                raise
            log.info("a button answer came too late: %s", exc.message)
            return False
