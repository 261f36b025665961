"""A Backstage group world for service tests: a clock, a runtime, people, a day's deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from bot.dialogue.inputs import Choose, Confirm, Input, Text
from bot.dialogue.screens import InputKind, Screen, ScreenKind
from bot.i18n import Translator, get_translator
from bot.runtime import Runtime
from bot.services.delivery import Outgoing
from bot.storage.models import Person

# A Monday, 09:00 in Stockholm.
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
EN = get_translator("en", "Europe/Stockholm")


class Clock:
    """A settable clock."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def add_person(rt: Runtime, telegram_id: int, name: str, role: str = "client") -> int:
    """A consenting person in Stockholm, check-ins at 09:00."""
    async with rt.uow_factory() as uow:
        person = await uow.people.add(
            Person(
                telegram_id=telegram_id,
                role=role,
                locale="en",
                timezone="Europe/Stockholm",
                display_name=name,
                consent_at=NOW,
                created_at=NOW,
                checkin_time=time(9, 0),
            )
        )
        await uow.commit()
        return person.id


def answer_for(screen: Screen, share: bool) -> Input:
    """A plausible answer to any question screen (the consent step answered with `share`)."""
    if screen.kind is ScreenKind.RECAP:
        return Confirm()
    if screen.input is InputKind.YESNO:
        return Choose("yes" if share else "no")
    if screen.input is InputKind.DATE:
        return Text("+14")
    if screen.input in (InputKind.CHOICE, InputKind.SCALE):
        return Choose(screen.choices[-1].value)
    if screen.input is InputKind.MULTI:
        return Choose(screen.choices[0].value)
    return Text(f"About {screen.step_id}: a thought")


async def finish_run(
    rt: Runtime, person_id: int, run_id: int, screen: Screen, share: bool, t: Translator = EN
) -> Screen:
    """Answer every question of a started run and confirm it."""
    for _ in range(40):
        if screen.kind is ScreenKind.FINISHED:
            return screen
        result = await rt.dialogues.handle(
            person_id, run_id, answer_for(screen, share), t, rt.now()
        )
        assert result.screen.error is None, (screen.step_id, result.screen.error)
        screen = result.screen
    raise AssertionError("the run did not finish")


@dataclass
class Delivered:
    """What one day's deliveries brought, by kind: (person id, ref id) pairs."""

    by_kind: dict[str, list[tuple[int, int | None]]] = field(default_factory=dict)
    outgoing: list[Outgoing] = field(default_factory=list)

    def of(self, kind: str) -> list[tuple[int, int | None]]:
        """The (person, ref) pairs of one kind."""
        return self.by_kind.get(kind, [])


async def deliver_due(rt: Runtime) -> Delivered:
    """Re-plan whoever is marked, then claim and 'send' every prompt due now."""
    now = rt.now()
    while await rt.schedule.replan_marked(now) == 100:
        pass
    delivered = Delivered()
    while True:
        claimed, batch = await rt.delivery.claim_batch(now, 50)
        if not claimed:
            break
        taken = await rt.delivery.begin_sending(batch)
        await rt.delivery.finish(
            now, delivered={o.prompt_id: 1 for o in batch if o.prompt_id in taken}
        )
        for outgoing in batch:
            delivered.outgoing.append(outgoing)
            delivered.by_kind.setdefault(outgoing.kind, []).append(
                (outgoing.person_id, outgoing.ref_id)
            )
    return delivered
