"""Invites: stored by token hash, used at most once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Invite


class InviteRepository:
    """Creates, finds and uses invites."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invite: Invite) -> Invite:
        """Store a new invite and assign its id."""
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def by_token_hash(self, token_hash: str) -> Invite | None:
        """The invite with this token hash (used or not, expired or not), or None."""
        result = await self.session.scalars(select(Invite).where(Invite.token_hash == token_hash))
        return result.one_or_none()

    async def use(self, token_hash: str, person_id: int, now: datetime) -> Invite | None:
        """Mark an unused, unexpired invite as used by the person; None if it cannot be used."""
        # One conditional UPDATE, so two people racing for the same link cannot both win.
        result = await self.session.execute(
            update(Invite)
            .where(
                Invite.token_hash == token_hash,
                Invite.used_at.is_(None),
                Invite.expires_at > now,
            )
            .values(used_at=now, used_by_id=person_id)
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0):
            return None
        refreshed = await self.session.scalars(
            select(Invite)
            .where(Invite.token_hash == token_hash)
            .execution_options(populate_existing=True)
        )
        return refreshed.one()

    async def expire_unused(self, creator_id: int, now: datetime, *, kinds: Sequence[str]) -> int:
        """Make the creator's unused links of these kinds expire now; how many there were."""
        result = await self.session.execute(
            update(Invite)
            .where(
                Invite.created_by_id == creator_id,
                Invite.kind.in_(tuple(kinds)),
                Invite.used_at.is_(None),
                Invite.expires_at > now,
            )
            .values(expires_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def list_by_creator(self, person_id: int) -> Sequence[Invite]:
        """Invites created by this person, newest first."""
        result = await self.session.scalars(
            select(Invite).where(Invite.created_by_id == person_id).order_by(Invite.id.desc())
        )
        return result.all()
