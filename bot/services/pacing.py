"""The bot's send budget, shared by every process on one database (the `send_pacers` row).

Telegram allows a bot about 30 messages a second in total and about one a second per chat.
Bulk sends (prompts) reserve consecutive slots on the shared row and wait for them; replies to
people talking to the bot never wait: they go out at once and are counted afterwards, which
pushes the bulk slots back. So replies always come first, and replies and bulk together stay
within the rate across processes. The pacer runs on the wall clock, not on the injected
business clock: it is about Telegram's real rate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.storage.uow import UnitOfWorkFactory

PACER_NAME = "bot"
# Telegram's documented ceiling per bot; `Settings.send_rate` stays a little below it.
TELEGRAM_RATE = 30.0
PER_CHAT_INTERVAL = 1.0
# The per-chat memory is pruned once it holds this many chats (only recent ones matter).
_CHAT_MEMORY = 4096


class SendBudget:
    """Reserves bulk send slots and counts replies against the same shared rate."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        rate: float,
        *,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._uow_factory = uow_factory
        self._interval = timedelta(seconds=1.0 / rate)
        self._wall = wall_clock
        self._replies = 0
        self._chat_free_at: dict[int, float] = {}
        self._hold_until = 0.0

    @property
    def interval(self) -> float:
        """Seconds between two slots."""
        return self._interval.total_seconds()

    def note_send(self, chat_id: int) -> None:
        """Count a message that went out without a reservation (a reply), and its chat."""
        self._replies += 1
        self._mark_chat(chat_id)

    def _mark_chat(self, chat_id: int) -> None:
        now = self._wall()
        if len(self._chat_free_at) >= _CHAT_MEMORY:
            self._chat_free_at = {c: t for c, t in self._chat_free_at.items() if t > now}
        self._chat_free_at[chat_id] = now + PER_CHAT_INTERVAL

    def hold(self, seconds: float) -> None:
        """Telegram said "retry after": no bulk send from this process before then."""
        self._hold_until = max(self._hold_until, self._wall() + seconds)

    async def flush(self) -> None:
        """Move the shared pacer past the replies sent since the last flush."""
        replies, self._replies = self._replies, 0
        if replies:
            await self._advance(replies)

    async def reserve(self, count: int) -> list[float]:
        """Reserve `count` consecutive bulk slots; returns their wall-clock times."""
        # Replies sent since the last reservation take the slots before ours (one round trip).
        replies, self._replies = self._replies, 0
        first = await self._advance(replies + count)
        step = self.interval
        start = first.timestamp() + replies * step
        return [start + index * step for index in range(count)]

    async def _advance(self, count: int) -> datetime:
        now = datetime.fromtimestamp(self._wall(), UTC)
        async with self._uow_factory() as uow:
            return await uow.pacers.advance(PACER_NAME, now, count, self._interval)

    async def wait_until(self, moment: float) -> None:
        """Sleep until the wall-clock `moment` (no-op if it has passed)."""
        delay = moment - self._wall()
        if delay > 0:
            await asyncio.sleep(delay)

    async def wait_for(self, slot: float, chat_id: int) -> None:
        """Sleep until the slot, the chat's next free second and any retry-after have passed;
        then claim the chat for the next second."""
        while True:
            ready = max(slot, self._chat_free_at.get(chat_id, 0.0), self._hold_until)
            delay = ready - self._wall()
            if delay <= 0:
                break
            await asyncio.sleep(delay)
        self._mark_chat(chat_id)
