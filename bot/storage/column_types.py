"""Column types: UTC-aware timestamps and values encrypted with the database's keyring."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.storage.crypto import Keyring

# The keyring travels on the engine's dialect object: each engine has its own dialect,
# and a TypeDecorator receives exactly that dialect when it converts values.
_KEYRING_ATTRIBUTE = "hemmaplan_keyring"


class MissingKeyringError(RuntimeError):
    """An encrypted column was used on a Database created without a keyring."""


def attach_keyring(dialect: Dialect, keyring: Keyring | None) -> None:
    """Make the keyring available to encrypted columns used through this dialect."""
    setattr(dialect, _KEYRING_ATTRIBUTE, keyring)


def keyring_of(dialect: Dialect) -> Keyring:
    """The keyring attached to a dialect, or an error that says how to fix it."""
    keyring = getattr(dialect, _KEYRING_ATTRIBUTE, None)
    if not isinstance(keyring, Keyring):
        raise MissingKeyringError("encrypted column used on a Database without a keyring")
    return keyring


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back as aware datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime (UTC)")
        value = value.astimezone(UTC)
        # SQLite has no time zone support; storing naive UTC keeps text comparisons correct.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return keyring_of(dialect).encrypt(value.encode("utf-8"))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring_of(dialect).decrypt(bytes(value)).decode("utf-8")


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value stored as a Fernet token; assign a new value to change it."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return keyring_of(dialect).encrypt(text.encode("utf-8"))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(keyring_of(dialect).decrypt(bytes(value)))
