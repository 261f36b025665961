"""Public helpers for services: the answers a run keeps; one answer read or shown outside a run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.dialogue.answers import typed_outcome
from bot.dialogue.model import Dialogue, Step
from bot.dialogue.rendering import effective_private, recap_steps, value_text
from bot.dialogue.state import State, values_of
from bot.dialogue.translation import Translator


@dataclass(frozen=True)
class VisibleAnswer:
    """An answer that counts: its step is shown under the final answers and it was not skipped."""

    value: Any
    private: bool


def visible_answers(dialogue: Dialogue, state: State) -> dict[str, VisibleAnswer]:
    """The answers a finished run keeps, in recap order (hidden or skipped steps left out)."""
    values = values_of(dialogue, state)
    steps = recap_steps(dialogue, state)
    # Answered steps that the recap does not list still belong to the run (e.g. an info-free
    # follow-up question); keep them after the recap's own order.
    listed = {step.id for step in steps}
    steps += [s for s in dialogue.steps if s.id in values and s.id not in listed and s.answerable]
    return {
        step.id: VisibleAnswer(values[step.id], effective_private(step, state))
        for step in steps
        if step.id in values
    }


def format_answer(dialogue: Dialogue, step: Step, value: Any, t: Translator) -> str:
    """A stored answer value as translated text."""
    return value_text(dialogue, step, value, t)


def step_label(dialogue: Dialogue, step: Step, t: Translator) -> str:
    """The translated short label of a step (its summary label or first phrasing); a step
    asked about one commitment also names the commitment."""
    label = t.pgettext(dialogue.id, step.label)
    if step.item is not None:
        label = t.gettext("{label} – {item}").format(label=label, item=step.item.text)
    return label


def parse_answer(
    dialogue: Dialogue, step: Step, raw: str, t: Translator, today: date
) -> tuple[Any, str | None]:
    """Reads typed text as a value for the step: (value, None) or (None, translated error)."""
    outcome = typed_outcome(step, dialogue.id, raw, today, t)
    return outcome.value, outcome.error
