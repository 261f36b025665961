"""Summary screens as values: the client's preview with its choices, the hold-back list, what a
coach gets, and the audit log. Pure functions from service results to messages; the handlers
and the scheduled sender only send them.

Buttons are `sp:<action>:<consent id>[:<argument>]`; an item is named by a short code of its key
(`r12` a reflection, `a40` an answer, `c7` a commitment, `t0` a trend, `fp` the pause flag), so
the data stays far below Telegram's 64 bytes and a button keeps naming the same item after new
reflections arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.people import ClientInfo
from bot.services.summaries import CoachSummary, Preview, PreviewItem, ViewEntry
from bot.services.summary_wording import no_coach_wording, preview_wording
from bot.summary.compose import PAUSED_KEY, meeting_when, trend_key
from bot.summary.html import render_messages
from bot.summary.model import SummaryStatus
from bot.summary.sources import TREND_SOURCES
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered

FAMILY = "sp"
APPROVE, DECLINE, UNDO = "ok", "no", "undo"
ITEMS, PAGE, TOGGLE, NOTE, AUTO, SHOW = "items", "pg", "t", "note", "auto", "show"
PDF_FAMILY = "sm"  # coach buttons: `sm:<client id>:` picks a client, `sm:pdf:<client id>` a PDF
ITEMS_PER_PAGE = 10
BUTTON_TEXT = 48  # characters of an item's text on its button

_PREFIXES = {"run": "r", "answer": "a", "commitment": "c"}
_TRENDS = [trend_key(s.dialogue_id, s.step_id) for s in TREND_SOURCES]


def item_code(key: str) -> str | None:
    """The short code of an item key for a button, or None if it has none."""
    if key == PAUSED_KEY:
        return "fp"
    if key in _TRENDS:
        return f"t{_TRENDS.index(key)}"
    kind, _, number = key.partition(":")
    prefix = _PREFIXES.get(kind)
    return f"{prefix}{number}" if prefix and number.isdigit() else None


def item_key(code: str) -> str | None:
    """The item key a button's code names, or None for a malformed code."""
    if code == "fp":
        return PAUSED_KEY
    head, number = code[:1], code[1:]
    if not number.isascii() or not number.isdigit() or len(number) > 10:
        return None
    if head == "t":
        index = int(number)
        return _TRENDS[index] if index < len(_TRENDS) else None
    kind = next((k for k, prefix in _PREFIXES.items() if prefix == head), None)
    return f"{kind}:{int(number)}" if kind is not None else None


def _button(
    label: str, action: str, consent_id: int | None, argument: str = ""
) -> InlineKeyboardButton:
    # "-": a button that needs no consent record (automatic sharing with no meeting planned).
    consent = "-" if consent_id is None else str(consent_id)
    data = f"{consent}:{argument}" if argument else consent
    return InlineKeyboardButton(label, callback_data=menu_data(FAMILY, action, data))


def _when(t: Translator, at: datetime) -> str:
    return meeting_when(t, at)


def preview_intro(preview: Preview, t: Translator) -> str:
    """What the preview is, what happens next and what the client's choice is now (HTML)."""
    intro = preview_wording(preview, t)
    lines = []
    if intro.heading:
        lines.append("<b>" + escape(intro.heading) + "</b>")
    lines += [escape(line) for line in intro.lines]
    if intro.state:
        lines.append("<i>" + escape(intro.state) + "</i>")
    lines += [escape(line) for line in intro.after]
    return "\n".join(lines)


def preview_keyboard(preview: Preview, t: Translator) -> InlineKeyboardMarkup | None:
    """Approve, don't share, undo; hold items back; a note; automatic sharing."""
    consent = preview.consent_id
    if preview.delivered:
        return None
    if consent is None:
        return InlineKeyboardMarkup([[_auto_button(preview, t)]])
    rows: list[list[InlineKeyboardButton]] = []
    if preview.decision == "pending":
        rows.append(
            [
                _button("✅ " + t.gettext("Approve"), APPROVE, consent),
                _button("🚫 " + t.gettext("Don't share"), DECLINE, consent),
            ]
        )
    elif preview.decision == "approved":
        rows.append(
            [
                _button("↩️ " + t.gettext("Undo approval"), UNDO, consent),
                _button("🚫 " + t.gettext("Don't share"), DECLINE, consent),
            ]
        )
    else:
        rows.append(
            [
                _button("✅ " + t.gettext("Share after all"), APPROVE, consent),
                _button("↩️ " + t.gettext("Undo"), UNDO, consent),
            ]
        )
    held = sum(1 for item in preview.items if item.held)
    label = t.gettext("Hold back items")
    if held:
        label += f" ({held})"
    rows.append([_button("🙈 " + label, ITEMS, consent, "0")])
    note = t.gettext("Change the note") if preview.note else t.gettext("Add a note for your coach")
    rows.append([_button("✏️ " + note, NOTE, consent)])
    rows.append([_auto_button(preview, t)])
    return InlineKeyboardMarkup(rows)


def _auto_button(preview: Preview, t: Translator) -> InlineKeyboardButton:
    auto = (
        t.gettext("Automatic sharing: on (turn off)")
        if preview.auto_share
        else t.gettext("Share automatically from now on")
    )
    return _button("🔁 " + auto, AUTO, preview.consent_id, "0" if preview.auto_share else "1")


def preview_messages(preview: Preview, t: Translator) -> list[Rendered]:
    """The intro, the summary exactly as it would go, and the buttons under the last message."""
    messages = [Rendered(preview_intro(preview, t))]
    messages += [Rendered(text) for text in render_messages(preview.summary, details=True)]
    last = messages[-1]
    messages[-1] = Rendered(last.text, preview_keyboard(preview, t))
    return messages


def items_screen(preview: Preview, t: Translator, page: int) -> Rendered:
    """The hold-back list: one button per item, a page at a time."""
    consent = preview.consent_id
    assert consent is not None
    items = [item for item in preview.items if item_code(item.key) is not None]
    pages = max(1, -(-len(items) // ITEMS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = items[page * ITEMS_PER_PAGE : (page + 1) * ITEMS_PER_PAGE]
    text = escape(
        t.gettext(
            "Tap an item to hold it back (🚫) or to let it go again (✅). Holding back a whole "
            "reflection (a line with a date) hides all of its answers, wherever they appear."
        )
    )
    if pages > 1:
        text += "\n" + escape(
            t.gettext("Page {page} of {pages}").format(page=page + 1, pages=pages)
        )
    rows = [[_item_button(item, consent, page)] for item in shown]
    nav = []
    if page > 0:
        nav.append(_button("◀️", PAGE, consent, str(page - 1)))
    if page + 1 < pages:
        nav.append(_button("▶️", PAGE, consent, str(page + 1)))
    if nav:
        rows.append(nav)
    rows.append([_button("👀 " + t.gettext("Done: show the summary"), SHOW, consent)])
    return Rendered(text, InlineKeyboardMarkup(rows))


def _item_button(item: PreviewItem, consent_id: int, page: int) -> InlineKeyboardButton:
    code = item_code(item.key)
    assert code is not None
    text = " ".join(item.text.split())
    if len(text) > BUTTON_TEXT:
        text = text[: BUTTON_TEXT - 1].rstrip() + "…"
    mark = "🚫" if item.held else "✅"
    return _button(f"{mark} {text}", TOGGLE, consent_id, f"{code}:{page}")


def note_help(preview: Preview, t: Translator) -> str:
    """How to write (or remove) the note for the coach, and the note as it is now (HTML)."""
    text = escape(
        t.gettext(
            "Send /note followed by what you want {coach} to read before the meeting, for "
            "example: /note I would like to start with the budget. /note alone removes the note."
        ).format(coach=preview.coach_name or "")
    )
    if preview.note:
        text += (
            "\n\n" + escape(t.gettext("Your note now:")) + "\n<i>" + escape(preview.note) + "</i>"
        )
    return text


def coach_messages(result: CoachSummary, t: Translator, hours: int) -> list[Rendered]:
    """What the coach sees on /summary: the released summary with a PDF button, or why not."""
    if result.summary is None:
        return [Rendered(escape(_nothing_shared(result, t, hours)))]
    messages = [Rendered(text) for text in render_messages(result.summary, details=True)]
    pdf = InlineKeyboardButton(
        "📄 " + t.gettext("As PDF"),
        callback_data=menu_data(PDF_FAMILY, "pdf", str(result.client_id)),
    )
    messages[-1] = Rendered(messages[-1].text, InlineKeyboardMarkup([[pdf]]))
    return messages


def _nothing_shared(result: CoachSummary, t: Translator, hours: int) -> str:
    name = result.client_name
    if result.meeting_starts_at is None:
        return t.gettext(
            "No meeting with {name} is planned, and no summary has been shared yet. A summary "
            "is prepared before each meeting you set with /meeting, once {name} approves it."
        ).format(name=name)
    when = meeting_when(t, result.meeting_starts_at)
    if result.status is SummaryStatus.DECLINED:
        return t.gettext(
            "{name} chose not to share a summary before the meeting {when}, and nothing was "
            "shared before."
        ).format(name=name, when=when)
    return t.ngettext(
        "{name} has not approved a summary for the meeting {when} yet, and nothing was shared "
        "before. {name} gets a preview to approve {n} hour before the meeting.",
        "{name} has not approved a summary for the meeting {when} yet, and nothing was shared "
        "before. {name} gets a preview to approve {n} hours before the meeting.",
        hours,
    ).format(name=name, when=when, n=hours)


def delivery_notice(kind: str, client_name: str, starts_at: datetime, t: Translator) -> str:
    """What the coach is told when there is no summary to send before a meeting (HTML)."""
    when = meeting_when(t, starts_at)
    if kind == "declined":
        text = t.gettext(
            "{name} chose not to share a summary before your meeting {when}. You can ask about "
            "it in the meeting if it matters; /summary shows what was shared before."
        )
    else:
        text = t.gettext(
            "{name} has not approved the summary for your meeting {when}, so none was sent. If "
            "{name} approves it before the meeting, it comes then."
        )
    return escape(text.format(name=client_name, when=when))


def delivery_intro(client_name: str, starts_at: datetime, t: Translator) -> str:
    """The line above a delivered summary (HTML)."""
    return escape(
        t.gettext("Your summary before the meeting with {name} {when}. The PDF follows.").format(
            name=client_name, when=meeting_when(t, starts_at)
        )
    )


def audit_text(entries: list[ViewEntry], t: Translator) -> str:
    """The client's audit log: who was sent or opened a summary of theirs, how and when (HTML)."""
    lines = ["<b>" + escape(t.gettext("Who has received or opened your summaries")) + "</b>"]
    if not entries:
        lines.append(escape(t.gettext("No coach has received or opened a summary of yours yet.")))
        return "\n".join(lines)
    channels = {
        "telegram": t.gettext("in Telegram"),
        "pdf": t.gettext("as PDF"),
        "cli": t.gettext("from the command line"),
    }
    for entry in entries:
        who = entry.viewer_name or t.gettext("a coach who has since left Hemmaplan")
        line = t.gettext("{when}: {who}, {channel}").format(
            when=t.format_when(entry.at),
            who=who,
            channel=channels.get(entry.channel, entry.channel),
        )
        if entry.meeting_starts_at is not None:
            line += " " + t.gettext("(the summary for the meeting on {date})").format(
                date=t.format_date(entry.meeting_starts_at)
            )
        lines.append("• " + escape(line))
    return "\n".join(lines)


# -- short answers around the summary (moved from the handlers; texts unchanged) ---------------


def pick_client_view(listed: Sequence[ClientInfo], t: Translator) -> Rendered:
    """Whose summary: one button per client (or that there are none yet)."""
    if not listed:
        return Rendered(
            escape(t.gettext("You have no clients yet. /invite creates an invitation link."))
        )
    rows = [
        [
            InlineKeyboardButton(
                f"#{c.id} {c.display_name}", callback_data=menu_data("sm", str(c.id))
            )
        ]
        for c in listed
    ]
    return Rendered(escape(t.gettext("Whose summary?")), InlineKeyboardMarkup(rows))


def refused_view(former_coach: bool, t: Translator) -> Rendered:
    """Why the coach may not see this client's summary."""
    if former_coach:
        text = t.gettext(
            "You no longer work with this client in Hemmaplan, so their answers are not shown."
        )
    else:
        text = t.gettext("That is not one of your clients.")
    return Rendered(escape(text))


def no_coach_view(t: Translator, groups: Sequence[tuple[str, str]] = ()) -> Rendered:
    """/preview for someone with no coach: nobody sees their answers, or, in a Backstage group,
    who does there. `groups`: (group name, facilitator name) pairs."""
    return Rendered(escape(no_coach_wording(t, groups)))


def note_reply_view(result: Preview | None, t: Translator) -> Rendered:
    """What /note did: saved, removed, or that there is no summary to add it to."""
    if result is None:
        reply = t.gettext(
            "There is no summary to add a note to: you have no meeting with a coach planned, "
            "or this meeting's summary has already been sent."
        )
    elif result.note:
        reply = t.gettext("Your note is saved. {coach} reads it in the summary.").format(
            coach=result.coach_name or ""
        )
    else:
        reply = t.gettext("The summary has no note now.")
    keyboard = preview_keyboard(result, t) if result is not None else None
    return Rendered(escape(reply), keyboard)


def auto_share_text(on: bool, t: Translator) -> str:
    """Whether summaries now go to the coach without asking first (HTML)."""
    if on:
        return escape(t.gettext(
            "Automatic sharing is on: your summaries go to your coach without asking you "
            "first. You still get each preview, and can hold items back or stop one."
        ))  # fmt: skip
    return escape(
        t.gettext("Automatic sharing is off: nothing goes to your coach without your approval.")
    )


def decided_text(preview: Preview, t: Translator) -> str:
    """What the client's approve, decline or undo means for this summary (HTML)."""
    coach = preview.coach_name or ""
    if preview.decision == "approved":
        assert preview.delivery_at is not None
        text = t.gettext("Approved. {coach} gets it {when}.").format(
            coach=coach, when=meeting_when(t, preview.delivery_at)
        )
    elif preview.decision == "declined":
        text = t.gettext(
            "Understood: nothing is shared before this meeting. {coach} is told that you chose "
            "not to share, without any content."
        ).format(coach=coach)
    elif preview.auto_share:
        text = t.gettext(
            "Undone. Automatic sharing is on, so the summary goes to {coach} as it is unless you "
            "choose otherwise."
        ).format(coach=coach)
    else:
        text = t.gettext("Undone: nothing goes to {coach} until you decide.").format(coach=coach)
    return escape(text)
