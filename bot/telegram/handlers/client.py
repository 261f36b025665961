"""Client commands: /help, /commitments, /history, /settings (/preview: summaries.py)."""

from __future__ import annotations

import re
from datetime import time, timedelta

from telegram import Update

from bot.config import Settings
from bot.i18n import Translator
from bot.scheduling.localtime import checkin_time_problem
from bot.scheduling.texts import checkin_problem_text
from bot.services.commitments import CommitmentNotFound
from bot.services.onboarding import valid_timezone
from bot.services.people import PersonInfo
from bot.telegram.callbacks import parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import send, show, toast, translator_for
from bot.telegram.handlers.access import pressed
from bot.telegram.handlers.history_chart import send_history_chart
from bot.telegram.live_screen import show_run
from bot.telegram.menus import set_person_menu
from bot.telegram.notices import help_text
from bot.telegram.rendering import Rendered, render_screen
from bot.telegram.views.commitments import commitments_view
from bot.telegram.views.history import history_view, run_text
from bot.telegram.views.onboarding import LANGUAGES, TIMEZONE_CHOICES
from bot.telegram.views.relations import coaches_view
from bot.telegram.views.settings import (
    CHECKIN_CHOICES,
    QUIET_CHOICES,
    SettingsScreen,
    Timing,
    clock,
    settings_view,
    unknown_timezone_view,
)
from bot.telegram.who import Member, for_members

# Pause choices in /settings: weeks from today (local), or until the next meeting / resumed.
_PAUSE_WEEKS = {"1w": 1, "2w": 2}
_HISTORY_LIMIT = 10


@for_members
async def help_command(me: Member, update: Update, context: BotContext) -> None:
    """Lists what the bot can do for this person."""
    in_group = bool(await context.services.groups.member_of(me.person.id))
    coached = me.person.is_coach or bool(await context.services.relations.coaches_of(me.person.id))
    text = help_text(me.t, me.person.is_coach, me.person.is_admin, in_group, coached)
    await send(context, me.chat_id, text)


CHECKIN_DIALOGUE = "checkin"


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


@for_members
async def history(me: Member, update: Update, context: BotContext) -> None:
    """Lists recent reflections; a button opens one."""
    runs = await context.services.history.list_runs(me.person.id, me.t)
    finished = [run for run in runs if run.status == "finished"][:_HISTORY_LIMIT]
    view = history_view(finished, me.t)
    await send(context, me.chat_id, view.text, view.keyboard)
    if finished:
        await send_history_chart(context, me.caller, me.person)


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


def _hhmm(value: str) -> time:
    return time(int(value[:2]), int(value[2:]))


def _timing(person: PersonInfo, defaults: Settings) -> Timing:
    """The person's check-in time and quiet hours, their own or the defaults."""
    return Timing(
        person.checkin_time or defaults.checkin_time,
        person.quiet_start or defaults.quiet_start,
        person.quiet_end or defaults.quiet_end,
    )


async def _render_settings(
    context: BotContext, person: PersonInfo, t: Translator, notice: str | None = None
) -> Rendered:
    now = context.services.now()
    upcoming = await context.services.meetings.next(person.id, now)
    next_day = t.localize(upcoming.starts_at).date() if upcoming is not None else None
    defaults = context.services.settings
    screen = SettingsScreen(
        timing=_timing(person, defaults),
        timezone=defaults.timezone,
        today=now.astimezone(t.tz).date(),
        next_meeting=next_day,
        languages=LANGUAGES,
        zones=TIMEZONE_CHOICES,
    )
    return settings_view(person, screen, t, notice)


def _checkin_refusal(timing: Timing, t: Translator, changed: str) -> str | None:
    """Why these times cannot go together (check-in inside quiet hours), or None."""
    problem = checkin_time_problem(timing.checkin, timing.quiet_start, timing.quiet_end)
    if problem is None:
        return None
    if changed == "quiet":
        return t.gettext(
            "Quiet hours {start}–{end} would cover your check-in time {time}, so check-ins "
            "could never come. Choose another check-in time first."
        ).format(
            start=clock(timing.quiet_start),
            end=clock(timing.quiet_end),
            time=clock(timing.checkin),
        )
    return checkin_problem_text(problem, t, timing.checkin, timing.quiet_start, timing.quiet_end)


_TYPED_TIME = re.compile(r"(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})\Z")


@for_members
async def settings(me: Member, update: Update, context: BotContext) -> None:
    """Shows the settings; `/settings <Area/City>` sets the time zone, `/settings 08:15` the
    check-in time."""
    caller, person = me.caller, me.person
    t, services = caller.t, context.services
    notice = None
    if context.args:
        typed = " ".join(context.args).strip()
        clock = _TYPED_TIME.match(typed.lower())
        if clock and int(clock[1]) < 24 and int(clock[2]) < 60:
            wanted = time(int(clock[1]), int(clock[2]))
            current = _timing(person, services.settings)
            timing = Timing(wanted, current.quiet_start, current.quiet_end)
            notice = _checkin_refusal(timing, t, "checkin")
            if notice is None:
                person = await services.people.update_settings(
                    person.id, services.now(), checkin_time=wanted
                )
        else:
            zone = valid_timezone(typed)
            if zone is None:
                await send(context, caller.chat_id, unknown_timezone_view(t).text)
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
    current = _timing(person, services.settings)
    refusal: str | None = None
    if field == "lang" and value in dict(LANGUAGES):
        changes["locale"] = value
    elif field == "tz" and valid_timezone(value):
        changes["timezone"] = valid_timezone(value)
    elif field == "checkin" and value in CHECKIN_CHOICES:
        wanted = _hhmm(value)
        refusal = _checkin_refusal(
            Timing(wanted, current.quiet_start, current.quiet_end), t, "checkin"
        )
        changes["checkin_time"] = wanted
    elif field == "quiet" and value in QUIET_CHOICES:
        start, end = _hhmm(value[:4]), _hhmm(value[5:])
        refusal = _checkin_refusal(Timing(current.checkin, start, end), t, "quiet")
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
        coached = person.is_coach or bool(await services.relations.coaches_of(person.id))
        await set_person_menu(context.bot, person, caller.chat_id, t, coached=coached)
    await show(update, context, await _render_settings(context, person, t), edit=True)
