"""Gatekeeping for handlers not yet on `bot.telegram.who`'s decorators (new handlers use those):
only onboarded people use commands; roles for coach commands; menu presses."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, Update

from bot.services.people import PersonInfo
from bot.telegram.callbacks import parse_menu
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, identify
from bot.telegram.who import admit_member, refuse


async def registered(update: Update, context: BotContext) -> tuple[Caller, PersonInfo] | None:
    """The caller if they finished onboarding; otherwise explain what to do and return None."""
    return await admit(update, context, await identify(update, context))


async def admit(
    update: Update, context: BotContext, caller: Caller
) -> tuple[Caller, PersonInfo] | None:
    """`registered` for a caller identified already (e.g. by a service that read them)."""
    member = await admit_member(update, context, caller)
    return None if member is None else (member.caller, member.person)


async def coach(update: Update, context: BotContext) -> tuple[Caller, PersonInfo] | None:
    """The caller if they are a coach or admin; otherwise a short refusal."""
    found = await registered(update, context)
    if found is None:
        return None
    caller, person = found
    if not person.is_coach:
        await refuse(update, context, caller.t.gettext("That command is for coaches."))
        return None
    return found


@dataclass(frozen=True)
class Press:
    """A menu button pressed by an onboarded person: `<family>:<name>:<argument>`."""

    caller: Caller
    person: PersonInfo
    query: CallbackQuery
    name: str
    argument: str


async def pressed(
    update: Update, context: BotContext, *, coaches_only: bool = False
) -> Press | None:
    """The press if the person may use it; otherwise it is answered here and None returned."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    found = await (coach if coaches_only else registered)(update, context)
    if found is None:
        return None
    parsed = parse_menu(query.data)
    if parsed is None:
        await query.answer()
        return None
    return Press(found[0], found[1], query, parsed[1], parsed[2])
