"""Coach-client relations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CoachClient, Person


class RelationRepository:
    """Which coach works with which client."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def link(self, coach_id: int, client_id: int, now: datetime) -> CoachClient:
        """Link a coach and a client; return the existing link if there is one."""
        existing = await self.get(coach_id, client_id)
        if existing is not None:
            return existing
        relation = CoachClient(coach_id=coach_id, client_id=client_id, created_at=now)
        self.session.add(relation)
        await self.session.flush()
        return relation

    async def get(self, coach_id: int, client_id: int) -> CoachClient | None:
        """The link between this coach and client, or None."""
        result = await self.session.scalars(
            select(CoachClient).where(
                CoachClient.coach_id == coach_id, CoachClient.client_id == client_id
            )
        )
        return result.one_or_none()

    async def unlink(self, coach_id: int, client_id: int) -> bool:
        """Remove the link; True if there was one."""
        result = await self.session.execute(
            delete(CoachClient).where(
                CoachClient.coach_id == coach_id, CoachClient.client_id == client_id
            ),
            execution_options={"synchronize_session": "fetch"},
        )
        return bool(getattr(result, "rowcount", 0))

    async def clients_of(self, coach_id: int) -> Sequence[Person]:
        """The coach's clients, in the order they were linked."""
        result = await self.session.scalars(
            select(Person)
            .join(CoachClient, CoachClient.client_id == Person.id)
            .where(CoachClient.coach_id == coach_id)
            .order_by(CoachClient.id)
        )
        return result.all()

    async def coaches_of(self, client_id: int) -> Sequence[Person]:
        """The client's coaches, in the order they were linked."""
        result = await self.session.scalars(
            select(Person)
            .join(CoachClient, CoachClient.coach_id == Person.id)
            .where(CoachClient.client_id == client_id)
            .order_by(CoachClient.id)
        )
        return result.all()
