"""What a person can send to a running dialogue, and the console's text commands for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Start:
    """Begin (or re-show) the dialogue."""


@dataclass(frozen=True)
class Text:
    """A typed answer."""

    text: str


@dataclass(frozen=True)
class Amend:
    """More of the previous typed answer: a message sent before the next question was seen
    (one thought sent as two quick messages). Joined to that answer; a plain answer when the
    previous answer was not typed text."""

    text: str


@dataclass(frozen=True)
class Choose:
    """A pressed button or picked option; on a multi step it toggles the option."""

    value: str


@dataclass(frozen=True)
class Submit:
    """Finish a multi selection (also continues past an info step)."""


@dataclass(frozen=True)
class Back:
    """Go back to the previously visited step (answers are kept)."""


@dataclass(frozen=True)
class Skip:
    """Skip an optional step, or keep the answer a step already has."""


@dataclass(frozen=True)
class Pause:
    """Pause the dialogue; any later input resumes it."""


@dataclass(frozen=True)
class Resume:
    """Resume a paused dialogue and re-show the current step."""


@dataclass(frozen=True)
class Cancel:
    """Stop the dialogue without finishing it."""


@dataclass(frozen=True)
class Edit:
    """At the recap: change the answer of a step (a step id, or a recap number such as "2")."""

    step_id: str


@dataclass(frozen=True)
class Confirm:
    """At the recap: finish and save (on a multi step it acts like Submit)."""


@dataclass(frozen=True)
class TogglePrivate:
    """Mark an answer "only for me" or shared again (current step, or a step/number at recap)."""

    step_id: str | None = None


Input = (
    Start
    | Text
    | Amend
    | Choose
    | Submit
    | Back
    | Skip
    | Pause
    | Resume
    | Cancel
    | Edit
    | Confirm
    | TogglePrivate
)

_SIMPLE_COMMANDS: dict[str, Input] = {
    "/start": Start(),
    "/back": Back(),
    "/skip": Skip(),
    "/pause": Pause(),
    "/resume": Resume(),
    "/cancel": Cancel(),
    "/done": Confirm(),
    "/confirm": Confirm(),
}


def parse_console_input(text: str) -> Input:
    """Map a console line to an input: /back, /skip, /pause, /resume, /cancel, /edit N,
    /private [N], /done; anything else is a typed answer."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return Text(text)
    command, _, argument = stripped.partition(" ")
    command = command.lower()
    argument = argument.strip()
    if command in _SIMPLE_COMMANDS and not argument:
        return _SIMPLE_COMMANDS[command]
    if command == "/edit" and argument:
        return Edit(argument)
    if command == "/private":
        return TogglePrivate(argument or None)
    return Text(text)
