"""Turning what a person typed or pressed into an answer value for a step, or a specific error."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.dialogue.dates import parse_date
from bot.dialogue.model import NEXT_MEETING, Option, Step, StepKind
from bot.dialogue.translation import Translator

YES_WORDS = frozenset({"ja", "j", "yes", "y", "1"})
NO_WORDS = frozenset({"nej", "n", "no", "2"})
YES, NO = "yes", "no"
_INTEGER = re.compile(r"[+-]?\d+\Z")
# Offsets (days from today) offered as date buttons when they fall inside the allowed range.
DATE_PICK_OFFSETS = (1, 7, 14, 28)


@dataclass(frozen=True)
class Outcome:
    """Either an answer value or a translated error saying what is expected."""

    value: Any = None
    error: str | None = None


def fail(message: str) -> Outcome:
    """An outcome carrying only an error."""
    return Outcome(error=message)


def option_label(t: Translator, dialogue_id: str, option: Option) -> str:
    """The translated label of an option."""
    return t.pgettext(dialogue_id, option.label)


def date_range(step: Step, today: date) -> tuple[date, date]:
    """The first and last date a date step accepts."""
    return today + timedelta(days=step.min_days), today + timedelta(days=step.max_days)


@dataclass(frozen=True)
class DatePick:
    """A quick-pick date button: the date, its distance from today, whether it is a meeting."""

    when: date
    days: int
    meeting: bool = False


def date_picks(step: Step, today: date, next_meeting: date | None = None) -> list[DatePick]:
    """Quick-pick dates inside the step's range: its `picks` (or the default offsets), and the
    person's next meeting when the step offers it and one is planned."""
    wanted = step.picks if step.picks is not None else DATE_PICK_OFFSETS
    picks = [
        DatePick(today + timedelta(days=days), days)
        for days in wanted
        if isinstance(days, int) and step.min_days <= days <= step.max_days
    ]
    if NEXT_MEETING in wanted and next_meeting is not None:
        days = (next_meeting - today).days
        if step.min_days <= days <= step.max_days:
            # The meeting replaces an offset that falls on the same day: it says more.
            picks = [pick for pick in picks if pick.when != next_meeting]
            picks.append(DatePick(next_meeting, days, meeting=True))
            picks.sort(key=lambda pick: pick.days)
    if not picks and step.min_days <= 0 <= step.max_days:
        picks = [DatePick(today, 0)]
    return picks


def scale_outcome(step: Step, raw: str, t: Translator) -> Outcome:
    """Read a whole number inside the scale."""
    cleaned = raw.strip()
    if not _INTEGER.match(cleaned):
        return fail(
            t.gettext("Please answer with a whole number from {low} to {high}.").format(
                low=step.min, high=step.max
            )
        )
    number = int(cleaned)
    if not step.min <= number <= step.max:
        return fail(
            t.gettext(
                "{value} is outside the scale. Answer with a number from {low} to {high}."
            ).format(value=number, low=step.min, high=step.max)
        )
    return Outcome(number)


# Separators, controls and format characters (zero-width space and joiners, BOM, direction marks).
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def _visible(text: str) -> bool:
    """True when the text has a character that shows: not only spaces, controls, zero-widths."""
    return any(unicodedata.category(char) not in _INVISIBLE for char in text)


def text_outcome(step: Step, raw: str, t: Translator) -> Outcome:
    """Read a free-text answer: trimmed, something visible, not longer than the step allows."""
    cleaned = raw.strip()
    if not _visible(cleaned):
        return fail(t.gettext("The answer is empty. Write a few words in your own way."))
    if len(cleaned) > step.max_length:
        return fail(
            t.ngettext(
                "That is {length} characters; the limit here is {limit} character. "
                "Please shorten it.",
                "That is {length} characters; the limit here is {limit} characters. "
                "Please shorten it.",
                step.max_length,
            ).format(length=len(cleaned), limit=step.max_length)
        )
    return Outcome(cleaned)


def _match_option(step: Step, dialogue_id: str, raw: str, t: Translator) -> Option | None:
    cleaned = raw.strip()
    if cleaned.isdecimal():
        index = int(cleaned)
        if 1 <= index <= len(step.options):
            return step.options[index - 1]
        return None
    folded = cleaned.casefold()
    for option in step.options:
        names = (option.value, option.label, option_label(t, dialogue_id, option))
        if any(folded == name.casefold() for name in names):
            return option
    return None


def not_an_option(step: Step, t: Translator) -> str:
    """The error for an unknown option."""
    return t.gettext(
        "That is not one of the options. Pick one, or answer with its number (1 to {count})."
    ).format(count=len(step.options))


def choice_outcome(step: Step, dialogue_id: str, raw: str, t: Translator) -> Outcome:
    """Read one option from a number, its label or its value."""
    option = _match_option(step, dialogue_id, raw, t)
    if option is None:
        return fail(not_an_option(step, t))
    return Outcome(option.value)


def multi_count_error(step: Step, count: int, t: Translator) -> str | None:
    """An error if `count` chosen options are too few or too many for a multi step."""
    low, high = step.min_choices, step.effective_max_choices
    if count < low:
        return t.ngettext(
            "Choose at least {count} option.", "Choose at least {count} options.", low
        ).format(count=low)
    if count > high:
        return t.ngettext(
            "Choose at most {count} option.", "Choose at most {count} options.", high
        ).format(count=high)
    return None


def multi_text_outcome(step: Step, dialogue_id: str, raw: str, t: Translator) -> Outcome:
    """Read a whole selection typed at once, such as "1, 3" or "peers; staff"."""
    pieces = [piece.strip() for piece in re.split(r"[,;]", raw) if piece.strip()]
    if len(pieces) == 1 and all(part.isdecimal() for part in pieces[0].split()):
        pieces = pieces[0].split()
    if not pieces:
        return fail(multi_count_error(step, 0, t) or t.gettext("Choose at least one option."))
    chosen: list[str] = []
    for piece in pieces:
        option = _match_option(step, dialogue_id, piece, t)
        if option is None:
            return fail(
                t.gettext(
                    "“{item}” is not one of the options. Use the numbers 1 to {count}, "
                    "separated by commas."
                ).format(item=piece[:40], count=len(step.options))
            )
        if option.value not in chosen:
            chosen.append(option.value)
    error = multi_count_error(step, len(chosen), t)
    if error is not None:
        return fail(error)
    return Outcome(ordered_selection(step, chosen))


def ordered_selection(step: Step, values: list[str]) -> list[str]:
    """The chosen values in the order of the options."""
    return [option.value for option in step.options if option.value in values]


def yesno_outcome(raw: str, t: Translator) -> Outcome:
    """Read yes or no (Swedish or English words, or 1/2)."""
    folded = raw.strip().casefold().rstrip(".!")
    if folded in YES_WORDS or folded == t.gettext("Yes").casefold():
        return Outcome(True)
    if folded in NO_WORDS or folded == t.gettext("No").casefold():
        return Outcome(False)
    return fail(t.gettext("Please answer yes or no."))


def date_outcome(
    step: Step, raw: str, today: date, t: Translator, next_meeting: date | None = None
) -> Outcome:
    """Read a date (a number picks a quick-pick button) and check it is inside the range."""
    cleaned = raw.strip()
    picks = date_picks(step, today, next_meeting)
    chosen: date | None
    if cleaned.isdecimal() and 1 <= int(cleaned) <= len(picks):
        chosen = picks[int(cleaned) - 1].when
    else:
        chosen = parse_date(cleaned, today)
    first, last = date_range(step, today)
    if chosen is None:
        return fail(
            t.gettext(
                "I could not read that as a date. Write for example {example}, "
                "“tomorrow” or “+7” (days from today)."
            ).format(example=t.format_date(first if first > today else today + timedelta(days=7)))
        )
    if not first <= chosen <= last:
        return fail(
            t.gettext("Please choose a date from {first} to {last}.").format(
                first=t.format_date(first), last=t.format_date(last)
            )
        )
    return Outcome(chosen.isoformat())


def typed_outcome(
    step: Step,
    dialogue_id: str,
    raw: str,
    today: date,
    t: Translator,
    next_meeting: date | None = None,
) -> Outcome:
    """Read a typed answer for any answerable step kind."""
    kind = step.kind
    if kind is StepKind.TEXT:
        return text_outcome(step, raw, t)
    if kind is StepKind.SCALE:
        return scale_outcome(step, raw, t)
    if kind is StepKind.CHOICE:
        return choice_outcome(step, dialogue_id, raw, t)
    if kind is StepKind.MULTI:
        return multi_text_outcome(step, dialogue_id, raw, t)
    if kind is StepKind.DATE:
        return date_outcome(step, raw, today, t, next_meeting)
    return yesno_outcome(raw, t)


def chosen_outcome(step: Step, value: str, today: date, t: Translator) -> Outcome:
    """Read a pressed button (not for multi steps, which toggle instead)."""
    kind = step.kind
    if kind is StepKind.CHOICE:
        if step.option(value) is None:
            return fail(not_an_option(step, t))
        return Outcome(value)
    if kind is StepKind.YESNO:
        if value == YES:
            return Outcome(True)
        if value == NO:
            return Outcome(False)
        return fail(t.gettext("Please answer yes or no."))
    if kind is StepKind.SCALE:
        return scale_outcome(step, value, t)
    if kind is StepKind.DATE:
        try:
            picked = date.fromisoformat(value)
        except ValueError:
            return date_outcome(step, value, today, t)
        return date_outcome(step, picked.isoformat(), today, t)
    return fail(t.gettext("Please write your answer as a message."))
