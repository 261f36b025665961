"""Shared send schedules (`send_pacers`): processes reserve send slots so that together they
stay within one rate, without holding a lock while they wait for their slots."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import SendPacer

# Two processes rarely collide on the row; a few compare-and-swap rounds always suffice.
MAX_ROUNDS = 50


class PacerRepository:
    """Reserves slots on a named pacer with compare-and-swap (works alike on both databases)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def advance(self, name: str, now: datetime, count: int, interval: timedelta) -> datetime:
        """Take `count` slots `interval` apart, the first at or after `now`; return that first
        slot. Each round is its own short transaction: call on a session used for nothing else."""
        for _ in range(MAX_ROUNDS):
            current = await self.session.scalar(
                select(SendPacer.next_at).where(SendPacer.name == name)
            )
            # End the read before writing: SQLite refuses (rather than waits) to turn a read
            # into a write after another process wrote meanwhile; the UPDATE below waits.
            await self.session.rollback()
            if current is None:
                try:
                    self.session.add(SendPacer(name=name, next_at=now + interval * count))
                    await self.session.commit()
                    return now
                except IntegrityError:
                    # Another process created the row first: use it.
                    await self.session.rollback()
                    continue
            first = max(current, now)
            result = await self.session.execute(
                update(SendPacer)
                .where(SendPacer.name == name, SendPacer.next_at == current)
                .values(next_at=first + interval * count)
                .execution_options(synchronize_session=False)
            )
            await self.session.commit()
            if getattr(result, "rowcount", 0) == 1:
                return first
        raise RuntimeError(f"send pacer {name!r}: could not reserve a slot")
