"""The dialogue step's hot path: the person and their run read and written with Core statements.

A typed answer or a button press reads the sender with their run and writes the run back: the
work every update does. Through the ORM session that costs about twice what the statements
themselves cost (bench/step_layers.py), so these run as prebuilt SQLAlchemy Core statements on
the unit of work's connection and return plain rows. The rest of a step (saving a finished
run's answers, pausing another run) still uses the ORM repositories, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import Select, Table, Update, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm.attributes import set_committed_value

from bot.storage import read_autocommit
from bot.storage.models import DialogueRun, Person

_PEOPLE = cast(Table, Person.__table__)
_RUNS = cast(Table, DialogueRun.__table__)


class StaleRun(Exception):
    """A run's versioned UPDATE matched no row: someone stepped it since it was read."""


@dataclass(slots=True)
class PersonRow:
    """The columns of a person that identifying the sender of an update needs."""

    id: int
    telegram_id: int | None
    display_name: str | None
    role: str
    locale: str | None
    timezone: str | None
    checkin_time: time | None
    quiet_start: time | None
    quiet_end: time | None
    paused: bool
    pause_until: date | None
    auto_paused_at: datetime | None
    active: bool
    consent_at: datetime | None
    onboarding: dict[str, Any] | None


@dataclass(slots=True)
class RunRow:
    """A dialogue run as the hot path reads it (every column; the answers are not loaded)."""

    id: int
    person_id: int
    dialogue_id: str
    dialogue_version: int
    status: str
    state: dict[str, Any]
    phrasings: dict[str, int]
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    meeting_id: int | None
    version: int
    screen_message_id: int | None
    context: str


@dataclass(frozen=True, slots=True)
class PersonRun:
    """A person, one of their runs (or None) and the id of their current open run (or None)."""

    person: PersonRow
    run: RunRow | None
    current_run_id: int | None


_PERSON_COLUMNS = tuple(_PEOPLE.c[name] for name in PersonRow.__dataclass_fields__)
_RUN_COLUMNS = tuple(_RUNS.c[name] for name in RunRow.__dataclass_fields__)


def _person_with_run_statement(*, named_run: bool) -> Select[Any]:
    """The person by Telegram id, outer-joined to a run, with the id of their current open run.

    Built once (below) with bound parameters: building a statement costs more on every update
    than running it on SQLite.
    """
    current = (
        select(_RUNS.c.id)
        # Two comparisons rather than IN: an IN list is re-rendered on every execution.
        .where(
            _RUNS.c.person_id == _PEOPLE.c.id,
            or_(_RUNS.c.status == "active", _RUNS.c.status == "paused"),
        )
        .order_by(_RUNS.c.updated_at.desc(), _RUNS.c.id.desc())
        .limit(1)
        .correlate(_PEOPLE)
        .scalar_subquery()
    )
    if named_run:
        joined = and_(_RUNS.c.id == bindparam("run_id"), _RUNS.c.person_id == _PEOPLE.c.id)
    else:
        joined = _RUNS.c.id == current
    return (
        select(*_PERSON_COLUMNS, *_RUN_COLUMNS, current)
        .select_from(_PEOPLE.outerjoin(_RUNS, joined))
        .where(_PEOPLE.c.telegram_id == bindparam("telegram_id"))
    )


_PERSON_WITH_CURRENT_RUN = _person_with_run_statement(named_run=False)
_PERSON_WITH_RUN = _person_with_run_statement(named_run=True)


def _save_step_statement(*, finished: bool) -> Update:
    """UPDATE of a stepped run that checks and bumps its version (see save_step)."""
    columns = ["state", "status", "phrasings", "updated_at", "version", "screen_message_id"]
    if finished:
        columns.append("finished_at")
    return (
        update(_RUNS)
        .where(_RUNS.c.id == bindparam("read_id"), _RUNS.c.version == bindparam("read_version"))
        .values({name: bindparam(name) for name in columns})
    )


_SAVE_STEP = _save_step_statement(finished=False)
_SAVE_FINISHED_STEP = _save_step_statement(finished=True)
_PERSON = select(*_PERSON_COLUMNS).where(_PEOPLE.c.telegram_id == bindparam("telegram_id"))
_REACTIVATE = update(_PEOPLE).where(_PEOPLE.c.id == bindparam("person_id")).values(active=True)

_PERSON_WIDTH = len(_PERSON_COLUMNS)
_RUN_WIDTH = len(_RUN_COLUMNS)


class StepRepository:
    """Reads and writes what every update touches (its sender, their run), on the unit of
    work's connection."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def person(self, telegram_id: int) -> PersonRow | None:
        """The person with this Telegram id (who sent an update), or None."""
        row = (await self.connection.execute(_PERSON, {"telegram_id": telegram_id})).one_or_none()
        return None if row is None else PersonRow(*row)

    async def person_with_run(
        self, telegram_id: int, run_id: int | None = None
    ) -> PersonRun | None:
        """The person with this Telegram id and their run, read in ONE statement.

        The run is `run_id` if it is theirs, else (no id given) their most recently touched
        active or paused run. None when there is no such person.
        """
        if run_id is None:
            statement = _PERSON_WITH_CURRENT_RUN
            parameters: dict[str, Any] = {"telegram_id": telegram_id}
        else:
            statement = _PERSON_WITH_RUN
            parameters = {"telegram_id": telegram_id, "run_id": run_id}
        row = (await self.connection.execute(statement, parameters)).one_or_none()
        if row is None:
            return None
        person = PersonRow(*row[:_PERSON_WIDTH])
        run_values = row[_PERSON_WIDTH : _PERSON_WIDTH + _RUN_WIDTH]
        run = None if run_values[0] is None else RunRow(*run_values)
        if run is not None:
            run.phrasings = dict(run.phrasings or {})
        return PersonRun(person, run, row[-1])

    async def save_step(
        self,
        run: RunRow | DialogueRun,
        state: dict[str, Any],
        now: datetime,
        *,
        finished: bool,
        screen_message_id: int | None = None,
        alone: bool = False,
    ) -> None:
        """Writes a stepped run (state, status, phrasings; `finished_at` when it finished) in
        ONE UPDATE that checks the version the run was read with. `alone`: nothing else will
        be written in this unit of work (PostgreSQL then needs no transaction for it, see
        bot.storage.read_autocommit).

        A write by someone else since (another process stepped the run) matches no row and
        raises StaleRun, which the unit of work reports as ConcurrentUpdate. The run then holds
        what was written (an ORM run with nothing left for its session to flush).
        """
        phrasings = state.get("phrasings")
        values: dict[str, Any] = {
            "state": state,
            "status": str(state["status"]),
            "phrasings": dict(phrasings) if isinstance(phrasings, dict) else {},
            "updated_at": now,
            "version": run.version + 1,
            # Where the new screen goes (None: not known yet, or no buttons): see
            # DialogueRun.screen_message_id.
            "screen_message_id": screen_message_id,
        }
        if finished:
            values["finished_at"] = now
        statement = _SAVE_FINISHED_STEP if finished else _SAVE_STEP
        if alone:
            read_autocommit.write_alone(self.connection)
        result = await self.connection.execute(
            statement, {**values, "read_id": run.id, "read_version": run.version}
        )
        if result.rowcount != 1:
            raise StaleRun(
                f"dialogue run {run.id} changed since it was read at version {run.version}"
            )
        _assign(run, values)

    async def reactivate(self, person: PersonRow) -> None:
        """Marks the person reachable again (they wrote to the bot after blocking it)."""
        await self.connection.execute(_REACTIVATE, {"person_id": person.id})
        person.active = True

    @staticmethod
    def assume_screen_message(run: RunRow | DialogueRun, message_id: int | None) -> None:
        """Treat the run as if its `screen_message_id` were `message_id` (known to the caller,
        not written): nothing is written for it."""
        _assign(run, {"screen_message_id": message_id})


def _assign(run: RunRow | DialogueRun, values: dict[str, Any]) -> None:
    """Sets written values on a run: as committed state on an ORM run (so its session has
    nothing to flush for them), plainly on a row."""
    if isinstance(run, RunRow):
        for key, value in values.items():
            setattr(run, key, value)
        return
    for key, value in values.items():
        set_committed_value(run, key, value)
