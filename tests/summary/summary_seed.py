"""A seeded coaching engagement (one term) for summary tests, in Swedish or English words.

Klara works with her coach Maria from 1 September; meetings on 8 September, 13 October and
17 November were held, the next is on 8 December at 14:00 (Stockholm). Besides what a coach
should see, the history holds what must never reach her: a reflection from before the
relation, answers marked only for me (one of them made a commitment), and a reflection tied
to a Backstage group meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.dialogue.material import CommitmentItem, Material
from bot.storage.models import Commitment, DialogueRun, Meeting, Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
RELATION_START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
NEXT_MEETING = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
HELD = (
    datetime(2026, 9, 8, 8, 0, tzinfo=UTC),
    datetime(2026, 10, 13, 8, 0, tzinfo=UTC),
    datetime(2026, 11, 17, 8, 0, tzinfo=UTC),
)
BACKSTAGE_MEETING = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 18) -> datetime:
    """A time in 2026 (UTC)."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


# The client's own words, per language. Keys ending in _private are only for her.
WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "before_relation": "Jag funderar på att byta jobb",
        "occupies_1": "Att ta över en grupp på tolv efter omorganisationen",
        "works_1": "Morgonmötena med teamledarna",
        "want_1": "Hur sätter jag förväntningar utan att detaljstyra?",
        "insight_1": "Jag behöver lyssna mer än jag pratar i början",
        "action_1": "Ha enskilda samtal med varje teamledare",
        "carry_1": "Hur jag får teamledarna att ta mer ansvar",
        "hindered_1": "Två sjukskrivningar i gruppen tog tiden",
        "helped_1": "Jag blockade tisdagsförmiddagarna för samtalen",
        "stage_example_1": "Alla väntar på att jag ska bestämma på mötena",
        "one_step_1": "Låta teamledarna förbereda var sin punkt på mötet",
        "occupies_2": "Budgeten för nästa år",
        "plan_goal_1": "Delegera budgetuppföljningen till teamledarna",
        "plan_goal_2": "Tacka nej till möten utan dagordning",
        "plan_signs": "Teamledarna redovisar själva på ledningsmötet",
        "plan_support": "Stöd från controllern under första kvartalet",
        "rel_not_working": "Besked om prioriteringar kommer sent från min chef",
        "rel_differently": "Be min chef om en avstämning på 30 minuter i månaden",
        "followup_way_1": "Kvartalsbokslutet tog all tid",
        "insight_2": "Jag tar över problem som teamledarna själva kan lösa",
        "action_2": "Låta teamledarna leda måndagsmötet",
        "carry_2": "Hur jag hanterar min chefs önskemål i sista minuten",
        "hindered_2": "Jag tog tillbaka mötet när det blev spänt kring dagordningen",
        "hindered_3_private": "Jag orkade inte, sov dåligt hela veckan",
        "private_action": "Prata med företagshälsan om min egen sömn",
        "scope_issue": "Rekryteringsstopp medan två tjänster är vakanta",
        "scope_decide": "Hur arbetet fördelas inom gruppen",
        "scope_influence": "Vilken tjänst som prioriteras först",
        "scope_outside": "Själva rekryteringsstoppet",
        "scope_unclear": "Om jag får ta in tillfällig personal",
        "scope_action": "Ta fram ett underlag för en tillfällig tjänst",
        "scope_clarify": "Min chef och HR",
        "stage_example_2": "Två teamledare är öppet oense om hur jourerna ska fördelas",
        "stage_one_step_2": "Ta konflikten om jourerna på nästa möte i stället för enskilt",
        "backstage_occupies": "Mitt case i Backstage om min ställföreträdare",
        "occupies_3": "Rekryteringsstoppet och en trött grupp",
        "works_3": "Teamledarna hjälper varandra mer än förut",
        "want_3": "Att prioritera när allt är bråttom",
        "followup_helped": "Controllern gick igenom siffrorna med teamledarna",
        "followup_way_2": "Jag säger fortfarande ja till de flesta möten",
        "followup_adjust": "Börja med att gå igenom kalendern varje fredag",
        "rel_not_working_2": "Vi pratar bara när något redan har gått fel",
        "since": "Rekryteringsstoppet är beslutat och gruppen är orolig",
        "commitments_note": "HR vill ha en kostnadsberäkning först",
        "bring": "Hur jag säger nej till min chef utan att det blir en konflikt",
        "private_works": "Att jag grät i bilen efter mötet med min chef",
    },
    "en": {
        "before_relation": "I am thinking about changing jobs",
        "occupies_1": "Taking over a group of twelve after the reorganisation",
        "works_1": "The morning meetings with the team leads",
        "want_1": "How do I set expectations without micromanaging?",
        "insight_1": "I need to listen more than I talk at the start",
        "action_1": "Hold a one-to-one with each team lead",
        "carry_1": "How to get the team leads to take more responsibility",
        "hindered_1": "Two sick leaves in the team took the time",
        "helped_1": "I blocked Tuesday mornings for the talks",
        "stage_example_1": "Everyone waits for me to decide in meetings",
        "one_step_1": "Let each team lead prepare one item for the meeting",
        "occupies_2": "Next year's budget",
        "plan_goal_1": "Delegate the budget follow-up to the team leads",
        "plan_goal_2": "Decline meetings without an agenda",
        "plan_signs": "The team leads report for themselves in the management meeting",
        "plan_support": "Support from the controller in the first quarter",
        "rel_not_working": "My manager's priorities reach me late",
        "rel_differently": "Ask my manager for a 30-minute check-in once a month",
        "followup_way_1": "The quarterly closing took all the time",
        "insight_2": "I take over problems the team leads could solve themselves",
        "action_2": "Let the team leads run the Monday meeting",
        "carry_2": "How to handle my manager's last-minute requests",
        "hindered_2": "I took the meeting back when the agenda got tense",
        "hindered_3_private": "I had no strength left, slept badly all week",
        "private_action": "Talk to occupational health about my own sleep",
        "scope_issue": "A recruitment freeze while two positions are vacant",
        "scope_decide": "How the work is shared within the team",
        "scope_influence": "Which position is argued for first",
        "scope_outside": "The freeze itself",
        "scope_unclear": "Whether I may bring in temporary staff",
        "scope_action": "Prepare a case for one temporary position",
        "scope_clarify": "My manager and HR",
        "stage_example_2": "Two team leads openly disagree about sharing the on-call duty",
        "stage_one_step_2": "Take the on-call conflict to the next meeting instead of one by one",
        "backstage_occupies": "My Backstage case about my deputy",
        "occupies_3": "The recruitment freeze and a tired team",
        "works_3": "The team leads help each other more than before",
        "want_3": "Prioritising when everything is urgent",
        "followup_helped": "The controller went through the figures with the team leads",
        "followup_way_2": "I still say yes to most meetings",
        "followup_adjust": "Start by going through the calendar every Friday",
        "rel_not_working_2": "We only talk when something has already gone wrong",
        "since": "The recruitment freeze is decided and the team is worried",
        "commitments_note": "HR wants a cost estimate first",
        "bring": "How to say no to my manager without it becoming a conflict",
        "private_works": "That I cried in the car after the meeting with my manager",
    },
}

# Texts that must never reach a coach, on any path.
PRIVATE_KEYS = ("hindered_3_private", "private_action", "private_works")
NEVER_SHOWN_KEYS = (*PRIVATE_KEYS, "before_relation", "backstage_occupies")


@dataclass(frozen=True)
class Engagement:
    """The ids of the seeded people and the next meeting."""

    client_id: int
    coach_id: int
    other_coach_id: int
    next_meeting_id: int
    words: dict[str, str]


Answer = tuple[str, Any, str]  # step id, value, visibility


class _Seeder:
    def __init__(self, uow: UnitOfWork, client: Person, words: dict[str, str]) -> None:
        self.uow = uow
        self.client = client
        self.w = words

    async def run(
        self,
        dialogue_id: str,
        finished: datetime,
        answers: list[Answer],
        meeting_id: int | None = None,
        material: Material | None = None,
    ) -> DialogueRun:
        state: dict[str, Any] = {"v": 1, "status": "finished"}
        if material is not None:
            state["material"] = material.to_json()
        run = await self.uow.runs.add(
            DialogueRun(
                person_id=self.client.id,
                dialogue_id=dialogue_id,
                dialogue_version=1,
                status="finished",
                state=state,
                phrasings={},
                started_at=finished,
                updated_at=finished,
                finished_at=finished,
                meeting_id=meeting_id,
            )
        )
        kinds = {True: "yesno", False: "yesno"}
        rows = []
        for step_id, value, visibility in answers:
            kind = kinds.get(value, "scale") if isinstance(value, bool | int) else "text"
            rows.append((step_id, kind, value, visibility))
        await self.uow.answers.add_for_finished_run(run, rows, finished)
        return run

    async def commitment(self, run: DialogueRun, text: str, due: date) -> Commitment:
        assert run.finished_at is not None
        return await self.uow.commitments.add(
            Commitment(
                person_id=self.client.id,
                run_id=run.id,
                text=text,
                due_date=due,
                status="open",
                created_at=run.finished_at,
                updated_at=run.finished_at,
            )
        )

    async def check(
        self,
        commitment: Commitment,
        when: datetime,
        result: str,
        *,
        note: tuple[str, str] | None = None,
        new_due: date | None = None,
    ) -> None:
        """A check-in run (status shared; the note shared or private) and its event."""
        answers: list[Answer] = [("status", result, "coach")]
        if note is not None:
            answers.append(("hindered", note[0], note[1]))
        if new_due is not None:
            answers.append(("new_date", new_due.isoformat(), "coach"))
        item = CommitmentItem(commitment.id, commitment.text, commitment.due_date)
        run = await self.run("checkin", when, answers, material=Material(commitment=item))
        await self.uow.commitments.record_check(
            commitment,
            result,
            when,
            new_due=new_due,
            note=note[0] if note is not None else None,
            run_id=run.id,
        )


async def seed_engagement(uow_factory: UnitOfWorkFactory, language: str) -> Engagement:
    """Seed the engagement with the client's words in `language`; the coach reads `language`."""
    w = WORDS[language]
    async with uow_factory() as uow:
        coach = await uow.people.add(
            Person(
                telegram_id=5001,
                role="coach",
                display_name="Maria Lind",
                locale=language,
                timezone="Europe/Stockholm",
                consent_at=at(8, 1),
                created_at=at(8, 1),
            )
        )
        other = await uow.people.add(
            Person(
                telegram_id=5002,
                role="coach",
                display_name="Olof Ek",
                locale=language,
                consent_at=at(8, 1),
                created_at=at(8, 1),
            )
        )
        client = await uow.people.add(
            Person(
                telegram_id=5003,
                role="client",
                display_name="Klara Berg",
                locale=language,
                timezone="Europe/Stockholm",
                consent_at=at(8, 1),
                created_at=at(8, 1),
                paused=True,
                auto_paused_at=at(12, 3, 9),
            )
        )
        await uow.relations.link(coach.id, client.id, RELATION_START)
        for held in HELD:
            await _meeting(uow, client, coach, held)
        upcoming = await _meeting(uow, client, coach, NEXT_MEETING)
        backstage = await _meeting(uow, client, None, BACKSTAGE_MEETING, kind="backstage")
        s = _Seeder(uow, client, w)

        # Before the relation began: never the coach's.
        await s.run("nulage", at(8, 20), [("occupies", w["before_relation"], "coach")])
        # First interval.
        await s.run(
            "nulage",
            at(9, 3),
            [
                ("occupies", w["occupies_1"], "coach"),
                ("role", 5, "coach"),
                ("energy", 6, "private"),
                ("works", w["works_1"], "coach"),
                ("want", w["want_1"], "coach"),
            ],
        )
        after_1 = await s.run(
            "efter_motet",
            at(9, 9),
            [
                ("insight", w["insight_1"], "coach"),
                ("action", w["action_1"], "coach"),
                ("due", "2026-09-30", "coach"),
                ("useful", 8, "coach"),
                ("carry", w["carry_1"], "coach"),
            ],
        )
        first = await s.commitment(after_1, w["action_1"], date(2026, 9, 30))
        await s.run(
            "grupp_mognad",
            at(9, 20),
            [
                ("stage", "stage_1", "coach"),
                ("example", w["stage_example_1"], "coach"),
                ("one_step", w["one_step_1"], "coach"),
            ],
        )
        await s.check(
            first, at(9, 30), "not_yet", note=(w["hindered_1"], "coach"), new_due=date(2026, 10, 10)
        )
        await s.run(
            "utvecklingsplan",
            at(10, 1),
            [
                ("goal_1", w["plan_goal_1"], "coach"),
                ("more_2", True, "coach"),
                ("goal_2", w["plan_goal_2"], "coach"),
                ("more_3", False, "coach"),
                ("progress_signs", w["plan_signs"], "coach"),
                ("support", w["plan_support"], "coach"),
                ("review", "2026-12-01", "coach"),
            ],
        )
        await s.check(first, at(10, 9), "done", note=(w["helped_1"], "coach"))
        await s.run(
            "nulage",
            at(10, 10),
            [("occupies", w["occupies_2"], "coach"), ("role", 6, "coach"), ("energy", 4, "coach")],
        )
        # Second interval.
        relation_run = await s.run(
            "relationer",
            at(10, 20),
            [
                ("relation", "own_manager", "coach"),
                ("not_working", w["rel_not_working"], "coach"),
                ("quality", 4, "coach"),
                ("differently", w["rel_differently"], "coach"),
                ("commit_due", "2026-11-10", "coach"),
            ],
        )
        second = await s.commitment(relation_run, w["rel_differently"], date(2026, 11, 10))
        await s.run(
            "utvecklingsplan_uppfoljning",
            at(10, 28),
            [
                ("progress_1", 4, "coach"),
                ("progress_2", 3, "coach"),
                ("in_the_way", w["followup_way_1"], "coach"),
            ],
        )
        # The current interval (since 17 November).
        # Marked done with a /commitments button: no run, no note.
        await uow.commitments.record_check(second, "done", at(11, 18, 7))
        after_2 = await s.run(
            "efter_motet",
            at(11, 18),
            [
                ("insight", w["insight_2"], "coach"),
                ("action", w["action_2"], "coach"),
                ("due", "2026-11-24", "coach"),
                ("useful", 9, "coach"),
                ("carry", w["carry_2"], "coach"),
            ],
        )
        third = await s.commitment(after_2, w["action_2"], date(2026, 11, 24))
        private_run = await s.run(
            "nasta_steg",
            at(11, 20),
            [
                ("action", w["private_action"], "private"),
                ("due", "2026-12-15", "private"),
                ("confidence", 6, "private"),
            ],
        )
        await s.commitment(private_run, w["private_action"], date(2026, 12, 15))
        scope = await s.run(
            "handlingsfrihet",
            at(11, 22),
            [
                ("issue", w["scope_issue"], "coach"),
                ("decide", w["scope_decide"], "coach"),
                ("influence", w["scope_influence"], "coach"),
                ("outside", w["scope_outside"], "coach"),
                ("unclear", w["scope_unclear"], "coach"),
                ("action", w["scope_action"], "coach"),
                ("clarify_with", w["scope_clarify"], "coach"),
                ("commit_due", "2026-12-04", "coach"),
            ],
        )
        fourth = await s.commitment(scope, w["scope_action"], date(2026, 12, 4))
        await s.check(
            third, at(11, 24), "not_yet", note=(w["hindered_2"], "coach"), new_due=date(2026, 12, 1)
        )
        await s.run(
            "nulage",
            at(11, 24, 15),
            [("occupies", w["backstage_occupies"], "coach"), ("role", 9, "coach")],
            meeting_id=backstage.id,
        )
        await s.run(
            "grupp_mognad",
            at(11, 26),
            [
                ("stage", "stage_2", "coach"),
                ("example", w["stage_example_2"], "coach"),
                ("one_step", w["stage_one_step_2"], "coach"),
            ],
        )
        await s.run(
            "nulage",
            at(11, 29),
            [
                ("occupies", w["occupies_3"], "coach"),
                ("role", 4, "coach"),
                ("energy", 2, "coach"),
                ("works", w["private_works"], "private"),
                ("want", w["want_3"], "coach"),
            ],
        )
        await s.run(
            "utvecklingsplan_uppfoljning",
            at(11, 30),
            [
                ("progress_1", 6, "coach"),
                ("progress_2", 3, "coach"),
                ("in_the_way", w["followup_way_2"], "coach"),
                ("helped", w["followup_helped"], "coach"),
                ("adjust", w["followup_adjust"], "coach"),
            ],
        )
        await s.check(
            third, at(12, 1), "not_yet", note=(w["hindered_3_private"], "private"),
            new_due=date(2026, 12, 11),
        )  # fmt: skip
        await s.run(
            "relationer",
            at(12, 2),
            [
                ("relation", "own_manager", "coach"),
                ("not_working", w["rel_not_working_2"], "coach"),
                ("quality", 5, "coach"),
            ],
        )
        before = await s.run(
            "infor_motet",
            at(12, 5),
            [
                ("since", w["since"], "coach"),
                (f"commitment.{fourth.id}", "partly", "coach"),
                ("commitments_note", w["commitments_note"], "coach"),
                ("bring", w["bring"], "coach"),
            ],
            material=Material(
                commitments=(CommitmentItem(fourth.id, fourth.text, fourth.due_date),)
            ),
        )
        await uow.commitments.record_check(fourth, "partly", at(12, 5), run_id=before.id)
        await uow.commit()
        return Engagement(client.id, coach.id, other.id, upcoming.id, w)


async def _meeting(
    uow: UnitOfWork, client: Person, coach: Person | None, starts: datetime, kind: str = "coaching"
) -> Meeting:
    return await uow.meetings.add(
        Meeting(
            client_id=client.id,
            coach_id=coach.id if coach is not None else None,
            starts_at=starts,
            kind=kind,
            created_by_id=coach.id if coach is not None else client.id,
            created_at=RELATION_START,
            updated_at=RELATION_START,
        )
    )
