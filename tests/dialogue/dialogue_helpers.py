"""A small driver for engine tests: keeps the state and checks the engine never mutates it."""

from __future__ import annotations

import copy
import json
from typing import Any

from bot.dialogue.engine import Effect, StepContext, start, step, validate_state
from bot.dialogue.inputs import Input, parse_console_input
from bot.dialogue.model import Dialogue
from bot.dialogue.screens import Screen

# A typical answer for each step of tests/dialogue/data/all_kinds.yaml.
ANSWERS = {
    "intro": "ok",
    "issue": "Budget cuts",
    "energy": "6",
    "relation": "1",
    "relation_note": "They compete",
    "parts": "1, 2",
    "share": "ja",
    "confidence": "5",
    "raise_it": "Talk to my boss",
    "due": "+7",
    "done_sign": "Boss agrees",
}


class Run:
    """One run of a dialogue driven input by input."""

    def __init__(self, dialogue: Dialogue, ctx: StepContext) -> None:
        self.dialogue = dialogue
        self.ctx = ctx
        self.state: dict[str, Any]
        self.state, self.screen = start(dialogue, ctx)
        self.effects: list[Effect] = []

    def send(self, inp: Input | str) -> Screen:
        """Send one input (console text is parsed) and return the new screen."""
        parsed = parse_console_input(inp) if isinstance(inp, str) else inp
        given = self.state
        snapshot = copy.deepcopy(given)
        self.state, self.screen, self.effects = step(self.dialogue, given, parsed, self.ctx)
        assert given == snapshot, "step() mutated the state it was given"
        assert json.loads(json.dumps(self.state)) == self.state
        validate_state(self.dialogue, self.state)
        return self.screen

    def answer_until(self, step_id: str, **overrides: str) -> Screen:
        """Answer with the typical answers until the given step (or "@recap") is current."""
        answers = {**ANSWERS, **overrides}
        for _ in range(30):
            current = self.screen.step_id if self.screen.kind == "question" else "@recap"
            if current == step_id:
                return self.screen
            assert current != "@recap", f"reached the recap before {step_id}"
            assert current is not None
            self.send(answers[current])
            assert self.screen.error is None, self.screen.error
        raise AssertionError(f"never reached {step_id}")

    def answers(self) -> dict[str, Any]:
        """The recorded answer values."""
        return {k: v["value"] for k, v in self.state["answers"].items()}
