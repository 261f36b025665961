"""SQLite for the async engine without a thread hop per statement.

aiosqlite runs every call (cursor, execute, fetch, commit) on a thread of its own and wakes the
event loop for each result: about 19 hops and 1.6 ms per update, while SQLite's own work in WAL
is a few tens of microseconds. This driver runs statements on the calling thread instead, as
plain `sqlite3` calls inside SQLAlchemy's greenlet, and moves off the event loop only what can
wait long:

- a durable COMMIT, which waits for the disk: one hop to a worker thread per unit of work,
  awaited, so what it saved is on disk before the reply that acknowledges it;
- VACUUM and WAL checkpoints (erasure), which rewrite the file;
- a statement that finds the database locked by another connection. On the loop the busy
  timeout is 0, so a locked database never blocks other updates; the statement is retried on a
  worker thread that waits up to `BUSY_TIMEOUT_MS` for the lock, as aiosqlite would have.

Durability per commit: connections run with `synchronous=NORMAL`, and a durable commit (the
default) then fsyncs the WAL file itself, which is what `synchronous=FULL` does at every commit.
A commit marked `relax_next_commit()` (a dialogue step that saves nothing final) skips that
fsync and runs in place: it is committed before the reply and survives the process crashing,
but an OS crash or power cut may lose it, and the next durable commit makes it durable too.

It is registered as the `sqlite+hemmaplan` driver; `bot.storage.db.Database` uses it for every
SQLite URL (settings and docs keep saying `sqlite+aiosqlite://`, which means the same file).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable
from concurrent import futures
from typing import Any, TypeVar, cast

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine.url import URL
from sqlalchemy.util.concurrency import await_, in_greenlet

DRIVER = "hemmaplan"
# How long a statement waits for another connection's lock (on a worker thread).
BUSY_TIMEOUT_MS = 5000
_SQLITE_BUSY = 5
_SQLITE_BUSY_SNAPSHOT = 517  # a stale read snapshot: waiting does not help, the caller retries
# Statements that may run for long (they rewrite the file): never on the event loop.
_SLOW_PREFIXES = ("VACUUM", "PRAGMA WAL_CHECKPOINT")

T = TypeVar("T")
# Durable commits and lock waits run on separate threads: a commit queued behind statements
# that wait for the lock it would release would hold everyone up until their busy timeout.
_COMMITS = futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="sqlite-commit")
_LOCK_WAITS = futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="sqlite-wait")


async def _ready() -> None:
    """An awaitable that completes at once (see `_yield_point`)."""


def _yield_point() -> None:
    # SQLAlchemy's async engine checks that a driver awaited something for Core statements (a
    # guard against sync drivers used by mistake); completing an empty coroutine costs ~2 µs.
    if in_greenlet():
        await_(_ready())


def _off_loop(call: Callable[[], T], workers: futures.ThreadPoolExecutor) -> T:
    """Runs `call` on a worker thread and waits for it without blocking the event loop."""
    if not in_greenlet():
        return call()  # a plain sync caller (pool clean-up): nothing to keep free
    running = workers.submit(call)
    try:
        return await_(asyncio.wrap_future(running))
    except BaseException:
        # Cancelled while the thread still uses the connection: wait for it (at most the busy
        # timeout), so the connection is not closed or reused under the thread's feet.
        futures.wait([running])
        raise


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == _SQLITE_BUSY and code != _SQLITE_BUSY_SNAPSHOT


class InlineCursor:
    """A sqlite3 cursor whose statements run in place, long or blocked ones on a thread."""

    __slots__ = ("_connection", "_cursor")

    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        """Runs one statement (see the module docstring for where)."""
        if sql.lstrip()[:22].upper().startswith(_SLOW_PREFIXES):
            self._connection.waiting(lambda: self._cursor.execute(sql, parameters))
            return self
        _yield_point()
        try:
            self._cursor.execute(sql, parameters)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            self._connection.waiting(lambda: self._cursor.execute(sql, parameters))
        return self

    def executemany(self, sql: str, parameters: Any) -> InlineCursor:
        """Runs one statement for each parameter set."""
        _yield_point()
        try:
            self._cursor.executemany(sql, parameters)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            self._connection.waiting(lambda: self._cursor.executemany(sql, parameters))
        return self

    @property
    def description(self) -> Any:
        """Column descriptions of the last result (DBAPI)."""
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement (DBAPI)."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The row id of the last inserted row (DBAPI)."""
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        """Rows per fetchmany() (DBAPI)."""
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    def fetchone(self) -> Any:
        """The next row, or None."""
        return self._cursor.fetchone()

    def fetchmany(self, size: int | None = None) -> list[Any]:
        """The next `size` rows."""
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        return self._cursor.fetchall()

    def close(self) -> None:
        """Releases the cursor."""
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        # Called by SQLAlchemy's async results on drivers that prefetch; sqlite3 rows stay
        # readable from the cursor until SQLAlchemy closes it.
        return None

    def __iter__(self) -> Any:
        return iter(self._cursor)


class InlineConnection:
    """A sqlite3 connection for the async engine: statements in place, commits on a thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._relaxed = False
        self._wal_path: str | None = None

    def waiting(
        self, call: Callable[[], T], workers: futures.ThreadPoolExecutor = _LOCK_WAITS
    ) -> T:
        """Runs `call` on a worker thread, waiting for other connections' locks meanwhile."""

        def run() -> T:
            self._connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            try:
                return call()
            finally:
                self._connection.execute("PRAGMA busy_timeout=0")

        return _off_loop(run, workers)

    def relax_next_commit(self) -> None:
        """The next commit need not wait for the disk (see the module docstring)."""
        self._relaxed = True

    def _wal(self) -> str | None:
        """The WAL file of the main database (None in memory)."""
        if self._wal_path is None:
            row = self._connection.execute("PRAGMA database_list").fetchone()
            self._wal_path = f"{row[2]}-wal" if row is not None and row[2] else ""
        return self._wal_path or None

    def _commit_durably(self) -> None:
        self._connection.commit()
        wal = self._wal()
        if wal is None:
            return
        # fsync flushes the file whatever descriptor it is called on: the same as FULL does.
        try:
            descriptor = os.open(wal, os.O_RDONLY)
        except FileNotFoundError:
            return  # no WAL (not in WAL mode): NORMAL synced the database file itself
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def cursor(self) -> InlineCursor:
        """A new cursor."""
        return InlineCursor(self, self._connection.cursor())

    def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        """Runs one statement on a new cursor."""
        return self.cursor().execute(sql, parameters)

    def commit(self) -> None:
        """Commits; a durable commit waits for the disk on a worker thread, so other updates go
        on meanwhile."""
        relaxed, self._relaxed = self._relaxed, False
        if not self._connection.in_transaction:
            return
        if relaxed:
            _yield_point()
            try:
                self._connection.commit()
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                self.waiting(self._commit_durably)
                return
        self.waiting(self._commit_durably, _COMMITS)

    def rollback(self) -> None:
        """Drops the open transaction (quick: nothing waits for the disk)."""
        self._relaxed = False
        self._connection.rollback()

    def close(self) -> None:
        """Closes the connection."""
        self._connection.close()

    @property
    def isolation_level(self) -> str | None:
        """sqlite3's transaction mode (None: autocommit)."""
        return self._connection.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._connection.isolation_level = cast(Any, value)  # sqlite3 checks the value

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open."""
        return self._connection.in_transaction

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """Registers an SQL function (SQLAlchemy's regexp and floor)."""
        self._connection.create_function(*args, **kwargs)


class _InlineDBAPI:
    """The sqlite3 module, except that connections are `InlineConnection`s."""

    def __init__(self) -> None:
        self.paramstyle = "qmark"
        for name in (
            "DatabaseError",
            "DataError",
            "Error",
            "IntegrityError",
            "InterfaceError",
            "InternalError",
            "NotSupportedError",
            "OperationalError",
            "ProgrammingError",
            "Warning",
            "Binary",
            "PARSE_COLNAMES",
            "PARSE_DECLTYPES",
            "sqlite_version",
            "sqlite_version_info",
        ):
            setattr(self, name, getattr(sqlite3, name))

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:
        """Opens a connection that may be committed from a worker thread."""
        kwargs["check_same_thread"] = False
        # Locks are waited for on a worker thread (InlineConnection.waiting), never on the loop.
        kwargs["timeout"] = 0
        return InlineConnection(sqlite3.connect(*args, **kwargs))


class SQLiteDialect_inline(SQLiteDialect_pysqlite):
    """pysqlite's dialect, usable by `create_async_engine` (see the module docstring)."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> Any:
        return _InlineDBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool


registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialect_inline")


def inline_url(url: URL) -> URL:
    """The same SQLite database, opened with this driver."""
    return url.set(drivername=f"sqlite+{DRIVER}")
