"""Prompt messages (check-ins, before/after a meeting, the mid-interval nudge, the auto-pause
notice) and their buttons: start now, snooze (an hour, this evening, tomorrow), skip.

Each kind has a few wordings; `Outgoing.variant` (how many of that kind the person had before)
picks the next one, so a repeated prompt does not read the same every time.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.i18n import N_, Translator
from bot.scheduling.plan import (
    AFTER_MEETING,
    BEFORE_MEETING,
    CASE_PREP,
    CHECKIN,
    GROUP_BRIEF,
    GROUP_CHAT,
    GROUP_VIEW,
    NUDGE,
)
from bot.services.commitments import CommitmentNotFound
from bot.services.delivery import (
    AUTO_PAUSED,
    NUDGE_DIALOGUES,
    RESUME,
    SKIP,
    SNOOZE_EVENING,
    SNOOZE_HOUR,
    SNOOZE_TOMORROW,
    START,
    ActResult,
    Outgoing,
)
from bot.telegram.callbacks import menu_data, parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import show
from bot.telegram.handlers.access import pressed
from bot.telegram.handlers.groups import brief_text, send_meeting_view
from bot.telegram.live_screen import show_run
from bot.telegram.rendering import Rendered, render_screen

FAMILY = "pr"

# Wordings per kind; {what} is the commitment in the person's words, {due} its date, {when} a
# meeting's weekday, date and time in the person's time zone.
_WORDINGS: dict[str, tuple[str, ...]] = {
    CHECKIN: (
        N_("Time for a short check-in on your commitment “{what}” (by {due}). How did it go?"),
        N_("How is it going with “{what}”? You set {due} as the date."),
        N_("A quick look back at “{what}”, planned for {due}. Shall we take two minutes for it?"),
    ),
    BEFORE_MEETING: (
        N_(
            "Your next meeting is {when}. Would you like to prepare: what has happened since "
            "last time, and what do you want to bring?"
        ),
        N_("You meet again {when}. A few minutes now makes the meeting more your own."),
        N_("Coming up: your meeting {when}. Shall we gather your thoughts before it?"),
    ),
    AFTER_MEETING: (
        N_("How was your meeting {when}? Note your main insight while it is fresh."),
        N_("Your meeting {when} is a day behind you. What stayed with you?"),
        N_("Before everyday life takes over: what did you take with you from the meeting {when}?"),
    ),
    NUDGE: (
        N_(
            "You are halfway to your next meeting. How are things since the meeting {when}? "
            "A short reflection keeps the thread going."
        ),
        N_(
            "It has been a while since the meeting {when}. Want to take a few minutes for yourself?"
        ),
    ),
    CASE_PREP: (
        N_(
            "You bring your case to the group meeting {when}. Shall we prepare it: the "
            "dilemma, what you have tried, and the help you want from the group?"
        ),
        N_("Your turn as case owner comes {when}. A few minutes now help the group help you."),
    ),
    GROUP_BRIEF: (
        N_("The case for the group meeting {when} is ready to read before you meet."),
        N_("Before the group meets {when}: the case owner has shared their case with you."),
    ),
}
# {group} is the group's name, {owner} the member bringing the case, {place} the usual place.
_FACILITATOR_WORDINGS: dict[str, tuple[str, ...]] = {
    GROUP_VIEW: (
        N_("{group} meets {when}. Your overview before the meeting is ready."),
        N_("Before {group} meets {when}: the case and where each member stands."),
    ),
    GROUP_CHAT: (N_("Reminder: {group} meets {when}. {owner_line}"),),
}
# Before and after a Backstage group's meetings; {group} is the group's name.
_GROUP_WORDINGS: dict[str, tuple[str, ...]] = {
    BEFORE_MEETING: (
        N_(
            "{group} meets {when}. Shall we prepare: how your commitment went and what you "
            "bring to the opening round?"
        ),
        N_("Coming up: {group} meets {when}. A few minutes now make the opening round easier."),
    ),
    AFTER_MEETING: (
        N_("How was the meeting of {group} {when}? Note what you take with you while it is fresh."),
        N_("{group} met {when}. What stayed with you?"),
    ),
}
_AGAIN = N_("As you asked, here it is again.")


def meeting_when(t: Translator, starts_at: datetime) -> str:
    """A meeting's date and time in the person's time zone ("8 Dec 2026 14:00 (Stockholm)")."""
    return t.format_when(starts_at)


def prompt_text(outgoing: Outgoing, t: Translator) -> str:
    """The prompt's text (HTML) in the person's language and time zone."""
    if outgoing.kind == AUTO_PAUSED:
        return _auto_pause_text(outgoing, t)
    if outgoing.kind in _FACILITATOR_WORDINGS:
        return _facilitator_text(outgoing, t)
    wordings = _WORDINGS[outgoing.kind]
    if outgoing.group_name and outgoing.kind in _GROUP_WORDINGS:
        wordings = _GROUP_WORDINGS[outgoing.kind]
    text = t.gettext(wordings[outgoing.variant % len(wordings)]).format(
        group=escape(outgoing.group_name or ""),
        what=escape(outgoing.commitment_text or ""),
        due=_date(t, outgoing.commitment_due),
        when=meeting_when(t, outgoing.meeting_starts_at) if outgoing.meeting_starts_at else "",
    )
    if outgoing.snoozed:
        text = t.gettext(_AGAIN) + "\n\n" + text
    return text


def _auto_pause_text(outgoing: Outgoing, t: Translator) -> str:
    """The notice of the product's own pause: what stops, what a group member and a
    facilitator still get (what their group counts on goes through this pause), and how to
    resume."""
    parts = [
        t.gettext(
            "I haven't heard from you on the last few check-ins, so I'm pausing them for now — "
            "that's perfectly fine. Until you resume, you get no check-ins and no reminders "
            "before or after your meetings."
        )
    ]
    if outgoing.group_name:
        parts.append(
            t.gettext(
                "What your group {group} counts on still comes: the preparation of your case "
                "when it is your turn, and the case another member shares before a meeting."
            ).format(group=escape(outgoing.group_name))
        )
    if outgoing.led_groups:
        parts.append(
            t.gettext(
                "The group {group} that you lead still gets what it counts on: your overview "
                "before each meeting, and the reminder in the group's chat."
            ).format(group=escape(outgoing.led_groups))
        )
    parts.append(
        t.gettext(
            "Whenever you want them back, press the button below or choose “Resume check-ins” "
            "in /settings."
        )
    )
    return "\n\n".join(parts)


def _facilitator_text(outgoing: Outgoing, t: Translator) -> str:
    """The facilitator's overview prompt, or the reminder in the group's chat (logistics only:
    the time, the place and whose case it is)."""
    wordings = _FACILITATOR_WORDINGS[outgoing.kind]
    if outgoing.case_owner:
        owner_line = t.gettext("{owner} brings a case.").format(owner=outgoing.case_owner)
    else:
        owner_line = t.gettext("The start-up meeting.")
    text = t.gettext(wordings[outgoing.variant % len(wordings)]).format(
        group=outgoing.group_name or "",
        when=meeting_when(t, outgoing.meeting_starts_at) if outgoing.meeting_starts_at else "",
        owner_line=owner_line,
    )
    if outgoing.kind == GROUP_CHAT and outgoing.place:
        text += "\n" + outgoing.place
    return escape(text)


def _date(t: Translator, day: date | None) -> str:
    return t.format_date(day) if day is not None else ""


def _button(label: str, action: str, prompt_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=menu_data(FAMILY, action, str(prompt_id)))


def prompt_keyboard(outgoing: Outgoing, t: Translator) -> InlineKeyboardMarkup | None:
    """Start now and skip; snooze for an hour, until this evening (while that is ahead) or to
    tomorrow. The auto-pause notice has one button: resume."""
    pid = outgoing.prompt_id
    if outgoing.kind == AUTO_PAUSED:
        return InlineKeyboardMarkup([[_button("▶️ " + t.gettext("Resume check-ins"), RESUME, pid)]])
    if outgoing.kind == GROUP_CHAT:
        return None  # a post in the group's chat: nothing to press
    if outgoing.kind == GROUP_VIEW:
        return InlineKeyboardMarkup([[_button("📄 " + t.gettext("Show the overview"), START, pid)]])
    if outgoing.kind == GROUP_BRIEF:
        # A brief is something to read: no snoozing, nothing is asked.
        return InlineKeyboardMarkup([[_button("📄 " + t.gettext("Read the case"), START, pid)]])
    snooze = [_button("⏰ " + t.gettext("In an hour"), SNOOZE_HOUR, pid)]
    if outgoing.offer_evening:
        snooze.append(_button("🌆 " + t.gettext("This evening"), SNOOZE_EVENING, pid))
    snooze.append(_button("📅 " + t.gettext("Tomorrow"), SNOOZE_TOMORROW, pid))
    return InlineKeyboardMarkup(
        [
            [
                _button("▶️ " + t.gettext("Start now"), START, pid),
                _button(t.gettext("Skip this time"), SKIP, pid),
            ],
            snooze,
        ]
    )


def render_prompt(outgoing: Outgoing, t: Translator) -> Rendered:
    """The prompt message with its buttons."""
    return Rendered(prompt_text(outgoing, t), prompt_keyboard(outgoing, t))


def _nudge_menu(t: Translator, context: BotContext) -> InlineKeyboardMarkup:
    catalog = context.services.catalog
    rows = [
        [
            InlineKeyboardButton(
                t.pgettext(dialogue_id, catalog.get(dialogue_id).title),
                callback_data=menu_data("m", "reflect", dialogue_id),
            )
        ]
        for dialogue_id in NUDGE_DIALOGUES
        if dialogue_id in catalog
    ]
    return InlineKeyboardMarkup(rows)


def _acted_text(result: ActResult, t: Translator) -> str:
    """What the prompt message says after the person acted on it (its buttons are gone)."""
    if result.action == SKIP:
        return t.gettext("Skipped — that's fine. I'll leave this one be.")
    if result.action == RESUME:
        return t.gettext("Check-ins are back on. Good to have you back!")
    if result.snoozed_until is not None:
        return t.gettext("Of course. I'll come back to this on {when}.").format(
            when=t.format_when(result.snoozed_until)
        )
    return ""


async def prompt_button(update: Update, context: BotContext) -> None:
    """Starts, snoozes or skips a prompt (or resumes check-ins from the auto-pause notice)."""
    press = await pressed(update, context)
    if press is None:
        return
    t, services = press.caller.t, context.services
    prompt_id = parse_id(press.argument)
    if prompt_id is None:
        await press.query.answer(
            t.gettext("That button is no longer in use, so nothing was changed.")
        )
        return
    result = await services.delivery.act(press.person.id, prompt_id, press.name, services.now())
    if result.status == "stale":
        await press.query.answer(t.gettext("You have already answered this one."))
        return
    if result.status == "gone":
        await press.query.answer()
        await show(
            update,
            context,
            Rendered(t.gettext("That commitment is already closed, so there is nothing to check.")),
            edit=True,
        )
        return
    await press.query.answer()
    if result.action != START:
        await show(update, context, Rendered(_acted_text(result, t)), edit=True)
        return
    if result.kind == GROUP_VIEW and result.ref_id is not None:
        shown = await send_meeting_view(update, context, press.caller, press.person, result.ref_id)
        if not shown:
            text = t.gettext("That meeting is no longer ahead, so there is no overview to show.")
            await show(update, context, Rendered(escape(text)), edit=True)
        return
    if result.kind == GROUP_BRIEF and result.ref_id is not None:
        brief = await services.groups.brief(press.person.id, result.ref_id, t)
        if brief is None:
            text = t.gettext(
                "The case owner no longer shares this case, so there is nothing to read."
            )
            await show(update, context, Rendered(escape(text)), edit=True)
            return
        await show(update, context, Rendered(brief_text(brief, t)), edit=True)
        return
    dialogue_id, meeting_id = result.dialogue_id, None
    if result.kind in (BEFORE_MEETING, AFTER_MEETING, CASE_PREP) and result.ref_id is not None:
        # A Backstage group meeting opens the group's dialogue, tied to that meeting.
        tie = await services.groups.tie(press.person.id, result.ref_id, result.kind)
        if tie is not None:
            dialogue_id, meeting_id = tie.dialogue_id, tie.meeting_id
    if result.kind == NUDGE or dialogue_id is None:
        menu = _nudge_menu(t, context)
        text = t.gettext("What would you like to reflect on?")
        await show(update, context, Rendered(text, menu), edit=True)
        return
    if dialogue_id not in services.catalog:
        await show(
            update,
            context,
            Rendered(t.gettext("That reflection is no longer available.")),
            edit=True,
        )
        return
    # A check-in prompt is about its own commitment, not whichever is due first.
    about = result.ref_id if result.kind == CHECKIN else None
    try:
        run = await services.dialogues.start(
            press.person.id,
            dialogue_id,
            t,
            services.now(),
            commitment_id=about,
            meeting_id=meeting_id,
        )
    except CommitmentNotFound:  # closed (e.g. marked done in /commitments) since it was sent
        text = t.gettext("That commitment is already closed. Nothing to check in on.")
        await show(update, context, Rendered(escape(text)), edit=True)
        return
    await show_run(update, context, run, render_screen(run.screen, run.run_id, t), edit=True)
