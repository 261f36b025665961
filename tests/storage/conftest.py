"""Storage test fixtures: a fixed clock and a maker for committed people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from storage_helpers import NOW, PersonMaker, add_person

from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory


@pytest.fixture
def now() -> datetime:
    """A fixed, aware 'now' so tests do not depend on the wall clock."""
    return NOW


@pytest.fixture
def make_person(uow_factory: UnitOfWorkFactory) -> PersonMaker:
    """Create and commit a person in its own unit of work."""

    async def make(**fields: Any) -> Person:
        async with uow_factory() as uow:
            person = await add_person(uow, **fields)
            await uow.commit()
        return person

    return make
