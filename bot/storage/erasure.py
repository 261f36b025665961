"""Scrubbing after an erasure, so deleted rows cannot be read back from the database's files.

SQLite (with `secure_delete` on every connection, see bot.storage.db) zeroes deleted content,
but a WAL file keeps the pages as they were before the delete until a checkpoint, and free pages
of an older database may still hold earlier versions: VACUUM rewrites the file with live rows
only, then a TRUNCATE checkpoint empties the WAL. PostgreSQL keeps deleted tuples in its table
files until they are reused: VACUUM FULL rewrites the tables that hold a person's encrypted text.
Neither reaches copies outside the database (backups, PostgreSQL's own WAL archive); the README
says so.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import ENCRYPTED_COLUMNS, KeyCheck

log = logging.getLogger(__name__)

# The tables that hold a person's encrypted text (the key check is nobody's).
PERSON_TEXT_TABLES = tuple(name for name in ENCRYPTED_COLUMNS if name != KeyCheck.__tablename__)


async def scrub_deleted_rows(engine: AsyncEngine) -> bool:
    """Rewrite the storage so deleted rows are gone from its files; False if it could not."""
    try:
        async with engine.connect() as connection:
            # VACUUM refuses to run inside a transaction.
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "sqlite":
                await connection.exec_driver_sql("VACUUM")
                result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                row = result.one_or_none()
                # (busy, WAL frames, frames checkpointed); busy = 1 means a reader held it back.
                if row is not None and row[0] != 0:
                    log.warning("after an erasure the WAL could not be emptied (busy reader)")
                    return False
            else:
                await connection.exec_driver_sql("VACUUM FULL " + ", ".join(PERSON_TEXT_TABLES))
    except DBAPIError:
        log.warning("after an erasure the database could not be vacuumed", exc_info=True)
        return False
    return True
