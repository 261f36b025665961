"""Coach and admin commands: /clients, /invite, /invite_coach (/meeting: meetings.py, /summary:
summaries.py)."""

from __future__ import annotations

from telegram import Update

from bot.services.invites import deep_link
from bot.telegram.callbacks import parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send
from bot.telegram.views.clients import clients_view, invitation_view
from bot.telegram.who import Member, for_admins, for_coaches


@for_coaches
async def clients(me: Member, update: Update, context: BotContext) -> None:
    """Lists the coach's clients with their next meeting and whether check-ins are paused."""
    now = context.services.now()
    listed = await context.services.people.clients_of(me.person.id, now)
    view = clients_view(listed, me.t, now.astimezone(me.t.tz).date())
    await send(context, me.chat_id, view.text, view.keyboard)


async def _invite(
    update: Update, context: BotContext, caller: Caller, person_id: int, kind: str
) -> None:
    token = await context.services.invites.create(kind, person_id, context.services.now())
    link = deep_link(context.bot.username, token)
    hours = context.services.settings.invite_ttl_hours
    await send(context, caller.chat_id, invitation_view(kind, link, hours, caller.t).text)


@for_coaches
async def invite(me: Member, update: Update, context: BotContext) -> None:
    """Creates a one-time invitation link for a client."""
    await _invite(update, context, me.caller, me.person.id, "client")


@for_admins
async def invite_coach(me: Member, update: Update, context: BotContext) -> None:
    """Creates a one-time invitation link for a coach (admins only)."""
    await _invite(update, context, me.caller, me.person.id, "coach")


async def _client_id(
    context: BotContext, coach_id: int, words: list[str]
) -> tuple[int | None, list[str]]:
    """The client named by `#N`, `N` or the start of their name; and the remaining words."""
    if not words:
        return None, words
    stripped = words[0].lstrip("#")
    if stripped.isascii() and stripped.isdigit():
        # A number too large to be an id names nobody (0 is never a row id).
        return parse_id(stripped) or 0, words[1:]
    # Coaches think in names, not ids: match the longest run of words to one client's name.
    clients = await context.services.people.clients_of(coach_id, context.services.now())
    for size in range(len(words), 0, -1):
        wanted = " ".join(words[:size]).casefold()
        matches = [c for c in clients if c.display_name.casefold().startswith(wanted)]
        if len(matches) == 1:
            return matches[0].id, words[size:]
    return None, words
