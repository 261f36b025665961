"""One-time invitation links: random tokens stored only as hashes, with an expiry."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.config import Settings
from bot.storage.models import Invite
from bot.storage.uow import UnitOfWorkFactory

# Telegram deep-link payloads allow at most 64 characters of [A-Za-z0-9_-].
_TOKEN_BYTES = 24


class InviteStatus(StrEnum):
    """Whether a token may be used."""

    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class InviteCheck:
    """The result of looking a token up."""

    status: InviteStatus
    invite_id: int | None = None
    kind: str | None = None
    created_by_id: int | None = None


def hash_token(token: str) -> str:
    """The stored form of a token (SHA-256 hex); tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def deep_link(bot_username: str, token: str) -> str:
    """The t.me link that opens the bot with /start <token>."""
    return f"https://t.me/{bot_username}?start={token}"


def looks_like_token(text: str) -> bool:
    """True for strings that could be a token (cheap check before a database lookup)."""
    return 16 <= len(text) <= 64 and all(c.isalnum() or c in "-_" for c in text)


class InviteService:
    """Creates and checks one-time invitations for coaches and clients."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._ttl = timedelta(hours=settings.invite_ttl_hours)

    async def create(self, kind: str, created_by_id: int, now: datetime) -> str:
        """Create an invitation of `kind` ("coach" or "client") and return its secret token."""
        if kind not in ("coach", "client"):
            raise ValueError(f"unknown invite kind {kind!r}")
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        async with self._uow_factory() as uow:
            await uow.invites.add(
                Invite(
                    token_hash=hash_token(token),
                    kind=kind,
                    created_by_id=created_by_id,
                    expires_at=now + self._ttl,
                )
            )
            await uow.commit()
        return token


def invite_check(invite: Invite | None, now: datetime) -> InviteCheck:
    """Classify an invite row at time `now`."""
    if invite is None:
        return InviteCheck(InviteStatus.UNKNOWN)
    if invite.used_at is not None:
        status = InviteStatus.USED
    elif invite.expires_at <= now:
        status = InviteStatus.EXPIRED
    else:
        status = InviteStatus.VALID
    return InviteCheck(status, invite.id, invite.kind, invite.created_by_id)
