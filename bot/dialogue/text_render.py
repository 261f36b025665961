"""Plain-text rendering of screens, shared by the console chat and transcript tests."""

from __future__ import annotations

from bot.dialogue.screens import InputKind, Screen, ScreenKind, progress_label
from bot.dialogue.translation import Translator

# Only these inputs are answered by picking; scale buttons are the numbers themselves.
_NUMBERED_INPUTS = (InputKind.CHOICE, InputKind.MULTI, InputKind.YESNO, InputKind.DATE)


def render_text(screen: Screen, t: Translator, how: str | None = None) -> str:
    """A screen as text: title, progress, notice, error, question, numbered choices, hint and
    how to answer (`how` replaces the screen's own words for it)."""
    lines: list[str] = []
    heading = screen.title
    progress = progress_label(screen)
    if progress:
        heading = f"{heading} ({progress})"
    lines.append(heading)
    if screen.notice:
        lines.append(screen.notice)
    if screen.error:
        lines.append("! " + screen.error)
    if screen.shows:
        lines.append(screen.shows)
    lines.append(screen.text)
    if screen.input in _NUMBERED_INPUTS:
        for number, choice in enumerate(screen.choices, start=1):
            if screen.input is InputKind.MULTI:
                mark = "[x] " if choice.selected else "[ ] "
            else:
                mark = "* " if choice.selected else ""
            lines.append(f"  {number}. {mark}{choice.label}")
    for item in screen.recap:
        marker = " " + t.gettext("(only for me)") if item.private else ""
        lines.append(f"  {item.number}. {item.label}: {item.value_text}{marker}")
    if screen.kind is ScreenKind.QUESTION and screen.private:
        lines.append(t.gettext("(only for me)"))
    if screen.hint:
        lines.append(screen.hint)
    how = how if how is not None else screen.how
    if how:
        lines.append(how)
    return "\n".join(lines)
