"""The key check: a known text stored encrypted, so a lost or changed key is noticed at start-up.

Without it, a missing key file was silently replaced by a new key: old rows then failed to
decrypt and new rows were written under a key that cannot read the old ones.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Integer, LargeBinary, column, insert, inspect, select, table, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import SettingsError
from bot.storage.column_types import UTCDateTime, keyring_of
from bot.storage.crypto import Keyring, KeyringError
from bot.storage.db import Database
from bot.storage.models import ENCRYPTED_COLUMNS, KeyCheck

MARKER = "hemmaplan key check 1"
_ROW_ID = 1
_TABLE = KeyCheck.__tablename__
# Raw tokens: the check must see a value that does not decrypt instead of an exception.
_raw = table(
    _TABLE,
    column("id", Integer),
    column("marker", LargeBinary),
    column("created_at", UTCDateTime()),
)
_DATA_COLUMNS = {name: cols for name, cols in ENCRYPTED_COLUMNS.items() if name != _TABLE}

WRONG_KEY = (
    "HEMMAPLAN_SECRET_KEY: this key does not decrypt the data already stored (was the key or "
    "the key file secret.key changed?); start with the key the data was written with"
)
NOT_MIGRATED = (
    "HEMMAPLAN_DATABASE_URL: the database has no key check yet; run `hemmaplan db upgrade`"
)


async def verify_key(database: Database) -> None:
    """Check the keyring against the stored marker (writing it the first time); else refuse.

    Raises SettingsError when a key does not fit data already stored. A database without any
    encrypted data simply adopts the current key.
    """
    keyring = keyring_of(database.engine.sync_engine.dialect)
    for _ in range(2):
        try:
            async with database.engine.begin() as connection:
                await _verify(connection, keyring)
            return
        except IntegrityError:
            # Another process wrote the marker at the same moment: check against theirs.
            continue
    raise SettingsError(WRONG_KEY)


async def _verify(connection: AsyncConnection, keyring: Keyring) -> None:
    if not await connection.run_sync(lambda sync: inspect(sync).has_table(_TABLE)):
        raise SettingsError(NOT_MIGRATED)
    stored = await connection.scalar(select(_raw.c.marker).where(_raw.c.id == _ROW_ID))
    if stored is not None and _fits(keyring, bytes(stored)):
        return
    sample = await _sample_token(connection)
    if sample is not None and not _fits(keyring, sample, expected=None):
        raise SettingsError(WRONG_KEY)
    token = keyring.encrypt(MARKER.encode("utf-8"))
    if stored is None:
        await connection.execute(
            insert(_raw).values(id=_ROW_ID, marker=token, created_at=datetime.now(UTC))
        )
    elif sample is None:
        # A marker under another key but no data it could protect: take the new key.
        await connection.execute(
            update(_raw)
            .where(_raw.c.id == _ROW_ID)
            .values(marker=token, created_at=datetime.now(UTC))
        )
    else:
        # Data that decrypts but a marker that does not: the marker alone is not trusted.
        raise SettingsError(WRONG_KEY)


def _fits(keyring: Keyring, token: bytes, expected: str | None = MARKER) -> bool:
    try:
        plain = keyring.decrypt(token)
    except KeyringError:
        return False
    return expected is None or plain == expected.encode("utf-8")


async def _sample_token(connection: AsyncConnection) -> bytes | None:
    """One stored encrypted value (any table), or None when nothing encrypted is stored."""
    for table_name, column_names in _DATA_COLUMNS.items():
        for name in column_names:
            raw = table(table_name, column(name, LargeBinary))
            value = await connection.scalar(
                select(raw.c[name]).where(raw.c[name].is_not(None)).limit(1)
            )
            if value is not None:
                return bytes(value)
    return None


def embedded_database_holds_data(path: Path) -> bool:
    """True when the SQLite file exists and stores any encrypted value (read-only look)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        for table_name, column_names in _DATA_COLUMNS.items():
            if table_name not in tables:
                continue
            for name in column_names:
                query = f'SELECT 1 FROM "{table_name}" WHERE "{name}" IS NOT NULL LIMIT 1'
                if connection.execute(query).fetchone() is not None:
                    return True
        return False
    except sqlite3.Error:
        # Unreadable: assume it holds data rather than put a new key beside it.
        return True
    finally:
        connection.close()
