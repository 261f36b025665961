"""/meeting: coaches set, move and cancel meetings; clients record their own next one.

Everyone a change concerns is told in their own language and time zone, with the meeting as an
.ics file. Buttons carry only ids and the new time, so they keep working after a restart.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.dialogue.dates import parse_date_time
from bot.i18n import Translator, get_translator
from bot.meeting_calendar import CalendarEntry, meeting_ics
from bot.services.meetings import MeetingChange, MeetingInfo, Outcome, Party
from bot.services.people import PersonInfo
from bot.telegram.callbacks import menu_data, parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show
from bot.telegram.handlers.access import pressed, registered
from bot.telegram.handlers.coach import _client_id
from bot.telegram.rendering import Rendered

log = logging.getLogger(__name__)

# A coach's list shows this many meetings with buttons (a term is 3–5 meetings per client).
_LIST_LIMIT = 15
# "Move which one?" offers at most this many of the client's upcoming meetings.
_MOVE_CHOICES = 3


def meeting_when(t: Translator, at: datetime) -> str:
    """Date, time and time zone of a meeting, in the reader's language and zone."""
    return t.format_when(at)


def _short(t: Translator, at: datetime) -> str:
    return t.format_when(at)


def _minutes(at: datetime) -> str:
    return str(int(at.timestamp()) // 60)


def _from_minutes(text: str) -> datetime | None:
    # Plain digits only, and few enough for a datetime (forged data must not raise).
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return datetime.fromtimestamp(int(text) * 60, UTC)


def _parse(words: list[str], t: Translator, now: datetime) -> datetime | None:
    """The moment meant by typed words, read as wall-clock time in the writer's time zone."""
    local = parse_date_time(" ".join(words), now.astimezone(t.tz).date())
    if local is None:
        return None
    # zoneinfo resolves a wall time skipped or repeated by a DST change (fold=0: the first).
    return local.replace(tzinfo=t.tz).astimezone(UTC)


def _usage(t: Translator, coach: bool) -> str:
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


def _refusal(change: MeetingChange, t: Translator) -> str:
    if change.outcome == Outcome.PASSED:
        return t.gettext("That time has already passed. Give a time in the future.")
    if change.outcome == Outcome.COACH_SET and change.meeting is not None:
        return t.gettext(
            "Your coach has already set your next meeting: {when}. Ask your coach if it needs "
            "to change."
        ).format(when=meeting_when(t, change.meeting.starts_at))
    if change.outcome == Outcome.NOT_FOUND:
        return t.gettext("That meeting no longer exists or is already cancelled.")
    return t.gettext("That is not one of your clients.")


def _actor_text(change: MeetingChange, t: Translator, own: bool) -> str:
    """What the person who made the change reads."""
    m = change.meeting
    assert m is not None
    when, name = meeting_when(t, m.starts_at), m.client_name
    old = meeting_when(t, change.previous_start or m.starts_at)
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


def _party_text(change: MeetingChange, t: Translator, party: Party) -> str:
    """What someone else the change concerns reads: the client, or the client's coach."""
    m = change.meeting
    assert m is not None
    when, name = meeting_when(t, m.starts_at), m.client_name
    old = meeting_when(t, change.previous_start or m.starts_at)
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
    return texts[change.outcome].format(when=when, name=name, old=old)


def _ics(m: MeetingInfo, t: Translator, for_client: bool, now: datetime) -> InputFile:
    summary = (
        t.gettext("Coaching meeting")
        if for_client
        else t.gettext("Coaching meeting with {name}").format(name=m.client_name)
    )
    entry = CalendarEntry(
        meeting_id=m.id,
        created_at=m.created_at,
        updated_at=m.updated_at,
        starts_at=m.starts_at,
        duration_minutes=m.duration_minutes,
        summary=summary,
        description=t.gettext("Recorded in Hemmaplan."),
        cancelled=m.cancelled_at is not None,
    )
    filename = f"hemmaplan-{t.localize(m.starts_at).date().isoformat()}.ics"
    return InputFile(meeting_ics(entry, t.tz, now), filename=filename)


async def _send_calendar(
    context: BotContext, chat_id: int, caption: str, m: MeetingInfo, t: Translator, client: bool
) -> bool:
    """Send the meeting's .ics with a caption; False (and marked unreachable) if blocked."""
    try:
        await context.bot.send_document(
            chat_id,
            _ics(m, t, client, context.services.now()),
            caption=caption,
            parse_mode=ParseMode.HTML,
        )
    except Forbidden:
        await context.services.people.set_active(chat_id, False)
        return False
    except BadRequest as exc:
        if "chat not found" not in str(exc).lower():
            raise
        await context.services.people.set_active(chat_id, False)
        return False
    return True


async def _announce(
    update: Update,
    context: BotContext,
    caller: Caller,
    person: PersonInfo,
    change: MeetingChange,
    *,
    edit: bool,
) -> None:
    """Tell the actor what happened (with the .ics), then everyone else it concerns."""
    t = caller.t
    if not change.changed or change.meeting is None:
        await show(update, context, Rendered(escape(_refusal(change, t))), edit=edit)
        return
    meeting = change.meeting
    own = meeting.client_id == person.id
    lines = [escape(_actor_text(change, t, own))]
    settings = context.services.settings
    unreached: list[str] = []
    for party in change.tell:
        reader = get_translator(
            party.locale or settings.default_locale,
            party.timezone or settings.timezone,
            settings.locales_dir,
        )
        told = party.telegram_id is not None and await _send_calendar(
            context,
            party.telegram_id,
            escape(_party_text(change, reader, party)),
            meeting,
            reader,
            party.id == meeting.client_id,
        )
        if not told:
            unreached.append(party.display_name)
    if unreached:
        text = t.gettext("{names} could not be told on Telegram.")
        lines.append(escape(text.format(names=", ".join(unreached))))
    elif change.tell:
        text = t.ngettext(
            "{names} has been told, with a calendar file.",
            "{names} have been told, with a calendar file.",
            len(change.tell),
        )
        lines.append(escape(text.format(names=", ".join(p.display_name for p in change.tell))))
    text = "\n".join(lines)
    if edit:
        # A pressed button: its message shows the outcome (and loses its buttons); the file
        # follows on its own.
        await show(update, context, Rendered(text), edit=True)
        text = escape(t.gettext("For your calendar."))
    # A command is answered by one message: the calendar file, with the outcome as caption.
    await _send_calendar(context, caller.chat_id, text, meeting, t, own)


async def meeting(update: Update, context: BotContext) -> None:
    """Coaches set, list, move and cancel meetings; clients see or record their next one."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    if person.is_coach:
        await _coach_meeting(update, context, caller, person)
    else:
        await _client_meeting(update, context, caller, person)


async def _coach_meeting(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo
) -> None:
    t, services = caller.t, context.services
    args = context.args or []
    now = services.now()
    if not args:
        await show(update, context, await _coach_list(context, t, person.id, now))
        return
    client_id, rest = await _client_id(context, person.id, args)
    starts_at = _parse(rest, t, now) if rest else None
    if client_id is None or starts_at is None:
        await send(context, caller.chat_id, escape(_usage(t, coach=True)))
        return
    if not await services.people.is_coach_of(person.id, client_id):
        await send(context, caller.chat_id, escape(t.gettext("That is not one of your clients.")))
        return
    if starts_at <= now:
        await send(context, caller.chat_id, escape(_refusal(MeetingChange(Outcome.PASSED), t)))
        return
    upcoming = await services.meetings.upcoming(client_id, now)
    if upcoming:
        # Planning a term means several meetings ahead: ask rather than guess "move" or "add".
        await show(update, context, _move_or_add(t, upcoming, client_id, starts_at))
        return
    change = await services.meetings.schedule(person.id, client_id, starts_at, now)
    await _announce(update, context, caller, person, change, edit=False)


def _move_or_add(
    t: Translator, upcoming: list[MeetingInfo], client_id: int, starts_at: datetime
) -> Rendered:
    name = upcoming[0].client_name
    lines = [
        escape(
            t.gettext(
                "{name} already has a meeting planned. Move one of them to {when}, "
                "or add a new one?"
            ).format(name=name, when=meeting_when(t, starts_at))
        )
    ]
    rows = [
        [
            InlineKeyboardButton(
                "✏️ " + t.gettext("Move {old}").format(old=_short(t, m.starts_at)),
                callback_data=menu_data("mt", "mv", f"{m.id}.{_minutes(starts_at)}"),
            )
        ]
        for m in upcoming[:_MOVE_CHOICES]
    ]
    rows.append(
        [
            InlineKeyboardButton(
                "➕ " + t.gettext("Add a new meeting"),
                callback_data=menu_data("mt", "add", f"{client_id}.{_minutes(starts_at)}"),
            )
        ]
    )
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


async def _coach_list(context: BotContext, t: Translator, coach_id: int, now: datetime) -> Rendered:
    upcoming = (await context.services.meetings.upcoming_for_coach(coach_id, now))[:_LIST_LIMIT]
    if not upcoming:
        return Rendered(
            escape(t.gettext("No meetings are planned.")) + "\n\n" + escape(_usage(t, coach=True))
        )
    lines = ["<b>" + escape(t.gettext("Coming meetings")) + "</b>"]
    rows = []
    for number, m in enumerate(upcoming, start=1):
        lines.append(
            f"{number}. <b>{escape(m.client_name)}</b> · {escape(meeting_when(t, m.starts_at))}"
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
    lines += ["", "<i>" + escape(_usage(t, coach=True)) + "</i>"]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


async def _client_meeting(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo
) -> None:
    t, services = caller.t, context.services
    args = context.args or []
    now = services.now()
    if not args:
        await show(update, context, await _client_view(context, t, person.id, now))
        return
    starts_at = _parse(args, t, now)
    if starts_at is None:
        await send(context, caller.chat_id, escape(_usage(t, coach=False)))
        return
    change = await services.meetings.schedule(person.id, person.id, starts_at, now)
    await _announce(update, context, caller, person, change, edit=False)


async def _client_view(
    context: BotContext, t: Translator, client_id: int, now: datetime
) -> Rendered:
    services = context.services
    # Coaching meetings here; a Backstage group's meetings are named as the group's below
    # (its plan is in /group), so "your next meeting" never means the group's unsaid.
    upcoming = await services.meetings.next(client_id, now, kind="coaching")
    held = await services.meetings.last_held(client_id, now, kind="coaching")
    lines: list[str] = []
    keyboard = None
    if upcoming is not None:
        lines.append(
            escape(t.gettext("Your next meeting: {when}.").format(
                when=meeting_when(t, upcoming.starts_at)
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
        lines.append(escape(_usage(t, coach=False)))
    if held is not None:
        lines.append(
            escape(t.gettext("Your last meeting: {when}.").format(
                when=meeting_when(t, held.starts_at)
            ))
        )  # fmt: skip
    for group in await services.groups.member_of(client_id):
        meeting = group.next_meeting(now)
        if meeting is not None:
            lines.append(
                escape(t.gettext(
                    "Your Backstage group {name} meets next {when}; /group shows its plan."
                ).format(name=group.name, when=meeting_when(t, meeting.starts_at)))
            )  # fmt: skip
    return Rendered("\n".join(lines), keyboard)


async def meeting_button(update: Update, context: BotContext) -> None:
    """Moves, adds or cancels a meeting from the buttons of /meeting."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, person, services = press.caller, press.person, context.services
    t, now = caller.t, services.now()
    first, _, second = press.argument.partition(".")
    parsed = parse_id(first)
    if parsed is None:
        await press.query.answer()
        return
    target = parsed
    if press.name in ("mv", "add"):
        starts_at = _from_minutes(second)
        if starts_at is None:
            await press.query.answer()
            return
        await press.query.answer()
        if press.name == "mv":
            change = await services.meetings.move(person.id, target, starts_at, now)
        else:
            change = await services.meetings.schedule(person.id, target, starts_at, now)
        await _announce(update, context, caller, person, change, edit=True)
        return
    if press.name == "cxy":
        await press.query.answer()
        change = await services.meetings.cancel(person.id, target, now)
        await _announce(update, context, caller, person, change, edit=True)
        return
    found = await services.meetings.get(person.id, target)
    if found is None:
        await press.query.answer(_refusal(MeetingChange(Outcome.NOT_FOUND), t))
        return
    await press.query.answer()
    when = meeting_when(t, found.starts_at)
    if press.name == "how":
        text = t.gettext(
            "To move the meeting with {name} {when}, write /meeting {name} and the new time, "
            "for example /meeting {name} 9 dec 15:00."
        ).format(name=found.client_name, when=when)
        await send(context, caller.chat_id, escape(text))
    elif press.name == "cx":
        own = found.client_id == person.id
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
        await show(update, context, Rendered(escape(question), keyboard), edit=True)
    elif press.name == "keep":
        text = t.gettext("The meeting stays: {when}.").format(when=when)
        await show(update, context, Rendered(escape(text)), edit=True)
