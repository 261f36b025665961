"""Evaluating `when:` conditions and working out which steps are visible for given answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue.model import Condition, ConditionOp, Dialogue, Step


def holds(condition: Condition, values: Mapping[str, Any]) -> bool:
    """Whether the condition holds for these answer values (step id -> value)."""
    op = condition.op
    if op is ConditionOp.ALL:
        return all(holds(child, values) for child in condition.children)
    if op is ConditionOp.ANY:
        return any(holds(child, values) for child in condition.children)
    if condition.step is None:
        return False
    answered = condition.step in values
    if op is ConditionOp.ANSWERED:
        return answered is bool(condition.value)
    if not answered:
        # An unanswered step satisfies no comparison, including not_equals.
        return False
    value = values[condition.step]
    expected = condition.value
    if op in (ConditionOp.LT, ConditionOp.LTE, ConditionOp.GT, ConditionOp.GTE):
        if isinstance(value, bool) or not isinstance(value, int) or not isinstance(expected, int):
            return False
        return {
            ConditionOp.LT: value < expected,
            ConditionOp.LTE: value <= expected,
            ConditionOp.GT: value > expected,
            ConditionOp.GTE: value >= expected,
        }[op]
    candidates = expected if isinstance(expected, tuple) else (expected,)
    # On a multi step an answer "equals" a value when that value is among the chosen ones.
    chosen = value if isinstance(value, list) else [value]
    matches = any(_same(item, candidate) for item in chosen for candidate in candidates)
    if op is ConditionOp.NOT_EQUALS:
        return not matches
    return matches


def _same(left: object, right: object) -> bool:
    # Keep True from equalling 1: yes/no answers and scale answers must not mix.
    return type(left) is type(right) and left == right


def visible(step: Step, values: Mapping[str, Any]) -> bool:
    """Whether a step is shown, given the answers so far."""
    return step.when is None or holds(step.when, values)


def effective_values(dialogue: Dialogue, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answer values that count: answers of steps hidden by an earlier answer are left out.

    `answers` is the state's mapping step id -> {"value": ..., "private": ...}.
    """
    values: dict[str, Any] = {}
    for step in dialogue.steps:
        entry = answers.get(step.id)
        if entry is None or not visible(step, values):
            continue
        values[step.id] = entry["value"]
    return values


def visible_steps(dialogue: Dialogue, answers: Mapping[str, Any]) -> list[Step]:
    """All steps shown for these answers, in dialogue order."""
    values = effective_values(dialogue, answers)
    return [step for step in dialogue.steps if visible(step, values)]


def decided(condition: Condition, values: Mapping[str, Any], undecided: set[str]) -> bool | None:
    """`holds`, or None while it still depends on a step that may yet be answered (any/all are
    decided as soon as one part settles them)."""
    if condition.op in (ConditionOp.ALL, ConditionOp.ANY):
        parts = [decided(child, values, undecided) for child in condition.children]
        settling = condition.op is ConditionOp.ANY  # one True settles "any", one False "all"
        if settling in parts:
            return settling
        return None if None in parts else not settling
    if condition.step is not None and condition.step in undecided:
        return None
    return holds(condition, values)
