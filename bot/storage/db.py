"""The database handle: async engine, session factory and SQLite connection settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from bot.storage import read_autocommit
from bot.storage.column_types import attach_keyring
from bot.storage.crypto import Keyring
from bot.storage.revisions import packaged_head
from bot.storage.sqlite_inline import inline_url


class Database:
    """One engine plus its session factory; encrypted columns use the given keyring."""

    def __init__(self, url: str, keyring: Keyring | None = None, *, echo: bool = False) -> None:
        """Create the engine (lazily connecting); an SQLite file's directory is created now."""
        self.url = url
        self.keyring = keyring
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        engine_options: dict[str, Any] = {"echo": echo}
        target: str | URL = url
        if self.is_sqlite:
            # Statements in place, commits on a worker thread: one thread hop per unit of work
            # instead of one per call (see bot.storage.sqlite_inline).
            target = inline_url(parsed)
            database = parsed.database or ""
            if database in ("", ":memory:"):
                # An in-memory database lives only as long as its one connection.
                engine_options["poolclass"] = StaticPool
            else:
                if not database.startswith("file:"):
                    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                # Opening a connection re-runs the pragmas below, which costs more than a whole
                # dialogue step: keep a few pooled (dispose() closes them).
                engine_options["pool_size"] = 5
                engine_options["max_overflow"] = 10
        # No pre-ping on PostgreSQL: it costs a round trip on every checkout, i.e. per update.
        # A connection the server dropped (restart, failover) fails its first use instead; that
        # error invalidates the whole pool, so one update gets the apology and is retried by the
        # person, and every later checkout gets a fresh connection.
        self.engine: AsyncEngine = create_async_engine(target, **engine_options)
        attach_keyring(self.engine.sync_engine.dialect, keyring)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _configure_sqlite_connection)
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )
        # Dialogue steps (UnitOfWork.for_steps) on PostgreSQL use connections whose commits do
        # not wait for the server's WAL flush; a step that saves asks for a durable commit
        # (UnitOfWork.commit). On SQLite the driver decides per commit (sqlite_inline).
        self.step_engine: AsyncEngine = self.engine
        if not self.is_sqlite:
            self.step_engine = create_async_engine(_relaxed_commits(parsed), **engine_options)
            attach_keyring(self.step_engine.sync_engine.dialect, keyring)
            # Units of work read outside a transaction until they write (see the module).
            for engine in (self.engine, self.step_engine):
                read_autocommit.attach(engine)
        self.step_sessionmaker: async_sessionmaker[AsyncSession] = (
            self.sessionmaker
            if self.step_engine is self.engine
            else async_sessionmaker(self.step_engine, expire_on_commit=False)
        )

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        """Every engine of this database (to listen to events on all of them)."""
        if self.step_engine is self.engine:
            return (self.engine,)
        return (self.engine, self.step_engine)

    @property
    def dialect_name(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    async def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in self.engines:
            await engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"


def _relaxed_commits(url: URL) -> URL:
    """The same PostgreSQL database, on connections whose commits do not wait for the WAL
    flush (`synchronous_commit=off`): such a commit is visible at once and consistent, and
    only a crash of the database server within a fraction of a second can lose it."""
    given = url.query.get("options", "")
    options = " ".join(given) if isinstance(given, tuple) else given
    return url.update_query_dict({"options": f"{options} -c synchronous_commit=off".strip()})


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # SQLite enforces foreign keys (and so ON DELETE CASCADE) only when asked, per connection.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # No waiting for another connection's lock on the event loop: the driver retries a
        # locked statement on a worker thread that waits (bot.storage.sqlite_inline).
        cursor.execute("PRAGMA busy_timeout=0")
        # NORMAL, and the driver fsyncs the WAL itself at every durable commit (what FULL does),
        # so what a reply acknowledges as saved is on disk first; a dialogue step's commit may
        # skip it (UnitOfWork.commit(durable=False)): such a commit survives the process
        # crashing, not a power cut. See bot.storage.sqlite_inline and the README.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed instead of left in free space (erasure).
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


async def upgrade_database(url: str | Database, keyring: Keyring | None = None) -> None:
    """Migrate the database to the newest schema (see bot.storage.migrate); cheap when current."""
    if await schema_is_current(url):
        return
    # Imported here: Alembic (and Mako) cost more to import than a whole start-up should take,
    # and are only needed when there is something to migrate; migrate imports this module.
    from bot.storage.migrate import upgrade_database as upgrade

    await upgrade(url, keyring)


async def schema_is_current(target: str | Database) -> bool:
    """True when the database's stored revision is the packaged head (one cheap query)."""
    head = packaged_head()
    if head is None:
        return False
    database = target if isinstance(target, Database) else Database(target)
    try:
        async with database.engine.connect() as connection:
            rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
    except DBAPIError:
        # No version table yet (a new database): Alembic creates it.
        return False
    finally:
        if database is not target:
            await database.dispose()
    return [row[0] for row in rows] == [head]
