"""Building translated screens from a dialogue and its state."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from bot.dialogue.answers import NO, YES, DatePick, date_picks, date_range, option_label
from bot.dialogue.conditions import decided, visible
from bot.dialogue.context import StepContext
from bot.dialogue.material import CommitmentItem
from bot.dialogue.model import (
    RECAP_CURSOR,
    Condition,
    ConditionOp,
    Dialogue,
    Step,
    StepKind,
)
from bot.dialogue.screens import Choice, InputKind, RecapItem, Screen, ScreenKind
from bot.dialogue.state import State, material_of, values_of
from bot.dialogue.translation import Translator

_INPUT_KINDS = {
    StepKind.TEXT: InputKind.TEXT,
    StepKind.SCALE: InputKind.SCALE,
    StepKind.CHOICE: InputKind.CHOICE,
    StepKind.MULTI: InputKind.MULTI,
    StepKind.DATE: InputKind.DATE,
    StepKind.YESNO: InputKind.YESNO,
    StepKind.INFO: InputKind.CONTINUE,
}
CONTINUE = "continue"
RECAP_VALUE_BUDGET = 2400  # characters for all answer texts of a recap together
RECAP_ITEM_MIN = 150


def care_notice(t: Translator) -> str:
    """The calm note after a very low score on a care-marked scale; transports send it as a
    message of its own before the next question, with a way to pause."""
    return t.gettext(
        "That sounds like a heavy stretch. You do not have to carry it alone: bring it up with "
        "your coach if you like, and your occupational health service (företagshälsovården) is "
        "there for you. In Sweden, 1177 (phone or 1177.se) gives health advice; if it is urgent, "
        "call 112. You can pause here and go on another day; your answers are kept."
    )


def render_state(
    dialogue: Dialogue,
    state: State,
    ctx: StepContext,
    error: str | None = None,
    notice: str | None = None,
) -> Screen:
    """The screen for the state as it stands, with an optional error or notice on it."""
    return replace(_render_state(dialogue, state, ctx, error, notice), reader=ctx.reader)


def _render_state(
    dialogue: Dialogue,
    state: State,
    ctx: StepContext,
    error: str | None = None,
    notice: str | None = None,
) -> Screen:
    t = ctx.translator
    title = t.pgettext(dialogue.id, dialogue.title)
    status = state["status"]
    if status == "paused":
        return Screen(
            ScreenKind.PAUSED,
            dialogue.id,
            None,
            title,
            t.gettext("Paused. Your answers are kept; continue whenever it suits you."),
        )
    if status == "cancelled":
        return Screen(
            ScreenKind.CANCELLED,
            dialogue.id,
            None,
            title,
            t.gettext("Cancelled. You can start again from the menu whenever you like."),
        )
    if status == "finished":
        return Screen(
            ScreenKind.FINISHED,
            dialogue.id,
            None,
            title,
            t.gettext("Saved. Thank you for taking the time."),
            notice=notice,
        )
    if state["cursor"] == RECAP_CURSOR:
        return _recap_screen(dialogue, state, ctx, title, error, notice)
    return _question_screen(dialogue, state, ctx, title, error, notice)


def effective_private(step: Step, state: State) -> bool:
    """Whether the current or stored answer of a step is marked only-for-me."""
    if step.id in state["private"]:
        return bool(state["private"][step.id])
    entry = state["answers"].get(step.id)
    if entry is not None:
        return bool(entry["private"])
    return step.private


def previous_step(dialogue: Dialogue, state: State, step_id: str) -> str | None:
    """The visited, visible step before `step_id`, if any."""
    values = values_of(dialogue, state)
    position = dialogue.index(step_id)
    earlier = [
        s
        for s in state["path"]
        if dialogue.index(s) < position and visible(dialogue.step(s), values)
    ]
    return earlier[-1] if earlier else None


def _question_screen(
    dialogue: Dialogue,
    state: State,
    ctx: StepContext,
    title: str,
    error: str | None,
    notice: str | None,
) -> Screen:
    t = ctx.translator
    step = dialogue.step(state["cursor"])
    index = state["phrasings"].get(step.base_id, 0) % len(step.prompts)
    values = values_of(dialogue, state)
    shown = [s.id for s in dialogue.steps if visible(s, values)]
    position = shown.index(step.id) + 1 if step.id in shown else len(shown)
    surely, at_most = question_count(dialogue, state)
    answered = step.id in state["answers"]
    hint_lines: list[str] = []
    if step.help:
        hint_lines.append(t.pgettext(dialogue.id, step.help))
    if answered:
        current = value_text(dialogue, step, state["answers"][step.id]["value"], t)
        # The answer is the person's own text: it may end in a full stop of its own, so the
        # sentence that follows gets a line of its own (never "sätta sig..").
        hint_lines.append(t.gettext("Current answer: {answer}").format(answer=_shorten(current)))
        hint_lines.append(t.gettext("Answer again, or skip to keep it."))
    can_back = state["return_to"] is not None or previous_step(dialogue, state, step.id) is not None
    return Screen(
        ScreenKind.QUESTION,
        dialogue.id,
        step.id,
        title,
        t.pgettext(dialogue.id, step.prompts[index]),
        hint="\n".join(hint_lines) or None,
        how=_how_to_answer(dialogue, step, state, ctx),
        shows=_shows(dialogue, step, state, t),
        error=error,
        notice=notice,
        input=_INPUT_KINDS[step.kind],
        choices=_choices(dialogue, step, state, ctx),
        progress=(position, max(surely, position)),
        progress_most=max(at_most, position),
        can_back=can_back,
        can_skip=step.answerable and (step.optional or answered),
        private=step.answerable and effective_private(step, state),
    )


def question_count(dialogue: Dialogue, state: State) -> tuple[int, int]:
    """How many questions this run asks: at least and at most, over the answers still open
    that decide whether a later question is shown. Equal once nothing is left to decide."""
    values = values_of(dialogue, state)
    visited = set(state["path"])
    # Not answered and still ahead (or on screen now): its answer may change what follows.
    open_ids = {
        step.id
        for step in dialogue.steps
        if step.id not in values and (step.id not in visited or step.id == state["cursor"])
    }
    conditions = [step.when for step in dialogue.steps if step.when is not None]
    deciders = [
        step
        for step in dialogue.steps
        if step.id in open_ids and any(step.id in c.referenced_steps() for c in conditions)
    ]
    domains = [_possible_answers(step, conditions) for step in deciders]
    if math.prod(len(domain) for domain in domains) > _MAX_SCENARIOS:
        return _question_bounds(dialogue, values, open_ids)
    counts = []
    for scenario in itertools.product(*domains):
        answers = dict(values)
        answers.update(
            (step.id, value)
            for step, value in zip(deciders, scenario, strict=True)
            if value is not _UNANSWERED
        )
        counts.append(_shown_count(dialogue, answers))
    return min(counts), max(counts)


_MAX_SCENARIOS = 256
_UNANSWERED = object()


def _shown_count(dialogue: Dialogue, answers: dict[str, Any]) -> int:
    """How many steps are shown when these would be the answers (hidden ones do not count)."""
    effective: dict[str, Any] = {}
    shown = 0
    for step in dialogue.steps:
        if not visible(step, effective):
            continue
        shown += 1
        if step.id in answers:
            effective[step.id] = answers[step.id]
    return shown


def _possible_answers(step: Step, conditions: list[Condition]) -> list[Any]:
    """Answers that cover every way the conditions on this step can turn out."""
    kind = step.kind
    if kind is StepKind.CHOICE:
        found: list[Any] = [o.value for o in step.options]
    elif kind is StepKind.MULTI:
        found = [[o.value] for o in step.options] + [[o.value for o in step.options]]
    elif kind is StepKind.YESNO:
        found = [True, False]
    elif kind is StepKind.SCALE:
        # Only the values around the thresholds the conditions compare against matter.
        edges = {step.min, step.max}
        for condition in conditions:
            for constant in _constants_for(condition, step.id):
                edges.update({constant - 1, constant, constant + 1})
        found = sorted(v for v in edges if step.min <= v <= step.max)
    else:
        found = ["…"]
    return [*found, _UNANSWERED] if step.optional else found


def _constants_for(condition: Condition, step_id: str) -> list[int]:
    if condition.op in (ConditionOp.ALL, ConditionOp.ANY):
        return [c for child in condition.children for c in _constants_for(child, step_id)]
    if condition.step != step_id:
        return []
    values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _question_bounds(
    dialogue: Dialogue, values: dict[str, Any], open_ids: set[str]
) -> tuple[int, int]:
    """Cheaper bounds for a dialogue with too many open branches to try them all."""
    surely = maybe = 0
    for step in dialogue.steps:
        shown = True if step.when is None else decided(step.when, values, open_ids)
        if shown is None:
            maybe += 1
        elif shown:
            surely += 1
    return surely, surely + maybe


def _shows(dialogue: Dialogue, step: Step, state: State, t: Translator) -> str | None:
    """The person's material this question is about, as text (None if it shows nothing)."""
    if step.item is not None:
        return commitment_text(step.item, t)
    if step.shows is None:
        return None
    if step.shows.commitment:
        item = material_of(state).commitment
        return commitment_text(item, t) if item is not None else None
    if step.shows.plan_goal is not None:
        goal = material_of(state).goal(step.shows.plan_goal)
        if goal is None:
            return None
        return t.gettext("Goal {n}: {goal}").format(n=goal.number, goal=_shorten(goal.text, 600))
    values = values_of(dialogue, state)
    for step_id in step.shows.answers:
        if step_id in values:
            shown = dialogue.step(step_id)
            return t.gettext("{label}: {answer}").format(
                label=t.pgettext(dialogue.id, shown.label),
                answer=_shorten(value_text(dialogue, shown, values[step_id], t), 600),
            )
    return None


def _goal_text(step: Step, state: State) -> str | None:
    """The wording of the plan goal a step shows, if it shows one the plan has."""
    if step.shows is None or step.shows.plan_goal is None:
        return None
    goal = material_of(state).goal(step.shows.plan_goal)
    return goal.text if goal is not None else None


def commitment_text(item: CommitmentItem, t: Translator) -> str:
    """A commitment as shown above a question: what, by when, and how to know it is done."""
    lines = [
        t.gettext("Your commitment: {text}").format(text=_shorten(item.text, 600)),
        t.gettext("Due {date}").format(date=t.format_date(item.due)),
    ]
    if item.done_when:
        lines.append(t.gettext("Done when: {sign}").format(sign=_shorten(item.done_when, 300)))
    return "\n".join(lines)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A text limit is said up front only when it is short enough to be reached on a phone, or
# when the answer being changed is near it; otherwise the error says it if it is passed.
SHORT_TEXT_LIMIT = 300
NEAR_LIMIT_SHARE = 0.8


def _how_to_answer(dialogue: Dialogue, step: Step, state: State, ctx: StepContext) -> str | None:
    t = ctx.translator
    kind = step.kind
    if kind is StepKind.TEXT:
        current = state["answers"].get(step.id, {}).get("value")
        near = isinstance(current, str) and len(current) >= NEAR_LIMIT_SHARE * step.max_length
        if step.max_length < SHORT_TEXT_LIMIT or near:
            return t.gettext("At most {limit} characters here.").format(limit=step.max_length)
        return None
    if kind is StepKind.SCALE:
        hint = t.gettext("Answer with a number from {low} to {high}.").format(
            low=step.min, high=step.max
        )
        labels = []
        if step.min_label:
            labels.append(f"{step.min} = {t.pgettext(dialogue.id, step.min_label)}")
        if step.max_label:
            labels.append(f"{step.max} = {t.pgettext(dialogue.id, step.max_label)}")
        return " ".join([hint, *(f"({label})" for label in labels)])
    if kind is StepKind.CHOICE:
        return t.gettext("Choose one option (or answer with its number).")
    if kind is StepKind.MULTI:
        low, high = step.min_choices, step.effective_max_choices
        if low == 1 and high == len(step.options):
            return t.gettext(
                "Choose one or more options, then press Done (or write the numbers, e.g. 1, 3)."
            )
        return t.gettext(
            "Choose {low} to {high} options, then press Done (or write the numbers, e.g. 1, 3)."
        ).format(low=low, high=high)
    if kind is StepKind.DATE:
        # The allowed range is said by the error when a date falls outside it.
        return t.gettext(
            "Pick one of the dates or write your own, e.g. “+7” or “{example}”."
        ).format(example=_example_date(step, ctx.today))
    if kind is StepKind.YESNO:
        return t.gettext("Answer yes or no.")
    return t.gettext("Continue when you are ready.")


def _example_date(step: Step, today: date) -> str:
    # A week ahead, kept inside the allowed range, written the Swedish day/month way.
    first, last = date_range(step, today)
    sample = min(max(today + timedelta(days=7), first), last)
    return f"{sample.day}/{sample.month}"


def _choices(dialogue: Dialogue, step: Step, state: State, ctx: StepContext) -> tuple[Choice, ...]:
    t = ctx.translator
    answer: Any = state["answers"].get(step.id, {}).get("value")
    kind = step.kind
    if kind is StepKind.CHOICE:
        return tuple(
            Choice(o.value, option_label(t, dialogue.id, o), answer == o.value)
            for o in step.options
        )
    if kind is StepKind.MULTI:
        selected = state["draft"].get(step.id, answer if isinstance(answer, list) else [])
        return tuple(
            Choice(o.value, option_label(t, dialogue.id, o), o.value in selected)
            for o in step.options
        )
    if kind is StepKind.YESNO:
        return (
            Choice(YES, t.gettext("Yes"), answer is True),
            Choice(NO, t.gettext("No"), answer is False),
        )
    if kind is StepKind.SCALE:
        return tuple(
            Choice(str(n), str(n), answer == n and not isinstance(answer, bool))
            for n in range(step.min, step.max + 1)
        )
    if kind is StepKind.DATE:
        meeting = material_of(state).next_meeting
        return tuple(
            Choice(pick.when.isoformat(), _pick_label(pick, t), answer == pick.when.isoformat())
            for pick in date_picks(step, ctx.today, meeting)
        )
    if kind is StepKind.INFO:
        return (Choice(CONTINUE, t.gettext("Continue")),)
    return ()


def _pick_label(pick: DatePick, t: Translator) -> str:
    days, when = pick.days, pick.when
    if pick.meeting:
        word = t.gettext("At the next meeting")
    elif days == 0:
        word = t.gettext("Today")
    elif days == 1:
        word = t.gettext("Tomorrow")
    elif days % 7 == 0:
        weeks = days // 7
        word = t.ngettext("In {count} week", "In {count} weeks", weeks).format(count=weeks)
    else:
        word = t.ngettext("In {count} day", "In {count} days", days).format(count=days)
    return t.gettext("{when} ({date})").format(when=word, date=t.format_date(when))


def value_text(dialogue: Dialogue, step: Step, value: Any, t: Translator) -> str:
    """An answer value as translated text for the recap."""
    kind = step.kind
    if kind is StepKind.SCALE:
        return t.gettext("{value} (scale {low}–{high})").format(
            value=value, low=step.min, high=step.max
        )
    if kind is StepKind.CHOICE:
        option = step.option(str(value))
        return option_label(t, dialogue.id, option) if option else str(value)
    if kind is StepKind.MULTI:
        labels = [
            option_label(t, dialogue.id, o)
            for o in step.options
            if isinstance(value, list) and o.value in value
        ]
        return ", ".join(labels)
    if kind is StepKind.DATE:
        try:
            return t.format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind is StepKind.YESNO:
        return t.gettext("Yes") if value is True else t.gettext("No")
    return str(value)


def recap_steps(dialogue: Dialogue, state: State) -> list[Step]:
    """The steps listed in the recap, numbered from 1 in this order."""
    values = values_of(dialogue, state)
    if dialogue.recap.steps is not None:
        listed = [dialogue.step(step_id) for step_id in dialogue.recap.steps]
        return [step for step in listed if visible(step, values)]
    return [step for step in dialogue.steps if step.answerable and step.id in values]


def _recap_screen(
    dialogue: Dialogue,
    state: State,
    ctx: StepContext,
    title: str,
    error: str | None,
    notice: str | None,
) -> Screen:
    t = ctx.translator
    items = []
    listed = recap_steps(dialogue, state)
    # Long answers are shortened so the whole recap fits in one chat message (4096 characters
    # on Telegram); the stored answers stay complete.
    limit = max(RECAP_ITEM_MIN, RECAP_VALUE_BUDGET // max(len(listed), 1))
    for number, step in enumerate(listed, start=1):
        entry = state["answers"].get(step.id)
        shown = (
            _shorten(value_text(dialogue, step, entry["value"], t), limit)
            if entry is not None
            else t.gettext("(skipped)")
        )
        label = t.pgettext(dialogue.id, step.label)
        about = step.item.text if step.item is not None else _goal_text(step, state)
        if about is not None:
            # Each copy of a for_each step (or each plan-goal step) is about one item: say which.
            label = t.gettext("{label} – {item}").format(label=label, item=_shorten(about, 80))
        items.append(
            RecapItem(
                number,
                step.id,
                label,
                shown,
                bool(entry["private"]) if entry is not None else False,
            )
        )
    heading = (
        t.pgettext(dialogue.id, dialogue.recap.title)
        if dialogue.recap.title
        else t.gettext("Here is what you answered.")
    )
    shown_steps = [s for s in dialogue.steps if visible(s, values_of(dialogue, state))]
    return Screen(
        ScreenKind.RECAP,
        dialogue.id,
        None,
        title,
        heading,
        hint=t.gettext(
            "Answers marked “only for me” are not shown to your facilitator or the group."
        )
        if ctx.reader == "facilitator"
        else t.gettext("Answers marked “only for me” are not shown to your coach."),
        how=t.gettext("Confirm to save, or pick an answer to change it."),
        error=error,
        notice=notice,
        progress=(len(shown_steps), len(shown_steps)),
        can_back=bool(state["path"]),
        recap=tuple(items),
    )
