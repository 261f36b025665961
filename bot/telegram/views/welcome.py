"""The first message after onboarding: a coach learns what to do first, a client who invited
them and where to begin, a member who came through a Backstage group's link (with no coach of
their own) their group and who reads what there."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.people import PersonInfo
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered

FIRST_DIALOGUE = "nulage"


def welcome_view(
    person: PersonInfo,
    coaches: Sequence[PersonInfo],
    t: Translator,
    first_title: str | None,
) -> Rendered:
    """Who they are here and the first thing to do (HTML; a client gets a start button)."""
    if person.is_coach:
        lines = [
            "<b>" + escape(t.gettext("Welcome! You are a coach in Hemmaplan.")) + "</b>",
            escape(
                t.gettext(
                    "Start by inviting a client: /invite gives you a link that works once. "
                    "When they have joined, /clients lists them, /meeting books your next "
                    "meeting and /summary shows what they have shared with you before it."
                )
            ),
            escape(
                t.gettext(
                    "You can try the reflections yourself with /reflect, to see what your "
                    "clients see. /help lists everything."
                )
            ),
        ]
        if person.is_admin:
            lines.append(escape(t.gettext("As an admin, /invite_coach invites a new coach.")))
        return Rendered("\n\n".join(lines))
    names = [c.display_name for c in coaches if c.display_name]
    if names:
        invited = t.gettext("{coach} invited you to Hemmaplan.").format(coach=", ".join(names))
    else:
        invited = t.gettext("Welcome to Hemmaplan.")
    lines = [
        "<b>" + escape(invited) + "</b>",
        escape(
            t.gettext(
                "Between your meetings you reflect here in short dialogues, and your "
                "commitments get gentle check-ins. Before each meeting you see a summary and "
                "decide what your coach gets; answers marked 🔒 stay with you."
            )
        ),
    ]
    if first_title is None:
        lines.append(escape(t.gettext("/reflect starts a reflection; /help lists everything.")))
        return Rendered("\n\n".join(lines))
    lines.append(
        escape(
            t.gettext(
                "A good first step is “{title}”: a few questions about where you are right now. "
                "/help lists everything."
            ).format(title=first_title)
        )
    )
    button = InlineKeyboardButton(
        "▶️ " + t.gettext("Start with “{title}”").format(title=first_title),
        callback_data=menu_data("m", "reflect", FIRST_DIALOGUE),
    )
    return Rendered("\n\n".join(lines), InlineKeyboardMarkup([[button]]))


def group_member_welcome_view(group_name: str, facilitator_name: str, t: Translator) -> Rendered:
    """Welcome for someone who joined through a group's link and has no coach: their group, its
    facilitator, who reads what, and /group (there is no coach and no summary to approve)."""
    lines = [
        "<b>"
        + escape(
            t.gettext("Welcome to Hemmaplan, as a member of the group {group}.").format(
                group=group_name
            )
        )
        + "</b>",
        escape(
            t.gettext(
                "{facilitator} is the facilitator of your Backstage group. Before each group "
                "meeting I remind you, and when it is your turn I help you prepare your case."
            ).format(facilitator=facilitator_name)
        ),
        escape(
            t.gettext(
                "In the group's reflections you choose what to share: the facilitator reads what "
                "you share with them, the other members only what you share with the group. "
                "Answers marked 🔒 stay with you."
            )
        ),
        escape(
            t.gettext(
                "/group shows your group, its plan and whose case comes when. /reflect starts a "
                "reflection of your own, which stays with you. /help lists everything."
            )
        ),
    ]
    return Rendered("\n\n".join(lines))
