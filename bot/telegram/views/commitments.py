"""The /commitments screen: open commitments, a button each to check in on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.commitments import CommitmentInfo, check_result_label
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered

# Short enough for a button on a phone; the full text is in the message above.
_BUTTON_TEXT = 32


def commitments_view(items: Sequence[CommitmentInfo], t: Translator, today: date) -> Rendered:
    """All open commitments in one message, with a button per commitment to check in on it."""
    if not items:
        return Rendered(escape(t.gettext("You have no open commitments.")))
    lines = ["<b>" + escape(t.gettext("Your open commitments")) + "</b>"]
    rows = []
    for number, item in enumerate(items, start=1):
        day = t.format_date(item.due_date)
        due = (
            t.gettext("Was due {date}") if item.due_date < today else t.gettext("Due {date}")
        ).format(date=day)
        details = [due]
        # Open commitments can only have been checked as partly or not yet: say which.
        if item.last_check in ("partly", "not_yet"):
            status = check_result_label(item.last_check, t)
            details.append(t.gettext("last check-in: {status}").format(status=status))
        lines.append("")
        lines.append(f"{number}. <b>{escape(item.text)}</b>")
        lines.append(escape(" · ".join(details)))
        text = item.text if len(item.text) <= _BUTTON_TEXT else item.text[: _BUTTON_TEXT - 1] + "…"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{number}. {text}", callback_data=menu_data("cm", "ci", str(item.id))
                )
            ]
        )
    lines += ["", "<i>" + escape(t.gettext("Press a commitment to check in on it.")) + "</i>"]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))
