"""People: lookup by Telegram id or console name, listing by role, erasure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Person


class PersonRepository:
    """Reads and writes Person rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> Person | None:
        """The person with this id, or None."""
        return await self.session.get(Person, person_id)

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        """The person with this Telegram user id, or None."""
        result = await self.session.scalars(select(Person).where(Person.telegram_id == telegram_id))
        return result.one_or_none()

    async def by_console_name(self, console_name: str) -> Person | None:
        """The console user with this name, or None."""
        result = await self.session.scalars(
            select(Person).where(Person.console_name == console_name)
        )
        return result.one_or_none()

    async def mark_replan(self, person_id: int, now: datetime) -> None:
        """Ask the scheduler to re-plan this person's prompts (something they depend on changed)."""
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(replan_at=now)
            .execution_options(synchronize_session=False)
        )

    async def lock(self, person_id: int) -> Person | None:
        """The person, locked until commit (PostgreSQL) so that two re-plans of one person
        queue up instead of interleaving; SQLite has a single writer anyway."""
        result = await self.session.scalars(
            select(Person)
            .where(Person.id == person_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return result.one_or_none()

    async def marked_for_replan(self, limit: int) -> list[tuple[int, datetime]]:
        """(id, mark) of people whose schedule must be re-planned, longest waiting first."""
        result = await self.session.execute(
            select(Person.id, Person.replan_at)
            .where(Person.replan_at.is_not(None))
            .order_by(Person.replan_at, Person.id)
            .limit(limit)
        )
        return [(person_id, mark) for person_id, mark in result.all() if mark is not None]

    async def clear_replan(self, person_id: int, mark: datetime) -> bool:
        """Clear the re-plan mark only if it is still `mark` (nothing changed meanwhile)."""
        result = await self.session.execute(
            update(Person)
            .where(Person.id == person_id, Person.replan_at == mark)
            .values(replan_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def add(self, person: Person) -> Person:
        """Store a new person and assign its id."""
        self.session.add(person)
        await self.session.flush()
        return person

    async def list_by_role(self, role: str, *, active_only: bool = False) -> Sequence[Person]:
        """People with this role, oldest first."""
        statement = select(Person).where(Person.role == role)
        if active_only:
            statement = statement.where(Person.active.is_(True))
        result = await self.session.scalars(statement.order_by(Person.id))
        return result.all()

    async def list_all(self) -> Sequence[Person]:
        """Every person, oldest first."""
        result = await self.session.scalars(select(Person).order_by(Person.id))
        return result.all()

    async def delete(self, person_id: int) -> bool:
        """Erase the person and, through ON DELETE CASCADE, every row about them."""
        # One SQL DELETE: the database removes the dependent rows, so nothing is loaded
        # (and nothing is missed when a new table is added with a cascading foreign key).
        result = await self.session.execute(
            delete(Person).where(Person.id == person_id),
            execution_options={"synchronize_session": "fetch"},
        )
        return bool(getattr(result, "rowcount", 0))
