"""The person's own reflections: the /history list and one reflection with its answers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.history import RunDetail, RunSummary
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered


def history_view(finished: Sequence[RunSummary], t: Translator) -> Rendered:
    """The latest finished reflections, a button each to open one (or that there are none)."""
    if not finished:
        return Rendered(escape(t.gettext("You have no finished reflections yet.")))
    rows = [
        [
            InlineKeyboardButton(
                f"{t.format_date(run.finished_at or run.started_at)} · {run.title}",
                callback_data=menu_data("h", "run", str(run.run_id)),
            )
        ]
        for run in finished
    ]
    return Rendered(escape(t.gettext("Your latest reflections:")), InlineKeyboardMarkup(rows))


def run_text(detail: RunDetail, t: Translator, *, mark_private: bool) -> str:
    """A reflection and its answers as HTML (🔒 on answers only for the person, if asked)."""
    when = detail.summary.finished_at or detail.summary.started_at
    lines = [f"<b>{escape(detail.summary.title)}</b> · {escape(t.format_date(when))}"]
    for answer in detail.answers:
        lock = " 🔒" if mark_private and answer.visibility == "private" else ""
        lines.append(f"<b>{escape(answer.label)}</b>{lock}\n{escape(answer.value_text)}")
    return "\n\n".join(lines)


def chart_caption(t: Translator) -> str:
    """The caption of the person's own scales chart: what it includes and who gets it (HTML)."""
    return escape(
        t.gettext(
            "Your scales over time, from all your own answers, including those only for you. "
            "This chart is sent only to you."
        )
    )
