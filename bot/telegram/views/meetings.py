"""The /meeting screens: a coach's coming meetings, a client's next one, the questions before a
move or cancellation, and what everyone a change concerns reads (times as `t.format_when`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.meetings import MeetingChange, MeetingInfo, Outcome, Party
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered, plain

# "Move which one?" offers at most this many of the client's upcoming meetings.
MOVE_CHOICES = 3


def minutes(at: datetime) -> str:
    """A moment as whole minutes since the epoch: short enough for callback data."""
    return str(int(at.timestamp()) // 60)


def usage_text(t: Translator, coach: bool) -> str:
    """How to write /meeting, for a coach or a client (plain text)."""
    if coach:
        return t.gettext(
            "Write /meeting, the client's name and when, for example /meeting Klara 8 dec 14:00, "
            "/meeting Klara tomorrow 10:00 or /meeting Klara 2026-12-08 14:00. "
            "/meeting alone lists the coming meetings, to move or cancel them."
        )
    return t.gettext(
        "Write /meeting and when your next meeting is, for example /meeting 8 dec 14:00, "
        "/meeting tomorrow 10:00 or /meeting 2026-12-08 14:00."
    )


def refusal_text(change: MeetingChange, t: Translator) -> str:
    """Why a change was not made (plain text, also used as a button's toast)."""
    if change.outcome == Outcome.PASSED:
        return t.gettext("That time has already passed. Give a time in the future.")
    if change.outcome == Outcome.COACH_SET and change.meeting is not None:
        return t.gettext(
            "Your coach has already set your next meeting: {when}. Ask your coach if it needs "
            "to change."
        ).format(when=t.format_when(change.meeting.starts_at))
    if change.outcome == Outcome.NOT_FOUND:
        return t.gettext("That meeting no longer exists or is already cancelled.")
    return t.gettext("That is not one of your clients.")


def _actor_text(change: MeetingChange, t: Translator, own: bool) -> str:
    m = change.meeting
    assert m is not None
    when, name = t.format_when(m.starts_at), m.client_name
    old = t.format_when(change.previous_start or m.starts_at)
    if change.outcome == Outcome.SAVED:
        text = (
            t.gettext("Your next meeting is saved: {when}.")
            if own
            else t.gettext("Meeting with {name} saved: {when}.")
        )
    elif change.outcome == Outcome.MOVED:
        text = (
            t.gettext("Your meeting is moved from {old} to {when}.")
            if own
            else t.gettext("The meeting with {name} is moved from {old} to {when}.")
        )
    else:
        text = (
            t.gettext("Your meeting {when} is cancelled.")
            if own
            else t.gettext("The meeting with {name} {when} is cancelled.")
        )
    return text.format(when=when, name=name, old=old)


def actor_view(
    change: MeetingChange,
    t: Translator,
    *,
    own: bool,
    unreached: Sequence[str],
    told: Sequence[str],
) -> str:
    """What the person who made the change reads, and who was (not) told (HTML)."""
    lines = [escape(_actor_text(change, t, own))]
    if unreached:
        text = t.gettext("{names} could not be told on Telegram.")
        lines.append(escape(text.format(names=", ".join(unreached))))
    elif told:
        text = t.ngettext(
            "{names} has been told, with a calendar file.",
            "{names} have been told, with a calendar file.",
            len(told),
        )
        lines.append(escape(text.format(names=", ".join(told))))
    return "\n".join(lines)


def party_view(change: MeetingChange, t: Translator, party: Party) -> str:
    """What someone else the change concerns reads: the client, or the client's coach (HTML)."""
    m = change.meeting
    assert m is not None
    when, name = t.format_when(m.starts_at), m.client_name
    old = t.format_when(change.previous_start or m.starts_at)
    if party.id == m.client_id:
        texts = {
            Outcome.SAVED: t.gettext("Your coach has set your next meeting: {when}."),
            Outcome.MOVED: t.gettext("Your coach has moved your meeting from {old} to {when}."),
            Outcome.CANCELLED: t.gettext("Your coach has cancelled the meeting {when}."),
        }
    else:
        texts = {
            Outcome.SAVED: t.gettext("{name} has recorded their next meeting: {when}."),
            Outcome.MOVED: t.gettext("{name} has moved their meeting from {old} to {when}."),
            Outcome.CANCELLED: t.gettext("{name} has cancelled the meeting {when}."),
        }
    return escape(texts[change.outcome].format(when=when, name=name, old=old))


def calendar_caption(t: Translator) -> str:
    """The caption of the calendar file sent after a button showed the outcome (HTML)."""
    return escape(t.gettext("For your calendar."))


def move_or_add_view(
    t: Translator, upcoming: Sequence[MeetingInfo], client_id: int, starts_at: datetime
) -> Rendered:
    """The client has meetings planned already: move one of them to the new time, or add it."""
    name = upcoming[0].client_name
    text = escape(
        t.gettext(
            "{name} already has a meeting planned. Move one of them to {when}, or add a new one?"
        ).format(name=name, when=t.format_when(starts_at))
    )
    rows = [
        [
            InlineKeyboardButton(
                "✏️ " + t.gettext("Move {old}").format(old=t.format_when(m.starts_at)),
                callback_data=menu_data("mt", "mv", f"{m.id}.{minutes(starts_at)}"),
            )
        ]
        for m in upcoming[:MOVE_CHOICES]
    ]
    rows.append(
        [
            InlineKeyboardButton(
                "➕ " + t.gettext("Add a new meeting"),
                callback_data=menu_data("mt", "add", f"{client_id}.{minutes(starts_at)}"),
            )
        ]
    )
    return Rendered(text, InlineKeyboardMarkup(rows))


def coach_meetings_view(upcoming: Sequence[MeetingInfo], t: Translator) -> Rendered:
    """A coach's coming meetings, each with buttons to move or cancel it."""
    if not upcoming:
        return Rendered(
            escape(t.gettext("No meetings are planned."))
            + "\n\n"
            + escape(usage_text(t, coach=True))
        )
    lines = ["<b>" + escape(t.gettext("Coming meetings")) + "</b>"]
    rows = []
    for number, m in enumerate(upcoming, start=1):
        lines.append(
            f"{number}. <b>{escape(m.client_name)}</b> · {escape(t.format_when(m.starts_at))}"
        )
        rows.append(
            [
                InlineKeyboardButton(
                    f"✏️ {number}. " + t.gettext("Move"),
                    callback_data=menu_data("mt", "how", str(m.id)),
                ),
                InlineKeyboardButton(
                    f"✖️ {number}. " + t.gettext("Cancel meeting"),
                    callback_data=menu_data("mt", "cx", str(m.id)),
                ),
            ]
        )
    lines += ["", "<i>" + escape(usage_text(t, coach=True)) + "</i>"]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


def client_meetings_view(
    client_id: int,
    upcoming: MeetingInfo | None,
    held: MeetingInfo | None,
    groups: Sequence[tuple[str, datetime]],
    t: Translator,
) -> Rendered:
    """A client's next and last coaching meeting, and their Backstage groups' next meetings."""
    lines: list[str] = []
    keyboard = None
    if upcoming is not None:
        lines.append(
            escape(t.gettext("Your next meeting: {when}.").format(
                when=t.format_when(upcoming.starts_at)
            ))
        )  # fmt: skip
        if upcoming.created_by_id == client_id:
            lines.append(escape(t.gettext(
                "You recorded it yourself: /meeting and a new time moves it."
            )))  # fmt: skip
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
                "✖️ " + t.gettext("Cancel meeting"),
                callback_data=menu_data("mt", "cx", str(upcoming.id)),
            )]])  # fmt: skip
    else:
        lines.append(escape(t.gettext("No next meeting is recorded.")))
        lines.append(escape(usage_text(t, coach=False)))
    if held is not None:
        lines.append(
            escape(t.gettext("Your last meeting: {when}.").format(
                when=t.format_when(held.starts_at)
            ))
        )  # fmt: skip
    for name, at in groups:
        lines.append(
            escape(t.gettext(
                "Your Backstage group {name} meets next {when}; /group shows its plan."
            ).format(name=name, when=t.format_when(at)))
        )  # fmt: skip
    return Rendered("\n".join(lines), keyboard)


def how_to_move_view(found: MeetingInfo, t: Translator) -> Rendered:
    """How a coach moves a meeting: /meeting, the name and the new time."""
    return plain(
        t.gettext(
            "To move the meeting with {name} {when}, write /meeting {name} and the new time, "
            "for example /meeting {name} 9 dec 15:00."
        ).format(name=found.client_name, when=t.format_when(found.starts_at))
    )


def cancel_question_view(found: MeetingInfo, own: bool, t: Translator) -> Rendered:
    """Asks to confirm cancelling a meeting, and who will be told."""
    when = t.format_when(found.starts_at)
    question = (
        t.gettext("Cancel your meeting {when}? Your coach will be told.")
        if own
        else t.gettext("Cancel the meeting with {name} {when}? {name} will be told.")
    ).format(name=found.client_name, when=when)
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(
            t.gettext("Yes, cancel it"), callback_data=menu_data("mt", "cxy", str(found.id))
        ),
        InlineKeyboardButton(
            t.gettext("No, keep it"), callback_data=menu_data("mt", "keep", str(found.id))
        ),
    ]])  # fmt: skip
    return Rendered(escape(question), keyboard)


def kept_view(found: MeetingInfo, t: Translator) -> Rendered:
    """The meeting was not cancelled."""
    return plain(
        t.gettext("The meeting stays: {when}.").format(when=t.format_when(found.starts_at))
    )
