"""Architecture guard and small Database behaviours."""

from __future__ import annotations

import re
from pathlib import Path

from storage_helpers import add_person

from bot.storage.crypto import Keyring
from bot.storage.db import Database
from bot.storage.migrate import upgrade_database
from bot.storage.uow import make_uow_factory

BOT_DIR = Path(__file__).resolve().parents[2] / "bot"
IMPORTS_SQLALCHEMY = re.compile(r"^\s*(from|import)\s+sqlalchemy\b", re.MULTILINE)


def test_only_the_storage_package_imports_sqlalchemy() -> None:
    offenders = [
        str(path.relative_to(BOT_DIR))
        for path in BOT_DIR.rglob("*.py")
        if "storage" not in path.relative_to(BOT_DIR).parts[:1]
        and IMPORTS_SQLALCHEMY.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


async def test_in_memory_sqlite_keeps_its_data_across_sessions() -> None:
    database = Database("sqlite+aiosqlite://", Keyring([Keyring.generate_key()]))
    try:
        await upgrade_database(database)
        factory = make_uow_factory(database)
        async with factory() as uow:
            person = await add_person(uow, display_name="Minne")
            await uow.commit()
        async with factory() as uow:
            loaded = await uow.people.get(person.id)
            assert loaded is not None and loaded.display_name == "Minne"
    finally:
        await database.dispose()


async def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    from sqlalchemy import text

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'x' / 'db.sqlite3'}")
    try:
        async with database.engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
    finally:
        await database.dispose()
    assert "db.sqlite3" in repr(database)
