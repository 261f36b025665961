"""Schema migrations (Alembic, configured in code so it works from any directory)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from bot.storage.crypto import Keyring
from bot.storage.db import Database

_Action = Callable[[Config], None]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Revision modules must be importable names for mypy, hence the leading letter.
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    if url is not None:
        # ConfigParser treats % as interpolation; URLs may contain percent-escapes.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade_database(
    target: str | Database, keyring: Keyring | None = None, revision: str = "head"
) -> None:
    """Migrate the database (a URL or a Database) to `revision`, creating it if needed."""
    await _run(target, keyring, lambda config: command.upgrade(config, revision))


async def downgrade_database(
    target: str | Database, keyring: Keyring | None = None, revision: str = "base"
) -> None:
    """Migrate the database down to `revision` (`base` drops every table)."""
    await _run(target, keyring, lambda config: command.downgrade(config, revision))


async def current_revision(target: str | Database) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    database, owned = _database(target, None)
    try:
        async with database.engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        if owned:
            await database.dispose()


def head_revision() -> str | None:
    """The newest revision in the packaged migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _database(target: str | Database, keyring: Keyring | None) -> tuple[Database, bool]:
    if isinstance(target, Database):
        return target, False
    return Database(target, keyring), True


async def _run(target: str | Database, keyring: Keyring | None, action: _Action) -> None:
    database, owned = _database(target, keyring)

    def migrate(connection: Connection) -> None:
        config = alembic_config(database.url)
        # env.py uses this connection (and so the engine's keyring) instead of opening one.
        config.attributes["connection"] = connection
        action(config)

    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(migrate)
    finally:
        if owned:
            await database.dispose()
