"""The plain data a summary is composed from: runs with their answers, commitments with their
events, meetings, the coach relation and the client's choices in the preview.

The service reads these from storage; composing them needs no database and no Telegram, so
tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.dialogue.material import Material

# Who saw an answer: only "coach" answers reach a coach's summary ("group" answers belong to a
# Backstage case, "private" ones never leave the client).
SHARED_WITH_COACH = "coach"
BACKSTAGE = "backstage"


@dataclass(frozen=True)
class AnswerFact:
    """One stored answer of a finished run."""

    id: int
    step_id: str
    value: Any
    visibility: str
    created_at: datetime


@dataclass(frozen=True)
class RunFact:
    """A run of a dialogue with its answers (all of them; composing picks the shared ones)."""

    id: int
    dialogue_id: str
    status: str
    finished_at: datetime | None
    answers: tuple[AnswerFact, ...] = ()
    # The kind of the meeting the run is tied to ("backstage" = a group context), if any.
    meeting_kind: str | None = None
    material: Material = field(default_factory=Material)


@dataclass(frozen=True)
class EventFact:
    """One change of a commitment."""

    kind: str  # created, done, partly, not_yet, dropped, moved, reopened
    at: datetime
    due_date: date | None = None
    note: str | None = None
    run_id: int | None = None


@dataclass(frozen=True)
class CommitmentFact:
    """A commitment with its history, oldest event first."""

    id: int
    text: str
    due_date: date
    status: str
    created_at: datetime
    run_id: int | None
    done_when: str | None = None
    events: tuple[EventFact, ...] = ()
    # The commitment this one carries on (the rest of a partly done one), if any.
    parent_id: int | None = None


@dataclass(frozen=True)
class MeetingFact:
    """A meeting of the client."""

    id: int
    starts_at: datetime
    kind: str = "coaching"
    coach_id: int | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class Relation:
    """The coach's relation with the client: nothing before `start`, nothing after `end`."""

    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class SummaryFacts:
    """Everything one summary is composed from."""

    client_name: str
    relation: Relation
    # Data given after this moment is left out (the preview the client approved, or now).
    until: datetime
    runs: tuple[RunFact, ...] = ()
    commitments: tuple[CommitmentFact, ...] = ()
    # The meeting the summary prepares (None: no meeting planned) and the last one held before.
    meeting: MeetingFact | None = None
    last_held: MeetingFact | None = None
    # Set when the product paused the client's check-ins (prompts went unanswered).
    auto_paused_at: datetime | None = None
    care_threshold: int = 2
    # The client's choices in the preview: item keys held back, and a note for the coach.
    held_back: frozenset[str] = frozenset()
    note: str | None = None
    # An earlier meeting's summary shown again (the next one is not released): the header names
    # the meeting it was for instead of calling it the next one.
    reshown: bool = False
