"""Backstage groups in chat: /group creates and shows groups, /group_invite makes a join link,
/group_move moves a meeting; buttons swap case owners, send the calendar, show the
facilitator's view before a meeting, and let a member leave.

Buttons carry only ids (`gr:<action>:<group id>[.<numbers>]`), so they keep working after a
restart; every press is checked again against who may do what.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.dialogue.dates import parse_date_time
from bot.i18n import Translator, get_translator
from bot.meeting_calendar import CalendarEntry, meetings_ics
from bot.services.group_view import status_text
from bot.services.groups import (
    Brief,
    ErasureGroups,
    GroupChange,
    GroupDraft,
    GroupInfo,
    GroupMeetingInfo,
    GroupOutcome,
    JoinedGroup,
)
from bot.services.invites import deep_link
from bot.services.meetings import Party
from bot.services.people import PersonInfo
from bot.summary.html import render_messages
from bot.summary.pdf import render_pdf
from bot.telegram import group_chat
from bot.telegram.callbacks import menu_data, parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show, typing
from bot.telegram.handlers.access import pressed
from bot.telegram.reach import unreachable
from bot.telegram.rendering import Rendered
from bot.telegram.who import Member, for_coaches, for_members

log = logging.getLogger(__name__)

FAMILY = "gr"
# A /group line longer than this is not a group; echoing it would only push the answer past
# Telegram's limit.
ECHO_LIMIT = 600


def _when(t: Translator, at: datetime) -> str:
    local = t.localize(at)
    return t.gettext("{day} at {time}").format(
        day=t.format_date(local.date(), "EEEE d MMMM y"), time=t.format_time(local)
    )


def _short(t: Translator, at: datetime) -> str:
    """Weekday, the date as every date is written (with its year: a plan runs into the next
    one), and the clock time."""
    local = t.localize(at)
    day = local.date()
    return f"{t.format_date(day, 'EEE')} {t.format_date(day)} {t.format_time(local, 'HH:mm')}"


def _button(label: str, action: str, argument: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=menu_data(FAMILY, action, argument))


def _create_usage(t: Translator) -> str:
    return t.gettext(
        "To create a Backstage group, write /group and five parts separated by |: the name, "
        "how many members ({low}–{high}), the start-up meeting's date and time, weeks between "
        "meetings, and the usual time and place. For example:\n"
        "/group Ledargrupp Norr | 6 | 12 jan 13:00 | 5 | Tuesdays 13–16, room Ek"
    )


def _meeting_label(t: Translator, meeting: GroupMeetingInfo) -> str:
    """ "Start-up" or the case owner's name (or that nobody owns it yet)."""
    if meeting.is_start_up:
        return t.gettext("Start-up")
    if meeting.owner_name:
        return t.gettext("{name}'s case").format(name=meeting.owner_name)
    return t.gettext("case owner not decided")


def plan_text(info: GroupInfo, t: Translator, now: datetime) -> str:
    """The group's plan as HTML: numbered meetings with time and case owner."""
    lines = ["<b>" + escape(info.name) + "</b>"]
    if info.place:
        lines.append(escape(info.place))
    lines.append(
        escape(
            t.gettext("Facilitator: {name} · {count} of {size} members").format(
                name=info.facilitator_name, count=len(info.members), size=info.size
            )
        )
    )
    if info.members:
        lines.append(
            escape(
                t.gettext("Members: {names}").format(names=", ".join(m.name for m in info.members))
            )
        )
    lines.append("")
    for meeting in info.meetings:
        line = f"{meeting.number}. {_short(t, meeting.starts_at)} · {_meeting_label(t, meeting)}"
        if meeting.cancelled:
            line += " · " + t.gettext("cancelled")
        elif meeting.starts_at <= now:
            line += " · " + t.gettext("held")
        lines.append(escape(line))
    return "\n".join(lines)


def _round_text(lines: list[tuple[str, str]], t: Translator) -> str:
    if not lines:
        return ""
    out = ["", "<b>" + escape(t.gettext("For the opening round (shared with the group)")) + "</b>"]
    out += [escape(f"• {name}: {text}") for name, text in lines]
    return "\n".join(out)


async def _group_screen(
    context: BotContext, info: GroupInfo, person: PersonInfo, t: Translator
) -> Rendered:
    """The plan, the opening round, and the buttons this reader may use."""
    services = context.services
    now = services.now()
    text = plan_text(info, t, now)
    round_lines = await services.group_view.opening_round(person.id, info.id) or []
    text += _round_text(
        [
            (
                line.name,
                t.gettext("“{what}” — {status}").format(
                    what=line.commitment.text, status=status_text(line.commitment, t)
                ),
            )
            for line in round_lines
            if line.commitment is not None
        ],
        t,
    )
    gid = str(info.id)
    rows: list[list[InlineKeyboardButton]] = []
    if info.facilitator_id == person.id:
        rows.append(
            [
                _button("🔗 " + t.gettext("Invitation link"), "inv", gid),
                _button("📄 " + t.gettext("Before the next meeting"), "view", gid),
            ]
        )
        rows.append(
            [
                _button("🔁 " + t.gettext("Swap case owners"), "sw", gid),
                _button("📅 " + t.gettext("Calendar file"), "ics", gid),
            ]
        )
        text += (
            "\n\n<i>"
            + escape(
                t.gettext(
                    "To move a meeting, write /group_move, the group's number {group}, the "
                    "meeting's number and the new time, for example /group_move {group} 3 12 mar "
                    "13:00. To create another group, /group new shows how."
                ).format(group=info.id)
            )
            + "</i>"
        )
    else:
        rows.append(
            [
                _button("📅 " + t.gettext("Calendar file"), "ics", gid),
                _button("🚪 " + t.gettext("Leave the group"), "lv", gid),
            ]
        )
    return Rendered(text, InlineKeyboardMarkup(rows))


# -- commands ---------------------------------------------------------------------------------


@for_members
async def group(me: Member, update: Update, context: BotContext) -> None:
    """Shows your groups; a facilitator creates one (/group name | size | date | weeks | place)."""
    caller, person = me.caller, me.person
    t, services = caller.t, context.services
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    argument = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    if argument:
        if not person.is_coach:
            await send(
                context, caller.chat_id, escape(t.gettext("Only a facilitator can create a group."))
            )
            return
        await _create(context, caller, person, argument)
        return
    led = await services.groups.led_by(person.id)
    member = await services.groups.member_of(person.id)
    groups = led + member
    if len(groups) == 1:
        await show(update, context, await _group_screen(context, groups[0], person, t))
        return
    if not groups:
        if person.is_coach:
            text = (
                t.gettext("You have no Backstage groups yet.")
                + "\n\n"
                + _create_usage(t).format(
                    low=services.settings.group_min_size, high=services.settings.group_max_size
                )
            )
        else:
            text = t.gettext(
                "You are not in a Backstage group. If you are joining one, your facilitator "
                "sends you an invitation link."
            )
        await send(context, caller.chat_id, escape(text))
        return
    rows = [[_button(f"👥 {g.name}", "show", str(g.id))] for g in groups]
    await show(
        update, context, Rendered(escape(t.gettext("Which group?")), InlineKeyboardMarkup(rows))
    )


async def _refuse_line(
    context: BotContext, caller: Caller, problem: str, usage: str, line: str
) -> None:
    """Say what is wrong with a /group line, how it should look, and give the line back to
    copy and correct (nothing typed is lost)."""
    t = caller.t
    text = escape((problem + "\n\n" if problem else "") + usage)
    if line and len(line) <= ECHO_LIMIT:
        text += (
            "\n\n"
            + escape(t.gettext("Your line, to copy and correct:"))
            + "\n<code>"
            + escape(line)
            + "</code>"
        )
    await send(context, caller.chat_id, text)


def _parts_problem(count: int, t: Translator) -> str:
    if count > 5:
        return t.gettext(
            "I found {n} parts separated by |, but a group has at most five, so the name and "
            "the time and place cannot contain |."
        ).format(n=count)
    return t.ngettext(
        "I found only {n} part separated by |, but a group needs at least four (the time and "
        "place may be left out).",
        "I found only {n} parts separated by |, but a group needs at least four (the time and "
        "place may be left out).",
        count,
    ).format(n=count)


async def _create(context: BotContext, caller: Caller, person: PersonInfo, argument: str) -> None:
    t, services = caller.t, context.services
    settings, now = services.settings, services.now()
    parts = [part.strip() for part in argument.split("|")]
    usage = _create_usage(t).format(low=settings.group_min_size, high=settings.group_max_size)
    line = "/group " + argument.strip()
    if len(parts) == 1:
        # "/group new", "/group hjälp": no parts at all, so they ask how rather than try.
        await _refuse_line(context, caller, "", usage, "")
        return
    if len(parts) not in (4, 5):
        await _refuse_line(context, caller, _parts_problem(len(parts), t), usage, line)
        return
    name, size_text, when_text, weeks_text = parts[:4]
    place = (parts[4] or None) if len(parts) == 5 else None
    problem = None
    size = int(size_text) if size_text.isascii() and size_text.isdigit() else None
    weeks = int(weeks_text) if weeks_text.isascii() and weeks_text.isdigit() else None
    local = parse_date_time(when_text, now.astimezone(t.tz).date())
    if not name or len(name) > 60:
        problem = t.gettext("The name must be 1–60 characters.")
    elif size is None or not settings.group_min_size <= size <= settings.group_max_size:
        problem = t.gettext(
            "The number of members must be a whole number from {low} to {high}."
        ).format(low=settings.group_min_size, high=settings.group_max_size)
    elif local is None:
        problem = t.gettext(
            "I could not read “{text}” as a date and time, e.g. 12 jan 13:00."
        ).format(text=when_text[:40])
    elif weeks is None or not 1 <= weeks <= 13:
        problem = t.gettext("Weeks between meetings must be a whole number from 1 to 13.")
    elif place is not None and len(place) > 200:
        problem = t.gettext("The time and place text can be at most 200 characters.")
    if problem is not None or size is None or weeks is None or local is None:
        await _refuse_line(context, caller, problem or "", usage, line)
        return
    first = local.replace(tzinfo=t.tz).astimezone(UTC)
    draft = GroupDraft(name=name, size=size, interval_days=weeks * 7, first_at=first, place=place)
    outcome, info = await services.groups.create(person.id, draft, now)
    if outcome is GroupOutcome.PASSED:
        problem = t.gettext("That time has already passed. Give a time in the future.")
        await _refuse_line(context, caller, problem, usage, line)
        return
    if outcome is not GroupOutcome.OK or info is None:
        await _refuse_line(context, caller, t.gettext("The group was not created."), usage, line)
        return
    text = (
        escape(
            t.gettext("The group is created with a start-up meeting and one meeting per member.")
        )
        + "\n\n"
    )
    text += (
        plan_text(info, t, now)
        + "\n\n"
        + escape(
            t.gettext(
                "Next: /group_invite gives you a one-time link for each member. Members take the "
                "case meetings in the order they join; you can swap case owners later."
            )
        )
    )
    await send(context, caller.chat_id, text)


@for_coaches
async def group_invite(me: Member, update: Update, context: BotContext) -> None:
    """Creates a one-time link for a new member of your group."""
    caller, person = me.caller, me.person
    led = await context.services.groups.led_by(person.id)
    if not led:
        await send(
            context,
            caller.chat_id,
            escape(caller.t.gettext("You lead no group yet. /group shows how to create one.")),
        )
        return
    if len(led) == 1:
        await _send_invite(context, caller, person, led[0].id)
        return
    rows = [[_button(f"🔗 {g.name}", "inv", str(g.id))] for g in led]
    await show(
        update,
        context,
        Rendered(escape(caller.t.gettext("A link for which group?")), InlineKeyboardMarkup(rows)),
    )


async def _send_invite(
    context: BotContext, caller: Caller, person: PersonInfo, group_id: int
) -> None:
    t, services = caller.t, context.services
    outcome, token = await services.groups.invite(person.id, group_id, services.now())
    if outcome is GroupOutcome.FULL:
        text = t.gettext("The group already has all its members.")
    elif outcome is not GroupOutcome.OK or token is None:
        text = t.gettext("That is not one of your groups.")
    else:
        hours = services.settings.invite_ttl_hours
        intro = t.ngettext(
            "An invitation to join your group. Send it to one member; it works once, within "
            "{n} hour:",
            "An invitation to join your group. Send it to one member; it works once, within "
            "{n} hours:",
            hours,
        ).format(n=hours)
        await send(
            context,
            caller.chat_id,
            escape(intro) + "\n" + escape(deep_link(context.bot.username, token)),
        )
        return
    await send(context, caller.chat_id, escape(text))


@for_coaches
async def group_move(me: Member, update: Update, context: BotContext) -> None:
    """Moves a meeting of your group: /group_move <group> <meeting> <new time>."""
    caller, person = me.caller, me.person
    t, services = caller.t, context.services
    now = services.now()
    args = context.args or []
    usage = t.gettext(
        "Write /group_move, the group's number, the meeting's number and the new time, for "
        "example /group_move 1 3 12 mar 13:00. /group shows the numbers."
    )
    group_id = parse_id(args[0]) if args else None
    # Meeting numbers start at 0 (the start-up).
    number = (
        int(args[1])
        if len(args) > 1 and args[1].isascii() and args[1].isdigit() and len(args[1]) <= 3
        else None
    )
    local = (
        parse_date_time(" ".join(args[2:]), now.astimezone(t.tz).date()) if len(args) > 2 else None
    )
    if group_id is None or number is None or local is None:
        problem = ""
        if args and group_id is None:
            problem = t.gettext("“{text}” is not a group number.").format(text=args[0][:20])
        elif len(args) > 1 and number is None:
            problem = t.gettext(
                "“{text}” is not a meeting number (0 is the start-up meeting)."
            ).format(text=args[1][:20])
        elif len(args) > 2:
            problem = t.gettext(
                "I could not read “{text}” as a date and time, e.g. 12 jan 13:00."
            ).format(text=" ".join(args[2:])[:40])
        line = "/group_move " + " ".join(args) if args else ""
        await _refuse_line(context, caller, problem, usage, line)
        return
    starts_at = local.replace(tzinfo=t.tz).astimezone(UTC)
    change = await services.groups.move(person.id, group_id, number, starts_at, now)
    await _announce_move(context, caller, change)


# -- buttons ----------------------------------------------------------------------------------


async def group_button(update: Update, context: BotContext) -> None:
    """Shows a group, makes a link, swaps owners, sends the calendar or the view, or leaves."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, person, services = press.caller, press.person, context.services
    t = caller.t
    if press.name in ("join", "nojoin"):
        await press.query.answer()
        await _join(update, context, caller, person, press.name, press.argument)
        return
    numbers = [parse_id(part) for part in press.argument.split(".")]
    if not numbers or any(n is None for n in numbers):
        await press.query.answer(
            t.gettext("That button is no longer in use, so nothing was changed.")
        )
        return
    group_id, rest = int(numbers[0] or 0), [int(n or 0) for n in numbers[1:]]
    info = await services.groups.view(person.id, group_id)
    if info is None:
        await press.query.answer(t.gettext("You are not in that group."))
        return
    leads = info.facilitator_id == person.id
    if press.name in ("inv", "view", "sw", "sa", "sb") and not leads:
        await press.query.answer(t.gettext("Only the group's facilitator can do that."))
        return
    await press.query.answer()
    if press.name == "show":
        await show(update, context, await _group_screen(context, info, person, t), edit=True)
    elif press.name == "inv":
        await _send_invite(context, caller, person, group_id)
    elif press.name == "ics":
        await _send_plan_calendar(context, caller.chat_id, person.id, info, t)
    elif press.name == "view":
        await _send_view(update, context, caller, person, info.id)
    elif press.name == "sw":
        await show(update, context, _swap_first(info, t, services.now()), edit=True)
    elif press.name == "sa" and len(rest) == 1:
        await show(update, context, _swap_second(info, rest[0], t, services.now()), edit=True)
    elif press.name == "sb" and len(rest) == 2:
        change = await services.groups.swap(person.id, group_id, rest[0], rest[1], services.now())
        await _announce_swap(update, context, caller, change)
    elif press.name == "lv":
        keyboard = InlineKeyboardMarkup(
            [
                [
                    _button(t.gettext("Yes, leave the group"), "lvy", str(group_id)),
                    _button(t.gettext("No, stay"), "show", str(group_id)),
                ]
            ]
        )
        question = t.gettext(
            "Leave {name}? Your reflections, commitments and meetings from the group are "
            "erased, and the facilitator is told that you left. Your other reflections and any "
            "individual coaching stay as they are."
        ).format(name=info.name)
        await show(update, context, Rendered(escape(question), keyboard), edit=True)
    elif press.name == "lvy":
        leaving = await services.groups.leave(person.id, group_id, services.now())
        if leaving.outcome is not GroupOutcome.OK:
            await show(
                update,
                context,
                Rendered(escape(t.gettext("You are not in that group."))),
                edit=True,
            )
            return
        text = t.gettext("You have left {name}. What you did in the group is erased.").format(
            name=leaving.group_name or ""
        )
        await show(update, context, Rendered(escape(text)), edit=True)
        if leaving.facilitator is not None:
            await _tell(
                context,
                leaving.facilitator,
                lambda r: r.gettext("A member has left {name}. Their group data is erased.").format(
                    name=leaving.group_name or ""
                ),
            )


def _swap_first(info: GroupInfo, t: Translator, now: datetime) -> Rendered:
    ahead = [
        m for m in info.meetings if not m.is_start_up and not m.cancelled and m.starts_at > now
    ]
    if len(ahead) < 2:
        return Rendered(
            escape(
                t.gettext("Fewer than two case meetings are ahead, so there is nothing to swap.")
            )
        )
    rows = [
        [
            _button(
                f"{m.number}. {_short(t, m.starts_at)} · {_meeting_label(t, m)}",
                "sa",
                f"{info.id}.{m.number}",
            )
        ]
        for m in ahead
    ]
    rows.append([_button("↩️ " + t.gettext("Back"), "show", str(info.id))])
    return Rendered(
        escape(t.gettext("Swap case owners: pick the first meeting.")), InlineKeyboardMarkup(rows)
    )


def _swap_second(info: GroupInfo, first: int, t: Translator, now: datetime) -> Rendered:
    ahead = [
        m
        for m in info.meetings
        if not m.is_start_up and not m.cancelled and m.starts_at > now and m.number != first
    ]
    rows = [
        [
            _button(
                f"{m.number}. {_short(t, m.starts_at)} · {_meeting_label(t, m)}",
                "sb",
                f"{info.id}.{first}.{m.number}",
            )
        ]
        for m in ahead
    ]
    rows.append([_button("↩️ " + t.gettext("Back"), "sw", str(info.id))])
    return Rendered(
        escape(
            t.gettext("Swap the case owner of meeting {number} with which meeting?").format(
                number=first
            )
        ),
        InlineKeyboardMarkup(rows),
    )


# -- joining ----------------------------------------------------------------------------------


def group_join_offer(joined: JoinedGroup, token: str, t: Translator) -> Rendered:
    """Asks a registered person before they join a group (what the group's facilitator, the
    group and their coach will see)."""
    name = joined.group_name or ""
    if joined.outcome is GroupOutcome.ALREADY:
        return Rendered(
            escape(
                t.gettext("You are already a member of {name}. /group shows its plan.").format(
                    name=name
                )
            )
        )
    text = t.gettext(
        "You are invited to the Backstage group {name}. As a member you get the meeting plan, "
        "reminders and short reflections before and after each meeting. The facilitator "
        "(samtalsledare) reads what you share with them; the other members only what you "
        "choose to share with the group. If you have an individual coach, they see nothing "
        "from the group. Join?"
    ).format(name=name)
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button("✅ " + t.gettext("Join the group"), "join", token),
                _button(t.gettext("No thanks"), "nojoin", "0"),
            ]
        ]
    )
    return Rendered(escape(text), keyboard)


async def _join(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo, action: str, token: str
) -> None:
    t, services = caller.t, context.services
    if action == "nojoin":
        await show(
            update,
            context,
            Rendered(
                escape(
                    t.gettext(
                        "Okay, you did not join. The link still works if you change your mind."
                    )
                )
            ),
            edit=True,
        )
        return
    joined = await services.groups.accept_invite(person.id, token, services.now())
    await show(update, context, Rendered(escape(joined_text(joined, t))), edit=True)
    if joined.outcome is GroupOutcome.OK and joined.group_id is not None:
        await send_welcome(context, caller.chat_id, person.id, joined.group_id, t)


def joined_text(joined: JoinedGroup, t: Translator) -> str:
    """What joining came to, in words."""
    name = joined.group_name or ""
    if joined.outcome is GroupOutcome.OK:
        return t.gettext(
            "Welcome to {name}! /group shows the meeting plan and who brings a case when."
        ).format(name=name)
    if joined.outcome is GroupOutcome.FULL:
        return t.gettext(
            "{name} already has all its members, so you could not join. Ask the facilitator."
        ).format(name=name)
    if joined.outcome is GroupOutcome.ALREADY:
        return t.gettext("You are already a member of {name}.").format(name=name)
    if joined.outcome is GroupOutcome.NOT_ALLOWED:
        return t.gettext("You lead {name}, so you cannot join it as a member.").format(name=name)
    return t.gettext(
        "That invitation link can no longer be used. Ask the facilitator for a new one."
    )


async def send_welcome(
    context: BotContext, chat_id: int, person_id: int, group_id: int, t: Translator
) -> None:
    """After joining: the plan with the member's case meeting, and the calendar file."""
    info = await context.services.groups.view(person_id, group_id)
    if info is None:
        return
    now = context.services.now()
    own = next((m for m in info.meetings if m.owner_id == person_id), None)
    lines = [plan_text(info, t, now)]
    if own is not None:
        lines.append("")
        lines.append(
            escape(
                t.gettext(
                    "You bring your case to meeting {number}, {when}. {days} days before it I "
                    "will help you prepare it."
                ).format(
                    number=own.number,
                    when=_when(t, own.starts_at),
                    days=context.services.settings.case_prep_days,
                )
            )
        )
    await send(context, chat_id, "\n".join(lines))
    await _send_plan_calendar(context, chat_id, person_id, info, t)


# -- calendar, view, announcements ------------------------------------------------------------


def _entries(rows: list, info: GroupInfo, t: Translator) -> list[CalendarEntry]:  # type: ignore[type-arg]
    entries = []
    for row in rows:
        meeting: GroupMeetingInfo = row.meeting
        summary = t.gettext("Backstage: {name}").format(name=info.name)
        description = _meeting_label(t, meeting)
        if info.place:
            description += "\n" + info.place
        entries.append(
            CalendarEntry(
                meeting_id=row.uid_id,
                created_at=row.created_at,
                updated_at=row.updated_at,
                starts_at=meeting.starts_at,
                duration_minutes=meeting.duration_minutes,
                summary=summary,
                description=description,
                cancelled=meeting.cancelled,
                uid_prefix=row.uid_prefix,
            )
        )
    return entries


async def _send_plan_calendar(
    context: BotContext,
    chat_id: int,
    reader_id: int,
    info: GroupInfo,
    t: Translator,
    number: int | None = None,
    caption: str | None = None,
) -> bool:
    """Send the reader's calendar file of the group's meetings (or of one)."""
    found = await context.services.groups.calendar(reader_id, info.id, number)
    if found is None or not found[1]:
        return False
    data = meetings_ics(_entries(found[1], info, t), t.tz, context.services.now())
    text = caption or escape(t.gettext("The group's meetings for your calendar."))
    try:
        await context.bot.send_document(
            chat_id,
            InputFile(data, filename="backstage.ics"),
            caption=text,
            parse_mode=ParseMode.HTML,
        )
    except (Forbidden, BadRequest) as exc:
        if not unreachable(exc):
            raise
        await context.services.people.set_active(chat_id, False)
        return False
    return True


async def send_meeting_view(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo, group_meeting_id: int
) -> bool:
    """The facilitator's overview of one meeting ahead (from its planned prompt); False if the
    meeting is not ahead in a group they lead."""
    found = await context.services.groups.led_meeting(
        person.id, group_meeting_id, context.services.now()
    )
    if found is None:
        return False
    group_id, number = found
    await _send_view(update, context, caller, person, group_id, number)
    return True


async def _send_view(
    update: Update,
    context: BotContext,
    caller: Caller,
    person: PersonInfo,
    group_id: int,
    number: int | None = None,
) -> None:
    t, services = caller.t, context.services
    await typing(update, context)
    summary = await services.group_view.compose(
        person.id, group_id, t, services.now(), number=number
    )
    if summary is None:
        await send(context, caller.chat_id, escape(t.gettext("That is not one of your groups.")))
        return
    for message in render_messages(summary):
        await send(context, caller.chat_id, message)
    # Laying out a PDF takes a moment: off the event loop, so other updates keep flowing.
    pdf = await asyncio.to_thread(render_pdf, summary)
    await context.bot.send_document(
        caller.chat_id,
        InputFile(pdf, filename="backstage.pdf"),
        caption=escape(t.gettext("The same as a PDF.")),
        parse_mode=ParseMode.HTML,
    )


def _reader(context: BotContext, party: Party) -> Translator:
    settings = context.services.settings
    return get_translator(
        party.locale or settings.default_locale,
        party.timezone or settings.timezone,
        settings.locales_dir,
    )


async def _tell(context: BotContext, party: Party, text: object) -> bool:
    """Send a plain notice to someone in their own language (text: reader -> str)."""
    if party.telegram_id is None:
        return False
    reader = _reader(context, party)
    assert callable(text)
    return await _send_reaching(context, party.telegram_id, escape(str(text(reader))))


async def _send_reaching(context: BotContext, telegram_id: int, html: str) -> bool:
    """Send HTML to someone; False (and marked unreachable) if they blocked the bot or their
    chat is gone."""
    try:
        await send(context, telegram_id, html)
    except (Forbidden, BadRequest) as exc:
        if not unreachable(exc):
            raise
        await context.services.people.set_active(telegram_id, False)
        return False
    return True


async def _announce_swap(
    update: Update, context: BotContext, caller: Caller, change: GroupChange
) -> None:
    t = caller.t
    if change.outcome is not GroupOutcome.OK or change.group is None:
        await show(update, context, Rendered(escape(_refusal(change.outcome, t))), edit=True)
        return
    info = change.group
    now = context.services.now()
    await show(
        update,
        context,
        Rendered(escape(t.gettext("Case owners swapped.")) + "\n\n" + plan_text(info, t, now)),
        edit=True,
    )
    for party in change.tell:
        reader = _reader(context, party)
        text = (
            escape(reader.gettext("The rotation in {name} has changed.").format(name=info.name))
            + "\n\n"
            + plan_text(info, reader, now)
        )
        if party.telegram_id is not None:
            await _send_reaching(context, party.telegram_id, text)
    await group_chat.post_rotation(context, info)


async def _announce_move(context: BotContext, caller: Caller, change: GroupChange) -> None:
    t = caller.t
    if change.outcome is not GroupOutcome.OK or change.group is None or change.meeting is None:
        await send(context, caller.chat_id, escape(_refusal(change.outcome, t)))
        return
    info, meeting = change.group, change.meeting
    old = change.previous_start or meeting.starts_at

    def moved(reader: Translator) -> str:
        return reader.gettext("Meeting {number} of {name} is moved from {old} to {when}.").format(
            number=meeting.number,
            name=info.name,
            old=_when(reader, old),
            when=_when(reader, meeting.starts_at),
        )

    await _send_plan_calendar(
        context, caller.chat_id, info.facilitator_id, info, t, meeting.number, escape(moved(t))
    )
    for party in change.tell:
        reader = _reader(context, party)
        if party.telegram_id is not None:
            await _send_plan_calendar(
                context,
                party.telegram_id,
                party.id,
                info,
                reader,
                meeting.number,
                escape(moved(reader)),
            )
    await group_chat.post_moved(context, info, meeting, old)


def erasure_warning(groups: ErasureGroups, t: Translator) -> str:
    """For the /delete question: what erasing the account does to the person's groups."""
    parts = []
    if groups.led:
        names = ", ".join(g.name for g in groups.led)
        parts.append(
            t.ngettext(
                "You lead the Backstage group {names}. Deleting your account ends it in "
                "Hemmaplan: its meeting plan and reminders are removed, and each member is told "
                "that the group has ended here. The members keep their own reflections.",
                "You lead the Backstage groups {names}. Deleting your account ends them in "
                "Hemmaplan: their meeting plans and reminders are removed, and each member is "
                "told that the group has ended here. The members keep their own reflections.",
                len(groups.led),
            ).format(names=names)
        )
        if any(g.chat_id is not None for g in groups.led):
            parts[-1] += " " + t.gettext(
                "In the group's own chat I say that it has ended here, and leave the chat."
            )
    if groups.joined:
        names = ", ".join(g.name for g in groups.joined)
        parts.append(
            t.gettext(
                "You also leave {names}; the facilitator is told that a member has left."
            ).format(names=names)
        )
    return "\n\n".join(parts)


async def tell_erasure(context: BotContext, groups: ErasureGroups, name: str) -> None:
    """After an erasure: tell the members of the groups the person led that the group has
    ended here, and the facilitators of the groups they were in that a member has left."""
    for ended in groups.led:
        if ended.chat_id is not None:
            await group_chat.say_goodbye(
                context, ended.chat_id, ended.chat_locale, ended.chat_timezone, ended.name
            )
        for party in ended.tell:
            await _tell(
                context,
                party,
                lambda r, group=ended.name: r.gettext(
                    "{facilitator}, the facilitator of {name}, has deleted their Hemmaplan "
                    "account, so the group has ended here: its meeting plan, reminders and case "
                    "preparations are gone. Your own reflections are kept (/history). The "
                    "meetings you added to your calendar stay there until you remove them; ask "
                    "{facilitator} how the group goes on."
                ).format(facilitator=name, name=group),
            )
    for left in groups.joined:
        for party in left.tell:
            await _tell(
                context,
                party,
                lambda r, group=left.name: r.gettext(
                    "A member has left {name}. Their group data is erased."
                ).format(name=group),
            )


def _refusal(outcome: GroupOutcome, t: Translator) -> str:
    if outcome is GroupOutcome.PASSED:
        return t.gettext(
            "That meeting has already been held, or the time has passed. Give a time in the future."
        )
    if outcome is GroupOutcome.NOT_FOUND:
        return t.gettext("There is no such meeting in the group. /group shows the numbers.")
    if outcome is GroupOutcome.ORDER:
        return t.gettext(
            "Meetings keep their order: pick a time between the meeting before and the one "
            "after. To change who brings a case when, swap case owners in /group."
        )
    return t.gettext("That is not one of your groups.")


def brief_text(brief: Brief, t: Translator) -> str:
    """A case owner's brief as HTML, for another member or the facilitator."""
    lines = [
        "<b>"
        + escape(
            t.gettext("{name}'s case for {group}, {when}").format(
                name=brief.owner_name, group=brief.group_name, when=_when(t, brief.starts_at)
            )
        )
        + "</b>",
        "",
    ]
    for line in brief.lines:
        lines.append("<b>" + escape(line.label) + "</b>")
        lines.append(escape(line.text))
        lines.append("")
    lines.append(
        "<i>"
        + escape(
            t.gettext("{name} shared this with the group. Keep it within the group.").format(
                name=brief.owner_name
            )
        )
        + "</i>"
    )
    return "\n".join(lines)
