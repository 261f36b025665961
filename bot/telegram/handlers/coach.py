"""Coach and admin commands: /clients, /invite, /invite_coach (/meeting: meetings.py, /summary:
summaries.py)."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import Update

from bot.i18n import Translator
from bot.services.invites import deep_link
from bot.services.people import ClientInfo
from bot.telegram.callbacks import parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send
from bot.telegram.who import Member, for_admins, for_coaches


@for_coaches
async def clients(me: Member, update: Update, context: BotContext) -> None:
    """Lists the coach's clients with their next meeting and whether check-ins are paused."""
    t = me.t
    listed = await context.services.people.clients_of(me.person.id, context.services.now())
    if not listed:
        text = t.gettext("You have no clients yet. /invite creates an invitation link.")
        await send(context, me.chat_id, escape(text))
        return
    today = context.services.now().astimezone(t.tz).date()
    lines = ["<b>" + escape(t.gettext("Your clients")) + "</b>"]
    for client in listed:
        parts = [
            t.gettext("next meeting {when}").format(when=t.format_when(client.next_meeting))
            if client.next_meeting
            else t.gettext("no meeting planned")
        ]
        pause = _pause_text(client, t, today)
        if pause:
            parts.append(pause)
        lines.append(
            f"#{client.id} <b>{escape(client.display_name)}</b> · {escape(' · '.join(parts))}"
        )
    lines.append("")
    lines.append(
        escape(
            t.gettext(
                "/summary and a name shows what a client shared for your next meeting; /meeting "
                "and a name and a time sets a meeting, /meeting alone lists them to move or "
                "cancel."
            )
        )
    )
    await send(context, me.chat_id, "\n".join(lines))


def _pause_text(client: ClientInfo, t: Translator, today: date) -> str | None:
    """Whether the client's check-ins are paused, and by whom: themselves or the product."""
    if not client.paused or (client.pause_until is not None and client.pause_until <= today):
        return None
    if client.auto_paused_at is not None:
        return "⏸ " + t.gettext("check-ins paused by Hemmaplan since {date} (unanswered)").format(
            date=t.format_date(client.auto_paused_at)
        )
    if client.pause_until is not None:
        return "⏸ " + t.gettext("check-ins paused by the client until {date}").format(
            date=t.format_date(client.pause_until)
        )
    return "⏸ " + t.gettext("check-ins paused by the client")


async def _invite(
    update: Update, context: BotContext, caller: Caller, person_id: int, kind: str
) -> None:
    t = caller.t
    token = await context.services.invites.create(kind, person_id, context.services.now())
    link = deep_link(context.bot.username, token)
    hours = context.services.settings.invite_ttl_hours
    if kind == "coach":
        intro = t.ngettext(
            "An invitation for a new coach. It works once, within {n} hour:",
            "An invitation for a new coach. It works once, within {n} hours:",
            hours,
        )
    else:
        intro = t.ngettext(
            "An invitation for a new client. It works once, within {n} hour:",
            "An invitation for a new client. It works once, within {n} hours:",
            hours,
        )
    await send(context, caller.chat_id, escape(intro.format(n=hours)) + "\n" + escape(link))


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
