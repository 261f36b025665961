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
                "In a Backstage group: the facilitator reads what you share with them in the "
                "group's reflections, the other members only what you choose to share with the "
                "group (your case, if you say yes). A coach of your own sees nothing from the "
                "group, and the facilitator nothing from your coaching."
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


def help_text(
    t: Translator, is_coach: bool, is_admin: bool, in_group: bool = False, coached: bool = True
) -> str:
    """What the bot can do for this person, their role's commands first, and what 🔒, pause
    and sharing mean (HTML); a Backstage group's member also learns who reads what there, and
    one with no coach (`coached` False) is not offered a summary for a coach."""

    def entry(command: str, text: str) -> str:
        return f"/{command} – " + escape(text)

    def heading(text: str) -> str:
        return "<b>" + escape(text) + "</b>"

    own = [
        entry("reflect", t.gettext("Start a reflection")),
        entry("commitments", t.gettext("Your open commitments")),
        entry("history", t.gettext("Your earlier reflections")),
        entry("preview", t.gettext("Your summary for the coach: see, approve")),
        entry("note", t.gettext("A line to your coach in that summary")),
        entry("group", t.gettext("Your Backstage group")),
    ]
    if not coached:
        own = [line for line in own if not line.startswith(("/preview ", "/note "))]
    if not is_coach:
        own.insert(2, entry("meeting", t.gettext("Your next meeting")))
    during = [
        heading(t.gettext("During a reflection")),
        escape(
            t.gettext(
                "Answer with the buttons or by writing. 🔒 Only for me keeps an answer with "
                "you: it is never in your coach's summary. ⏸ Pause stops here; your answers are "
                "kept and /reflect takes you back. /back, /skip, /private and /pause do the same "
                "by writing; /cancel stops the reflection."
            )
        ),
        heading(t.gettext("Who sees what")),
        escape(
            t.gettext(
                "Your coach sees only the summary you approve in /preview, from the time you "
                "work together; never your 🔒 answers, and nothing goes to your employer."
            )
            if coached
            else t.gettext(
                "You have no coach here: reflections outside your group stay with you, and "
                "nothing goes to your employer."
            )
        ),
    ]
    if in_group:
        during.append(
            escape(
                t.gettext(
                    "In your Backstage group, the facilitator reads what you share with them in "
                    "the group's reflections, and the other members only what you share with the "
                    "group. A coach of your own sees nothing from the group."
                )
            )
        )
    yours = [
        heading(t.gettext("Your data and settings")),
        entry("settings", t.gettext("Language, time zone, check-ins, pause")),
        entry("privacy", t.gettext("How your data is handled")),
        entry("export", t.gettext("Download everything stored about you")),
        entry("delete", t.gettext("Delete everything about you")),
    ]
    lines: list[str] = []
    if is_coach:
        lines += [
            heading(t.gettext("As a coach")),
            entry("clients", t.gettext("Your clients")),
            entry("invite", t.gettext("Invite a client")),
            entry("meeting", t.gettext("Set, move or cancel a client's meeting")),
            entry("summary", t.gettext("A client's summary before a meeting")),
            entry("end_client", t.gettext("End the work with a client")),
            entry("group_invite", t.gettext("Invite a member to your Backstage group")),
        ]
        if is_admin:
            lines.append(entry("invite_coach", t.gettext("Invite a coach")))
            lines.append(entry("remove_coach", t.gettext("Remove a coach")))
        lines += ["", heading(t.gettext("Your own reflections"))]
    else:
        lines += [
            heading(t.gettext("Hemmaplan helps you work on your questions between meetings.")),
        ]
    lines += own
    lines += ["", *during[:2], "", *during[2:], "", *yours]
    return "\n".join(lines)
