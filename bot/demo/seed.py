"""Writes (and removes) the demo coach and client through the services, as real use would.

The people are console users named `demo` and `demo-coach` (a prefix of your own for more
pairs, as the benchmark does) whose display names end in "(demo)": both together mark demo data,
and removal touches no one else. Everything else (the relation, meetings, reflections,
commitments and their check-ins) goes through the invitation, meeting and dialogue services at
the moment it would have happened, so the stored rows are what the bot itself writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.demo.term import (
    CLIENT_NAME,
    COACH_NAME,
    DEMO_MARK,
    MEETINGS,
    NEXT_MEETING,
    NOTE,
    TERM,
    TERM_DAYS,
    TIMEZONE,
    Answer,
    Reflection,
)
from bot.dialogue.inputs import Choose, Confirm, Input, Skip, Submit, Text, TogglePrivate
from bot.dialogue.model import INSTANCE_SEPARATOR
from bot.dialogue.screens import InputKind, Screen, ScreenKind
from bot.i18n import get_translator
from bot.runtime import Runtime
from bot.services.summaries import Decision
from bot.storage.models import Person

DEMO_CLIENT = "demo"
_COACH_SUFFIX = "-coach"
# A dialogue never needs more inputs than this; more means the script and dialogue disagree.
_MAX_INPUTS = 80


class SeedOutcome(StrEnum):
    """What seeding did."""

    CREATED = "created"
    EXISTS = "exists"  # demo data with these names is already there
    TAKEN = "taken"  # a real console user has one of the names


@dataclass(frozen=True)
class SeedResult:
    """The outcome and, when created, who and what."""

    outcome: SeedOutcome
    client_id: int | None = None
    coach_id: int | None = None
    reflections: int = 0
    meetings: int = 0


class DemoScriptError(RuntimeError):
    """The demo script no longer fits a dialogue (a step was renamed or an answer is invalid)."""


def coach_name_for(client_key: str) -> str:
    """The console name of the demo coach that goes with a demo client."""
    return client_key + _COACH_SUFFIX


def is_demo(person: Person) -> bool:
    """Whether a person is demo data (a demo name and the "(demo)" mark)."""
    return bool(person.console_name) and (person.display_name or "").endswith(DEMO_MARK)


class DemoSeeder:
    """Creates a demo coach and client with terms of history, or removes them."""

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    async def seed(
        self, lang: str, now: datetime, *, terms: int = 1, client_key: str = DEMO_CLIENT
    ) -> SeedResult:
        """Writes `terms` terms of history ending today, with the next meeting in a few days."""
        names = (client_key, coach_name_for(client_key))
        async with self._rt.uow_factory() as uow:
            found = [await uow.people.by_console_name(name) for name in names]
        if any(person is not None and not is_demo(person) for person in found):
            return SeedResult(SeedOutcome.TAKEN)
        if any(person is not None for person in found):
            return SeedResult(SeedOutcome.EXISTS)
        zone = ZoneInfo(TIMEZONE)
        first_day = now.astimezone(zone).date() - timedelta(days=TERM_DAYS * terms)
        start = _at(first_day, 0, 8, zone)
        coach_id = await self._person(names[1], COACH_NAME, "coach", lang, start)
        client_id = await self._person(names[0], CLIENT_NAME, "client", lang, start)
        token = await self._rt.invites.create("client", coach_id, start)
        await self._rt.relations.join(client_id, token, start + timedelta(minutes=30))
        meetings = await self._meetings(coach_id, client_id, first_day, terms, zone, start)
        index = 0 if lang == "sv" else 1
        count = 0
        for term in range(terms):
            term_day = first_day + timedelta(days=TERM_DAYS * term)
            for reflection in TERM:
                at = _at(term_day, reflection.day, reflection.hour, zone)
                await self._reflect(client_id, reflection, index, lang, at)
                count += 1
        await self._approve(client_id, NOTE[index], now)
        return SeedResult(SeedOutcome.CREATED, client_id, coach_id, count, meetings)

    async def remove(self, client_key: str = DEMO_CLIENT) -> int:
        """Erases the demo client and coach with everything about them; how many were erased."""
        erased = 0
        for name in (client_key, coach_name_for(client_key)):
            async with self._rt.uow_factory() as uow:
                person = await uow.people.by_console_name(name)
            if person is not None and is_demo(person) and await self._rt.privacy.erase(person.id):
                erased += 1
        return erased

    async def _person(self, key: str, name: str, role: str, lang: str, at: datetime) -> int:
        async with self._rt.uow_factory() as uow:
            person = Person(
                console_name=key,
                display_name=name,
                role=role,
                locale=lang,
                timezone=TIMEZONE,
                consent_at=at,
                created_at=at,
            )
            await uow.people.add(person)
            await uow.commit()
            return person.id

    async def _meetings(
        self,
        coach_id: int,
        client_id: int,
        first_day: date,
        terms: int,
        zone: ZoneInfo,
        start: datetime,
    ) -> int:
        """The coach books each meeting an hour after the one before (the first at the start)."""
        slots = [
            _at(first_day + timedelta(days=TERM_DAYS * term), day, hour, zone)
            for term in range(terms)
            for day, hour in MEETINGS
        ]
        last_term = first_day + timedelta(days=TERM_DAYS * (terms - 1))
        slots.append(_at(last_term, NEXT_MEETING[0], NEXT_MEETING[1], zone))
        booked_at = start + timedelta(hours=1)
        for slot in slots:
            change = await self._rt.meetings.schedule(coach_id, client_id, slot, booked_at)
            if change.meeting is None:
                raise DemoScriptError(f"meeting at {slot} was not saved: {change.outcome}")
            booked_at = slot + timedelta(hours=1)
        return len(slots)

    async def _reflect(
        self, person_id: int, reflection: Reflection, index: int, lang: str, at: datetime
    ) -> None:
        """Runs one dialogue to the end with the scripted answers, as a chat would."""
        t = get_translator(lang, TIMEZONE, self._rt.settings.locales_dir)
        dialogues = self._rt.dialogues
        commitment_id = None
        if reflection.about is not None:
            commitment_id = await self._commitment(person_id, reflection.about)
        result = await dialogues.start(
            person_id, reflection.dialogue_id, t, at, commitment_id=commitment_id
        )
        repeated: dict[str, int] = {}
        for _ in range(_MAX_INPUTS):
            screen = result.screen
            if screen.kind is ScreenKind.FINISHED:
                return
            inp = _next_input(screen, reflection, index, repeated)
            result = await dialogues.handle(person_id, result.run_id, inp, t, at)
            if result.screen.error and result.screen.step_id == screen.step_id:
                raise DemoScriptError(
                    f"{reflection.dialogue_id}/{screen.step_id}: {result.screen.error}"
                )
        raise DemoScriptError(f"{reflection.dialogue_id} did not finish")

    async def _approve(self, client_id: int, note: str, now: datetime) -> None:
        """The client opens the preview of the coming meeting, adds a note and approves it."""
        summaries = self._rt.summaries
        preview = await summaries.preview(client_id, client_id, now)
        if preview.consent_id is None:
            raise DemoScriptError("no preview for the coming meeting")
        await summaries.decide(client_id, preview.consent_id, Decision.NOTE, now, note=note)
        await summaries.decide(client_id, preview.consent_id, Decision.APPROVE, now)

    async def _commitment(self, person_id: int, about: tuple[str, str]) -> int:
        for commitment in await self._rt.commitments.open_for(person_id):
            if commitment.text.startswith(about):
                return commitment.id
        raise DemoScriptError(f"no open commitment starting with {about!r}")


def _at(first_day: date, day: int, hour: int, zone: ZoneInfo) -> datetime:
    """A local moment of the term, in UTC."""
    local = datetime.combine(first_day + timedelta(days=day), time(hour), tzinfo=zone)
    return local.astimezone(UTC)


def _next_input(
    screen: Screen, reflection: Reflection, index: int, repeated: dict[str, int]
) -> Input:
    """What the demo client sends on this screen."""
    if screen.kind is ScreenKind.RECAP:
        return Confirm()
    if screen.kind is not ScreenKind.QUESTION or screen.step_id is None:
        raise DemoScriptError(f"{reflection.dialogue_id}: unexpected {screen.kind} screen")
    base = screen.step_id.split(INSTANCE_SEPARATOR, 1)[0]
    if screen.input is InputKind.CONTINUE:
        return Submit()
    # Everything is shared with the coach except what the script keeps "only for me" (a step
    # that is private by default, like energy, is shared the way a client would share it).
    if (base in reflection.private) != screen.private:
        return TogglePrivate()
    if base not in reflection.answers:
        raise DemoScriptError(f"{reflection.dialogue_id}: no answer for {screen.step_id}")
    answer: Answer = reflection.answers[base]
    if answer is None:
        return Skip()
    if isinstance(answer, list):
        position = repeated.get(base, 0)
        repeated[base] = position + 1
        return Choose(answer[min(position, len(answer) - 1)])
    if isinstance(answer, tuple):
        return Text(answer[index])
    if screen.input in (InputKind.CHOICE, InputKind.SCALE, InputKind.YESNO):
        return Choose(answer)
    return Text(answer)
