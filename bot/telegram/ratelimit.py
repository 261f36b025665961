"""Rate limiting of replies: PTB's AIORateLimiter, plus counting every send in the shared
budget so that bulk sends (prompts) make room for replies instead of the other way round."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

from bot.services.pacing import SendBudget

# Calls Telegram counts towards the message rate.
SENDING_ENDPOINTS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class ReplyRateLimiter(AIORateLimiter):
    """AIORateLimiter (429 retried after retry_after) that also counts sends in the budget."""

    def __init__(self, budget: SendBudget, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._budget = budget

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Count the send (replies never wait for bulk slots), then send it rate-limited."""
        if endpoint in SENDING_ENDPOINTS:
            chat_id = data.get("chat_id")
            with contextlib.suppress(TypeError, ValueError):
                self._budget.note_send(int(chat_id) if chat_id is not None else 0)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
