"""The /reflect menu: the dialogues in sections, two buttons a row, a paused one marked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.model import Dialogue
from bot.i18n import N_, Translator
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered

PAUSED_MARK = "⏸ "
# Sections by the dialogues' `order` (their place in a term): where to start, the person's
# leadership, the meetings, and tools for any question.
SECTIONS: tuple[tuple[int, str], ...] = (
    (0, N_("Start here")),
    (40, N_("You, your team and your organisation")),
    (50, N_("Around your meetings")),
    (70, N_("Thinking tools for any question")),
)
_PER_ROW = 2


def section_of(dialogue: Dialogue) -> int:
    """The index of the section a dialogue is listed in."""
    order = dialogue.order if dialogue.order is not None else SECTIONS[-1][0]
    return max(i for i, (start, _) in enumerate(SECTIONS) if order >= start)


def reflect_menu(dialogues: Iterable[Dialogue], paused: Sequence[str], t: Translator) -> Rendered:
    """The menu message: sections with their dialogues named in the text, the same order in the
    buttons below (two a row); dialogues with a paused run carry ⏸."""
    listed = sorted(dialogues, key=lambda d: (section_of(d), d.order or 0, d.id))
    lines = ["<b>" + escape(t.gettext("What would you like to reflect on?")) + "</b>"]
    rows: list[list[InlineKeyboardButton]] = []
    current = -1
    for dialogue in listed:
        title = t.pgettext(dialogue.id, dialogue.title)
        mark = PAUSED_MARK if dialogue.id in paused else ""
        section = section_of(dialogue)
        button = InlineKeyboardButton(
            mark + title, callback_data=menu_data("m", "reflect", dialogue.id)
        )
        if section != current:
            # A new section: a heading in the text and a new row of buttons.
            current = section
            lines += ["", "<i>" + escape(t.gettext(SECTIONS[section][1])) + "</i>"]
            rows.append([button])
        elif len(rows[-1]) < _PER_ROW:
            rows[-1].append(button)
        else:
            rows.append([button])
        lines.append("• " + escape(mark + title))
    if paused:
        lines += ["", escape(t.gettext("⏸ = paused: you continue where you left off."))]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))
