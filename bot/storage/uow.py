"""Unit of work: one session and its repositories for one update or scheduler task."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

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
from bot.storage.sqlite_inline import InlineConnection

# Said before committing a step that saves (see Database.step_engine): this transaction waits
# for the WAL flush although its connection's default is not to.
_DURABLE_COMMIT = text("SET LOCAL synchronous_commit TO on")


class ConcurrentUpdate(Exception):
    """Someone else changed a versioned row (a dialogue run) since this unit of work read it.

    Nothing of the unit of work was kept; run it again from the start to act on the fresh row.
    """


class UnitOfWork:
    """`async with uow:` opens a session; nothing is kept unless `await uow.commit()` is called."""

    people: PersonRepository
    relations: RelationRepository
    invites: InviteRepository
    meetings: MeetingRepository
    runs: RunRepository
    answers: AnswerRepository
    commitments: CommitmentRepository
    groups: GroupRepository
    prompts: PromptRepository
    pacers: PacerRepository
    summaries: SummaryRepository

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        step_sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._step_sessionmaker = step_sessionmaker
        self._for_steps = False
        self._session: AsyncSession | None = None
        bind = sessionmaker.kw.get("bind")
        self._database_is_sqlite = bind is not None and bind.dialect.name == "sqlite"

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
            and self._step_sessionmaker is not None
            and self._step_sessionmaker is not self._sessionmaker
        )

    @property
    def session(self) -> AsyncSession:
        """The open session (only inside `async with`)."""
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("UnitOfWork is not re-entrant; create a new one per task")
        maker = self._step_sessionmaker if self._relaxed_by_default else self._sessionmaker
        assert maker is not None
        session = maker()
        self._session = session
        self.people = PersonRepository(session)
        self.relations = RelationRepository(session)
        self.invites = InviteRepository(session)
        self.meetings = MeetingRepository(session)
        self.runs = RunRepository(session)
        self.answers = AnswerRepository(session)
        self.commitments = CommitmentRepository(session)
        self.groups = GroupRepository(session)
        self.prompts = PromptRepository(session)
        self.pacers = PacerRepository(session)
        self.summaries = SummaryRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        # close() rolls back whatever was not committed and detaches the objects without
        # expiring them, so callers can keep reading what they loaded.
        await session.close()
        if isinstance(exc, StaleDataError):
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
        if self._relaxed_by_default and durable:
            await self.session.execute(_DURABLE_COMMIT)
        if not durable and self._database_is_sqlite:
            connection = await self.session.connection()
            driver = (await connection.get_raw_connection()).driver_connection
            if isinstance(driver, InlineConnection):
                driver.relax_next_commit()
        await self.session.commit()

    async def scrub_deleted(self) -> bool:
        """After a committed erasure: make deleted rows unreadable in the database's files."""
        bind = self.session.bind
        if not isinstance(bind, AsyncEngine):
            raise RuntimeError("the session is not bound to an engine")
        return await scrub_deleted_rows(bind)

    async def flush(self) -> None:
        """Send pending changes to the database (assigning ids) without committing."""
        await self.session.flush()

    async def rollback(self) -> None:
        """Drop everything done since the last commit."""
        await self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]


def make_uow_factory(database: Database) -> UnitOfWorkFactory:
    """A factory creating a fresh UnitOfWork on the database each time it is called."""

    def factory() -> UnitOfWork:
        return UnitOfWork(database.sessionmaker, database.step_sessionmaker)

    return factory
