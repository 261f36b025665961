"""A coach's screens about their clients: the /clients list and a fresh invitation link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.i18n import Translator
from bot.services.people import ClientInfo
from bot.telegram.rendering import Rendered


def clients_view(listed: Sequence[ClientInfo], t: Translator, today: date) -> Rendered:
    """The coach's clients with their next meeting and whether check-ins are paused (HTML)."""
    if not listed:
        return Rendered(
            escape(t.gettext("You have no clients yet. /invite creates an invitation link."))
        )
    lines = ["<b>" + escape(t.gettext("Your clients")) + "</b>"]
    for client in listed:
        parts = [
            t.gettext("next meeting {when}").format(when=t.format_when(client.next_meeting))
            if client.next_meeting
            else t.gettext("no meeting planned")
        ]
        pause = pause_text(client, t, today)
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
    return Rendered("\n".join(lines))


def pause_text(client: ClientInfo, t: Translator, today: date) -> str | None:
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


def invitation_view(kind: str, link: str, hours: int, t: Translator) -> Rendered:
    """A one-time invitation link for a new coach (kind "coach") or client, valid `hours`."""
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
    return Rendered(escape(intro.format(n=hours)) + "\n" + escape(link))
