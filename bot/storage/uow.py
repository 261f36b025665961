"""Unit of work: one connection, its transaction and repositories for one update or task."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar, overload

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot.storage import read_autocommit
from bot.storage.db import Database
from bot.storage.erasure import scrub_deleted_rows
from bot.storage.repositories import (
    AnswerRepository,
    CommitmentRepository,
    GroupRepository,
    InviteRepository,
    MeetingRepository,
    PacerRepository,
    PersonRepository,
    PromptRepository,
    RelationRepository,
    RunRepository,
    SummaryRepository,
)
from bot.storage.repositories.steps import StaleRun, StepRepository
from bot.storage.sqlite_inline import InlineConnection

# Said before committing a step that saves (see Database.step_engine): this transaction waits
# for the WAL flush although its connection's default is not to.
_DURABLE_COMMIT = text("SET LOCAL synchronous_commit TO on")


class ConcurrentUpdate(Exception):
    """Someone else changed a versioned row (a dialogue run) since this unit of work read it.

    Nothing of the unit of work was kept; run it again from the start to act on the fresh row.
    """


R = TypeVar("R")
# Where a unit of work keeps the repositories it made (cleared when it closes).
_REPOSITORY_SLOT = "_repository_"


class _Repository(Generic[R]):
    """A repository of a unit of work, made on first use (with the ORM session it needs)."""

    def __init__(self, make: Callable[[AsyncSession], R]) -> None:
        self._make = make
        self._slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = _REPOSITORY_SLOT + name

    @overload
    def __get__(self, uow: None, owner: type) -> _Repository[R]: ...

    @overload
    def __get__(self, uow: UnitOfWork, owner: type) -> R: ...

    def __get__(self, uow: UnitOfWork | None, owner: type) -> R | _Repository[R]:
        if uow is None:
            return self
        made: R | None = uow.__dict__.get(self._slot)
        if made is None:
            made = self._make(uow.session)
            uow.__dict__[self._slot] = made
        return made


class UnitOfWork:
    """`async with uow:` takes a connection; nothing is kept unless `await uow.commit()` is called.

    The ORM session (and the repositories that use it) is made on first use, on the same
    connection and transaction: a dialogue step that only needs `steps` (Core statements)
    never pays for one.
    """

    people = _Repository(PersonRepository)
    relations = _Repository(RelationRepository)
    invites = _Repository(InviteRepository)
    meetings = _Repository(MeetingRepository)
    runs = _Repository(RunRepository)
    answers = _Repository(AnswerRepository)
    commitments = _Repository(CommitmentRepository)
    groups = _Repository(GroupRepository)
    prompts = _Repository(PromptRepository)
    pacers = _Repository(PacerRepository)
    summaries = _Repository(SummaryRepository)

    def __init__(self, engine: AsyncEngine, step_engine: AsyncEngine | None = None) -> None:
        self._engine = engine
        self._step_engine = step_engine
        self._for_steps = False
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._steps: StepRepository | None = None
        self._database_is_sqlite = engine.dialect.name == "sqlite"
        self._database_is_postgresql = engine.dialect.name == "postgresql"

    def for_steps(self) -> UnitOfWork:
        """Marks this unit of work as a dialogue step (before `async with`): on PostgreSQL it
        runs on connections whose commits need not wait for the disk, and only
        `commit(durable=True)` waits. Returns the unit of work itself."""
        self._for_steps = True
        return self

    @property
    def _relaxed_by_default(self) -> bool:
        return (
            self._for_steps
            and self._step_engine is not None
            and self._step_engine is not self._engine
        )

    @property
    def connection(self) -> AsyncConnection:
        """The open connection (only inside `async with`)."""
        if self._connection is None:
            raise RuntimeError("UnitOfWork used outside `async with`")
        return self._connection

    @property
    def session(self) -> AsyncSession:
        """The ORM session on this unit of work's connection, made on first use."""
        if self._session is None:
            # Joining the connection's transaction (if Core statements began one) with
            # "rollback_only": the session's commit leaves committing it to `commit` below.
            self._session = AsyncSession(
                bind=self.connection, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
        return self._session

    @property
    def steps(self) -> StepRepository:
        """A dialogue step's own reads and writes (Core statements, no ORM session)."""
        if self._steps is None:
            self._steps = StepRepository(self.connection)
        return self._steps

    async def __aenter__(self) -> UnitOfWork:
        if self._connection is not None:
            raise RuntimeError("UnitOfWork is not re-entrant; create a new one per task")
        engine = self._step_engine if self._relaxed_by_default else self._engine
        assert engine is not None
        connection = engine.connect()
        await connection.start()
        self._connection = connection
        if self._database_is_postgresql:
            try:
                await read_autocommit.start_reading(connection)
            except BaseException:
                self._connection = None
                await connection.close()
                raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, connection = self._session, self.connection
        self._session = self._connection = self._steps = None
        for slot in [key for key in self.__dict__ if key.startswith(_REPOSITORY_SLOT)]:
            del self.__dict__[slot]
        try:
            if session is not None:
                # close() detaches the objects without expiring them, so callers can keep
                # reading what they loaded.
                await session.close()
        finally:
            try:
                if self._database_is_postgresql:
                    await read_autocommit.stop_reading(connection)
            except Exception:
                # A connection that cannot even switch modes (the server went away) is not
                # given to anyone else.
                await connection.invalidate()
            # Closing rolls back whatever was not committed and returns it to the pool.
            await connection.close()
        if isinstance(exc, StaleDataError | StaleRun):
            # A versioned UPDATE matched no row (wherever the flush happened: commit, an
            # explicit flush or an autoflush before a query): say so without SQLAlchemy types.
            raise ConcurrentUpdate(str(exc)) from exc

    async def commit(self, *, durable: bool = True) -> None:
        """Make everything done so far permanent.

        `durable=False` is for a dialogue step that saves nothing final: the commit then does
        not wait for the disk. It survives the bot process crashing, not a power cut (SQLite)
        or a crash of the database server (PostgreSQL, and only in a unit of work `for_steps`;
        others commit durably either way).
        """
        connection = self.connection
        if self._session is not None:
            await self._session.flush()
        if not connection.in_transaction():
            return  # nothing was read or written since the last commit
        written = not (self._database_is_postgresql and read_autocommit.still_reading(connection))
        if self._relaxed_by_default and durable and written:
            await connection.execute(_DURABLE_COMMIT)
        if not durable and self._database_is_sqlite:
            driver = (await connection.get_raw_connection()).driver_connection
            if isinstance(driver, InlineConnection):
                driver.relax_next_commit()
        if self._session is not None:
            # Ends the session's transaction: commits it if the session began it.
            await self._session.commit()
        if connection.in_transaction():
            await connection.commit()

    async def scrub_deleted(self) -> bool:
        """After a committed erasure: make deleted rows unreadable in the database's files."""
        return await scrub_deleted_rows(self._engine)

    async def flush(self) -> None:
        """Send pending changes to the database (assigning ids) without committing."""
        await self.session.flush()

    async def rollback(self) -> None:
        """Drop everything done since the last commit."""
        if self._session is not None:
            await self._session.rollback()
        if self.connection.in_transaction():
            await self.connection.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]


def make_uow_factory(database: Database) -> UnitOfWorkFactory:
    """A factory creating a fresh UnitOfWork on the database each time it is called."""

    def factory() -> UnitOfWork:
        return UnitOfWork(database.engine, database.step_engine)

    return factory
