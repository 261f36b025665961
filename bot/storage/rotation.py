"""Key rotation: re-encrypt every encrypted column with the keyring's primary key."""

from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, column, select, table, update

from bot.storage.column_types import keyring_of
from bot.storage.db import Database
from bot.storage.models import ENCRYPTED_COLUMNS

# Rows are re-encrypted in batches so a large table never sits in memory at once.
_BATCH = 500


async def rotate_keys(database: Database) -> int:
    """Re-encrypt all encrypted values with the primary key; return how many rows changed."""
    keyring = keyring_of(database.engine.sync_engine.dialect)
    touched = 0
    async with database.engine.begin() as connection:
        for table_name, column_names in ENCRYPTED_COLUMNS.items():
            # A lightweight table with plain binary columns reads and writes the raw tokens.
            raw = table(
                table_name,
                column("id", Integer),
                *(column(name, LargeBinary) for name in column_names),
            )
            last_id = 0
            while True:
                rows = (
                    await connection.execute(
                        select(raw).where(raw.c.id > last_id).order_by(raw.c.id).limit(_BATCH)
                    )
                ).all()
                if not rows:
                    break
                for row in rows:
                    last_id = row.id
                    values = {
                        name: keyring.rotate(bytes(token))
                        for name in column_names
                        if (token := getattr(row, name)) is not None
                    }
                    if values:
                        await connection.execute(
                            update(raw).where(raw.c.id == row.id).values(**values)
                        )
                        touched += 1
    return touched
