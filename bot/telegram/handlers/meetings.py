"""/meeting: coaches set, move and cancel meetings; clients record their own next one.

Everyone a change concerns is told in their own language and time zone, with the meeting as an
.ics file. Buttons carry only ids and the new time, so they keep working after a restart.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.dialogue.dates import parse_date_time
from bot.i18n import Translator, get_translator
from bot.meeting_calendar import CalendarEntry, meeting_ics
from bot.services.meetings import MeetingChange, MeetingInfo, Outcome
from bot.services.people import PersonInfo
from bot.telegram.callbacks import parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show
from bot.telegram.handlers.access import pressed
from bot.telegram.handlers.coach import _client_id
from bot.telegram.reach import unreachable
from bot.telegram.rendering import Rendered, plain
from bot.telegram.views.meetings import (
    actor_view,
    calendar_caption,
    cancel_question_view,
    client_meetings_view,
    coach_meetings_view,
    how_to_move_view,
    kept_view,
    move_or_add_view,
    party_view,
    refusal_text,
    usage_text,
)
from bot.telegram.who import Member, for_members

log = logging.getLogger(__name__)

# A coach's list shows this many meetings with buttons (a term is 3–5 meetings per client).
_LIST_LIMIT = 15


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
    except (Forbidden, BadRequest) as exc:
        if not unreachable(exc):
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
        await show(update, context, plain(refusal_text(change, t)), edit=edit)
        return
    meeting = change.meeting
    own = meeting.client_id == person.id
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
            party_view(change, reader, party),
            meeting,
            reader,
            party.id == meeting.client_id,
        )
        if not told:
            unreached.append(party.display_name)
    told_names = [p.display_name for p in change.tell]
    text = actor_view(change, t, own=own, unreached=unreached, told=told_names)
    if edit:
        # A pressed button: its message shows the outcome (and loses its buttons); the file
        # follows on its own.
        await show(update, context, Rendered(text), edit=True)
        text = calendar_caption(t)
    # A command is answered by one message: the calendar file, with the outcome as caption.
    await _send_calendar(context, caller.chat_id, text, meeting, t, own)


@for_members
async def meeting(me: Member, update: Update, context: BotContext) -> None:
    """Coaches set, list, move and cancel meetings; clients see or record their next one."""
    if me.person.is_coach:
        await _coach_meeting(update, context, me.caller, me.person)
    else:
        await _client_meeting(update, context, me.caller, me.person)


async def _coach_meeting(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo
) -> None:
    t, services = caller.t, context.services
    args = context.args or []
    now = services.now()
    if not args:
        upcoming = await services.meetings.upcoming_for_coach(person.id, now)
        await show(update, context, coach_meetings_view(upcoming[:_LIST_LIMIT], t))
        return
    client_id, rest = await _client_id(context, person.id, args)
    starts_at = _parse(rest, t, now) if rest else None
    if client_id is None or starts_at is None:
        await send(context, caller.chat_id, plain(usage_text(t, coach=True)).text)
        return
    if not await services.people.is_coach_of(person.id, client_id):
        await send(
            context, caller.chat_id, plain(t.gettext("That is not one of your clients.")).text
        )
        return
    if starts_at <= now:
        refused = plain(refusal_text(MeetingChange(Outcome.PASSED), t))
        await send(context, caller.chat_id, refused.text)
        return
    upcoming = await services.meetings.upcoming(client_id, now)
    if upcoming:
        # Planning a term means several meetings ahead: ask rather than guess "move" or "add".
        await show(update, context, move_or_add_view(t, upcoming, client_id, starts_at))
        return
    change = await services.meetings.schedule(person.id, client_id, starts_at, now)
    await _announce(update, context, caller, person, change, edit=False)


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
        await send(context, caller.chat_id, plain(usage_text(t, coach=False)).text)
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
    groups = [
        (group.name, meeting.starts_at)
        for group in await services.groups.member_of(client_id)
        if (meeting := group.next_meeting(now)) is not None
    ]
    return client_meetings_view(client_id, upcoming, held, groups, t)


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
        await press.query.answer(refusal_text(MeetingChange(Outcome.NOT_FOUND), t))
        return
    await press.query.answer()
    if press.name == "how":
        await send(context, caller.chat_id, how_to_move_view(found, t).text)
    elif press.name == "cx":
        own = found.client_id == person.id
        await show(update, context, cancel_question_view(found, own, t), edit=True)
    elif press.name == "keep":
        await show(update, context, kept_view(found, t), edit=True)
