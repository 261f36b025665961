"""Whether a refused send means the person can no longer be reached at all."""

from __future__ import annotations

from telegram.error import BadRequest, Forbidden


def unreachable(exc: Exception) -> bool:
    """True when the person blocked the bot (403) or their chat no longer exists: writing to
    them again is pointless until they come back, so they are marked inactive."""
    if isinstance(exc, Forbidden):
        return True
    return isinstance(exc, BadRequest) and "chat not found" in str(exc).lower()
