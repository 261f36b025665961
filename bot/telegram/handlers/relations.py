"""Relations in chat: joining another coach (asked first), leaving a coach, ending a client,
removing a coach (admins). Buttons: `rl:<action>:<argument>`; every press is re-checked."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.i18n import N_, Translator
from bot.services.people import PersonInfo
from bot.services.relations import JoinOutcome
from bot.services.roles import RemoveOutcome
from bot.telegram.callbacks import parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show, translator_for
from bot.telegram.delivery import deliver
from bot.telegram.handlers.access import pressed
from bot.telegram.handlers.coach import _client_id
from bot.telegram.menus import set_person_menu
from bot.telegram.rendering import plain
from bot.telegram.views.relations import (
    COACH_REMOVED_CLIENT_NOTICE,
    COACH_REMOVED_NOTICE,
    declined_view,
    end_confirm_view,
    ended_view,
    join_result_view,
    leave_confirm_view,
    left_view,
    notice_text,
    pick_client_view,
    pick_coach_view,
    remove_confirm_view,
    removed_view,
    stale_view,
)
from bot.telegram.who import Member, for_admins, for_coaches

log = logging.getLogger(__name__)


async def tell(context: BotContext, person: PersonInfo, message: str, **fields: str) -> None:
    """Send a short notice to someone else in their own language (never fails the caller)."""
    if person.telegram_id is None:
        return
    text = notice_text(message, translator_for(person, None, context), **fields)
    try:
        await deliver(context.bot, context.services.people, person.telegram_id, text)
    except TelegramError:
        # What they were told about has already happened; a lost notice must not undo it.
        log.warning("could not notify person %s", person.id, exc_info=True)


@for_coaches
async def end_client(me: Member, update: Update, context: BotContext) -> None:
    """Asks to confirm ending the work with a client: `/end_client Klara` (or pick one)."""
    client_id, _ = await _client_id(context, me.person.id, context.args or [])
    if client_id is None:
        listed = await context.services.people.clients_of(me.person.id, context.services.now())
        view = pick_client_view(listed, me.t)
        await send(context, me.chat_id, view.text, view.keyboard)
        return
    await _ask_end(update, context, me.caller, me.person, client_id, edit=False)


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
        await send(
            context, caller.chat_id, plain(t.gettext("That is not one of your clients.")).text
        )
        return
    await show(update, context, end_confirm_view(pair.client, client_id, t), edit=edit)


@for_admins
async def remove_coach(me: Member, update: Update, context: BotContext) -> None:
    """Asks an admin to confirm removing a coach: `/remove_coach Cora` or `#N` (or pick one)."""
    coaches = await context.services.roles.coaches()
    wanted = " ".join(context.args or []).lstrip("#").casefold()
    if wanted:
        matches = [
            c
            for c in coaches
            if str(c.id) == wanted or (c.display_name or "").casefold().startswith(wanted)
        ]
        if len(matches) == 1:
            await show(update, context, remove_confirm_view(matches[0], me.t), edit=False)
            return
    view = pick_coach_view(coaches, me.t)
    await send(context, me.chat_id, view.text, view.keyboard)


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
        await show(update, context, declined_view(t), edit=True)
    elif action == "keep":
        await show(update, context, plain(t.gettext("Okay, nothing changed.")), edit=True)
    elif action == "leave" and number is not None:
        pair = await context.services.relations.relation(number, person.id)
        if pair is None:
            await show(update, context, stale_view(t), edit=True)
            return
        await show(update, context, leave_confirm_view(pair.coach, number, t), edit=True)
    elif action == "leaveok" and number is not None:
        ended = await context.services.relations.end(number, person.id, now)
        if ended is None:
            await show(update, context, stale_view(t), edit=True)
            return
        await show(update, context, left_view(ended.coach, t), edit=True)
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
            await show(update, context, stale_view(t), edit=True)
            return
        await show(update, context, ended_view(ended.client, t), edit=True)
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
        await _remove(update, context, t, number, confirmed=action == "rmok")
    else:
        await show(update, context, stale_view(t), edit=True)


async def _join(
    update: Update, context: BotContext, caller: Caller, person: PersonInfo, token: str
) -> None:
    result = await context.services.relations.join(person.id, token, context.services.now())
    await show(update, context, join_result_view(result.outcome, result.coach, caller.t), edit=True)
    if result.outcome is JoinOutcome.JOINED and not person.is_coach:
        # A group-only member's menu had no /preview: now there is a coach to preview for.
        await set_person_menu(context.bot, person, caller.chat_id, caller.t)
    if result.outcome is JoinOutcome.JOINED and result.coach is not None:
        await tell(
            context,
            result.coach,
            N_("{client} accepted your invitation; /clients lists them now."),
            client=person.display_name or f"#{person.id}",
        )


async def _remove(
    update: Update, context: BotContext, t: Translator, person_id: int, *, confirmed: bool
) -> None:
    roles = context.services.roles
    if not confirmed:
        target = next((c for c in await roles.coaches() if c.id == person_id), None)
        view = stale_view(t) if target is None else remove_confirm_view(target, t)
        await show(update, context, view, edit=True)
        return
    result = await roles.remove_coach_by_id(person_id, context.services.now())
    if result.outcome not in (RemoveOutcome.REMOVED, RemoveOutcome.FORGOTTEN):
        await show(update, context, stale_view(t), edit=True)
        return
    await show(update, context, removed_view(len(result.clients), t), edit=True)
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
