"""Plain sentences for what is wrong in a dialogue file, naming the value the way a coach
editing the YAML reads it ("max of step 'energy' must be between 1 and 10, got 11")."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from bot.dialogue.schema import ID_PATTERN, STEP_CLASSES, AnswerStep, InfoStep
from bot.dialogue.yaml_tree import Path, Tree, type_name


def describe(path: Path, tree: Tree) -> str:
    """What the value at `path` is called in a message."""
    if not path:
        return "the dialogue"
    head, rest = path[0], path[1:]
    if head == "steps" and rest and isinstance(rest[0], int):
        return _in_step(rest[1:], step_name(tree.at(path[:2])))
    if head == "recap" and rest:
        return (
            "recap title"
            if rest[0] == "title"
            else "recap steps"
            if len(rest) == 1
            else ("step in recap")
        )
    if head == "effects" and rest:
        if len(rest) == 1:
            return "an effect"
        effect = str(rest[1])
        return effect if len(rest) == 2 else f"{effect} {rest[2]!r}"
    return str(head)


def step_name(data: Any) -> str:
    """ "step 'goal'", or "a step" when it has no usable id."""
    step_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(step_id, str) and ID_PATTERN.match(step_id):
        return f"step {step_id!r}"
    return "a step"


def _in_step(rest: Path, step: str) -> str:
    if not rest:
        return step
    key = rest[0]
    if key == "id":
        return "step id"
    if key == "when":
        return _in_condition(rest[1:], f"the condition of {step}")
    if key == "options" and len(rest) > 1:
        if len(rest) == 2:
            return f"an option of {step}"
        return "option value" if rest[2] == "value" else f"option {rest[2]} of {step}"
    if key == "shows" and len(rest) > 1:
        if rest[1] != "answer":
            return f"{rest[1]} of {step}"
        return f"the answers {step} shows" if len(rest) == 2 else f"the step {step} shows"
    if key == "picks" and len(rest) > 1:
        return f"a pick of {step}"
    return f"{key} of {step}"


def _in_condition(rest: Path, condition: str) -> str:
    while len(rest) >= 2 and rest[0] in ("all", "any") and isinstance(rest[1], int):
        rest = rest[2:]  # a sub-condition is named like the whole one
    if not rest:
        return condition
    key = rest[0]
    if key == "step":
        return f"the step in {condition}"
    if len(rest) > 1:
        return f"a value of {key!r} in {condition}"
    return f"{key!r} in {condition}"


def _owner(path: Path, tree: Tree) -> str:
    """The step a value belongs to (or the value that holds it)."""
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
        return step_name(tree.at(path[:2]))
    return describe(path[:-1], tree)


def _fill(template: str, values: dict[str, Any]) -> str:
    # Plain replacement rather than str.format: templates show YAML such as {answer: <step>}.
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def explain(error: ErrorDetails, tree: Tree) -> tuple[Path, str]:
    """Where a validation error is and a plain sentence saying what is wrong."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    context: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "missing":
        owner = tree.resolve(loc[:-1])
        return owner, f"{describe(owner, tree)} is missing the required key {loc[-1]!r}"
    path = tree.resolve(loc)
    what = describe(path, tree)
    got = type_name(value)
    if "template" in context:
        values = {"what": what, "owner": _owner(path, tree), **context}
        return path, _fill(str(context["template"]), values)
    if kind == "extra_forbidden":
        return path, _unknown_key(path, tree)
    if kind == "step_kind":
        kinds = ", ".join(STEP_CLASSES)
        if not isinstance(value, dict):
            return path, f"{what} must be a mapping, got {got}"
        if "kind" not in value:
            return path, f"{what} is missing the required key 'kind'"
        step_kind = value["kind"]
        if not isinstance(step_kind, str):
            message = f"kind of {what} must be one of: {kinds}, got {type_name(step_kind)}"
            return (*path, "kind"), message
        return (*path, "kind"), f"kind {step_kind!r} of {what} is not one of: {kinds}"
    if kind == "shows_form":
        forms = "'commitment', {answer: <step>} or {plan_goal: <number>}"
        return path, f"{what} must be {forms}, got {got}"
    sentences = {
        "string_type": "must be text",
        "int_type": "must be a whole number",
        "bool_type": "must be true or false",
        "list_type": "must be a list",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
        "dict_type": "must be a mapping",
        "condition_form": "must be a mapping",
    }
    if kind in sentences:
        return path, f"{what} {sentences[kind]}, got {got}"
    # Not expected from this schema; still say where and what pydantic found.
    return path, f"{what}: {error['msg']}"


def _unknown_key(path: Path, tree: Tree) -> str:
    key, parent = path[-1], path[:-1]
    data = tree.at(parent)
    if len(parent) == 2 and parent[0] == "steps" and isinstance(data, dict):
        kind = data.get("kind")
        if kind == InfoStep.KIND.value and key in AnswerStep.model_fields:
            return f"{key!r} is not allowed on info steps (they have no answer)"
        owners = [name for name, cls in STEP_CLASSES.items() if key in cls.model_fields]
        if owners:
            return f"{key!r} is only allowed on {' and '.join(owners)} steps, not on {kind} steps"
    if isinstance(data, dict) and parent and parent[-1] != "steps":
        for operator in ("all", "any"):
            if operator in data and "when" in parent:
                return f"{operator!r} must be the only key of its condition"
    return f"unknown key {key!r} in {describe(parent, tree)}"
