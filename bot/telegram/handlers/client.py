"""Client commands: /help, /commitments, /history, /settings (/preview: summaries.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.config import Settings
from bot.i18n import Translator
from bot.scheduling.localtime import checkin_time_problem
from bot.scheduling.texts import checkin_problem_text
from bot.services.commitments import CommitmentInfo, CommitmentNotFound, check_result_label
from bot.services.history import RunDetail
from bot.services.onboarding import valid_timezone
from bot.services.people import PersonInfo
from bot.telegram.callbacks import menu_data, parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import send, show, toast, translator_for
from bot.telegram.handlers.access import pressed, registered
from bot.telegram.handlers.history_chart import send_history_chart
from bot.telegram.handlers.onboarding import LANGUAGES, TIMEZONE_CHOICES
from bot.telegram.live_screen import show_run
from bot.telegram.menus import set_person_menu
from bot.telegram.notices import help_text
from bot.telegram.rendering import Rendered, render_screen
from bot.telegram.views.relations import coaches_view
from bot.telegram.who import Member, for_members

_CHECKIN_CHOICES = ("0730", "0900", "1200", "1700", "1930")
# Pause choices in /settings: weeks from today (local), or until the next meeting / resumed.
_PAUSE_WEEKS = {"1w": 1, "2w": 2}
_QUIET_CHOICES = ("2100-0800", "2200-0700", "2000-0900")
_HISTORY_LIMIT = 10


@for_members
async def help_command(me: Member, update: Update, context: BotContext) -> None:
    """Lists what the bot can do for this person."""
    in_group = bool(await context.services.groups.member_of(me.person.id))
    text = help_text(me.t, me.person.is_coach, me.person.is_admin, in_group)
    await send(context, me.chat_id, text)


CHECKIN_DIALOGUE = "checkin"
# Short enough for a button on a phone; the full text is in the message above.
_BUTTON_TEXT = 32


def commitments_view(items: list[CommitmentInfo], t: Translator, today: date) -> Rendered:
    """All open commitments in one message, with a button per commitment to check in on it."""
    if not items:
        return Rendered(escape(t.gettext("You have no open commitments.")))
    lines = ["<b>" + escape(t.gettext("Your open commitments")) + "</b>"]
    rows = []
    for number, item in enumerate(items, start=1):
        day = t.format_date(item.due_date)
        due = (
            t.gettext("Was due {date}") if item.due_date < today else t.gettext("Due {date}")
        ).format(date=day)
        details = [due]
        # Open commitments can only have been checked as partly or not yet: say which.
        if item.last_check in ("partly", "not_yet"):
            status = check_result_label(item.last_check, t)
            details.append(t.gettext("last check-in: {status}").format(status=status))
        lines.append("")
        lines.append(f"{number}. <b>{escape(item.text)}</b>")
        lines.append(escape(" · ".join(details)))
        text = item.text if len(item.text) <= _BUTTON_TEXT else item.text[: _BUTTON_TEXT - 1] + "…"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{number}. {text}", callback_data=menu_data("cm", "ci", str(item.id))
                )
            ]
        )
    lines += ["", "<i>" + escape(t.gettext("Press a commitment to check in on it.")) + "</i>"]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


@for_members
async def commitments(me: Member, update: Update, context: BotContext) -> None:
    """Lists the open commitments in one message, each with a button to check in on it."""
    items = await context.services.commitments.open_for(me.person.id)
    today = context.services.now().astimezone(me.t.tz).date()
    view = commitments_view(items, me.t, today)
    await send(context, me.chat_id, view.text, view.keyboard)


async def commitment_button(update: Update, context: BotContext) -> None:
    """Starts the check-in dialogue about the pressed commitment."""
    press = await pressed(update, context)
    if press is None:
        return
    t, services = press.caller.t, context.services
    # `cm:ci:<id>`; buttons from before check-ins were dialogues are `cm:<id>:<status>`: they
    # start the same check-in rather than record a status without asking for a new date.
    raw_id = press.argument if press.name == "ci" else press.name
    commitment_id = parse_id(raw_id)
    try:
        if commitment_id is None:
            raise CommitmentNotFound(raw_id)
        result = await services.dialogues.start(
            press.person.id, CHECKIN_DIALOGUE, t, services.now(), commitment_id=commitment_id
        )
    except CommitmentNotFound:
        await toast(update, context, t.gettext("That commitment is no longer open."))
        return
    await press.query.answer()
    await show_run(update, context, result, render_screen(result.screen, result.run_id, t))


async def history(update: Update, context: BotContext) -> None:
    """Lists recent reflections; a button opens one."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    t = caller.t
    runs = await context.services.history.list_runs(person.id, t)
    finished = [run for run in runs if run.status == "finished"][:_HISTORY_LIMIT]
    if not finished:
        await send(
            context, caller.chat_id, escape(t.gettext("You have no finished reflections yet."))
        )
        return
    rows = [
        [
            InlineKeyboardButton(
                f"{t.format_date(run.finished_at or run.started_at)} · {run.title}",
                callback_data=menu_data("h", "run", str(run.run_id)),
            )
        ]
        for run in finished
    ]
    text = escape(t.gettext("Your latest reflections:"))
    await send(context, caller.chat_id, text, InlineKeyboardMarkup(rows))
    await send_history_chart(context, caller, person)


async def history_button(update: Update, context: BotContext) -> None:
    """Shows one earlier reflection with its answers."""
    press = await pressed(update, context)
    if press is None:
        return
    caller = press.caller
    run_id = parse_id(press.argument)
    detail = (
        await context.services.history.read_run(press.person.id, run_id, caller.t)
        if run_id is not None
        else None
    )
    if detail is None:
        await toast(update, context, caller.t.gettext("That reflection no longer exists."))
        return
    await press.query.answer()
    await send(context, caller.chat_id, run_text(detail, caller.t, mark_private=True))


def run_text(detail: RunDetail, t: Translator, *, mark_private: bool) -> str:
    """A reflection and its answers as HTML."""
    when = detail.summary.finished_at or detail.summary.started_at
    lines = [f"<b>{escape(detail.summary.title)}</b> · {escape(t.format_date(when))}"]
    for answer in detail.answers:
        lock = " 🔒" if mark_private and answer.visibility == "private" else ""
        lines.append(f"<b>{escape(answer.label)}</b>{lock}\n{escape(answer.value_text)}")
    return "\n\n".join(lines)


def _hhmm(value: str) -> time:
    return time(int(value[:2]), int(value[2:]))


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


@dataclass(frozen=True)
class _Timing:
    """A person's check-in time and quiet hours, their own or the defaults."""

    checkin: time
    quiet_start: time
    quiet_end: time

    @classmethod
    def of(cls, person: PersonInfo, defaults: Settings) -> _Timing:
        return cls(
            person.checkin_time or defaults.checkin_time,
            person.quiet_start or defaults.quiet_start,
            person.quiet_end or defaults.quiet_end,
        )


def _pause_status(person: PersonInfo, t: Translator, today: date) -> str:
    """What the settings say about check-ins: on, paused until a date or until resumed."""
    if not person.paused or (person.pause_until is not None and person.pause_until <= today):
        return t.gettext("Check-ins: {value}").format(value=t.gettext("on"))
    if person.auto_paused_at is not None:
        return t.gettext(
            "Check-ins: paused by Hemmaplan on {date}, after check-ins went unanswered twice in "
            "a row. Nothing more is sent until you press ▶️ Resume check-ins."
        ).format(date=t.format_date(person.auto_paused_at))
    if person.pause_until is not None:
        return t.gettext("Check-ins: paused until {date}").format(
            date=t.format_date(person.pause_until)
        )
    return t.gettext("Check-ins: paused until you resume them")


def _settings_view(
    person: PersonInfo,
    t: Translator,
    defaults: Settings,
    today: date,
    next_meeting: date | None,
    notice: str | None = None,
) -> Rendered:
    timing = _Timing.of(person, defaults)
    language = dict(LANGUAGES).get(person.locale or "", person.locale or "–")
    lines = []
    if notice:
        lines += ["⚠️ " + escape(notice), ""]
    lines += [
        "<b>" + escape(t.gettext("Your settings")) + "</b>",
        escape(t.gettext("Language: {value}").format(value=language)),
        escape(t.gettext("Time zone: {value}").format(value=person.timezone or defaults.timezone)),
        escape(t.gettext("Check-in time: {value}").format(value=_clock(timing.checkin))),
        escape(
            t.gettext("Quiet hours: {start}–{end}").format(
                start=_clock(timing.quiet_start), end=_clock(timing.quiet_end)
            )
        ),
        escape(_pause_status(person, t, today)),
        "",
        "<i>"
        + escape(
            t.gettext(
                "Check-ins come at your check-in time, never in your quiet hours. Another time "
                "zone or time: send /settings and its name or the time, e.g. /settings "
                "Europe/Oslo or /settings 08:15."
            )
        )
        + "</i>",
    ]

    def button(label: str, field: str, value: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=menu_data("st", field, value))

    paused = person.paused and (person.pause_until is None or person.pause_until > today)
    if paused:
        pause_rows = [[button("▶️ " + t.gettext("Resume check-ins"), "pause", "0")]]
    else:
        until_meeting = (
            [
                button(
                    "⏸ "
                    + t.gettext("Until the meeting {date}").format(
                        date=t.format_date(next_meeting)
                    ),
                    "pause",
                    "mt",
                )
            ]
            if next_meeting is not None and next_meeting > today
            else []
        )
        pause_rows = [
            [
                button("⏸ " + t.gettext("1 week"), "pause", "1w"),
                button("⏸ " + t.gettext("2 weeks"), "pause", "2w"),
            ],
            [*until_meeting, button("⏸ " + t.gettext("Until I resume"), "pause", "1")],
        ]
    rows = [
        [button(label, "lang", code) for code, label in LANGUAGES],
        [
            button(zone.split("/")[-1].replace("_", " "), "tz", zone)
            for zone in TIMEZONE_CHOICES[:3]
        ],
        [
            button(zone.split("/")[-1].replace("_", " "), "tz", zone)
            for zone in TIMEZONE_CHOICES[3:]
        ],
        [button("⏰ " + v[:2] + ":" + v[2:], "checkin", v) for v in _CHECKIN_CHOICES],
        [button("🌙 " + v[:2] + "–" + v[5:7], "quiet", v) for v in _QUIET_CHOICES],
        *pause_rows,
    ]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


async def _render_settings(
    context: BotContext, person: PersonInfo, t: Translator, notice: str | None = None
) -> Rendered:
    now = context.services.now()
    upcoming = await context.services.meetings.next(person.id, now)
    next_day = t.localize(upcoming.starts_at).date() if upcoming is not None else None
    today = now.astimezone(t.tz).date()
    return _settings_view(person, t, context.services.settings, today, next_day, notice)


def _checkin_refusal(timing: _Timing, t: Translator, changed: str) -> str | None:
    """Why these times cannot go together (check-in inside quiet hours), or None."""
    problem = checkin_time_problem(timing.checkin, timing.quiet_start, timing.quiet_end)
    if problem is None:
        return None
    if changed == "quiet":
        return t.gettext(
            "Quiet hours {start}–{end} would cover your check-in time {time}, so check-ins "
            "could never come. Choose another check-in time first."
        ).format(
            start=_clock(timing.quiet_start),
            end=_clock(timing.quiet_end),
            time=_clock(timing.checkin),
        )
    return checkin_problem_text(problem, t, timing.checkin, timing.quiet_start, timing.quiet_end)


_TYPED_TIME = re.compile(r"(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})\Z")


async def settings(update: Update, context: BotContext) -> None:
    """Shows the settings; `/settings <Area/City>` sets the time zone, `/settings 08:15` the
    check-in time."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    t, services = caller.t, context.services
    notice = None
    if context.args:
        typed = " ".join(context.args).strip()
        clock = _TYPED_TIME.match(typed.lower())
        if clock and int(clock[1]) < 24 and int(clock[2]) < 60:
            wanted = time(int(clock[1]), int(clock[2]))
            current = _Timing.of(person, services.settings)
            timing = _Timing(wanted, current.quiet_start, current.quiet_end)
            notice = _checkin_refusal(timing, t, "checkin")
            if notice is None:
                person = await services.people.update_settings(
                    person.id, services.now(), checkin_time=wanted
                )
        else:
            zone = valid_timezone(typed)
            if zone is None:
                text = t.gettext(
                    "I don't know that time zone. Use a name like Europe/Oslo or America/New_York."
                )
                await send(context, caller.chat_id, escape(text))
                return
            person = await services.people.update_settings(person.id, services.now(), timezone=zone)
            t = translator_for(person, None, context)
    view = await _render_settings(context, person, t, notice)
    await send(context, caller.chat_id, view.text, view.keyboard)
    coaches = await context.services.relations.coaches_of(person.id)
    if coaches:
        listed = coaches_view(coaches, caller.t)
        await send(context, caller.chat_id, listed.text, listed.keyboard)


async def _pause(
    context: BotContext, person: PersonInfo, t: Translator, value: str
) -> PersonInfo | None:
    """Pause or resume as the button says; None if the choice is no longer possible."""
    people, now = context.services.people, context.services.now()
    today = now.astimezone(t.tz).date()
    if value == "0":
        return await people.resume(person.id, now)
    if value in _PAUSE_WEEKS:
        return await people.pause(person.id, today + timedelta(weeks=_PAUSE_WEEKS[value]), now)
    if value == "mt":
        upcoming = await context.services.meetings.next(person.id, now)
        if upcoming is None:
            return None
        # Check-ins resume on the meeting day: "inför mötet" is planned before it anyway.
        return await people.pause(person.id, t.localize(upcoming.starts_at).date(), now)
    if value == "1":
        return await people.pause(person.id, None, now)
    return None


async def settings_button(update: Update, context: BotContext) -> None:
    """Changes one setting and shows the settings again in the (possibly new) language."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, person, query = press.caller, press.person, press.query
    t, services = caller.t, context.services
    field, value = press.name, press.argument
    changes: dict[str, object] = {}
    current = _Timing.of(person, services.settings)
    refusal: str | None = None
    if field == "lang" and value in dict(LANGUAGES):
        changes["locale"] = value
    elif field == "tz" and valid_timezone(value):
        changes["timezone"] = valid_timezone(value)
    elif field == "checkin" and value in _CHECKIN_CHOICES:
        wanted = _hhmm(value)
        refusal = _checkin_refusal(
            _Timing(wanted, current.quiet_start, current.quiet_end), t, "checkin"
        )
        changes["checkin_time"] = wanted
    elif field == "quiet" and value in _QUIET_CHOICES:
        start, end = _hhmm(value[:4]), _hhmm(value[5:])
        refusal = _checkin_refusal(_Timing(current.checkin, start, end), t, "quiet")
        changes["quiet_start"], changes["quiet_end"] = start, end
    elif field == "pause":
        paused = await _pause(context, person, t, value)
        if paused is None:
            await query.answer(t.gettext("That choice is no longer available."))
            return
        await query.answer(t.gettext("Saved."))
        await show(update, context, await _render_settings(context, paused, t), edit=True)
        return
    if refusal is not None:
        await query.answer(t.gettext("Not saved."))
        await show(update, context, await _render_settings(context, person, t, refusal), edit=True)
        return
    if not changes:
        await query.answer()
        return
    person = await services.people.update_settings(person.id, services.now(), **changes)
    user = update.effective_user
    t = translator_for(person, user.language_code if user else None, context)
    await query.answer(t.gettext("Saved."))
    if "locale" in changes:
        await set_person_menu(context.bot, person, caller.chat_id, t)
    await show(update, context, await _render_settings(context, person, t), edit=True)
