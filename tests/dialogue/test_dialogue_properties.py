"""Property tests: any input sequence keeps the engine exception-free and its state sound."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transcript import TODAY, PlainTranslator

from bot.dialogue.conditions import effective_values, visible
from bot.dialogue.dates import parse_date
from bot.dialogue.engine import CareNotice, Finished, StepContext, render, start, step
from bot.dialogue.inputs import (
    Back,
    Cancel,
    Choose,
    Confirm,
    Edit,
    Input,
    Pause,
    Resume,
    Skip,
    Start,
    Submit,
    Text,
    TogglePrivate,
)
from bot.dialogue.loader import DialogueFileError, load_dialogue
from bot.dialogue.model import Dialogue
from bot.dialogue.screens import ScreenKind
from bot.dialogue.state import validate_state

DATA = Path(__file__).parent / "data"
ALL_KINDS = load_dialogue(DATA / "all_kinds.yaml")
SHORT = load_dialogue(DATA / "short.yaml")

USEFUL_TEXT = [
    "ok",
    "Budget cuts",
    "1",
    "2",
    "3",
    "4",
    "7",
    "10",
    "1, 3",
    "2 4",
    "ja",
    "nej",
    "+7",
    "1/4",
    "imorgon",
    "today",
    "2026-03-20",
    "My staff",
    "x" * 60,
]
OPTION_VALUES = [o.value for s in ALL_KINDS.steps for o in s.options]
BUTTONS = [*OPTION_VALUES, "yes", "no", "continue", "0", "2", "9", "2026-03-11", "2026-03-17"]
REFERENCES = [s.id for s in ALL_KINDS.steps] + [str(n) for n in range(0, 13)]

texts = st.one_of(
    st.sampled_from(USEFUL_TEXT),
    st.text(max_size=60),
    st.integers(-3, 14).map(str),
)
references = st.one_of(st.sampled_from(REFERENCES), st.text(max_size=8))
useful_text = st.builds(Text, st.sampled_from(USEFUL_TEXT))
buttons = st.builds(Choose, st.sampled_from(BUTTONS))
# Cancel ends a run, so it is one command among many to let runs get deep into the dialogue.
commands = st.sampled_from(
    [Start(), Submit(), Back(), Skip(), Pause(), Resume(), Confirm(), TogglePrivate(), Cancel()]
)
inputs: st.SearchStrategy[Input] = st.one_of(
    useful_text,
    useful_text,
    useful_text,
    st.builds(Text, texts),
    buttons,
    buttons,
    st.builds(Choose, st.text(max_size=12)),
    commands,
    st.builds(Edit, references),
    st.builds(TogglePrivate, references),
)


def only_json_types(value: Any) -> bool:
    if value is None or type(value) in (str, int, bool):
        return True
    if type(value) is list:
        return all(only_json_types(item) for item in value)
    if type(value) is dict:
        return all(type(k) is str and only_json_types(v) for k, v in value.items())
    return False


KINDS = {
    "paused": ScreenKind.PAUSED,
    "cancelled": ScreenKind.CANCELLED,
    "finished": ScreenKind.FINISHED,
}


class Checker:
    """Feeds inputs to one run and checks every invariant after each of them."""

    def __init__(self, dialogue: Dialogue, care_threshold: int = 2) -> None:
        self.dialogue = dialogue
        self.care_threshold = care_threshold
        self.ctx = StepContext(PlainTranslator(), TODAY, care_threshold)
        self.state, self.screen = start(dialogue, self.ctx)
        self.ended = False

    def feed(self, inp: Input) -> None:
        dialogue, before = self.dialogue, copy.deepcopy(self.state)
        new, screen, effects = step(dialogue, self.state, inp, self.ctx)
        assert self.state == before, "the given state was mutated"
        assert only_json_types(new)
        assert json.loads(json.dumps(new)) == new
        validate_state(dialogue, new)
        assert render(dialogue, new, self.ctx).kind is screen.kind

        # an error never changes anything
        if screen.error is not None:
            assert new == before
        # answers are only replaced at the step being answered, or dropped when hidden
        values = effective_values(dialogue, new["answers"])
        for step_id, entry in before["answers"].items():
            if step_id in new["answers"]:
                if step_id != before["cursor"]:
                    assert new["answers"][step_id]["value"] == entry["value"]
            else:
                assert not visible(dialogue.step(step_id), values), f"{step_id} was lost"

        # screen and status agree
        if new["status"] in KINDS:
            assert screen.kind is KINDS[new["status"]]
        elif new["cursor"] == "@recap":
            assert screen.kind is ScreenKind.RECAP
        else:
            assert screen.kind is ScreenKind.QUESTION and screen.step_id == new["cursor"]
            low, high = screen.progress
            assert 1 <= low <= high

        # effects: care only for low care scores, nothing after the end
        if self.ended:
            assert effects == [] and new == before
        for effect in effects:
            if isinstance(effect, CareNotice):
                assert effect.value <= self.care_threshold
                assert dialogue.step(effect.step_id).care
                assert screen.notice is not None
        if any(isinstance(effect, Finished) for effect in effects):
            assert new["status"] == "finished"
        if new["status"] in ("finished", "cancelled"):
            self.ended = True
        self.state, self.screen = new, screen

    def sensible_input(self) -> st.SearchStrategy[Input]:
        """Plausible answers to the current screen (to get deep into the dialogue)."""
        screen = self.screen
        if screen.kind is ScreenKind.RECAP:
            numbers = [str(item.number) for item in screen.recap] or ["1"]
            return st.one_of(
                st.just(Confirm()),
                st.builds(Edit, st.sampled_from(numbers)),
                st.builds(TogglePrivate, st.sampled_from(numbers)),
            )
        if screen.kind is not ScreenKind.QUESTION:
            return st.just(Resume())
        if screen.choices and screen.input != "multi":
            return st.sampled_from([Choose(choice.value) for choice in screen.choices])
        return st.sampled_from([Text("1"), Text("2"), Text("1, 3"), Text("An answer")])


def check_run(dialogue: Dialogue, sequence: list[Input], care_threshold: int = 2) -> dict[str, Any]:
    """Play the inputs, checking every invariant after each one; returns the final state."""
    checker = Checker(dialogue, care_threshold)
    for inp in sequence:
        checker.feed(inp)
    return checker.state


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


LOADER_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.lists(inputs, max_size=60), st.integers(0, 10))
def test_any_input_sequence_on_the_full_dialogue(sequence: list[Input], threshold: int) -> None:
    check_run(ALL_KINDS, sequence, threshold)


@SETTINGS
@given(st.lists(inputs, max_size=30))
def test_any_input_sequence_on_the_short_dialogue(sequence: list[Input]) -> None:
    check_run(SHORT, sequence)


@SETTINGS
@given(st.data(), st.sampled_from([ALL_KINDS, SHORT]), st.integers(0, 10))
def test_guided_runs_reach_deep_into_the_dialogue(
    data: st.DataObject, dialogue: Dialogue, threshold: int
) -> None:
    # Half of the inputs answer the current screen sensibly, so runs reach the recap, edits and
    # the end; the other half is anything at all.
    checker = Checker(dialogue, threshold)
    for _ in range(data.draw(st.integers(0, 60))):
        if data.draw(st.booleans()):
            checker.feed(data.draw(checker.sensible_input()))
        else:
            checker.feed(data.draw(inputs))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_date_parser_never_raises(text: str, today: date) -> None:
    result = parse_date(text, today)
    assert result is None or isinstance(result, date)


@settings(max_examples=100, deadline=None)
@given(st.integers(-400, 400))
def test_relative_days_parse(days: int) -> None:
    assert parse_date(f"+{abs(days)}", TODAY) == TODAY + timedelta(days=abs(days))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_loader_never_crashes_on_arbitrary_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_dialogue(path)
    except DialogueFileError as error:
        assert error.problems
        assert all(str(p).startswith(f"{path}:") for p in error.problems)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_loader_never_crashes_on_damaged_dialogues(tmp_path: Path, data: st.DataObject) -> None:
    lines = (DATA / "all_kinds.yaml").read_text(encoding="utf-8").splitlines()
    dropped = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=6))
    kept = [line for number, line in enumerate(lines) if number not in dropped]
    path = tmp_path / "all_kinds.yaml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    try:
        dialogue = load_dialogue(path)
    except DialogueFileError as error:
        for problem in error.problems:
            assert 1 <= problem.line <= len(kept) + 1
    else:
        check_run(dialogue, [Text("ok")] * 15 + [Confirm()])


@pytest.mark.parametrize("dialogue", [ALL_KINDS, SHORT], ids=["all_kinds", "short"])
def test_repeated_answers_finish(dialogue: Dialogue) -> None:
    # "1" is a valid answer for every kind except a required text, which takes it too.
    final = check_run(dialogue, [Text("1")] * 20 + [Confirm()])
    assert final["status"] == "finished"
