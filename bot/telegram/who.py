"""Who is behind an update, identified once, and the decorators that admit them to a handler.

A handler then reads as who, what, which view:

    @for_members
    async def history(me: Member, update: Update, context: BotContext) -> None:
        runs = await context.services.history.list_runs(me.person.id, me.t)   # what
        await reply(update, context, history_view(runs, me.t))                 # which view

`for_members` admits onboarded people, `for_coaches` coaches and admins, `for_admins` admins;
everyone else gets the same short answer (a toast for a button, a message otherwise) and the
handler is not called. `for_anyone` passes the `Caller` of people not onboarded yet, too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from html import escape
from typing import Any

from telegram import Update

from bot.i18n import N_, Translator
from bot.services.people import PersonInfo
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, identify, send, toast
from bot.telegram.notices import NO_INVITE_TEXT

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Member:
    """An onboarded person behind an update: their record, their language and their chat."""

    caller: Caller
    person: PersonInfo

    @property
    def t(self) -> Translator:
        """The person's translator (language and time zone)."""
        return self.caller.t

    @property
    def chat_id(self) -> int:
        """The private chat to answer in."""
        return self.caller.chat_id


MemberHandler = Callable[[Member, Update, BotContext], Coroutine[Any, Any, None]]
CallerHandler = Callable[[Caller, Update, BotContext], Coroutine[Any, Any, None]]


async def refuse(update: Update, context: BotContext, text: str) -> None:
    """Say why not (plain text): as the answer to a pressed button, or as a message."""
    if update.callback_query is not None:
        await toast(update, context, text)  # a button must be answered, too
    elif update.effective_chat is not None:
        await send(context, update.effective_chat.id, escape(text))


async def admit_member(update: Update, context: BotContext, caller: Caller) -> Member | None:
    """The caller as a member if they finished onboarding; otherwise say what to do first."""
    person = caller.registered
    if person is not None:
        return Member(caller, person)
    if caller.person is None:
        text = caller.t.gettext(NO_INVITE_TEXT)
    else:
        text = caller.t.gettext("Let's finish getting you started first: send /start.")
    await refuse(update, context, text)
    return None


def _admitting(
    allowed: Callable[[PersonInfo], bool] | None, refusal: str | None
) -> Callable[[MemberHandler], Callback]:
    def decorate(handler: MemberHandler) -> Callback:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: BotContext) -> None:
            member = await admit_member(update, context, await identify(update, context))
            if member is None:
                return
            if allowed is not None and not allowed(member.person):
                assert refusal is not None
                await refuse(update, context, member.t.gettext(refusal))
                return
            await handler(member, update, context)

        return wrapper

    return decorate


_COACHES_ONLY = N_("That command is for coaches.")
_ADMINS_ONLY = N_("That command is for admins.")

for_members = _admitting(None, None)
"""Admits people who finished onboarding (the handler gets their `Member`)."""

for_coaches = _admitting(lambda person: person.is_coach, _COACHES_ONLY)
"""Admits coaches (and admins, who are coaches too)."""

for_admins = _admitting(lambda person: person.is_admin, _ADMINS_ONLY)
"""Admits admins."""


def for_anyone(handler: CallerHandler) -> Callback:
    """Passes the caller, onboarded or not (for /start and what it leads to)."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: BotContext) -> None:
        await handler(await identify(update, context), update, context)

    return wrapper
