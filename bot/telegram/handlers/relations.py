"""Relations in chat: joining another coach (asked first), leaving a coach, ending a client,
removing a coach (admins). Buttons: `rl:<action>:<argument>`; every press is re-checked."""

from __future__ import annotations

import logging
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.i18n import N_, Translator
from bot.services.people import PersonInfo
from bot.services.relations import JoinOutcome
from bot.services.roles import RemoveOutcome
from bot.telegram.callbacks import menu_data, parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show, translator_for
from bot.telegram.delivery import deliver
from bot.telegram.handlers.access import coach, pressed, registered
from bot.telegram.handlers.coach import _client_id
from bot.telegram.menus import set_person_menu
from bot.telegram.relation_views import (
    COACH_REMOVED_CLIENT_NOTICE,
    COACH_REMOVED_NOTICE,
    name_of,
)
from bot.telegram.rendering import Rendered

log = logging.getLogger(__name__)


async def tell(context: BotContext, person: PersonInfo, message: str, **fields: str) -> None:
    """Send a short notice to someone else in their own language (never fails the caller)."""
    if person.telegram_id is None:
        return
    t = translator_for(person, None, context)
    text = escape(t.gettext(message).format(**fields))
    try:
        await deliver(context.bot, context.services.people, person.telegram_id, text)
    except TelegramError:
        # What they were told about has already happened; a lost notice must not undo it.
        log.warning("could not notify person %s", person.id, exc_info=True)


def _confirm(text: str, yes_label: str, yes_data: str, t: Translator) -> Rendered:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes_label, callback_data=yes_data),
                InlineKeyboardButton(t.gettext("Cancel"), callback_data=menu_data("rl", "keep")),
            ]
        ]
    )
    return Rendered(escape(text), keyboard)


async def end_client(update: Update, context: BotContext) -> None:
    """Asks to confirm ending the work with a client: `/end_client Klara` (or pick one)."""
    found = await coach(update, context)
    if found is None:
        return
    caller, person = found
    t = caller.t
    client_id, _ = await _client_id(context, person.id, context.args or [])
    if client_id is None:
        listed = await context.services.people.clients_of(person.id, context.services.now())
        if not listed:
            await send(context, caller.chat_id, escape(t.gettext("You have no clients.")))
            return
        rows = [
            [
                InlineKeyboardButton(
                    f"#{c.id} {c.display_name}", callback_data=menu_data("rl", "end", str(c.id))
                )
            ]
            for c in listed
        ]
        text = escape(t.gettext("Whose work with you do you want to end?"))
        await send(context, caller.chat_id, text, InlineKeyboardMarkup(rows))
        return
    await _ask_end(update, context, caller, person, client_id, edit=False)


async def _ask_end(
    update: Update,
    context: BotContext,
    caller: Caller,
    person: PersonInfo,
    client_id: int,
    *,
    edit: bool,
) -> None:
    t = caller.t
    pair = await context.services.relations.relation(person.id, client_id)
    if pair is None:
        await send(context, caller.chat_id, escape(t.gettext("That is not one of your clients.")))
        return
    name = name_of(pair.client, t)
    text = t.gettext(
        "End your work with {client} in Hemmaplan? You will no longer see any of their "
        "answers, not even earlier ones. {client} is told and keeps everything they wrote."
    ).format(client=name)
    yes = t.gettext("Yes, end it")
    await show(
        update, context, _confirm(text, yes, menu_data("rl", "endok", str(client_id)), t), edit=edit
    )


async def remove_coach(update: Update, context: BotContext) -> None:
    """Asks an admin to confirm removing a coach: `/remove_coach Cora` or `#N` (or pick one)."""
    found = await registered(update, context)
    if found is None:
        return
    caller, person = found
    t = caller.t
    if not person.is_admin:
        await send(context, caller.chat_id, escape(t.gettext("That command is for admins.")))
        return
    coaches = await context.services.roles.coaches()
    words = context.args or []
    wanted = " ".join(words).lstrip("#").casefold()
    if wanted:
        matches = [
            c
            for c in coaches
            if str(c.id) == wanted or (c.display_name or "").casefold().startswith(wanted)
        ]
        if len(matches) == 1:
            await _ask_remove(update, context, caller, matches[0], edit=False)
            return
    if not coaches:
        await send(context, caller.chat_id, escape(t.gettext("There are no coaches to remove.")))
        return
    rows = [
        [
            InlineKeyboardButton(
                f"#{c.id} {name_of(c, t)}", callback_data=menu_data("rl", "rm", str(c.id))
            )
        ]
        for c in coaches
    ]
    text = escape(t.gettext("Which coach do you want to remove?"))
    await send(context, caller.chat_id, text, InlineKeyboardMarkup(rows))


async def _ask_remove(
    update: Update, context: BotContext, caller: Caller, target: PersonInfo, *, edit: bool
) -> None:
    t = caller.t
    text = t.gettext(
        "Remove {coach} as a coach? All their work with clients ends and those clients are "
        "told; their unused invitation links stop working. {coach} keeps their own reflections."
    ).format(coach=name_of(target, t))
    yes = t.gettext("Yes, remove")
    await show(
        update, context, _confirm(text, yes, menu_data("rl", "rmok", str(target.id)), t), edit=edit
    )


async def relation_button(update: Update, context: BotContext) -> None:
    """Joins, leaves, ends or removes after the person's explicit press (re-checked here)."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, person, query = press.caller, press.person, press.query
    t = caller.t
    action, argument = press.name, press.argument
    number = parse_id(argument)
    now = context.services.now()
    await query.answer()
    if action == "join":
        await _join(update, context, caller, person, argument)
    elif action == "no":
        text = t.gettext(
            "Okay, nothing has changed and nothing of yours is shared. If you change your "
            "mind, open the invitation link again while it is valid."
        )
        await show(update, context, Rendered(escape(text)), edit=True)
    elif action == "keep":
        await show(
            update, context, Rendered(escape(t.gettext("Okay, nothing changed."))), edit=True
        )
    elif action == "leave" and number is not None:
        pair = await context.services.relations.relation(number, person.id)
        if pair is None:
            await _stale(update, context, t)
            return
        name = name_of(pair.coach, t)
        text = t.gettext(
            "Stop working with {coach} in Hemmaplan? From now on {coach} sees none of your "
            "answers, not even earlier ones. Your reflections stay yours. {coach} is told."
        ).format(coach=name)
        yes = t.gettext("Yes, stop")
        rendered = _confirm(text, yes, menu_data("rl", "leaveok", str(number)), t)
        await show(update, context, rendered, edit=True)
    elif action == "leaveok" and number is not None:
        ended = await context.services.relations.end(number, person.id, now)
        if ended is None:
            await _stale(update, context, t)
            return
        text = t.gettext("Done. {coach} no longer sees your answers.").format(
            coach=name_of(ended.coach, t)
        )
        await show(update, context, Rendered(escape(text)), edit=True)
        await tell(
            context,
            ended.coach,
            N_(
                "{client} has chosen to end your work together in Hemmaplan, so their answers "
                "are no longer shown to you. Thank you for the work you did together."
            ),
            client=ended.client.display_name or f"#{ended.client.id}",
        )
    elif action == "end" and number is not None and person.is_coach:
        await _ask_end(update, context, caller, person, number, edit=True)
    elif action == "endok" and number is not None and person.is_coach:
        ended = await context.services.relations.end(person.id, number, now)
        if ended is None:
            await _stale(update, context, t)
            return
        text = t.gettext("Ended. {client} is no longer among your clients.").format(
            client=name_of(ended.client, t)
        )
        await show(update, context, Rendered(escape(text)), edit=True)
        await tell(
            context,
            ended.client,
            N_(
                "{coach} has ended your work together in Hemmaplan and no longer sees your "
                "answers. Everything you wrote stays yours (/history, /export)."
            ),
            coach=ended.coach.display_name or "—",
        )
    elif action in ("rm", "rmok") and number is not None and person.is_admin:
        await _remove(update, context, caller, number, confirmed=action == "rmok")
    else:
        await _stale(update, context, t)


async def _stale(update: Update, context: BotContext, t: Translator) -> None:
    text = t.gettext("That is no longer possible, so nothing was changed.")
    await show(update, context, Rendered(escape(text)), edit=True)


async def _join(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo, token: str
) -> None:
    t = caller.t
    result = await context.services.relations.join(person.id, token, context.services.now())
    name = name_of(result.coach, t)
    texts = {
        JoinOutcome.JOINED: t.gettext(
            "Welcome! You now work with {coach} in Hemmaplan. {coach} sees only the answers "
            "you give from now on and share; /preview shows exactly what."
        ),
        JoinOutcome.ALREADY: t.gettext("You already work with {coach}; nothing has changed."),
        JoinOutcome.USED: t.gettext(
            "That invitation link has already been used. Each link works once: ask for a new one."
        ),
        JoinOutcome.EXPIRED: t.gettext("That invitation link has expired. Ask for a new one."),
    }
    fallback = t.gettext(
        "I don't recognise that invitation link. Check that you copied all of it, or ask "
        "for a new one."
    )
    text = texts.get(result.outcome, fallback).format(coach=name)
    await show(update, context, Rendered(escape(text)), edit=True)
    if result.outcome is JoinOutcome.JOINED and result.coach is not None:
        await tell(
            context,
            result.coach,
            N_("{client} accepted your invitation; /clients lists them now."),
            client=person.display_name or f"#{person.id}",
        )


async def _remove(
    update: Update, context: BotContext, caller: Caller, person_id: int, *, confirmed: bool
) -> None:
    t = caller.t
    roles = context.services.roles
    if not confirmed:
        target = next((c for c in await roles.coaches() if c.id == person_id), None)
        if target is None:
            await _stale(update, context, t)
            return
        await _ask_remove(update, context, caller, target, edit=True)
        return
    result = await roles.remove_coach_by_id(person_id, context.services.now())
    if result.outcome not in (RemoveOutcome.REMOVED, RemoveOutcome.FORGOTTEN):
        await _stale(update, context, t)
        return
    count = len(result.clients)
    text = t.ngettext(
        "Removed. Their work with {n} client has ended and that client was told.",
        "Removed. Their work with {n} clients has ended and those clients were told.",
        count,
    ).format(n=count)
    await show(update, context, Rendered(escape(text)), edit=True)
    former = result.coach
    if former is None:
        return
    coach_name = former.display_name or "—"
    for client in result.clients:
        await tell(context, client, COACH_REMOVED_CLIENT_NOTICE, coach=coach_name)
    await tell(context, former, COACH_REMOVED_NOTICE)
    if former.telegram_id is not None:
        # Their chat menu still lists coach commands: give them the client menu back.
        await set_person_menu(
            context.bot, former, former.telegram_id, translator_for(former, None, context)
        )
