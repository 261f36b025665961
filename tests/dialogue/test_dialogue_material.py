"""The engine with the person's material: kept in the state, shown, walked, acted on (pure)."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from bot.config import PROJECT_ROOT
from bot.dialogue.engine import InvalidState, RecordCheck, StepContext, render, start, step
from bot.dialogue.inputs import Choose, Confirm, Edit, Text
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.dialogue.material import CommitmentItem, GoalItem, Material, MaterialError
from bot.dialogue.screens import ScreenKind
from tests.dialogue.transcript import MATERIAL, TODAY, PlainTranslator


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


def _ctx(material: Material | None = None) -> StepContext:
    return StepContext(PlainTranslator(), TODAY, 2, {}, material)


def test_a_resumed_run_shows_the_commitment_it_started_with(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("checkin")
    state, first = start(dialogue, _ctx(MATERIAL))
    assert first.shows is not None and "Book one-to-ones" in first.shows
    assert "Due 2026-03-12" in first.shows and "Done when: Five talks held" in first.shows
    # After a restart the context has no material: the state still carries it.
    again = render(dialogue, copy.deepcopy(state), _ctx())
    assert again.shows == first.shows


def test_corrupted_material_is_an_invalid_state(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("checkin")
    state, _ = start(dialogue, _ctx(MATERIAL))
    state["material"]["commitment"]["due"] = "soon"
    with pytest.raises(InvalidState):
        render(dialogue, state, _ctx())


def test_a_state_from_before_material_still_runs(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("nulage")
    state, _ = start(dialogue, _ctx())
    del state["material"]
    assert render(dialogue, state, _ctx()).kind is ScreenKind.QUESTION


def test_a_walked_answer_can_be_changed_from_the_recap(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("infor_motet")
    ctx = _ctx(Material(commitments=MATERIAL.commitments[:2]))
    state, screen = start(dialogue, ctx)
    effects: list[object] = []
    for inp in (Text("Calm"), Choose("done"), Choose("done"), Text("The budget")):
        state, screen, _ = step(dialogue, state, inp, ctx)
        assert screen.error is None
    assert screen.kind is ScreenKind.RECAP
    labels = [item.label for item in screen.recap]
    assert labels[1:3] == [
        "Commitment – Book one-to-ones",
        "Commitment – Ask for the budget frame",
    ]
    state, screen, _ = step(dialogue, state, Edit("3"), ctx)
    assert screen.shows is not None and "Ask for the budget frame" in screen.shows
    state, screen, _ = step(dialogue, state, Choose("not_yet"), ctx)
    # The newly relevant note is asked before returning to the recap.
    assert screen.step_id == "commitments_note"
    state, screen, _ = step(dialogue, state, Text("Waiting for finance"), ctx)
    state, screen, effects = step(dialogue, state, Confirm(), ctx)
    assert [e for e in effects if isinstance(e, RecordCheck)] == [
        RecordCheck(1, "done"),
        RecordCheck(2, "not_yet"),
    ]


def test_the_next_meeting_is_offered_only_inside_the_range(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("checkin")
    far = Material(commitment=MATERIAL.commitment, next_meeting=date(2027, 1, 1))
    for material, offered in ((MATERIAL, True), (far, False)):
        ctx = _ctx(material)
        state, _ = start(dialogue, ctx)
        for inp in (Choose("not_yet"), Text("Busy")):
            state, screen, _ = step(dialogue, state, inp, ctx)
        labels = [choice.label for choice in screen.choices]
        assert ("At the next meeting (2026-03-26)" in labels) is offered
        assert labels[:2] == ["In 1 week (2026-03-17)", "In 2 weeks (2026-03-24)"]


def test_a_meeting_on_an_offered_day_replaces_that_button(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("checkin")
    item = CommitmentItem(7, "Call Eva", date(2026, 3, 11))
    ctx = _ctx(Material(commitment=item, next_meeting=date(2026, 3, 17)))
    state, _ = start(dialogue, ctx)
    for inp in (Choose("partly"), Text("Half")):
        state, screen, _ = step(dialogue, state, inp, ctx)
    assert [c.label for c in screen.choices] == [
        "At the next meeting (2026-03-17)",
        "In 2 weeks (2026-03-24)",
    ]
    state, screen, _ = step(dialogue, state, Text("1"), ctx)
    assert state["answers"]["new_date"]["value"] == "2026-03-17"


def test_plan_goals_survive_the_state_and_older_states_have_none() -> None:
    material = Material(goals=(GoalItem(1, "Delegate"), GoalItem(2, "Clearer goals")))
    again = Material.from_json(json.loads(json.dumps(material.to_json())))
    assert again == material and again.goal(2) == GoalItem(2, "Clearer goals")
    assert again.goal(3) is None
    older = {"commitment": None, "commitments": [], "next_meeting": None}
    assert Material.from_json(older) == Material()
    with pytest.raises(MaterialError):
        Material.from_json({**older, "goals": [{"number": "1", "text": "x"}]})


def test_a_plan_review_shows_each_goal_and_leaves_out_the_goals_not_written(
    catalog: DialogueCatalog,
) -> None:
    review = catalog.get("utvecklingsplan_uppfoljning")
    material = Material(goals=(GoalItem(1, "Delegate the planning"),))
    ctx = StepContext(PlainTranslator(), TODAY, material=material)
    state, screen = start(review, ctx)
    assert screen.shows == "Goal 1: Delegate the planning"
    assert screen.progress == (1, 4)
    state, screen, _ = step(review, state, Choose("9"), ctx)
    assert screen.step_id == "nearly_there"  # no second or third goal to rate
