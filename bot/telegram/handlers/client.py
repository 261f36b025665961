"""Client commands: /help, /commitments, /history, /preview, /settings."""

from __future__ import annotations

from datetime import time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.config import Settings
from bot.i18n import Translator
from bot.services.commitments import CHECK_RESULTS, CommitmentNotFound
from bot.services.history import RunDetail
from bot.services.onboarding import valid_timezone
from bot.services.people import PersonInfo
from bot.telegram.callbacks import menu_data
from bot.telegram.container import BotContext
from bot.telegram.conversation import send, show, translator_for, typing
from bot.telegram.handlers.access import pressed, registered
from bot.telegram.handlers.onboarding import LANGUAGES, TIMEZONE_CHOICES
from bot.telegram.menus import set_person_menu
from bot.telegram.notices import help_text
from bot.telegram.relation_views import coaches_view, name_of
from bot.telegram.rendering import Rendered

_CHECKIN_CHOICES = ("0730", "0900", "1200", "1700", "1930")
_QUIET_CHOICES = ("2100-0800", "2200-0700", "2000-0900")
_HISTORY_LIMIT = 10


async def help_command(update: Update, context: BotContext) -> None:
    """Lists what the bot can do for this person."""
    found = await registered(update, context)
    if found is not None:
        caller, person = found
        await send(context, caller.chat_id, help_text(caller.t, person.is_coach, person.is_admin))


def _commitment_buttons(commitment_id: int, t: Translator) -> list[InlineKeyboardButton]:
    # A context of their own: "Done" as a commitment's status reads differently in Swedish
    # from the button that finishes a multiple choice.
    labels = (("done", t.pgettext("commitment status", "Done")),
              ("partly", t.pgettext("commitment status", "Partly")),
              ("not_yet", t.pgettext("commitment status", "Not yet")))  # fmt: skip
    return [
        InlineKeyboardButton(label, callback_data=menu_data("cm", str(commitment_id), status))
        for status, label in labels
    ]


async def commitments(update: Update, context: BotContext) -> None:
    """Lists open commitments with buttons to say how each went."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    t = caller.t
    items = await context.services.history.open_commitments(person.id)
    if not items:
        await send(context, caller.chat_id, escape(t.gettext("You have no open commitments.")))
        return
    for item in items:
        text = "<b>{}</b>\n{}".format(
            escape(item.text),
            escape(t.gettext("Due {date}").format(date=t.format_date(item.due_date))),
        )
        if item.done_when:
            text += "\n<i>" + escape(item.done_when) + "</i>"
        keyboard = InlineKeyboardMarkup([_commitment_buttons(item.commitment_id, t)])
        await send(context, caller.chat_id, text, keyboard)


async def commitment_button(update: Update, context: BotContext) -> None:
    """Records how a commitment went."""
    press = await pressed(update, context)
    if press is None:
        return
    t = press.caller.t
    try:
        if not press.name.isdigit() or press.argument not in CHECK_RESULTS:
            raise CommitmentNotFound(press.name)
        await context.services.commitments.record_check(
            press.person.id, int(press.name), press.argument, context.services.now()
        )
    except CommitmentNotFound:
        await press.query.answer(t.gettext("That commitment no longer exists."))
        return
    await press.query.answer()
    replies = {
        "done": t.gettext("Well done! Marked as done."),
        "partly": t.gettext("Noted as partly done. What remains can become a new commitment."),
        "not_yet": t.gettext("Noted as not yet. That is useful to know, too."),
    }
    text = escape(replies.get(press.argument, t.gettext("Noted.")))
    await show(update, context, Rendered(text), edit=True)


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


async def history_button(update: Update, context: BotContext) -> None:
    """Shows one earlier reflection with its answers."""
    press = await pressed(update, context)
    if press is None:
        return
    caller = press.caller
    detail = (
        await context.services.history.read_run(press.person.id, int(press.argument), caller.t)
        if press.argument.isdigit()
        else None
    )
    if detail is None:
        await press.query.answer(caller.t.gettext("That reflection no longer exists."))
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


async def preview(update: Update, context: BotContext) -> None:
    """Shows exactly what the coach can see of this person's answers."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    t = caller.t
    await typing(update, context)
    previews = await context.services.privacy.previews(person.id, t)
    if not previews:
        text = t.gettext(
            "You work with no coach in Hemmaplan right now, so nobody sees your answers."
        )
        await send(context, caller.chat_id, escape(text))
        return
    # Each coach sees only what was shared since their work with this person began.
    for preview in previews:
        name = preview.coach_name or name_of(None, t)
        if not preview.runs:
            text = t.gettext("{coach} sees nothing yet: you have no shared answers since you "
                             "started working together.").format(coach=name)  # fmt: skip
            await send(context, caller.chat_id, escape(text))
            continue
        intro = escape(t.gettext(
            "This is exactly what {coach} can see. Answers marked 🔒 only for me and answers "
            "from before you started working together are left out."
        ).format(coach=name))  # fmt: skip
        body = "\n\n———\n\n".join(run_text(d, t, mark_private=False) for d in preview.runs)
        await send(context, caller.chat_id, intro + "\n\n" + body)


def _hhmm(value: str) -> time:
    return time(int(value[:2]), int(value[2:]))


def _settings_view(person: PersonInfo, t: Translator, defaults: Settings) -> Rendered:
    def clock(value: time | None, default: time) -> str:
        return (value or default).strftime("%H:%M")

    language = dict(LANGUAGES).get(person.locale or "", person.locale or "–")
    status = t.pgettext("check-ins setting", "paused") if person.paused else t.gettext("on")
    lines = [
        "<b>" + escape(t.gettext("Your settings")) + "</b>",
        escape(t.gettext("Language: {value}").format(value=language)),
        escape(t.gettext("Time zone: {value}").format(value=person.timezone or "–")),
        escape(
            t.gettext("Check-in time: {value}").format(
                value=clock(person.checkin_time, defaults.checkin_time)
            )
        ),
        escape(
            t.gettext("Quiet hours: {start}–{end}").format(
                start=clock(person.quiet_start, defaults.quiet_start),
                end=clock(person.quiet_end, defaults.quiet_end),
            )
        ),
        escape(t.gettext("Check-ins: {value}").format(value=status)),
        "",
        "<i>"
        + escape(
            t.gettext("Another time zone: send /settings and its name, e.g. /settings Europe/Oslo.")
        )
        + "</i>",
    ]

    def button(label: str, field: str, value: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=menu_data("st", field, value))

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
        [
            button("▶️ " + t.gettext("Resume check-ins"), "pause", "0")
            if person.paused
            else button("⏸ " + t.gettext("Pause check-ins"), "pause", "1")
        ],
    ]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


async def settings(update: Update, context: BotContext) -> None:
    """Shows the settings with buttons; `/settings <Area/City>` sets another time zone."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    if context.args:
        zone = valid_timezone(" ".join(context.args))
        if zone is None:
            text = caller.t.gettext(
                "I don't know that time zone. Use a name like Europe/Oslo or America/New_York."
            )
            await send(context, caller.chat_id, escape(text))
            return
        person = await context.services.people.update_settings(person.id, timezone=zone)
    view = _settings_view(person, caller.t, context.services.settings)
    await send(context, caller.chat_id, view.text, view.keyboard)
    coaches = await context.services.relations.coaches_of(person.id)
    if coaches:
        listed = coaches_view(coaches, caller.t)
        await send(context, caller.chat_id, listed.text, listed.keyboard)


async def settings_button(update: Update, context: BotContext) -> None:
    """Changes one setting and shows the settings again in the (possibly new) language."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, person, query = press.caller, press.person, press.query
    field, value = press.name, press.argument
    changes: dict[str, object] = {}
    if field == "lang" and value in dict(LANGUAGES):
        changes["locale"] = value
    elif field == "tz" and valid_timezone(value):
        changes["timezone"] = valid_timezone(value)
    elif field == "checkin" and value in _CHECKIN_CHOICES:
        changes["checkin_time"] = _hhmm(value)
    elif field == "quiet" and value in _QUIET_CHOICES:
        changes["quiet_start"], changes["quiet_end"] = _hhmm(value[:4]), _hhmm(value[5:])
    elif field == "pause" and value in ("0", "1"):
        changes["paused"] = value == "1"
    if not changes:
        await query.answer()
        return
    person = await context.services.people.update_settings(person.id, **changes)
    user = update.effective_user
    t = translator_for(person, user.language_code if user else None, context)
    await query.answer(t.gettext("Saved."))
    if "locale" in changes:
        await set_person_menu(context.bot, person, caller.chat_id, t)
    await show(update, context, _settings_view(person, t, context.services.settings), edit=True)
