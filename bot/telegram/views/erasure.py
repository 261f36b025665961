"""The /delete screens: the question (with what happens to the person's groups), and the answers."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered


def delete_question_view(groups_warning: str | None, t: Translator) -> Rendered:
    """Asks to confirm erasing everything; `groups_warning` says what it means for their groups."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 " + t.gettext("Yes, delete everything"),
                    callback_data=menu_data("del", "yes"),
                ),
                InlineKeyboardButton(
                    t.gettext("No, keep it"), callback_data=menu_data("del", "no")
                ),
            ]
        ]
    )
    text = escape(t.gettext(
        "This deletes everything stored about you: answers, commitments, meetings, settings "
        "and what your coach could see. It cannot be undone. Delete everything?"
    ))  # fmt: skip
    if groups_warning:
        text += "\n\n" + escape(groups_warning)
    return Rendered(text, keyboard)


def kept_view(t: Translator) -> Rendered:
    """The person chose to keep everything."""
    return Rendered(escape(t.gettext("Nothing was deleted.")))


def erased_view(t: Translator) -> Rendered:
    """Everything about the person is gone; how to come back."""
    return Rendered(escape(t.gettext(
        "Everything about you has been deleted. Thank you for using Hemmaplan. If you want to "
        "start again, you need a new invitation."
    )))  # fmt: skip
