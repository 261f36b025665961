"""Longer fixed texts: the privacy notice and the help text, translated per person."""

from __future__ import annotations

from html import escape

from bot.i18n import N_, Translator

NO_INVITE_TEXT = N_(
    "Hemmaplan is used by invitation. Ask your coach for a personal link to get started."
)


def privacy_notice(t: Translator) -> str:
    """The privacy notice shown before consent and on /privacy (HTML)."""
    parts = [
        "<b>" + escape(t.gettext("Your privacy in Hemmaplan")) + "</b>",
        escape(
            t.gettext(
                "What is stored: your answers to reflections, your commitments and their dates, "
                "your meeting dates, your settings (language, time zone, check-in time, quiet "
                "hours), your Telegram id and first name, and when you gave consent."
            )
        ),
        escape(
            t.gettext(
                "How it is protected: answers, commitments and names are stored encrypted on our "
                "server. Note that chats with Telegram bots are not end-to-end encrypted: "
                "Telegram can technically read what you write here."
            )
        ),
        escape(
            t.gettext(
                "Who sees what: before each meeting your coach gets a summary of what you "
                "shared while you work together — never earlier answers, and nothing once you "
                "stop (in /settings). You see it first with /preview and decide: approve it, "
                "hold items back or not share it; nothing goes without your approval unless you "
                "turn on automatic sharing. Answers marked 🔒 only for me are never in it. "
                "Nothing is ever sent to your employer. Write about colleagues and staff without "
                "names, or with made-up ones."
            )
        ),
        escape(
            t.gettext(
                "Health data: what you write about stress, sleep, energy or sick leave counts as "
                "health data under the GDPR. We only store it with your explicit consent, which "
                "you can withdraw at any time."
            )
        ),
        escape(
            t.gettext(
                "Your rights: /export sends you everything stored about you, /delete erases all "
                "of it (including what your coach was shown), /settings lets you pause. "
                "Withdrawing consent is as easy as giving it: /delete."
            )
        ),
    ]
    return "\n\n".join(parts)


def help_text(t: Translator, is_coach: bool, is_admin: bool) -> str:
    """What the bot can do for this person (HTML)."""
    lines = [
        "<b>"
        + escape(t.gettext("Hemmaplan helps you work on your questions between meetings."))
        + "</b>",
        "",
        "/reflect – " + escape(t.gettext("Start a reflection")),
        "/commitments – " + escape(t.gettext("Your open commitments")),
        "/meeting – "
        + escape(
            t.gettext("Set, move or cancel a client's meeting")
            if is_coach
            else t.gettext("Your next meeting")
        ),
        "/history – " + escape(t.gettext("Your earlier reflections")),
        "/preview – " + escape(t.gettext("Your summary for the coach: see, approve")),
        "/note – " + escape(t.gettext("A line to your coach in that summary")),
        "/settings – " + escape(t.gettext("Language, time zone, check-ins, pause")),
        "/privacy – " + escape(t.gettext("How your data is handled")),
        "/export – " + escape(t.gettext("Download everything stored about you")),
        "/delete – " + escape(t.gettext("Delete everything about you")),
        "/cancel – " + escape(t.gettext("Stop the current reflection")),
        "/group – " + escape(t.gettext("Your Backstage group")),
    ]
    if is_coach:
        lines += [
            "",
            "/clients – " + escape(t.gettext("Your clients")),
            "/invite – " + escape(t.gettext("Invite a client")),
            "/summary – " + escape(t.gettext("A client's summary before a meeting")),
            "/end_client – " + escape(t.gettext("End the work with a client")),
            "/group_invite – " + escape(t.gettext("Invite a member to your Backstage group")),
        ]
    if is_admin:
        lines.append("/invite_coach – " + escape(t.gettext("Invite a coach")))
        lines.append("/remove_coach – " + escape(t.gettext("Remove a coach")))
    return "\n".join(lines)
