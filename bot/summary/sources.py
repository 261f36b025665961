"""Which dialogue steps feed which part of the coach's summary.

The dialogue files say what a step asks; this table says what a coach wants from it before a
meeting. A test checks every entry against the shipped dialogues, so renaming a step there
fails loudly instead of silently emptying a section.
"""

from __future__ import annotations

from dataclasses import dataclass

# (dialogue id, step id) pairs.
StepRef = tuple[str, str]

# What the client wants to bring to the meeting, in whichever reflection they said it.
BRING_STEPS: tuple[StepRef, ...] = (
    ("infor_motet", "bring"),
    ("nulage", "want"),
    ("efter_motet", "carry"),
)

# The scope-of-action map (handlingsfrihet): the issue is the headline, the rest its detail.
SCOPE_DIALOGUE = "handlingsfrihet"
SCOPE_HEADLINE = "issue"
SCOPE_DETAIL = ("decide", "influence", "outside", "unclear", "action", "clarify_with")

# Themes the client raised: what occupies them, what happened, the relation they looked at,
# the change in the operation, the insight they took from the last meeting.
THEME_STEPS: tuple[StepRef, ...] = (
    ("nulage", "occupies"),
    ("infor_motet", "since"),
    ("relationer", "relation"),
    ("relationer", "not_working"),
    ("verksamheten", "change"),
    ("grupp_mognad", "example"),
    ("efter_motet", "insight"),
)


@dataclass(frozen=True)
class TrendSource:
    """A repeated scale (or ordered choice) shown as a trend over the engagement."""

    dialogue_id: str
    step_id: str


# In the order a coach reads them: the role, energy, collaboration, the group's maturity, the
# operation.
TREND_SOURCES: tuple[TrendSource, ...] = (
    TrendSource("nulage", "role"),
    TrendSource("nulage", "energy"),
    TrendSource("relationer", "quality"),
    TrendSource("grupp_mognad", "stage"),
    TrendSource("verksamheten", "standing"),
)

# The development plan and its follow-ups.
PLAN_DIALOGUE = "utvecklingsplan"
PLAN_GOALS = ("goal_1", "goal_2", "goal_3")
PLAN_DETAIL = ("progress_signs", "support", "review")
PLAN_FOLLOW_UP = "utvecklingsplan_uppfoljning"
PLAN_PROGRESS = ("progress_1", "progress_2", "progress_3")
PLAN_FOLLOW_UP_DETAIL = ("helped", "in_the_way", "nearly_there", "adjust", "next_review")

# Coaching is what the coach's summary is about: dialogues only for Backstage stay out.
COACHING_AUDIENCE = "coaching"


def all_refs() -> list[StepRef]:
    """Every (dialogue, step) this table names (for the test against the shipped dialogues)."""
    refs: list[StepRef] = [*BRING_STEPS, *THEME_STEPS]
    refs += [(SCOPE_DIALOGUE, step) for step in (SCOPE_HEADLINE, *SCOPE_DETAIL)]
    refs += [(s.dialogue_id, s.step_id) for s in TREND_SOURCES]
    refs += [(PLAN_DIALOGUE, step) for step in (*PLAN_GOALS, *PLAN_DETAIL)]
    refs += [(PLAN_FOLLOW_UP, step) for step in (*PLAN_PROGRESS, *PLAN_FOLLOW_UP_DETAIL)]
    return refs
