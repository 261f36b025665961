"""Dialogue runs: the running and finished passes through dialogues."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage.models import DialogueRun

# How many earlier runs are consulted to find the last wording shown for each step.
_PHRASING_LOOKBACK = 20


def _open_runs(person_id: int) -> Select[DialogueRun]:
    """The person's active and paused runs, the one in use first."""
    return (
        select(DialogueRun)
        .where(DialogueRun.person_id == person_id, DialogueRun.status.in_(("active", "paused")))
        # Switching runs pauses one and resumes another at the same instant: the active one is
        # the one in use, whatever the ids say.
        .order_by(
            (DialogueRun.status == "active").desc(),
            DialogueRun.updated_at.desc(),
            DialogueRun.id.desc(),
        )
    )


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

    async def active_for(self, person_id: int) -> DialogueRun | None:
        """The person's active run, else their most recently touched paused one, or None."""
        result = await self.session.scalars(_open_runs(person_id).limit(1))
        return result.first()

    async def open_for(self, person_id: int) -> Sequence[DialogueRun]:
        """The person's active and paused runs, the one in use first (as `active_for`)."""
        result = await self.session.scalars(_open_runs(person_id))
        return result.all()

    async def paused_dialogue_ids(self, person_id: int) -> list[str]:
        """The dialogues the person has a paused run of, most recently touched first (only the
        ids are read: a menu needs no run's state)."""
        result = await self.session.scalars(
            select(DialogueRun.dialogue_id)
            .where(DialogueRun.person_id == person_id, DialogueRun.status == "paused")
            .order_by(DialogueRun.updated_at.desc(), DialogueRun.id.desc())
        )
        return list(result.all())

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
