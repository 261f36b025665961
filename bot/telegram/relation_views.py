"""Views of coach–client relations: the join question and the coaches under /settings."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.services.people import PersonInfo
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered

# Told to each client, and to the coach, when an admin removes a coach (bot or command line).
COACH_REMOVED_CLIENT_NOTICE = N_(
    "{coach} no longer works as a coach in Hemmaplan and no longer sees your answers. "
    "Everything you wrote stays yours."
)
COACH_REMOVED_NOTICE = N_(
    "An admin has removed your coach role in Hemmaplan. Your clients' answers are no longer "
    "shown to you; your own reflections stay yours."
)


def name_of(person: PersonInfo | None, t: Translator) -> str:
    """A person's display name, or a neutral stand-in."""
    if person is None:
        return t.gettext("your coach")
    return person.display_name or f"#{person.id}"


def join_offer(coach_person: PersonInfo | None, token: str, t: Translator) -> Rendered:
    """The question a registered person gets when they open another coach's invitation."""
    name = name_of(coach_person, t)
    text = (
        "<b>"
        + escape(
            t.gettext("{coach} invites you to work together in Hemmaplan — join?").format(
                coach=name
            )
        )
        + "</b>\n\n"
        + escape(
            t.gettext(
                "If you join, {coach} sees only the answers you give from now on and share — "
                "nothing from before, and never what you mark 🔒 only for me. Your other "
                "coaches are not affected. You can stop at any time in /settings."
            ).format(coach=name)
        )
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ " + t.gettext("Join"), callback_data=menu_data("rl", "join", token)
                ),
                InlineKeyboardButton(t.gettext("No thanks"), callback_data=menu_data("rl", "no")),
            ]
        ]
    )
    return Rendered(text, keyboard)


def already_coached(coach_person: PersonInfo | None, t: Translator) -> Rendered:
    """The answer when the invitation is from a coach the person already works with."""
    text = t.gettext("You already work with {coach}; nothing has changed.")
    return Rendered(escape(text.format(coach=name_of(coach_person, t))))


def coaches_view(coaches: list[PersonInfo], t: Translator) -> Rendered:
    """The person's coaches, each with a button to stop working with them."""
    lines = ["<b>" + escape(t.gettext("Your coaches")) + "</b>"]
    lines += [escape(name_of(c, t)) for c in coaches]
    lines.append(
        "<i>"
        + escape(t.gettext("A coach sees only what you share while you work together."))
        + "</i>"
    )
    rows = [
        [
            InlineKeyboardButton(
                "🚪 " + t.gettext("Stop working with {coach}").format(coach=name_of(c, t)),
                callback_data=menu_data("rl", "leave", str(c.id)),
            )
        ]
        for c in coaches
    ]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))
