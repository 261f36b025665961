"""Summary consent per (client, coach, meeting) and the audit log of who opened a summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import SummaryConsent, SummaryView


class SummaryRepository:
    """Stores the client's decisions about summaries and every view of one."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def consent(
        self, client_id: int, coach_id: int, meeting_id: int
    ) -> SummaryConsent | None:
        """The consent record for this client, coach and meeting, or None."""
        result = await self.session.scalars(
            select(SummaryConsent).where(
                SummaryConsent.client_id == client_id,
                SummaryConsent.coach_id == coach_id,
                SummaryConsent.meeting_id == meeting_id,
            )
        )
        return result.one_or_none()

    async def consent_by_id(self, consent_id: int) -> SummaryConsent | None:
        """The consent record with this id, or None."""
        return await self.session.get(SummaryConsent, consent_id)

    async def open_consent(
        self, client_id: int, coach_id: int, meeting_id: int, now: datetime
    ) -> SummaryConsent:
        """The consent record, created as pending if there is none yet."""
        found = await self.consent(client_id, coach_id, meeting_id)
        if found is not None:
            return found
        consent = SummaryConsent(
            client_id=client_id,
            coach_id=coach_id,
            meeting_id=meeting_id,
            status="pending",
            held_back=[],
            created_at=now,
            updated_at=now,
        )
        self.session.add(consent)
        await self.session.flush()
        return consent

    async def consents_for(
        self, client_id: int, *, coach_id: int | None = None
    ) -> Sequence[SummaryConsent]:
        """The client's consent records (with one coach, if given), newest first."""
        statement = select(SummaryConsent).where(SummaryConsent.client_id == client_id)
        if coach_id is not None:
            statement = statement.where(SummaryConsent.coach_id == coach_id)
        result = await self.session.scalars(
            statement.order_by(SummaryConsent.created_at.desc(), SummaryConsent.id.desc())
        )
        return result.all()

    async def add_view(self, view: SummaryView) -> SummaryView:
        """Record that someone opened a summary."""
        self.session.add(view)
        await self.session.flush()
        return view

    async def views_of(self, client_id: int, *, limit: int | None = None) -> Sequence[SummaryView]:
        """Who opened the client's summaries, newest first."""
        result = await self.session.scalars(
            select(SummaryView)
            .where(SummaryView.client_id == client_id)
            .order_by(SummaryView.viewed_at.desc(), SummaryView.id.desc())
            .limit(limit)
        )
        return result.all()
