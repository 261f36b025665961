"""Meetings of clients with their coach or Backstage group."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Meeting


class MeetingRepository:
    """Plans and finds meetings."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, meeting: Meeting) -> Meeting:
        """Store a new meeting and assign its id."""
        self.session.add(meeting)
        await self.session.flush()
        return meeting

    async def get(self, meeting_id: int) -> Meeting | None:
        """The meeting with this id, or None."""
        return await self.session.get(Meeting, meeting_id)

    async def next_for_client(
        self,
        client_id: int,
        now: datetime,
        *,
        coach_id: int | None = None,
        kind: str | None = None,
    ) -> Meeting | None:
        """The client's first meeting at or after `now` (with this coach, of this kind, if
        given), or None."""
        statement = select(Meeting).where(
            Meeting.client_id == client_id, Meeting.starts_at >= now, Meeting.cancelled_at.is_(None)
        )
        if coach_id is not None:
            statement = statement.where(Meeting.coach_id == coach_id)
        if kind is not None:
            statement = statement.where(Meeting.kind == kind)
        result = await self.session.scalars(
            statement.order_by(Meeting.starts_at, Meeting.id).limit(1)
        )
        return result.first()

    async def upcoming_for_client(
        self, client_id: int, now: datetime, *, limit: int | None = None
    ) -> Sequence[Meeting]:
        """The client's meetings starting after `now` that are not cancelled, earliest first."""
        result = await self.session.scalars(
            select(Meeting)
            .where(
                Meeting.client_id == client_id,
                Meeting.starts_at > now,
                Meeting.cancelled_at.is_(None),
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
        return result.all()

    async def last_held_for_client(
        self, client_id: int, now: datetime, *, kind: str | None = None
    ) -> Meeting | None:
        """The client's latest meeting (of this kind, if given) that has started by `now` and
        was not cancelled (held)."""
        statement = select(Meeting).where(
            Meeting.client_id == client_id,
            Meeting.starts_at <= now,
            Meeting.cancelled_at.is_(None),
        )
        if kind is not None:
            statement = statement.where(Meeting.kind == kind)
        result = await self.session.scalars(
            statement.order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1)
        )
        return result.first()

    async def list_for_client(self, client_id: int) -> Sequence[Meeting]:
        """All meetings of the client, earliest first."""
        result = await self.session.scalars(
            select(Meeting)
            .where(Meeting.client_id == client_id)
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return result.all()

    async def group_rows_among(self, meeting_ids: Sequence[int]) -> set[int]:
        """Which of these meetings are members' rows of a Backstage group meeting."""
        if not meeting_ids:
            return set()
        result = await self.session.scalars(
            select(Meeting.id).where(
                Meeting.id.in_(list(meeting_ids)), Meeting.group_meeting_id.is_not(None)
            )
        )
        return set(result.all())

    async def list_for_coach(self, coach_id: int, since: datetime) -> Sequence[Meeting]:
        """The coach's meetings starting at or after `since`, earliest first."""
        result = await self.session.scalars(
            select(Meeting)
            .where(Meeting.coach_id == coach_id, Meeting.starts_at >= since)
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return result.all()

    async def cancel_upcoming(self, client_id: int, coach_id: int, now: datetime) -> int:
        """Cancel the client's meetings with this coach that have not started; how many."""
        result = await self.session.execute(
            update(Meeting)
            .where(
                Meeting.client_id == client_id,
                Meeting.coach_id == coach_id,
                Meeting.starts_at > now,
                Meeting.cancelled_at.is_(None),
            )
            .values(cancelled_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def delete(self, meeting_id: int) -> bool:
        """Remove a meeting; runs linked to it keep existing without the link."""
        result = await self.session.execute(
            delete(Meeting).where(Meeting.id == meeting_id),
            execution_options={"synchronize_session": "fetch"},
        )
        return bool(getattr(result, "rowcount", 0))
