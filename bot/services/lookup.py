"""Finding a person from the command line: by id, console name or the start of their name."""

from __future__ import annotations

from bot.services.people import PersonInfo, person_info
from bot.storage.uow import UnitOfWorkFactory


async def find_people(
    uow_factory: UnitOfWorkFactory, query: str, admin_ids: frozenset[int] = frozenset()
) -> list[PersonInfo]:
    """Who `query` names: `#N`/`N` is an id, then an exact console name, then names that start
    with it (case does not matter); an empty list when nobody matches."""
    wanted = query.strip()
    digits = wanted.lstrip("#")
    async with uow_factory() as uow:
        if digits.isascii() and digits.isdigit():
            person = await uow.people.get(int(digits)) if len(digits) < 12 else None
            return [person_info(person, admin_ids)] if person is not None else []
        person = await uow.people.by_console_name(wanted)
        if person is not None:
            return [person_info(person, admin_ids)]
        # Names are stored encrypted, so they are compared here rather than in SQL.
        folded = wanted.casefold()
        everyone = await uow.people.list_all()
    exact = [p for p in everyone if (p.display_name or "").casefold() == folded]
    found = exact or [p for p in everyone if (p.display_name or "").casefold().startswith(folded)]
    return [person_info(p, admin_ids) for p in found] if folded else []
