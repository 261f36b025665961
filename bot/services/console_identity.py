"""Who is chatting in the terminal: a person identified by a console name."""

from __future__ import annotations

from datetime import datetime

from bot.storage.models import Person
from bot.storage.uow import UnitOfWorkFactory


async def console_person(
    uow_factory: UnitOfWorkFactory, name: str, locale: str | None, now: datetime
) -> Person:
    """Finds or creates the console person `name`; an explicit locale is remembered."""
    async with uow_factory() as uow:
        person = await uow.people.by_console_name(name)
        if person is None:
            # The terminal user runs the program themselves: starting it is their consent.
            person = Person(
                console_name=name, role="client", locale=locale, consent_at=now, created_at=now
            )
            await uow.people.add(person)
        elif locale is not None and person.locale != locale:
            person.locale = locale
        await uow.commit()
        return person
