"""Screens: what the engine asks a transport to show, as plain translated values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScreenKind(StrEnum):
    """Which sort of screen this is."""

    QUESTION = "question"
    RECAP = "recap"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    FINISHED = "finished"
    # The dialogue cannot run now (e.g. a check-in without an open commitment); no run exists.
    UNAVAILABLE = "unavailable"


class InputKind(StrEnum):
    """What kind of answer the current question expects (transports pick keyboards from it)."""

    TEXT = "text"
    SCALE = "scale"
    CHOICE = "choice"
    MULTI = "multi"
    DATE = "date"
    YESNO = "yesno"
    CONTINUE = "continue"


@dataclass(frozen=True)
class Choice:
    """A button: the value to send back with `Choose(value)` and its translated label."""

    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class RecapItem:
    """One line of the recap; `number` is what `/edit N` and `/private N` refer to."""

    number: int
    step_id: str
    label: str
    value_text: str
    private: bool


@dataclass(frozen=True)
class Screen:
    """Everything needed to show one state of a dialogue; all strings are translated."""

    kind: ScreenKind
    dialogue_id: str
    step_id: str | None
    title: str
    text: str
    # Help for the question (and the answer it has now), in the dialogue's own words.
    hint: str | None = None
    # How to answer, in words that fit any transport ("Answer with a number from 0 to 10.");
    # a transport with its own way to answer (the console's typed commands) says it its way.
    how: str | None = None
    # The person's own material the question is about (a commitment, an earlier answer),
    # shown above the question.
    shows: str | None = None
    error: str | None = None
    # A calm note (the care note) that transports send as a message of its own before this
    # screen, offering a pause; it is never glued to the question.
    notice: str | None = None
    input: InputKind | None = None
    choices: tuple[Choice, ...] = ()
    # (position, steps that will surely be asked); `progress_most` is larger when later answers
    # may still add questions (a total never grows mid-dialogue: it is a range until decided).
    progress: tuple[int, int] = (0, 0)
    progress_most: int = 0
    can_back: bool = False
    can_skip: bool = False
    private: bool = False
    recap: tuple[RecapItem, ...] = ()
    # Who reads the answers not marked "only for me": "coach" or "facilitator".
    reader: str = "coach"


def progress_label(screen: Screen) -> str | None:
    """Where a question stands, e.g. "2/5", or "2/5–6" while a later answer may add one."""
    position, total = screen.progress
    if screen.kind is not ScreenKind.QUESTION or not total:
        return None
    if screen.progress_most > total:
        return f"{position}/{total}–{screen.progress_most}"
    return f"{position}/{total}"
