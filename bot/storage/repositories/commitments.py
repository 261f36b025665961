"""Commitments (åtaganden) and their follow-up status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CHECK_RESULTS, Commitment, CommitmentEvent


class CommitmentRepository:
    """Stores commitments and finds the open ones."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, commitment: Commitment) -> Commitment:
        """Store a new commitment (and its "created" event) and assign its id."""
        self.session.add(commitment)
        await self.session.flush()
        self.session.add(
            CommitmentEvent(
                commitment_id=commitment.id,
                person_id=commitment.person_id,
                kind="created",
                due_date=commitment.due_date,
                run_id=commitment.run_id,
                created_at=commitment.created_at,
            )
        )
        await self.session.flush()
        return commitment

    async def carry_on(self, parent: Commitment, rest: Commitment) -> Commitment:
        """Store `rest` as what remains of a partly done `parent`, and close the parent.

        The parent's own "partly" check-in is recorded first (record_check); closing it here
        keeps one open commitment for the remaining work, so it is followed up once.
        """
        rest.parent_id = parent.id
        parent.status = "done"
        parent.updated_at = rest.created_at
        return await self.add(rest)

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

    async def record_check(
        self,
        commitment: Commitment,
        result: str,
        now: datetime,
        *,
        new_due: date | None = None,
        note: str | None = None,
        run_id: int | None = None,
    ) -> CommitmentEvent:
        """Record a check-in answer: done and dropped close the commitment, partly and not_yet
        keep it open (with `new_due` as its new date when given); the event keeps the time."""
        if result not in CHECK_RESULTS:
            raise ValueError(f"unknown check-in result {result!r}")
        commitment.last_check = result
        commitment.status = result if result in ("done", "dropped") else "open"
        if new_due is not None and commitment.status == "open":
            commitment.due_date = new_due
        commitment.checked_at = now
        commitment.updated_at = now
        event = CommitmentEvent(
            commitment_id=commitment.id,
            person_id=commitment.person_id,
            kind=result,
            due_date=new_due,
            note=note,
            run_id=run_id,
            created_at=now,
        )
        self.session.add(event)
        await self.session.flush()
        return event

    async def move_due(self, commitment: Commitment, new_due: date, now: datetime) -> None:
        """Give an open commitment a new date (kept as a "moved" event)."""
        commitment.due_date = new_due
        commitment.updated_at = now
        self.session.add(
            CommitmentEvent(
                commitment_id=commitment.id,
                person_id=commitment.person_id,
                kind="moved",
                due_date=new_due,
                created_at=now,
            )
        )
        await self.session.flush()

    async def events_for(self, commitment_id: int) -> Sequence[CommitmentEvent]:
        """The commitment's history, oldest first."""
        result = await self.session.scalars(
            select(CommitmentEvent)
            .where(CommitmentEvent.commitment_id == commitment_id)
            .order_by(CommitmentEvent.created_at, CommitmentEvent.id)
        )
        return result.all()

    async def events_of_person(self, person_id: int) -> Sequence[CommitmentEvent]:
        """Every event of the person's commitments, oldest first (one query for a summary)."""
        result = await self.session.scalars(
            select(CommitmentEvent)
            .where(CommitmentEvent.person_id == person_id)
            .order_by(CommitmentEvent.created_at, CommitmentEvent.id)
        )
        return result.all()
