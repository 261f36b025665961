"""The person's own material a run shows and acts on (their commitments, the next meeting,
the goals of their development plan).

Services load it from storage when a run starts; the engine keeps it in the run's JSON state so
a resumed run shows the same commitment it was started about. Plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

# At most this many open commitments are walked one by one in a single run (soonest due first),
# so that a long list does not turn a short reflection into a questionnaire.
MAX_WALKED = 5


class MaterialKind(StrEnum):
    """What a dialogue can ask the service to load when a run starts."""

    COMMITMENT = "commitment"  # the one commitment the run is about (a check-in)
    OPEN_COMMITMENTS = "open_commitments"  # the person's open commitments, soonest due first
    PLAN_GOALS = "plan_goals"  # the goals of the person's latest development plan


# A development plan has one to three goals (the utvecklingsplan dialogue's goal_1 .. goal_3).
MAX_PLAN_GOALS = 3


class MaterialError(ValueError):
    """Stored material is not well-formed."""


@dataclass(frozen=True)
class CommitmentItem:
    """A commitment as a run sees it: what, by when, how to know it is done, last check-in."""

    id: int
    text: str
    due: date
    done_when: str | None = None
    last_check: str | None = None

    def to_json(self) -> dict[str, Any]:
        """This commitment as plain JSON."""
        return {
            "id": self.id,
            "text": self.text,
            "due": self.due.isoformat(),
            "done_when": self.done_when,
            "last_check": self.last_check,
        }

    @staticmethod
    def from_json(raw: object) -> CommitmentItem:
        """Read a commitment back from JSON (MaterialError if it is malformed)."""
        if not isinstance(raw, dict) or set(raw) != {
            "id",
            "text",
            "due",
            "done_when",
            "last_check",
        }:
            raise MaterialError("a commitment needs exactly id, text, due, done_when, last_check")
        ident, text, due = raw["id"], raw["text"], raw["due"]
        if isinstance(ident, bool) or not isinstance(ident, int) or not isinstance(text, str):
            raise MaterialError("a commitment needs an integer id and a text")
        done_when, last_check = raw["done_when"], raw["last_check"]
        if not (done_when is None or isinstance(done_when, str)) or not (
            last_check is None or isinstance(last_check, str)
        ):
            raise MaterialError("done_when and last_check must be text or null")
        return CommitmentItem(ident, text, _date(due), done_when, last_check)


@dataclass(frozen=True)
class GoalItem:
    """A goal of the person's development plan as a run sees it: its number and wording."""

    number: int
    text: str

    def to_json(self) -> dict[str, Any]:
        """This goal as plain JSON."""
        return {"number": self.number, "text": self.text}

    @staticmethod
    def from_json(raw: object) -> GoalItem:
        """Read a goal back from JSON (MaterialError if it is malformed)."""
        if not isinstance(raw, dict) or set(raw) != {"number", "text"}:
            raise MaterialError("a goal needs exactly number and text")
        number, text = raw["number"], raw["text"]
        if isinstance(number, bool) or not isinstance(number, int) or not isinstance(text, str):
            raise MaterialError("a goal needs an integer number and a text")
        return GoalItem(number, text)


_MATERIAL_KEYS = {"commitment", "commitments", "next_meeting"}


@dataclass(frozen=True)
class Material:
    """Everything a run may show: the commitment it is about, the open ones, the next meeting,
    the goals of the development plan."""

    commitment: CommitmentItem | None = None
    commitments: tuple[CommitmentItem, ...] = field(default_factory=tuple)
    next_meeting: date | None = None
    goals: tuple[GoalItem, ...] = field(default_factory=tuple)

    def goal(self, number: int) -> GoalItem | None:
        """The plan's goal with this number, if the plan has it."""
        return next((goal for goal in self.goals if goal.number == number), None)

    def to_json(self) -> dict[str, Any]:
        """This material as plain JSON (kept in the run's state)."""
        return {
            "commitment": self.commitment.to_json() if self.commitment else None,
            "commitments": [item.to_json() for item in self.commitments],
            "next_meeting": self.next_meeting.isoformat() if self.next_meeting else None,
            "goals": [goal.to_json() for goal in self.goals],
        }

    @staticmethod
    def from_json(raw: object) -> Material:
        """Read material back from a run's state (MaterialError if it is malformed)."""
        if raw is None:
            return Material()
        # Runs started before plan goals were material have no "goals".
        if not isinstance(raw, dict) or set(raw) - {"goals"} != _MATERIAL_KEYS:
            raise MaterialError(
                "material needs exactly commitment, commitments, next_meeting (and goals)"
            )
        items = raw["commitments"]
        goals = raw.get("goals", [])
        if not isinstance(items, list) or not isinstance(goals, list):
            raise MaterialError("commitments and goals must be lists")
        one = raw["commitment"]
        meeting = raw["next_meeting"]
        return Material(
            commitment=CommitmentItem.from_json(one) if one is not None else None,
            commitments=tuple(CommitmentItem.from_json(item) for item in items),
            next_meeting=_date(meeting) if meeting is not None else None,
            goals=tuple(GoalItem.from_json(goal) for goal in goals),
        )


def _date(raw: object) -> date:
    if not isinstance(raw, str):
        raise MaterialError("dates are YYYY-MM-DD text")
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise MaterialError(f"not a date: {raw!r}") from error
