"""Views of coach–client relations: the join question, the coaches under /settings, and the
questions and answers of joining, leaving, ending a client and removing a coach."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.services.people import ClientInfo, PersonInfo
from bot.services.relations import JoinOutcome
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered, plain

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


def notice_text(message: str, t: Translator, **fields: str) -> str:
    """A notice to someone else, in their language, as HTML."""
    return escape(t.gettext(message).format(**fields))


def _confirm(text: str, yes_label: str, yes_data: str, t: Translator) -> Rendered:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes_label, callback_data=yes_data),
                InlineKeyboardButton(t.gettext("Cancel"), callback_data=menu_data("rl", "keep")),
            ]
        ]
    )
    return Rendered(escape(text), keyboard)


def pick_client_view(listed: Sequence[ClientInfo], t: Translator) -> Rendered:
    """Which client's work to end: one button per client (or that there are none)."""
    if not listed:
        return plain(t.gettext("You have no clients."))
    rows = [
        [
            InlineKeyboardButton(
                f"#{c.id} {c.display_name}", callback_data=menu_data("rl", "end", str(c.id))
            )
        ]
        for c in listed
    ]
    text = escape(t.gettext("Whose work with you do you want to end?"))
    return Rendered(text, InlineKeyboardMarkup(rows))


def end_confirm_view(client: PersonInfo | None, client_id: int, t: Translator) -> Rendered:
    """Asks the coach to confirm ending the work with a client, and what that means."""
    text = t.gettext(
        "End your work with {client} in Hemmaplan? You will no longer see any of their "
        "answers, not even earlier ones. {client} is told and keeps everything they wrote."
    ).format(client=name_of(client, t))
    return _confirm(text, t.gettext("Yes, end it"), menu_data("rl", "endok", str(client_id)), t)


def pick_coach_view(coaches: Sequence[PersonInfo], t: Translator) -> Rendered:
    """Which coach to remove: one button per coach (or that there are none)."""
    if not coaches:
        return plain(t.gettext("There are no coaches to remove."))
    rows = [
        [
            InlineKeyboardButton(
                f"#{c.id} {name_of(c, t)}", callback_data=menu_data("rl", "rm", str(c.id))
            )
        ]
        for c in coaches
    ]
    text = escape(t.gettext("Which coach do you want to remove?"))
    return Rendered(text, InlineKeyboardMarkup(rows))


def remove_confirm_view(target: PersonInfo, t: Translator) -> Rendered:
    """Asks an admin to confirm removing a coach, and what that means."""
    text = t.gettext(
        "Remove {coach} as a coach? All their work with clients ends and those clients are "
        "told; their unused invitation links stop working. {coach} keeps their own reflections."
    ).format(coach=name_of(target, t))
    return _confirm(text, t.gettext("Yes, remove"), menu_data("rl", "rmok", str(target.id)), t)


def leave_confirm_view(coach_person: PersonInfo | None, coach_id: int, t: Translator) -> Rendered:
    """Asks a client to confirm stopping the work with a coach, and what that means."""
    text = t.gettext(
        "Stop working with {coach} in Hemmaplan? From now on {coach} sees none of your "
        "answers, not even earlier ones. Your reflections stay yours. {coach} is told."
    ).format(coach=name_of(coach_person, t))
    return _confirm(text, t.gettext("Yes, stop"), menu_data("rl", "leaveok", str(coach_id)), t)


def declined_view(t: Translator) -> Rendered:
    """The answer to "No thanks" on an invitation from another coach."""
    return plain(
        t.gettext(
            "Okay, nothing has changed and nothing of yours is shared. If you change your "
            "mind, open the invitation link again while it is valid."
        )
    )


def left_view(coach_person: PersonInfo | None, t: Translator) -> Rendered:
    """The client has stopped working with a coach."""
    return plain(
        t.gettext("Done. {coach} no longer sees your answers.").format(
            coach=name_of(coach_person, t)
        )
    )


def ended_view(client: PersonInfo | None, t: Translator) -> Rendered:
    """The coach has ended the work with a client."""
    return plain(
        t.gettext("Ended. {client} is no longer among your clients.").format(
            client=name_of(client, t)
        )
    )


def removed_view(client_count: int, t: Translator) -> Rendered:
    """The admin has removed a coach; how many clients' work ended."""
    return plain(
        t.ngettext(
            "Removed. Their work with {n} client has ended and that client was told.",
            "Removed. Their work with {n} clients has ended and those clients were told.",
            client_count,
        ).format(n=client_count)
    )


def stale_view(t: Translator) -> Rendered:
    """A button whose action is no longer possible."""
    return plain(t.gettext("That is no longer possible, so nothing was changed."))


def join_result_view(
    outcome: JoinOutcome, coach_person: PersonInfo | None, t: Translator
) -> Rendered:
    """What joining another coach through their invitation came to."""
    texts = {
        JoinOutcome.JOINED: t.gettext(
            "Welcome! You now work with {coach} in Hemmaplan. {coach} sees only the answers "
            "you give from now on and share; /preview shows exactly what."
        ),
        JoinOutcome.ALREADY: t.gettext("You already work with {coach}; nothing has changed."),
        JoinOutcome.USED: t.gettext(
            "That invitation link has already been used. Each link works once: ask for a new one."
        ),
        JoinOutcome.EXPIRED: t.gettext("That invitation link has expired. Ask for a new one."),
    }
    fallback = t.gettext(
        "I don't recognise that invitation link. Check that you copied all of it, or ask "
        "for a new one."
    )
    return plain(texts.get(outcome, fallback).format(coach=name_of(coach_person, t)))
