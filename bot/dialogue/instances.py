"""Binding a dialogue to a run's material: a for_each step becomes one step per item, and a
step showing a plan goal the plan does not have is left out.

The bound dialogue is what the engine walks; everything else (conditions, the path, the recap,
editing) then works on the per-item steps like on any other step. Pure and cached.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from bot.dialogue.material import CommitmentItem, Material, MaterialKind
from bot.dialogue.model import INSTANCE_SEPARATOR, Condition, ConditionOp, Dialogue, Step


def items_for(kind: MaterialKind, material: Material) -> tuple[CommitmentItem, ...]:
    """The items a for_each step of this kind walks through."""
    if kind is MaterialKind.OPEN_COMMITMENTS:
        return material.commitments
    return (material.commitment,) if material.commitment is not None else ()


# The condition of a step that is never asked: ANY of nothing never holds.
NEVER = Condition(ConditionOp.ANY)


@lru_cache(maxsize=512)
def bind(dialogue: Dialogue, material: Material) -> Dialogue:
    """The dialogue as one run sees it (unchanged when it has no for_each or plan-goal step)."""
    if not any(
        step.for_each is not None or (step.shows is not None and step.shows.plan_goal)
        for step in dialogue.steps
    ):
        return dialogue
    copies: dict[str, tuple[str, ...]] = {}
    steps: list[Step] = []
    for step in dialogue.steps:
        when = _expand(step.when, copies) if step.when is not None else None
        goal = step.shows.plan_goal if step.shows is not None else None
        if goal is not None and material.goal(goal) is None:
            when = NEVER
        if step.for_each is None:
            steps.append(replace(step, when=when))
            continue
        made = [
            replace(step, id=f"{step.id}{INSTANCE_SEPARATOR}{item.id}", item=item, when=when)
            for item in items_for(step.for_each, material)
        ]
        copies[step.id] = tuple(copy.id for copy in made)
        steps.extend(made)
    recap = dialogue.recap
    if recap.steps is not None:
        recap = replace(recap, steps=tuple(i for s in recap.steps for i in copies.get(s, (s,))))
    return replace(dialogue, steps=tuple(steps), recap=recap)


def copies_of(dialogue: Dialogue, base_id: str) -> list[Step]:
    """The steps of a bound dialogue that come from the file's step `base_id`."""
    return [step for step in dialogue.steps if step.base_id == base_id]


def _expand(condition: Condition, copies: dict[str, tuple[str, ...]]) -> Condition:
    """A condition on a for_each step holds when it holds for any of its items
    ("not answered" when it holds for all of them)."""
    if condition.op in (ConditionOp.ALL, ConditionOp.ANY):
        return replace(
            condition, children=tuple(_expand(child, copies) for child in condition.children)
        )
    if condition.step not in copies:
        return condition
    leaves = tuple(replace(condition, step=copy) for copy in copies[condition.step])
    every = condition.op is ConditionOp.ANSWERED and condition.value is False
    return Condition(ConditionOp.ALL if every else ConditionOp.ANY, children=leaves)
