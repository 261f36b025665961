"""How to answer a screen in the terminal: what to type, said on every screen.

Telegram has buttons; the terminal has only typed lines, so each console screen ends with one
line that starts with `→` and says what to type, plus a line with the commands that work there.
"""

from __future__ import annotations

from datetime import date

from bot.dialogue.screens import InputKind, Screen, ScreenKind
from bot.i18n import Translator

ARROW = "→ "


def console_how(screen: Screen, t: Translator) -> str | None:
    """The `→` line (and the commands line) for a screen; None where nothing is asked."""
    if screen.kind is ScreenKind.RECAP:
        return ARROW + t.gettext(
            "Press Enter or write “yes” to save. Write a number to change that answer, or "
            "/private and a number to keep it only for you."
        )
    if screen.kind is not ScreenKind.QUESTION or screen.input is None:
        return None
    lines = [ARROW + _what_to_type(screen, t)]
    commands = []
    if screen.can_back:
        commands.append(t.gettext("/back the previous question"))
    if screen.can_skip:
        commands.append(t.gettext("/skip skip it"))
    if screen.input is not InputKind.CONTINUE:
        commands.append(t.gettext("/private only for me"))
    commands.append(t.gettext("/pause pause"))
    commands.append(t.gettext("/help all commands"))
    lines.append("  " + " · ".join(commands))
    return "\n".join(lines)


def _what_to_type(screen: Screen, t: Translator) -> str:
    count = len(screen.choices)
    kind = screen.input
    if kind is InputKind.TEXT:
        text = t.gettext("Write your answer in your own words.")
        # The neutral words for a text question are its length limit, when it is worth saying.
        return f"{text} {screen.how}" if screen.how else text
    if kind is InputKind.SCALE:
        return screen.how or t.gettext("Answer with a number.")
    if kind is InputKind.CHOICE:
        return t.gettext("Answer with the number of your choice, 1 to {count}.").format(count=count)
    if kind is InputKind.MULTI:
        return t.gettext(
            "Answer with the numbers of all your choices on one line, from 1 to {count} "
            "(e.g. 1, 3)."
        ).format(count=count)
    if kind is InputKind.DATE:
        return t.gettext(
            "Answer with a number from 1 to {count}, or write a date such as {example}."
        ).format(count=count, example=_example_date(screen))
    if kind is InputKind.YESNO:
        return t.gettext("Answer “yes” or “no”.")
    return t.gettext("Press Enter to continue.")


def _example_date(screen: Screen) -> str:
    """A date the question accepts (its first quick pick), written day/month."""
    try:
        first = date.fromisoformat(screen.choices[0].value)
    except (IndexError, ValueError):
        return "24/12"
    return f"{first.day}/{first.month}"
