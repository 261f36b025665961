"""Run a dialogue as a transcript: (what the person sends, what the screen must show) pairs.

Reusable by dialogue content tests: `run_transcript(dialogue, [(None, ["opening text"]),
("7", ["next question"]), ("/done", ["Saved"])])`. Text inputs go through the console parser
(`/back`, `/skip`, `/edit 2` ...), so a transcript reads like a console session; engine `Input`
values are used as they are. Expected strings must all occur in the screen rendered as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.dialogue.engine import Effect, StepContext, start, step
from bot.dialogue.inputs import Input, parse_console_input
from bot.dialogue.material import CommitmentItem, Material
from bot.dialogue.model import Dialogue
from bot.dialogue.screens import Screen
from bot.dialogue.text_render import render_text
from bot.dialogue.translation import Translator

TODAY = date(2026, 3, 10)  # a Tuesday
BOOK = CommitmentItem(1, "Book one-to-ones", date(2026, 3, 12), "Five talks held")
# What a service would load for a run: the commitment checked in on, the open ones, the meeting.
MATERIAL = Material(
    commitment=BOOK,
    commitments=(
        BOOK,
        CommitmentItem(2, "Ask for the budget frame", date(2026, 3, 13)),
        CommitmentItem(3, "Write the change plan", date(2026, 3, 20), None, "not_yet"),
    ),
    next_meeting=date(2026, 3, 26),
)


class PlainTranslator:
    """A translator that returns the English source texts and ISO dates (for tests)."""

    locale = "en"

    def gettext(self, msgid: str) -> str:
        return msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def pgettext(self, context: str, msgid: str) -> str:
        return msgid

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def format_date(self, d: date) -> str:
        return d.isoformat()


Turn = tuple[str | Input | None, str | Sequence[str]]


@dataclass
class Transcript:
    """What a transcript run produced."""

    state: dict[str, Any]
    screens: list[Screen] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def screen(self) -> Screen:
        """The last screen."""
        return self.screens[-1]


def run_transcript(
    dialogue: Dialogue,
    turns: Sequence[Turn],
    *,
    translator: Translator | None = None,
    today: date = TODAY,
    care_threshold: int = 2,
    last_phrasings: Mapping[str, int] | None = None,
    material: Material | None = None,
) -> Transcript:
    """Start the dialogue and play the turns; a turn with input None checks the current screen.

    `material` is what a service would load for the run (the commitment checked in on, ...).
    """
    t = translator if translator is not None else PlainTranslator()
    ctx = StepContext(t, today, care_threshold, dict(last_phrasings or {}), material)
    state, screen = start(dialogue, ctx)
    result = Transcript(state, [screen], [render_text(screen, t)])
    for number, (sent, expected) in enumerate(turns, start=1):
        if sent is not None:
            inp = parse_console_input(sent) if isinstance(sent, str) else sent
            state, screen, effects = step(dialogue, state, inp, ctx)
            result.state = state
            result.screens.append(screen)
            result.texts.append(render_text(screen, t))
            result.effects.extend(effects)
        shown = result.texts[-1]
        wanted = [expected] if isinstance(expected, str) else list(expected)
        for piece in wanted:
            if piece not in shown:
                history = "\n\n".join(result.texts)
                raise AssertionError(
                    f"turn {number} ({sent!r}): expected {piece!r} in the screen:\n{shown}\n\n"
                    f"--- whole transcript ---\n{history}"
                )
    return result
