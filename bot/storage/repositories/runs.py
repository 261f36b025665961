"""Dialogue runs: the running and finished passes through dialogues."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, Update, and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from bot.storage.models import DialogueRun, Person

# How many earlier runs are consulted to find the last wording shown for each step.
_PHRASING_LOOKBACK = 20


@dataclass(frozen=True)
class PersonRun:
    """A person, one of their runs (or None) and the id of their current open run (or None)."""

    person: Person
    run: DialogueRun | None
    current_run_id: int | None


def _person_with_run_statement(*, named_run: bool) -> Select[Person, DialogueRun, int]:
    """The person by Telegram id, outer-joined to a run, with the id of their current open run.

    Built once (below) with bound parameters: building a statement costs more on every update
    than running it on SQLite.
    """
    current = (
        select(DialogueRun.id)
        .where(
            DialogueRun.person_id == Person.id,
            DialogueRun.status.in_(("active", "paused")),
        )
        .order_by(DialogueRun.updated_at.desc(), DialogueRun.id.desc())
        .limit(1)
        .correlate(Person)
        .scalar_subquery()
    )
    if named_run:
        joined = and_(DialogueRun.id == bindparam("run_id"), DialogueRun.person_id == Person.id)
    else:
        joined = DialogueRun.id == current
    return (
        select(Person, DialogueRun, current)
        .outerjoin(DialogueRun, joined)
        .where(Person.telegram_id == bindparam("telegram_id"))
    )


_PERSON_WITH_CURRENT_RUN = _person_with_run_statement(named_run=False)
_PERSON_WITH_RUN = _person_with_run_statement(named_run=True)


def _save_step_statement(*, finished: bool) -> Update:
    """Core UPDATE of a stepped run, checking and bumping its version (see save_step): an ORM
    flush of the same row costs about a fifth of a whole update's database work."""
    runs = cast(Table, DialogueRun.__table__)
    columns = ["state", "status", "phrasings", "updated_at", "version", "screen_message_id"]
    if finished:
        columns.append("finished_at")
    return (
        update(runs)
        .where(runs.c.id == bindparam("read_id"), runs.c.version == bindparam("read_version"))
        .values({name: bindparam(name) for name in columns})
    )


_SAVE_STEP = _save_step_statement(finished=False)
_SAVE_FINISHED_STEP = _save_step_statement(finished=True)


class RunRepository:
    """Finds and stores dialogue runs."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, run_id: int, *, with_answers: bool = False) -> DialogueRun | None:
        """The run with this id (answers loaded if asked), or None."""
        statement = select(DialogueRun).where(DialogueRun.id == run_id)
        if with_answers:
            statement = statement.options(selectinload(DialogueRun.answers))
        result = await self.session.scalars(statement)
        return result.one_or_none()

    async def person_with_run(
        self, telegram_id: int, run_id: int | None = None
    ) -> PersonRun | None:
        """The person with this Telegram id and their run, read in ONE statement (the hot path).

        The run is `run_id` if it is theirs, else (no id given) their most recently touched
        active or paused run. None when there is no such person.
        """
        if run_id is None:
            statement = _PERSON_WITH_CURRENT_RUN
            parameters = {"telegram_id": telegram_id}
        else:
            statement = _PERSON_WITH_RUN
            parameters = {"telegram_id": telegram_id, "run_id": run_id}
        result = await self.session.execute(statement, parameters)
        row = result.one_or_none()
        return None if row is None else PersonRun(row[0], row[1], row[2])

    async def save_step(
        self,
        run: DialogueRun,
        state: dict[str, Any],
        now: datetime,
        *,
        finished: bool,
        screen_message_id: int | None = None,
    ) -> None:
        """Writes a stepped run (state, status, phrasings; `finished_at` when it finished) in
        ONE UPDATE that checks the version the run was read with.

        A write by someone else since (another process stepped the run) matches no row and
        raises StaleDataError, which the unit of work reports as ConcurrentUpdate. The loaded
        run then holds what was written, with nothing left for the session to flush.
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
        result = await self.session.execute(
            statement, {**values, "read_id": run.id, "read_version": run.version}
        )
        if getattr(result, "rowcount", 0) != 1:
            raise StaleDataError(
                f"dialogue run {run.id} changed since it was read at version {run.version}"
            )
        for key, value in values.items():
            set_committed_value(run, key, value)

    async def active_for(self, person_id: int) -> DialogueRun | None:
        """The person's active run, else their most recently touched paused one, or None."""
        result = await self.session.scalars(
            select(DialogueRun)
            .where(
                DialogueRun.person_id == person_id,
                DialogueRun.status.in_(("active", "paused")),
            )
            # Switching runs pauses one and resumes another at the same instant: the active
            # one is the one in use, whatever the ids say.
            .order_by(
                (DialogueRun.status == "active").desc(),
                DialogueRun.updated_at.desc(),
                DialogueRun.id.desc(),
            )
            .limit(1)
        )
        return result.first()

    async def last_finished_at(self, person_id: int) -> datetime | None:
        """When the person last finished a reflection, or None."""
        return await self.session.scalar(
            select(func.max(DialogueRun.finished_at)).where(
                DialogueRun.person_id == person_id, DialogueRun.status == "finished"
            )
        )

    async def list_for(
        self,
        person_id: int,
        *,
        dialogue_id: str | None = None,
        statuses: Iterable[str] | None = None,
        limit: int | None = None,
        with_answers: bool = False,
    ) -> Sequence[DialogueRun]:
        """The person's runs, newest first, optionally filtered."""
        statement = select(DialogueRun).where(DialogueRun.person_id == person_id)
        if dialogue_id is not None:
            statement = statement.where(DialogueRun.dialogue_id == dialogue_id)
        if statuses is not None:
            statement = statement.where(DialogueRun.status.in_(tuple(statuses)))
        if with_answers:
            statement = statement.options(selectinload(DialogueRun.answers))
        statement = statement.order_by(DialogueRun.started_at.desc(), DialogueRun.id.desc())
        if limit is not None:
            statement = statement.limit(limit)
        result = await self.session.scalars(statement)
        return result.all()

    async def set_screen_message(self, run_id: int, message_id: int | None) -> None:
        """Remember which chat message shows the run's live screen (None: no live buttons).

        A plain UPDATE of that column: it does not bump the run's version, so recording where a
        screen went never makes a concurrent step of the run retry."""
        await self.session.execute(
            update(DialogueRun)
            .where(DialogueRun.id == run_id)
            .values(screen_message_id=message_id)
            .execution_options(synchronize_session=False)
        )

    @staticmethod
    def assume_screen_message(run: DialogueRun, message_id: int | None) -> None:
        """Treat the loaded run as if its `screen_message_id` were `message_id` (known to the
        caller, not written): nothing is flushed for it."""
        set_committed_value(run, "screen_message_id", message_id)

    async def add(self, run: DialogueRun) -> DialogueRun:
        """Store a new run and assign its id."""
        self.session.add(run)
        await self.session.flush()
        return run

    async def last_phrasings(self, person_id: int, dialogue_id: str) -> dict[str, int]:
        """For each step, the phrasing index shown in the person's latest run that showed it."""
        result = await self.session.execute(
            select(DialogueRun.phrasings)
            .where(DialogueRun.person_id == person_id, DialogueRun.dialogue_id == dialogue_id)
            .order_by(DialogueRun.started_at.desc(), DialogueRun.id.desc())
            .limit(_PHRASING_LOOKBACK)
        )
        merged: dict[str, int] = {}
        for (phrasings,) in result.all():
            for step_id, index in (phrasings or {}).items():
                merged.setdefault(str(step_id), int(index))
        return merged

    async def finished_since(self, person_id: int, since: datetime) -> bool:
        """True if the person finished any reflection at or after `since`."""
        found = await self.session.scalar(
            select(DialogueRun.id)
            .where(
                DialogueRun.person_id == person_id,
                DialogueRun.status == "finished",
                DialogueRun.finished_at >= since,
            )
            .limit(1)
        )
        return found is not None
