"""Coach-client relations: active from `created_at` until `ended_at`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CoachClient, Person


class RelationRepository:
    """Which coach works with which client, and since when."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def link(self, coach_id: int, client_id: int, now: datetime) -> CoachClient:
        """Start (or reopen, with a new start) the relation; an active one is returned as is."""
        existing = await self.get(coach_id, client_id)
        if existing is not None:
            if existing.ended_at is not None:
                # A new start: what the client shared before the relation ended stays hidden.
                existing.created_at = now
                existing.ended_at = None
                await self.session.flush()
            return existing
        relation = CoachClient(coach_id=coach_id, client_id=client_id, created_at=now)
        self.session.add(relation)
        await self.session.flush()
        return relation

    async def get(self, coach_id: int, client_id: int) -> CoachClient | None:
        """The relation between this coach and client, active or ended, or None."""
        result = await self.session.scalars(
            select(CoachClient).where(
                CoachClient.coach_id == coach_id, CoachClient.client_id == client_id
            )
        )
        return result.one_or_none()

    async def active(self, coach_id: int, client_id: int) -> CoachClient | None:
        """The relation if it is active now, else None."""
        relation = await self.get(coach_id, client_id)
        return relation if relation is not None and relation.ended_at is None else None

    async def end(self, coach_id: int, client_id: int, now: datetime) -> CoachClient | None:
        """End an active relation; None if there was none to end."""
        relation = await self.active(coach_id, client_id)
        if relation is None:
            return None
        relation.ended_at = now
        await self.session.flush()
        return relation

    async def unlink(self, coach_id: int, client_id: int) -> bool:
        """Remove the relation row entirely; True if there was one."""
        result = await self.session.execute(
            delete(CoachClient).where(
                CoachClient.coach_id == coach_id, CoachClient.client_id == client_id
            ),
            execution_options={"synchronize_session": "fetch"},
        )
        return bool(getattr(result, "rowcount", 0))

    async def clients_of(self, coach_id: int) -> Sequence[Person]:
        """The coach's current clients, in the order they were first linked."""
        result = await self.session.scalars(
            select(Person)
            .join(CoachClient, CoachClient.client_id == Person.id)
            .where(CoachClient.coach_id == coach_id, CoachClient.ended_at.is_(None))
            .order_by(CoachClient.id)
        )
        return result.all()

    async def coaches_of(self, client_id: int) -> Sequence[Person]:
        """The client's current coaches, in the order they were first linked."""
        result = await self.session.scalars(
            select(Person)
            .join(CoachClient, CoachClient.coach_id == Person.id)
            .where(CoachClient.client_id == client_id, CoachClient.ended_at.is_(None))
            .order_by(CoachClient.id)
        )
        return result.all()

    async def involving(self, person_id: int) -> Sequence[CoachClient]:
        """Every relation, active or ended, in which the person is coach or client."""
        result = await self.session.scalars(
            select(CoachClient)
            .where(or_(CoachClient.coach_id == person_id, CoachClient.client_id == person_id))
            .order_by(CoachClient.id)
        )
        return result.all()
