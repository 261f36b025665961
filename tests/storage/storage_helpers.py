"""Helpers for storage tests: a fixed clock and quick ways to create people and runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.storage.models import DialogueRun, Person
from bot.storage.uow import UnitOfWork

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)

PersonMaker = Callable[..., Awaitable[Person]]


async def add_person(uow: UnitOfWork, **fields: Any) -> Person:
    """Add a person with sensible defaults (role client, created now)."""
    fields.setdefault("role", "client")
    fields.setdefault("created_at", NOW)
    return await uow.people.add(Person(**fields))


async def add_run(uow: UnitOfWork, person: Person, **fields: Any) -> DialogueRun:
    """Add a dialogue run for the person with sensible defaults."""
    fields.setdefault("dialogue_id", "nulage")
    fields.setdefault("dialogue_version", 1)
    fields.setdefault("status", "active")
    fields.setdefault("state", {"v": 1, "cursor": "first"})
    fields.setdefault("phrasings", {})
    fields.setdefault("started_at", NOW)
    fields.setdefault("updated_at", fields["started_at"])
    return await uow.runs.add(DialogueRun(person_id=person.id, **fields))
