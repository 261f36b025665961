"""The run state as plain JSON: creating it, checking it and the small moves on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue.conditions import effective_values, visible
from bot.dialogue.material import Material, MaterialError
from bot.dialogue.model import RECAP_CURSOR, Dialogue, Step, StepKind

State = dict[str, Any]
STATE_FORMAT = 1
STATUSES = ("active", "paused", "finished", "cancelled")
STATE_KEYS = frozenset(
    {
        "v",
        "dialogue",
        "version",
        "status",
        "cursor",
        "path",
        "answers",
        "phrasings",
        "return_to",
        "draft",
        "private",
    }
)
# Optional: states written before runs carried material have no "material" key.
OPTIONAL_STATE_KEYS = frozenset({"material"})


class InvalidState(ValueError):
    """A stored state does not fit the dialogue (corrupted, or the dialogue changed shape)."""


def material_of(state: State) -> Material:
    """The material a run was started with (empty for runs without any)."""
    return Material.from_json(state.get("material"))


def new_state(
    dialogue: Dialogue, last_phrasings: Mapping[str, int], material: Material | None = None
) -> State:
    """A fresh state at the first step, with this run's phrasing per step chosen.

    `dialogue` is already bound to `material` (see `bot.dialogue.instances`).
    """
    phrasings: dict[str, int] = {}
    for step in dialogue.steps:
        # The copies of a for_each step share one wording per run, keyed by the file's id.
        last = last_phrasings.get(step.base_id, -1)
        if isinstance(last, bool) or not isinstance(last, int):
            last = -1
        # Move on from last time's wording so the same sentence is not shown twice in a row.
        phrasings[step.base_id] = (last + 1) % len(step.prompts)
    first = first_visible_after(dialogue, {}, None)
    cursor = first.id if first is not None else RECAP_CURSOR
    return {
        "v": STATE_FORMAT,
        "dialogue": dialogue.id,
        "version": dialogue.version,
        "status": "active",
        "cursor": cursor,
        "path": [cursor] if first is not None else [],
        "answers": {},
        "phrasings": phrasings,
        "return_to": None,
        "draft": {},
        "private": {},
        "material": (material or Material()).to_json(),
    }


def values_of(dialogue: Dialogue, state: State) -> dict[str, Any]:
    """The effective answer values of a state (hidden steps left out)."""
    return effective_values(dialogue, state["answers"])


def first_visible_after(
    dialogue: Dialogue, values: Mapping[str, Any], after: str | None
) -> Step | None:
    """The first visible step after `after` (or the first visible step at all)."""
    start = 0 if after is None else dialogue.index(after) + 1
    for step in dialogue.steps[start:]:
        if visible(step, values):
            return step
    return None


def add_to_path(dialogue: Dialogue, state: State, step_id: str) -> None:
    """Record a visited step; the path stays in dialogue order."""
    if step_id not in state["path"]:
        state["path"].append(step_id)
        state["path"].sort(key=dialogue.index)


def prune_hidden(dialogue: Dialogue, state: State) -> None:
    """Drop answers, drafts and visits of steps an earlier answer has hidden."""
    values = values_of(dialogue, state)
    shown = {step.id for step in dialogue.steps if visible(step, values)}
    for key in ("answers", "draft", "private"):
        state[key] = {k: v for k, v in state[key].items() if k in shown}
    state["path"] = [step_id for step_id in state["path"] if step_id in shown]


def _is_json(value: object) -> bool:
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def validate_state(dialogue: Dialogue, state: object) -> None:
    """Raise InvalidState unless `state` is a well-formed state of this dialogue."""
    problem = _state_problem(dialogue, state)
    if problem is not None:
        raise InvalidState(f"state of dialogue {dialogue.id!r}: {problem}")


def _state_problem(dialogue: Dialogue, state: object) -> str | None:
    # What an answer of each kind looks like is part of the declared format; imported here so
    # that importing the engine does not build the schema's classes.
    from bot.dialogue.schema import answer_problem

    if not isinstance(state, dict):
        return "not a mapping"
    if not _is_json(state):
        return "contains values that are not plain JSON"
    missing = STATE_KEYS - set(state)
    extra = set(state) - STATE_KEYS - OPTIONAL_STATE_KEYS
    if missing or extra:
        return f"missing keys {sorted(missing)}, unexpected keys {sorted(extra)}"
    if state["v"] != STATE_FORMAT:
        return f"unknown state format {state['v']!r}"
    if state["dialogue"] != dialogue.id:
        return f"belongs to dialogue {state['dialogue']!r}"
    if isinstance(state["version"], bool) or not isinstance(state["version"], int):
        return "version must be an integer"
    if state["status"] not in STATUSES:
        return f"unknown status {state['status']!r}"
    try:
        material_of(state)
    except MaterialError as error:
        return f"material: {error}"
    ids = {step.id for step in dialogue.steps}
    cursor = state["cursor"]
    if cursor != RECAP_CURSOR and cursor not in ids:
        return f"cursor {cursor!r} is not a step"
    path = state["path"]
    if not isinstance(path, list) or not all(p in ids for p in path):
        return "path must list step ids"
    if len(set(path)) != len(path) or path != sorted(path, key=dialogue.index):
        return "path must be unique and in dialogue order"
    if cursor != RECAP_CURSOR and cursor not in path:
        return "the current step is not on the path"
    if state["return_to"] not in (None, RECAP_CURSOR):
        return "return_to must be null or @recap"
    answers = state["answers"]
    if not isinstance(answers, dict):
        return "answers must be a mapping"
    for step_id, entry in answers.items():
        if step_id not in ids:
            return f"answer for unknown step {step_id!r}"
        if not isinstance(entry, dict) or set(entry) != {"value", "private"}:
            return f"answer of {step_id!r} must have exactly value and private"
        if not isinstance(entry["private"], bool):
            return f"private flag of {step_id!r} must be a boolean"
        problem = answer_problem(dialogue.step(step_id), entry["value"])
        if problem is not None:
            return f"{step_id!r}: {problem}"
        if step_id not in path:
            return f"answered step {step_id!r} is not on the path"
    values = values_of(dialogue, state)
    for step_id in answers:
        if not visible(dialogue.step(step_id), values):
            return f"answered step {step_id!r} is hidden by its condition"
    phrasings = state["phrasings"]
    base_ids = {step.base_id for step in dialogue.steps}
    if not isinstance(phrasings, dict):
        return "phrasings must be a mapping"
    for step_id, index in phrasings.items():
        if (
            step_id not in base_ids
            or isinstance(index, bool)
            or not isinstance(index, int)
            or index < 0
        ):
            return f"bad phrasing entry {step_id!r}"
    draft = state["draft"]
    if not isinstance(draft, dict):
        return "draft must be a mapping"
    for step_id, selection in draft.items():
        if step_id not in ids or dialogue.step(step_id).kind is not StepKind.MULTI:
            return f"draft for a step that is not a multi step: {step_id!r}"
        problem = answer_problem(dialogue.step(step_id), selection)
        if problem is not None:
            return f"draft of {step_id!r}: {problem}"
    marks = state["private"]
    if not isinstance(marks, dict):
        return "private must be a mapping"
    for step_id, flag in marks.items():
        if step_id not in ids or not isinstance(flag, bool):
            return f"bad private mark {step_id!r}"
    return None
