"""Coach and admin commands: /clients, /invite, /invite_coach, /summary (/meeting: meetings.py)."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.i18n import Translator
from bot.services.invites import deep_link
from bot.services.people import ClientInfo
from bot.services.relations import Access
from bot.telegram.callbacks import menu_data, parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, typing
from bot.telegram.handlers.access import coach, pressed
from bot.telegram.handlers.client import run_text
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
            t.gettext("next meeting {when}").format(
                when=t.format_datetime(client.next_meeting, "EEE d MMM HH:mm")
            )
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
                "/summary and a name shows a client's shared answers; /meeting and a name "
                "and a time sets a meeting, /meeting alone lists them to move or cancel."
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
            date=t.format_date(client.auto_paused_at, "d MMM")
        )
    if client.pause_until is not None:
        return "⏸ " + t.gettext("check-ins paused by the client until {date}").format(
            date=t.format_date(client.pause_until, "d MMM")
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


async def summary(update: Update, context: BotContext) -> None:
    """Shows a client's shared answers as text (`/summary N`, or pick a client)."""
    found = await coach(update, context)
    if found is None:
        return
    caller, person = found
    args = context.args or []
    client_id, _ = await _client_id(context, person.id, args)
    if client_id is None:
        listed = await context.services.people.clients_of(person.id, context.services.now())
        if not listed:
            text = caller.t.gettext("You have no clients yet. /invite creates an invitation link.")
            await send(context, caller.chat_id, escape(text))
            return
        rows = [
            [
                InlineKeyboardButton(
                    f"#{c.id} {c.display_name}", callback_data=menu_data("sm", str(c.id))
                )
            ]
            for c in listed
        ]
        text = escape(caller.t.gettext("Whose summary?"))
        await send(context, caller.chat_id, text, InlineKeyboardMarkup(rows))
        return
    await _send_summary(update, context, caller, person.id, client_id)


async def summary_button(update: Update, context: BotContext) -> None:
    """Shows the summary of the chosen client."""
    press = await pressed(update, context, coaches_only=True)
    if press is None:
        return
    await press.query.answer()
    client_id = parse_id(press.name)
    if client_id is not None:
        await _send_summary(update, context, press.caller, press.person.id, client_id)


async def _send_summary(
    update: Update, context: BotContext, caller: Caller, coach_id: int, client_id: int
) -> None:
    t = caller.t
    await typing(update, context)
    view = await context.services.privacy.coach_view(coach_id, client_id, t)
    if view.access is Access.ENDED:
        text = t.gettext(
            "You no longer work with this client in Hemmaplan, so their answers are not shown."
        )
        await send(context, caller.chat_id, escape(text))
        return
    if view.access is not Access.ACTIVE:
        await send(context, caller.chat_id, escape(t.gettext("That is not one of your clients.")))
        return
    shared = view.runs
    if not shared:
        text = t.gettext("This client has not shared any answers yet.")
        await send(context, caller.chat_id, escape(text))
        return
    body = "\n\n———\n\n".join(run_text(detail, t, mark_private=False) for detail in shared)
    await send(context, caller.chat_id, body)
