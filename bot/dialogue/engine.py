"""The pure dialogue engine: start a run, feed it one input at a time, get screens and effects.

State is plain JSON (see `bot.dialogue.state`); nothing here touches Telegram, a database or a
clock: today's date and the translator come in through `StepContext`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.dialogue.answers import (
    Outcome,
    chosen_outcome,
    multi_count_error,
    not_an_option,
    ordered_selection,
    text_outcome,
    typed_outcome,
)
from bot.dialogue.conditions import visible
from bot.dialogue.context import StepContext
from bot.dialogue.effects import (
    Cancelled,
    CareNotice,
    CreateCommitment,
    Effect,
    Finished,
    RecordCheck,
)
from bot.dialogue.inputs import (
    Amend,
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
from bot.dialogue.instances import bind, copies_of
from bot.dialogue.material import Material, MaterialError
from bot.dialogue.model import (
    RECAP_CURSOR,
    CommitmentEffectSpec,
    Dialogue,
    RecordCheckSpec,
    Step,
    StepKind,
)
from bot.dialogue.rendering import (
    care_notice,
    effective_private,
    previous_step,
    recap_steps,
    render_state,
)
from bot.dialogue.screens import Screen
from bot.dialogue.state import (
    InvalidState,
    State,
    add_to_path,
    first_visible_after,
    material_of,
    new_state,
    prune_hidden,
    values_of,
)
from bot.dialogue.state import validate_state as _validate_bound

__all__ = [
    "Cancelled",
    "CareNotice",
    "CreateCommitment",
    "Effect",
    "Finished",
    "InvalidState",
    "RecordCheck",
    "StepContext",
    "render",
    "start",
    "step",
    "validate_state",
]

Result = tuple[State, Screen, list[Effect]]


def start(dialogue: Dialogue, ctx: StepContext) -> tuple[State, Screen]:
    """Begin a run: a fresh state at the first step and its screen.

    The run keeps `ctx.material` in its state, so it shows the same material when resumed.
    """
    material = ctx.material or Material()
    bound = bind(dialogue, material)
    state = new_state(bound, ctx.last_phrasings, material)
    return state, render_state(bound, state, ctx)


def render(dialogue: Dialogue, state: State, ctx: StepContext) -> Screen:
    """Re-show the current screen of a state (after a restart or on resume)."""
    bound = validate_state(dialogue, state)
    return render_state(bound, state, ctx)


def validate_state(dialogue: Dialogue, state: object) -> Dialogue:
    """Raise InvalidState unless `state` is a well-formed state of this dialogue; returns the
    dialogue bound to the run's material (what the run actually walks)."""
    if not isinstance(state, dict):
        raise InvalidState(f"state of dialogue {dialogue.id!r}: not a mapping")
    try:
        material = material_of(state)
    except MaterialError as error:
        raise InvalidState(f"state of dialogue {dialogue.id!r}: material: {error}") from error
    bound = bind(dialogue, material)
    _validate_bound(bound, state)
    return bound


def step(dialogue: Dialogue, state: State, inp: Input, ctx: StepContext) -> Result:
    """Apply one input; returns the new state, the screen to show and the effects to run.

    Bad input never raises: it yields the same state and a screen with `error` set. Only a
    corrupted state raises InvalidState.
    """
    dialogue = validate_state(dialogue, state)
    new = _copy_json(state)
    status = new["status"]
    if status in ("finished", "cancelled"):
        return new, render_state(dialogue, new, ctx), []
    if isinstance(inp, Cancel):
        return _cancel(dialogue, new, ctx)
    if status == "paused":
        # Whatever arrives while paused simply brings the person back to where they were.
        new["status"] = "active"
        return new, render_state(dialogue, new, ctx), []
    if isinstance(inp, Pause):
        new["status"] = "paused"
        return new, render_state(dialogue, new, ctx), []
    if isinstance(inp, Start | Resume):
        return new, render_state(dialogue, new, ctx), []
    if isinstance(inp, Amend):
        joined = _amend(dialogue, new, inp.text, ctx)
        if joined is not None:
            return joined
        inp = Text(inp.text)  # nothing typed to continue: it answers the question on screen
    if new["cursor"] == RECAP_CURSOR:
        return _at_recap(dialogue, new, inp, ctx)
    return _at_question(dialogue, new, inp, ctx)


def _amend(dialogue: Dialogue, state: State, text: str, ctx: StepContext) -> Result | None:
    """Join `text` to the previous typed answer and show the same screen again; None when the
    previous answer was not typed text or would grow past its limit."""
    path, cursor = state["path"], state["cursor"]
    # The steps answered before the one on screen (all of them at the recap).
    earlier = path[: path.index(cursor)] if cursor in path else path
    if not earlier:
        return None
    previous = dialogue.step(earlier[-1])
    entry = state["answers"].get(previous.id)
    if previous.kind is not StepKind.TEXT or entry is None or not isinstance(entry["value"], str):
        return None
    outcome = text_outcome(previous, entry["value"] + "\n" + text, ctx.translator)
    if outcome.error is not None:
        return None
    entry["value"] = outcome.value
    return state, render_state(dialogue, state, ctx), []


def _cancel(dialogue: Dialogue, state: State, ctx: StepContext) -> Result:
    state["status"] = "cancelled"
    return state, render_state(dialogue, state, ctx), [Cancelled()]


def _error(dialogue: Dialogue, state: State, ctx: StepContext, message: str) -> Result:
    return state, render_state(dialogue, state, ctx, error=message), []


# -- at the recap ---------------------------------------------------------------------------------


def _at_recap(dialogue: Dialogue, state: State, inp: Input, ctx: StepContext) -> Result:
    t = ctx.translator
    if isinstance(inp, Text):
        # What people naturally type at a summary: "ok", "ja", an empty line, or a number.
        inp = recap_reading(inp.text) or inp
    if isinstance(inp, Confirm | Submit):
        return _finish(dialogue, state, ctx)
    if isinstance(inp, Back):
        if not state["path"]:
            return _error(dialogue, state, ctx, t.gettext("There is nothing to go back to."))
        state["cursor"] = state["path"][-1]
        return state, render_state(dialogue, state, ctx), []
    if isinstance(inp, Edit):
        target = _resolve_step(dialogue, state, inp.step_id)
        if target is None or not target.answerable:
            return _error(dialogue, state, ctx, _no_such_answer(dialogue, state, ctx))
        state["cursor"] = target.id
        state["return_to"] = RECAP_CURSOR
        add_to_path(dialogue, state, target.id)
        return state, render_state(dialogue, state, ctx), []
    if isinstance(inp, TogglePrivate):
        if inp.step_id is None:
            return _error(
                dialogue,
                state,
                ctx,
                t.gettext("Say which answer to mark, by its number in the list."),
            )
        target = _resolve_step(dialogue, state, inp.step_id)
        if target is None or target.id not in state["answers"]:
            return _error(dialogue, state, ctx, _no_such_answer(dialogue, state, ctx))
        entry = state["answers"][target.id]
        entry["private"] = not entry["private"]
        return state, render_state(dialogue, state, ctx), []
    return _error(
        dialogue,
        state,
        ctx,
        t.gettext("To save, write “ok”; to change an answer, write its number."),
    )


# Words that confirm a summary, in every language we speak (a Swede may well type "ok" or "done",
# and nobody is refused for writing their answer in the other language).
CONFIRM_WORDS = frozenset(
    {
        "ja", "japp", "jo", "ok", "okej", "okay", "klar", "klart", "spara", "bekräfta",
        "yes", "yep", "done", "save", "confirm", "✅", "👍",
    }
)  # fmt: skip


def recap_reading(text: str) -> Input | None:
    """A typed line at the recap read as what it means: empty or a confirm word saves, a number
    changes that answer; None for anything else."""
    word = text.strip().strip(".!").strip().casefold()
    if not word or word in CONFIRM_WORDS:
        return Confirm()
    if word.isdecimal():
        return Edit(word)
    return None


def _no_such_answer(dialogue: Dialogue, state: State, ctx: StepContext) -> str:
    count = len(recap_steps(dialogue, state))
    return ctx.translator.gettext(
        "There is no such answer. Use a number from 1 to {count}."
    ).format(count=count)


def _resolve_step(dialogue: Dialogue, state: State, reference: str) -> Step | None:
    """A visible step named by id or by its number in the recap."""
    reference = reference.strip()
    listed = recap_steps(dialogue, state)
    if reference.isdecimal():
        number = int(reference)
        return listed[number - 1] if 1 <= number <= len(listed) else None
    if not dialogue.has_step(reference):
        return None
    target = dialogue.step(reference)
    return target if visible(target, values_of(dialogue, state)) else None


def _finish(dialogue: Dialogue, state: State, ctx: StepContext) -> Result:
    values = values_of(dialogue, state)
    material = material_of(state)
    effects: list[Effect] = []
    for spec in dialogue.effects:
        if isinstance(spec, RecordCheckSpec):
            effects.extend(_record_checks(dialogue, spec, values, material))
        else:
            made = _create_commitment(spec, values, material)
            if made is not None:
                effects.append(made)
    effects.append(Finished())
    state["status"] = "finished"
    state["return_to"] = None
    state["draft"] = {}
    state["private"] = {}
    return state, render_state(dialogue, state, ctx), effects


def _create_commitment(
    spec: CommitmentEffectSpec, values: dict[str, Any], material: Material
) -> CreateCommitment | None:
    text, due = values.get(spec.text), values.get(spec.due)
    if not isinstance(text, str) or not isinstance(due, str):
        return None  # an optional or hidden step left the commitment without text or date
    parent_id = None
    if spec.parent:
        if material.commitment is None:
            return None  # "the rest of" a commitment the run does not have
        parent_id = material.commitment.id
    done_when = values.get(spec.done_when) if spec.done_when else None
    return CreateCommitment(
        text=text,
        due=date.fromisoformat(due),
        done_when=done_when if isinstance(done_when, str) else None,
        parent_id=parent_id,
    )


def _record_checks(
    dialogue: Dialogue, spec: RecordCheckSpec, values: dict[str, Any], material: Material
) -> list[RecordCheck]:
    """One RecordCheck per answered status: the run's commitment, or each walked item."""
    targets = [
        (step.id, step.item if step.item is not None else material.commitment)
        for step in copies_of(dialogue, spec.status)
    ]
    note = next(
        (values[n] for n in spec.note if isinstance(values.get(n), str)),
        None,
    )
    checks: list[RecordCheck] = []
    for step_id, item in targets:
        result = values.get(step_id)
        if item is None or not isinstance(result, str):
            continue
        due = values.get(spec.new_due) if spec.new_due else None
        # Only a commitment that stays open gets a new date.
        new_due = (
            date.fromisoformat(due)
            if isinstance(due, str) and result in ("partly", "not_yet")
            else None
        )
        checks.append(RecordCheck(item.id, result, new_due, note))
    return checks


# -- at a question --------------------------------------------------------------------------------


def _at_question(dialogue: Dialogue, state: State, inp: Input, ctx: StepContext) -> Result:
    t = ctx.translator
    current = dialogue.step(state["cursor"])
    if isinstance(inp, Back):
        return _back(dialogue, state, current, ctx)
    if isinstance(inp, Skip):
        return _skip(dialogue, state, current, ctx)
    if isinstance(inp, TogglePrivate):
        return _toggle_private(dialogue, state, current, inp, ctx)
    if isinstance(inp, Edit):
        return _error(
            dialogue,
            state,
            ctx,
            t.gettext("You can change earlier answers in the summary at the end."),
        )
    if current.kind is StepKind.INFO:
        if isinstance(inp, Text | Choose | Submit | Confirm):
            return _advance(dialogue, state, current, ctx, [])
        return _error(dialogue, state, ctx, t.gettext("Continue when you are ready."))
    if current.kind is StepKind.MULTI:
        if isinstance(inp, Choose):
            return _toggle_option(dialogue, state, current, inp.value, ctx)
        if isinstance(inp, Submit | Confirm):
            return _submit_multi(dialogue, state, current, ctx)
    if isinstance(inp, Text):
        meeting = material_of(state).next_meeting
        outcome = typed_outcome(current, dialogue.id, inp.text, ctx.today, t, meeting)
    elif isinstance(inp, Choose):
        outcome = chosen_outcome(current, inp.value, ctx.today, t)
    else:
        return _error(dialogue, state, ctx, _answer_first(current, ctx))
    return _record(dialogue, state, current, outcome, ctx)


def _answer_first(current: Step, ctx: StepContext) -> str:
    t = ctx.translator
    if current.optional:
        return t.gettext("Answer the question first, or skip it.")
    return t.gettext("Answer the question first.")


def _back(dialogue: Dialogue, state: State, current: Step, ctx: StepContext) -> Result:
    if state["return_to"] == RECAP_CURSOR:
        # Back while changing an answer from the recap abandons the change.
        state["cursor"] = RECAP_CURSOR
        state["return_to"] = None
        state["draft"].pop(current.id, None)
        state["private"].pop(current.id, None)
        return state, render_state(dialogue, state, ctx), []
    previous = previous_step(dialogue, state, current.id)
    if previous is None:
        return _error(dialogue, state, ctx, ctx.translator.gettext("This is the first question."))
    state["cursor"] = previous
    return state, render_state(dialogue, state, ctx), []


def _skip(dialogue: Dialogue, state: State, current: Step, ctx: StepContext) -> Result:
    t = ctx.translator
    if current.kind is StepKind.INFO:
        return _advance(dialogue, state, current, ctx, [])
    if current.id in state["answers"]:
        # Skipping a step that already has an answer keeps that answer.
        state["draft"].pop(current.id, None)
        entry = state["answers"][current.id]
        entry["private"] = effective_private(current, state)
        state["private"].pop(current.id, None)
        return _advance(dialogue, state, current, ctx, [])
    if not current.optional:
        return _error(
            dialogue,
            state,
            ctx,
            t.gettext("This question cannot be skipped; it is needed for the rest."),
        )
    state["draft"].pop(current.id, None)
    state["private"].pop(current.id, None)
    return _advance(dialogue, state, current, ctx, [])


def _toggle_private(
    dialogue: Dialogue, state: State, current: Step, inp: TogglePrivate, ctx: StepContext
) -> Result:
    target = current
    if inp.step_id is not None and inp.step_id.strip() != current.id:
        other = _resolve_step(dialogue, state, inp.step_id)
        if other is None or other.id not in state["answers"]:
            return _error(dialogue, state, ctx, _no_such_answer(dialogue, state, ctx))
        target = other
    if not target.answerable:
        return _error(
            dialogue, state, ctx, ctx.translator.gettext("There is no answer here to mark.")
        )
    flag = not effective_private(target, state)
    if target.id in state["answers"]:
        state["answers"][target.id]["private"] = flag
        state["private"].pop(target.id, None)
    else:
        state["private"][target.id] = flag
    return state, render_state(dialogue, state, ctx), []


def _toggle_option(
    dialogue: Dialogue, state: State, current: Step, value: str, ctx: StepContext
) -> Result:
    t = ctx.translator
    if current.option(value) is None:
        return _error(
            dialogue,
            state,
            ctx,
            not_an_option(current, t),
        )
    selection = list(_selection(state, current))
    if value in selection:
        selection.remove(value)
    else:
        high = current.effective_max_choices
        if len(selection) >= high:
            return _error(
                dialogue,
                state,
                ctx,
                t.ngettext(
                    "You can choose at most {count} option; remove one first.",
                    "You can choose at most {count} options; remove one first.",
                    high,
                ).format(count=high),
            )
        selection.append(value)
    state["draft"][current.id] = ordered_selection(current, selection)
    return state, render_state(dialogue, state, ctx), []


def _selection(state: State, current: Step) -> list[str]:
    if current.id in state["draft"]:
        return list(state["draft"][current.id])
    entry = state["answers"].get(current.id)
    return list(entry["value"]) if entry is not None else []


def _submit_multi(dialogue: Dialogue, state: State, current: Step, ctx: StepContext) -> Result:
    selection = _selection(state, current)
    error = multi_count_error(current, len(selection), ctx.translator)
    if error is not None:
        return _error(dialogue, state, ctx, error)
    return _record(dialogue, state, current, Outcome(ordered_selection(current, selection)), ctx)


def _record(
    dialogue: Dialogue, state: State, current: Step, outcome: Outcome, ctx: StepContext
) -> Result:
    if outcome.error is not None:
        return _error(dialogue, state, ctx, outcome.error)
    value: Any = outcome.value
    state["answers"][current.id] = {
        "value": value,
        "private": effective_private(current, state),
    }
    state["draft"].pop(current.id, None)
    state["private"].pop(current.id, None)
    effects: list[Effect] = []
    if (
        current.kind is StepKind.SCALE
        and current.care
        and isinstance(value, int)
        and value <= ctx.care_threshold
    ):
        effects.append(CareNotice(current.id, value))
    return _advance(dialogue, state, current, ctx, effects)


def _advance(
    dialogue: Dialogue, state: State, current: Step, ctx: StepContext, effects: list[Effect]
) -> Result:
    """Move past `current`: to the next visible step, or back to the recap after an edit."""
    add_to_path(dialogue, state, current.id)
    prune_hidden(dialogue, state)
    values = values_of(dialogue, state)
    following = first_visible_after(dialogue, values, current.id)
    if state["return_to"] == RECAP_CURSOR:
        # After an edit, only steps that the new answer has just revealed still need asking.
        while following is not None and following.id in state["path"]:
            following = first_visible_after(dialogue, values, following.id)
        if following is None:
            state["return_to"] = None
    if following is None:
        state["cursor"] = RECAP_CURSOR
    else:
        state["cursor"] = following.id
        add_to_path(dialogue, state, following.id)
    notice = None
    if any(isinstance(effect, CareNotice) for effect in effects):
        notice = care_notice(ctx.translator)
    return state, render_state(dialogue, state, ctx, notice=notice), effects


def _copy_json(value: Any) -> Any:
    """A deep copy of plain JSON data (a validated state is nothing else): several times
    faster than `copy.deepcopy`, which every step paid for."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value
