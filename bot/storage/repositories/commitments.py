"""Commitments (åtaganden) and their follow-up status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Commitment


class CommitmentRepository:
    """Stores commitments and finds the open ones."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, commitment: Commitment) -> Commitment:
        """Store a new commitment and assign its id."""
        self.session.add(commitment)
        await self.session.flush()
        return commitment

    async def get(self, commitment_id: int) -> Commitment | None:
        """The commitment with this id, or None."""
        return await self.session.get(Commitment, commitment_id)

    async def open_for(self, person_id: int) -> Sequence[Commitment]:
        """The person's open commitments, soonest due first."""
        result = await self.session.scalars(
            select(Commitment)
            .where(Commitment.person_id == person_id, Commitment.status == "open")
            .order_by(Commitment.due_date, Commitment.id)
        )
        return result.all()

    async def list_for(self, person_id: int) -> Sequence[Commitment]:
        """All of the person's commitments, newest first."""
        result = await self.session.scalars(
            select(Commitment)
            .where(Commitment.person_id == person_id)
            .order_by(Commitment.created_at.desc(), Commitment.id.desc())
        )
        return result.all()

    async def open_due_by(self, day: date) -> Sequence[Commitment]:
        """Everyone's open commitments due on or before `day`, soonest first."""
        result = await self.session.scalars(
            select(Commitment)
            .where(Commitment.status == "open", Commitment.due_date <= day)
            .order_by(Commitment.due_date, Commitment.id)
        )
        return result.all()

    async def set_status(self, commitment: Commitment, status: str, now: datetime) -> None:
        """Record the follow-up answer (done, partly, not_yet, dropped or open again)."""
        commitment.status = status
        commitment.checked_at = now
        commitment.updated_at = now
        await self.session.flush()
