"""A whole term for three clients in three time zones, across daylight-saving changes.

Five meetings over four months each; the clock is injected and jumps from one event or due
prompt to the next. A simple sender marks due prompts sent (the delivery service replaces it
once it exists); the people react like people: a commitment after each meeting, "not yet" with a
new date on the first check-in, done on the second. One meeting is moved, one client pauses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.config import Settings
from bot.scheduling.localtime import in_quiet_hours, local_instant
from bot.services.schedule import ScheduleService
from bot.storage.models import Commitment, DialogueRun, Meeting, Person, PlannedPrompt
from bot.storage.uow import UnitOfWorkFactory

START = datetime(2026, 8, 31, 12, 0, tzinfo=UTC)
END = datetime(2027, 1, 10, tzinfo=UTC)
MEETING_DAYS = [date(2026, 9, 8), date(2026, 10, 6), date(2026, 11, 3), date(2026, 12, 1)]
MEETING_DAYS.append(date(2026, 12, 22))


@dataclass
class Client:
    name: str
    zone: str
    checkin: time
    quiet: tuple[time, time]
    reflects: bool  # finishes *efter mötet* after each meeting (then no nudge is wanted)
    id: int = 0
    meetings: list[int] = field(default_factory=list)

    def at(self, day: date, clock: time) -> datetime:
        return local_instant(day, clock, ZoneInfo(self.zone))


CLIENTS = [
    Client("stockholm", "Europe/Stockholm", time(9, 0), (time(21, 0), time(8, 0)), True),
    Client("new_york", "America/New_York", time(18, 30), (time(21, 30), time(7, 0)), False),
    Client("kolkata", "Asia/Kolkata", time(7, 30), (time(22, 0), time(7, 0)), False),
]
Event = tuple[datetime, Callable[[datetime], Awaitable[None]]]


class Term:
    """The world of the simulation: the database, the planner, the clock and the people."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self.uow_factory = uow_factory
        self.schedule = ScheduleService(uow_factory, Settings(secret_key="x"))
        self.clients = [Client(c.name, c.zone, c.checkin, c.quiet, c.reflects) for c in CLIENTS]
        self.events: list[Event] = []
        self.checks: dict[int, int] = {}  # commitment id -> check-ins so far
        self.sends = 0

    async def setup(self) -> None:
        async with self.uow_factory() as uow:
            coach = await uow.people.add(Person(role="coach", created_at=START))
            for client in self.clients:
                person = await uow.people.add(
                    Person(
                        role="client",
                        created_at=START,
                        timezone=client.zone,
                        checkin_time=client.checkin,
                        quiet_start=client.quiet[0],
                        quiet_end=client.quiet[1],
                    )
                )
                client.id = person.id
                await uow.relations.link(coach.id, person.id, START)
                for day in MEETING_DAYS:
                    meeting = await uow.meetings.add(
                        Meeting(
                            client_id=person.id,
                            coach_id=coach.id,
                            starts_at=client.at(day, time(14, 0)),
                            created_at=START,
                        )
                    )
                    client.meetings.append(meeting.id)
                await uow.people.mark_replan(person.id, START)
            await uow.commit()

    def at(self, when: datetime, action: Callable[[datetime], Awaitable[None]]) -> None:
        self.events.append((when, action))
        self.events.sort(key=lambda event: event[0])

    async def run(self) -> None:
        now, steps = START, 0
        while now < END:
            steps += 1
            assert steps < 2000, "the simulated clock stopped moving"
            while self.events and self.events[0][0] <= now:
                _, action = self.events.pop(0)
                await action(now)
            await self.schedule.replan_marked(now)
            await self.send_due(now)
            now = await self.next_moment(now)

    async def next_moment(self, now: datetime) -> datetime:
        async with self.uow_factory() as uow:
            due = await uow.session.scalar(
                select(func.min(PlannedPrompt.due_at)).where(PlannedPrompt.status == "planned")
            )
            marked = await uow.people.marked_for_replan(1)
        candidates = [END]
        if due is not None:
            candidates.append(max(due, now))
        if self.events:
            candidates.append(self.events[0][0])
        if marked:
            candidates.append(now)
        return min(candidates)

    async def send_due(self, now: datetime) -> None:
        async with self.uow_factory() as uow:
            claimed = await uow.prompts.claim_due(now, 100)
            for prompt in claimed:
                await uow.prompts.mark_sent(prompt, now)
                self.sends += 1
                await self.react(uow, prompt, now)
            await uow.commit()

    async def react(self, uow, prompt: PlannedPrompt, now: datetime) -> None:  # type: ignore[no-untyped-def]
        client = next(c for c in self.clients if c.id == prompt.person_id)
        zone = ZoneInfo(client.zone)
        today = now.astimezone(zone).date()
        if prompt.kind == "after_meeting":
            if client.reflects:
                await uow.runs.add(
                    DialogueRun(
                        person_id=client.id,
                        dialogue_id="efter_motet",
                        status="finished",
                        state={"v": 1},
                        phrasings={},
                        started_at=now,
                        updated_at=now,
                        finished_at=now,
                    )
                )
            await uow.commitments.add(
                Commitment(
                    person_id=client.id,
                    text=f"step after meeting {prompt.ref_id}",
                    due_date=today + timedelta(days=10),
                    created_at=now,
                )
            )
            await uow.people.mark_replan(client.id, now)
        elif prompt.kind == "checkin":
            commitment = await uow.commitments.get(prompt.ref_id)
            assert commitment is not None and commitment.status == "open"
            seen = self.checks.get(commitment.id, 0)
            self.checks[commitment.id] = seen + 1
            if seen == 0:
                await uow.commitments.record_check(
                    commitment, "not_yet", now, new_due=today + timedelta(days=7)
                )
            else:
                await uow.commitments.record_check(commitment, "done", now)
            await uow.people.mark_replan(client.id, now)


async def test_a_whole_term_in_three_time_zones(uow_factory: UnitOfWorkFactory) -> None:
    term = Term(uow_factory)
    await term.setup()
    stockholm, new_york, kolkata = term.clients
    moved_meeting = stockholm.meetings[3]

    async def move_meeting(now: datetime) -> None:
        async with uow_factory() as uow:
            meeting = await uow.meetings.get(moved_meeting)
            assert meeting is not None
            meeting.starts_at = stockholm.at(date(2026, 12, 8), time(14, 0))
            meeting.updated_at = now
            await uow.people.mark_replan(stockholm.id, now)
            await uow.commit()

    pause_from = new_york.at(date(2026, 10, 8), time(12, 0))
    resume = new_york.at(date(2026, 10, 20), new_york.checkin)

    async def pause(now: datetime) -> None:
        async with uow_factory() as uow:
            person = await uow.people.get(new_york.id)
            assert person is not None
            person.paused = True
            person.pause_until = date(2026, 10, 20)
            await uow.people.mark_replan(new_york.id, now)
            await uow.commit()

    term.at(stockholm.at(date(2026, 11, 20), time(16, 0)), move_meeting)
    term.at(pause_from, pause)
    await term.run()

    async with uow_factory() as uow:
        rows = {c.name: list(await uow.prompts.list_for(c.id)) for c in term.clients}
        meetings = {c.name: list(await uow.meetings.list_for_client(c.id)) for c in term.clients}
    figures = {name: sum(1 for r in prompts if r.sent_at) for name, prompts in rows.items()}
    print("term: sent per client", figures, "sends", term.sends)

    for client in term.clients:
        zone = ZoneInfo(client.zone)
        sent = sorted(
            (r for r in rows[client.name] if r.sent_at is not None), key=lambda r: r.sent_at
        )  # type: ignore[arg-type, return-value]
        times = [r.sent_at for r in sent if r.sent_at is not None]
        # Each prompt at the person's check-in time, local, on both sides of the DST change.
        assert {t.astimezone(zone).time() for t in times} == {client.checkin}, client.name
        assert not any(in_quiet_hours(t.astimezone(zone).time(), *client.quiet) for t in times)
        # The cap: at most 2 in any 7 days, never 2 on one local day.
        for t in times:
            assert sum(1 for u in times if t <= u < t + timedelta(days=7)) <= 2, (client.name, t)
        assert len({t.astimezone(zone).date() for t in times}) == len(times)
        # Preparation for every meeting, then *efter mötet* after it.
        by_key = {r.plan_key: r for r in rows[client.name]}
        for meeting in meetings[client.name]:
            local_day = meeting.starts_at.astimezone(zone).date()
            before = by_key[f"before_meeting:{meeting.id}:{local_day.isoformat()}"]
            assert before.status == "sent" and before.sent_at is not None
            assert before.sent_at.astimezone(zone).date() == local_day - timedelta(days=2)
            after = by_key[f"after_meeting:{meeting.id}"]
            assert after.status == "sent" and after.sent_at is not None
            assert after.sent_at.astimezone(zone).date() <= local_day + timedelta(days=2)
        # Every commitment was checked on its due date, twice (not yet, then done).
        async with uow_factory() as uow:
            commitments = await uow.commitments.list_for(client.id)
        assert len(commitments) == 5
        assert all(c.status == "done" for c in commitments[1:]), client.name
        for commitment in commitments:
            events = await _events(uow_factory, commitment.id)
            assert [e.kind for e in events][:2] == ["created", "not_yet"]
        checkins = [r for r in sent if r.kind == "checkin"]
        assert len(checkins) >= 9
        for checkin in checkins:
            # On the due date in the key, or within the days the cap may push it.
            due = date.fromisoformat((checkin.plan_key or "").rsplit(":", 1)[1])
            assert checkin.sent_at is not None
            late = (checkin.sent_at.astimezone(zone).date() - due).days
            assert 0 <= late <= 10, (client.name, checkin.plan_key, late)
        nudges = [r for r in sent if r.kind == "nudge"]
        if client.reflects:
            assert nudges == []
        else:
            assert len(nudges) >= 3

    # Daylight saving: the same local time is another UTC hour after the change.
    def utc_hours(client: Client) -> set[int]:
        return {r.sent_at.hour for r in rows[client.name] if r.sent_at is not None}

    assert utc_hours(stockholm) == {7, 8}
    assert utc_hours(new_york) == {22, 23}
    assert utc_hours(kolkata) == {2}
    # The moved meeting: the old preparation never went out, the new one came 2 days before.
    keys = {r.plan_key: r.status for r in rows["stockholm"]}
    assert keys[f"before_meeting:{moved_meeting}:2026-12-01"] == "cancelled"
    assert keys[f"before_meeting:{moved_meeting}:2026-12-08"] == "sent"
    # The pause: nothing to the New York client while paused; the check-in due during it comes
    # on the day check-ins resume.
    paused_sends = [
        r.sent_at
        for r in rows["new_york"]
        if r.sent_at is not None and pause_from <= r.sent_at < resume
    ]
    assert paused_sends == []
    assert new_york.at(date(2026, 10, 20), new_york.checkin) in {
        r.sent_at for r in rows["new_york"] if r.kind == "checkin"
    }


async def _events(uow_factory: UnitOfWorkFactory, commitment_id: int) -> list:  # type: ignore[type-arg]
    async with uow_factory() as uow:
        return list(await uow.commitments.events_for(commitment_id))
