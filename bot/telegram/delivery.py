"""Sending due prompts: the repeating job, paced batches, and what each Telegram answer means.

A short repeating job (PTB's JobQueue, i.e. APScheduler) wakes the sender; the sender asks the
delivery service for a bounded batch of due prompts (claimed in the database, so several
processes never send the same one), waits for shared send slots, sends, and records the batch.
Nothing per person is held in memory: the database rows are the schedule of record.

What Telegram's answers mean here:
- 429 "retry after N": this process holds all bulk sends for N seconds, then retries the same
  message (a few times; then it goes back into the plan for a later tick).
- 403 (blocked) or "chat not found": the person is marked inactive and all their planned
  prompts are cancelled; they come back when the person writes to the bot again.
- a network error: not delivered, so the prompt goes back into the plan. A timeout while
  sending may have delivered it, so it is not retried (see bot/services/delivery.py for why
  we err towards not sending twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.i18n import get_translator
from bot.runtime import Runtime
from bot.scheduling.plan import GROUP_CHAT
from bot.scheduling.summary_plan import SUMMARY_KINDS
from bot.services.delivery import Outgoing
from bot.services.pacing import SendBudget
from bot.services.people import PeopleService
from bot.telegram.prompts import render_prompt
from bot.telegram.reach import unreachable
from bot.telegram.rendering import split_message
from bot.telegram.summary_delivery import Sent, send_summary_prompt

log = logging.getLogger(__name__)

# How often one message is tried again after Telegram said "retry after".
RATE_LIMIT_RETRIES = 3
# A claim decides its whole batch in one transaction: keep it short (SQLite has one writer).
MAX_BATCH = 50
# A batch is about this many seconds of sending: long enough that claiming and reserving the
# next one (a few round trips to a busy database) fits into it.
BATCH_SECONDS = 2.0
REPLAN_BATCH = 100
BATCHES_IN_FLIGHT = 4
# Messages are marked as going out in groups of this many seconds of sending, this long before
# the group's first slot (time for the commit).
GROUP_SECONDS = 0.2
MARK_AHEAD = 1.0


@dataclass
class _BatchResult:
    delivered: dict[int, int] = field(default_factory=dict)
    undelivered: list[int] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


class PromptSender:
    """Drains due prompts in batches at the shared send rate; one drain at a time per process."""

    def __init__(
        self,
        runtime: Runtime,
        bot: Bot,
        budget: SendBudget,
        *,
        batch_size: int | None = None,
    ) -> None:
        self._rt = runtime
        self.bot = bot
        self._budget = budget
        # A stop waits for the batches in flight (a few seconds of sending at most).
        self._batch_size = batch_size or min(
            MAX_BATCH, max(1, round(runtime.settings.send_rate * BATCH_SECONDS))
        )
        self._drain: asyncio.Task[int] | None = None
        self._stopping = False
        self.sent_total = 0

    def wake(self) -> None:
        """Start a drain unless one is running (the repeating job calls this)."""
        if self._stopping or (self._drain is not None and not self._drain.done()):
            return
        self._drain = asyncio.create_task(self.drain(), name="hemmaplan-prompt-drain")
        self._drain.add_done_callback(_log_failure)

    async def stop(self) -> None:
        """Finish the batch in flight and stop draining."""
        self._stopping = True
        if self._drain is not None:
            await asyncio.gather(self._drain, return_exceptions=True)

    async def drain(self, should_stop: Callable[[], bool] | None = None) -> int:
        """Send due prompts batch by batch until none is due; returns how many went out."""
        sent = 0
        # People whose meetings, commitments or settings changed get their plan redone first.
        while (
            not self._stopping
            and await self._rt.schedule.replan_marked(self._rt.now(), REPLAN_BATCH) == REPLAN_BATCH
        ):
            pass
        # Two batches overlap: the next one is claimed and given its slots while the current
        # one is still sending, so the slots follow each other without a gap.
        in_flight: set[asyncio.Task[int]] = set()
        try:
            while not self._stopping and not (should_stop and should_stop()):
                claimed, batch = await self._rt.delivery.claim_batch(
                    self._rt.now(), self._batch_size
                )
                if not claimed:
                    break
                if not batch:
                    continue  # all cancelled or deferred at send time; more may be due
                slots = await self._budget.reserve(len(batch))
                in_flight.add(asyncio.create_task(self._send_batch(batch, slots)))
                if len(in_flight) >= BATCHES_IN_FLIGHT:
                    done, in_flight = await asyncio.wait(
                        in_flight, return_when=asyncio.FIRST_COMPLETED
                    )
                    sent += sum(task.result() for task in done)
        finally:
            sent += sum(await asyncio.gather(*in_flight))
        # Replies sent meanwhile still count against the shared rate.
        await self._budget.flush()
        self.sent_total += sent
        return sent

    async def _send_batch(self, batch: list[Outgoing], slots: list[float]) -> int:
        result = _BatchResult()
        size = max(1, round(self._rt.settings.send_rate * GROUP_SECONDS))
        await asyncio.gather(
            *(
                self._send_group(batch[start : start + size], slots[start : start + size], result)
                for start in range(0, len(batch), size)
            )
        )
        await self._rt.delivery.finish(
            self._rt.now(),
            delivered=result.delivered,
            undelivered=result.undelivered,
            blocked=result.blocked,
            failed=result.failed,
        )
        return len(result.delivered)

    async def _send_group(
        self, group: list[Outgoing], slots: list[float], result: _BatchResult
    ) -> None:
        """Mark a group as going out shortly before its first slot, then send each at its slot.
        Groups run side by side, so a slow commit never pushes the next group's slots back."""
        await self._budget.wait_until(slots[0] - MARK_AHEAD)
        # Only what this claim still holds is sent (a lease that ran out may have gone to
        # another process).
        taken = await self._rt.delivery.begin_sending(group)
        await asyncio.gather(
            *(
                self._send_one(outgoing, slot, result)
                for outgoing, slot in zip(group, slots, strict=True)
                if outgoing.prompt_id in taken
            )
        )

    async def _send_one(self, outgoing: Outgoing, slot: float, result: _BatchResult) -> None:
        if outgoing.kind in SUMMARY_KINDS:
            await self._budget.wait_for(slot, outgoing.telegram_id)
            sent = await send_summary_prompt(self._rt, self.bot, outgoing)
            if sent is Sent.RETRY:
                result.undelivered.append(outgoing.prompt_id)
            elif sent is Sent.FAILED:
                result.failed.append(outgoing.prompt_id)
            return
        settings = self._rt.settings
        t = get_translator(
            outgoing.locale or settings.default_locale,
            outgoing.timezone or settings.timezone,
            settings.locales_dir,
        )
        rendered = render_prompt(outgoing, t)
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            await self._budget.wait_for(slot, outgoing.telegram_id)
            try:
                message = await self.bot.send_message(
                    outgoing.telegram_id,
                    rendered.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=rendered.keyboard,
                    disable_web_page_preview=True,
                )
            except RetryAfter as exc:
                seconds = exc.retry_after
                wait = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
                self._budget.hold(wait)
                log.info("429 for prompt %s, retry after %ss", outgoing.prompt_id, wait)
                if attempt == RATE_LIMIT_RETRIES:
                    result.undelivered.append(outgoing.prompt_id)
                continue
            except (Forbidden, BadRequest) as exc:
                if outgoing.kind == GROUP_CHAT:
                    # Removed from the group's chat: not the facilitator blocking the bot.
                    log.info("group chat %s refused a reminder (%s)", outgoing.telegram_id, exc)
                    result.failed.append(outgoing.prompt_id)
                    await self._rt.groups.unlink_chat(outgoing.telegram_id)
                elif unreachable(exc):
                    log.info("person %s cannot be reached; prompts cancelled", outgoing.person_id)
                    result.blocked.append(outgoing.prompt_id)
                else:
                    # Sending it again would be refused again: record it as failed.
                    log.error("prompt %s refused: %s", outgoing.prompt_id, exc)
                    result.failed.append(outgoing.prompt_id)
            except TimedOut:
                # May have arrived: keep it as sent (no message id) rather than send it twice.
                log.warning("prompt %s timed out; not resent", outgoing.prompt_id)
            except NetworkError:
                result.undelivered.append(outgoing.prompt_id)
            else:
                result.delivered[outgoing.prompt_id] = message.message_id
            return


async def deliver(
    bot: Bot,
    people: PeopleService,
    telegram_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> bool:
    """Send one notice (HTML) to a person now; False (and marked inactive) if they blocked the
    bot. For single notices such as a meeting change; planned prompts go through PromptSender."""
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
    except (Forbidden, BadRequest) as exc:
        if not unreachable(exc):
            raise
        await people.set_active(telegram_id, False)
        log.info("user %s cannot be reached (%s); marked inactive", telegram_id, exc)
        return False
    return True


def _log_failure(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("prompt delivery failed", exc_info=task.exception())
