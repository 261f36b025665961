"""Rows for delivery tests: consenting people with commitments, meetings and planned prompts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.storage.models import Commitment, Meeting, Person, PlannedPrompt
from bot.storage.uow import UnitOfWorkFactory

# A Monday, 09:00 in Stockholm (08:00 UTC): outside the default quiet hours (21:00–08:00).
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def add_person(
    uow_factory: UnitOfWorkFactory,
    telegram_id: int | None,
    *,
    locale: str = "en",
    timezone: str = "Europe/Stockholm",
    **fields: object,
) -> int:
    """A consenting person reachable on Telegram (or only in the console with None)."""
    async with uow_factory() as uow:
        person = Person(
            telegram_id=telegram_id,
            console_name=None if telegram_id is not None else f"c{id(fields)}",
            role="client",
            locale=locale,
            timezone=timezone,
            consent_at=NOW,
            display_name="Klara",
            created_at=NOW,
            checkin_time=time(9, 0),
            **fields,
        )
        await uow.people.add(person)
        await uow.commit()
        return person.id


async def add_commitment(
    uow_factory: UnitOfWorkFactory, person_id: int, text: str, due: date
) -> int:
    """An open commitment."""
    async with uow_factory() as uow:
        commitment = await uow.commitments.add(
            Commitment(person_id=person_id, text=text, due_date=due, created_at=NOW)
        )
        await uow.commit()
        return commitment.id


async def add_meeting(uow_factory: UnitOfWorkFactory, person_id: int, starts_at: datetime) -> int:
    """A coaching meeting of the person."""
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(Meeting(client_id=person_id, starts_at=starts_at))
        await uow.commit()
        return meeting.id


async def plan(
    uow_factory: UnitOfWorkFactory,
    person_id: int,
    kind: str,
    ref_id: int | None,
    due_at: datetime,
    key: str | None = None,
) -> int:
    """A planned prompt."""
    async with uow_factory() as uow:
        prompt = await uow.prompts.add(
            PlannedPrompt(
                person_id=person_id,
                kind=kind,
                ref_id=ref_id,
                due_at=due_at,
                plan_key=key or f"{kind}:{ref_id}:{due_at.isoformat()}",
            )
        )
        await uow.commit()
        return prompt.id


async def prompt_row(uow_factory: UnitOfWorkFactory, prompt_id: int) -> PlannedPrompt:
    """The prompt as stored now."""
    async with uow_factory() as uow:
        prompt = await uow.prompts.get(prompt_id)
        assert prompt is not None
        return prompt


async def person_row(uow_factory: UnitOfWorkFactory, person_id: int) -> Person:
    """The person as stored now."""
    async with uow_factory() as uow:
        person = await uow.people.get(person_id)
        assert person is not None
        return person
