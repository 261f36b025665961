"""Coach–client relations: joining a coach only when the client says yes, leaving, ending.

A coach sees a client's shared answers only while their relation is active, only answers given
since it (re)started, and only in the summaries the client releases; see `SummaryService`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.config import Settings
from bot.services.invites import InviteStatus, hash_token, invite_check, looks_like_token
from bot.services.people import PersonInfo, person_info
from bot.storage.models import Invite, Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory


class Access(StrEnum):
    """Where a coach stands with a client."""

    ACTIVE = "active"
    ENDED = "ended"  # they worked together; the client's answers are hidden from the coach now
    NONE = "none"


class JoinOutcome(StrEnum):
    """What opening or accepting another coach's invitation led to."""

    OFFER = "offer"  # ask the client first
    JOINED = "joined"
    ALREADY = "already"  # they already work together; the link stays unused
    OWN = "own"  # their own link
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


_INVALID = {
    InviteStatus.UNKNOWN: JoinOutcome.UNKNOWN,
    InviteStatus.USED: JoinOutcome.USED,
    InviteStatus.EXPIRED: JoinOutcome.EXPIRED,
}


@dataclass(frozen=True)
class JoinResult:
    """The outcome and the inviting coach (when known)."""

    outcome: JoinOutcome
    coach: PersonInfo | None = None


@dataclass(frozen=True)
class Ended:
    """A relation that was just ended: both people, to tell them."""

    coach: PersonInfo
    client: PersonInfo


async def check_client_invite(
    uow: UnitOfWork, person: Person, token: str, now: datetime
) -> tuple[JoinOutcome, Invite | None]:
    """Whether a registered person may join the coach behind a client invitation (nothing used)."""
    invite = await uow.invites.by_token_hash(hash_token(token)) if looks_like_token(token) else None
    if invite is not None and invite.created_by_id == person.id:
        return JoinOutcome.OWN, invite
    if invite is not None and await uow.relations.active(invite.created_by_id, person.id):
        return JoinOutcome.ALREADY, invite  # also for their own, already used link
    status = invite_check(invite, now).status
    if status is not InviteStatus.VALID or invite is None:
        return _INVALID.get(status, JoinOutcome.UNKNOWN), invite
    return JoinOutcome.OFFER, invite


async def end_relation(uow: UnitOfWork, coach_id: int, client_id: int, now: datetime) -> bool:
    """End an active relation and cancel the coming meetings it had; False if not active."""
    if await uow.relations.end(coach_id, client_id, now) is None:
        return False
    # A meeting with a coach one no longer works with anchors no preparation or summary, and
    # that coach's prompt offsets no longer apply: the scheduler re-plans the client.
    await uow.meetings.cancel_upcoming(client_id, coach_id, now)
    await uow.people.mark_replan(client_id, now)
    return True


class RelationService:
    """Starts relations with the client's consent and ends them from either side."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._admin_ids = settings.admin_telegram_ids

    def _info(self, person: Person) -> PersonInfo:
        return person_info(person, self._admin_ids)

    async def access(self, coach_id: int, client_id: int) -> tuple[Access, datetime | None]:
        """The coach's access to the client and, when active, since when answers are visible."""
        async with self._uow_factory() as uow:
            relation = await uow.relations.get(coach_id, client_id)
        if relation is None:
            return Access.NONE, None
        if relation.ended_at is not None:
            return Access.ENDED, None
        return Access.ACTIVE, relation.created_at

    async def coaches_of(self, client_id: int) -> list[PersonInfo]:
        """The client's current coaches."""
        async with self._uow_factory() as uow:
            return [self._info(coach) for coach in await uow.relations.coaches_of(client_id)]

    async def join(self, person_id: int, token: str, now: datetime) -> JoinResult:
        """The client said yes to an invitation: use it and start (or reopen) the relation."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None or person.consent_at is None:
                return JoinResult(JoinOutcome.UNKNOWN)
            outcome, invite = await check_client_invite(uow, person, token, now)
            coach = await uow.people.get(invite.created_by_id) if invite is not None else None
            coach_info = self._info(coach) if coach is not None else None
            if outcome is not JoinOutcome.OFFER or invite is None or invite.kind != "client":
                return JoinResult(outcome, coach_info)
            # The conditional UPDATE makes a double tap (or a race) join once.
            if await uow.invites.use(invite.token_hash, person.id, now) is None:
                return JoinResult(JoinOutcome.USED, coach_info)
            await uow.relations.link(invite.created_by_id, person.id, now)
            await uow.people.mark_replan(person.id, now)  # the new coach's offsets may apply
            await uow.commit()
            return JoinResult(JoinOutcome.JOINED, coach_info)

    async def relation(self, coach_id: int, client_id: int) -> Ended | None:
        """Both people of an active relation (for confirmation texts), or None."""
        async with self._uow_factory() as uow:
            if await uow.relations.active(coach_id, client_id) is None:
                return None
            return await self._pair(uow, coach_id, client_id)

    async def end(self, coach_id: int, client_id: int, now: datetime) -> Ended | None:
        """End an active relation (the client left, or the coach ended it); None if not active."""
        async with self._uow_factory() as uow:
            if not await end_relation(uow, coach_id, client_id, now):
                return None
            pair = await self._pair(uow, coach_id, client_id)
            await uow.commit()
            return pair

    async def _pair(self, uow: UnitOfWork, coach_id: int, client_id: int) -> Ended | None:
        coach = await uow.people.get(coach_id)
        client = await uow.people.get(client_id)
        if coach is None or client is None:
            return None
        return Ended(self._info(coach), self._info(client))
