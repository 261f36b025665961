"""The pre-meeting summary in Telegram: /summary for coaches (and its PDF), /preview and /note
for clients, and the preview's buttons (approve, don't share, hold items back, automatic
sharing). The screens are built in bot.telegram.summary_views; the rules in SummaryService."""

from __future__ import annotations

import asyncio
import contextlib
import re

from telegram import Bot, InputFile, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.i18n import Translator
from bot.services.summaries import Channel, CoachSummary, Decision, NotAllowed, Role
from bot.summary.model import Summary
from bot.telegram import summary_views as views
from bot.telegram.callbacks import parse_id
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show, toast, typing
from bot.telegram.handlers.access import pressed
from bot.telegram.handlers.coach import _client_id
from bot.telegram.rendering import CAPTION_LIMIT
from bot.telegram.who import Member, for_coaches, for_members

_FILE_NAME = re.compile(r"[^A-Za-z0-9]+")


# -- the coach's side --------------------------------------------------------------------------


@for_coaches
async def summary(me: Member, update: Update, context: BotContext) -> None:
    """Shows the summary a client released (`/summary N` or a name), or asks whose."""
    caller, person = me.caller, me.person
    client_id, _ = await _client_id(context, person.id, context.args or [])
    if client_id is not None:
        await _send_coach_summary(update, context, caller, person.id, client_id)
        return
    listed = await context.services.people.clients_of(person.id, context.services.now())
    view = views.pick_client_view(listed, caller.t)
    await send(context, caller.chat_id, view.text, view.keyboard)


async def summary_button(update: Update, context: BotContext) -> None:
    """Shows the chosen client's summary, or sends it as a PDF."""
    press = await pressed(update, context, coaches_only=True)
    if press is None:
        return
    await press.query.answer()
    if press.name == "pdf":
        client_id = parse_id(press.argument)
        if client_id is not None:
            await _send_pdf(update, context, press.caller, press.person.id, client_id)
        return
    client_id = parse_id(press.name)
    if client_id is not None:
        await _send_coach_summary(update, context, press.caller, press.person.id, client_id)


async def _coach_summary(
    context: BotContext, caller: Caller, coach_id: int, client_id: int, channel: Channel
) -> CoachSummary | None:
    """The released summary, or None after telling the coach why they may not see it."""
    services = context.services
    try:
        return await services.summaries.coach_summary(
            coach_id, client_id, caller.t, services.now(), channel
        )
    except NotAllowed as refused:
        view = views.refused_view(refused.role is Role.FORMER_COACH, caller.t)
        await send(context, caller.chat_id, view.text)
        return None


async def _send_coach_summary(
    update: Update, context: BotContext, caller: Caller, coach_id: int, client_id: int
) -> None:
    await typing(update, context)
    result = await _coach_summary(context, caller, coach_id, client_id, Channel.TELEGRAM)
    if result is None:
        return
    hours = context.services.settings.summary_preview_hours
    for message in views.coach_messages(result, caller.t, hours):
        await send(context, caller.chat_id, message.text, message.keyboard)


async def _send_pdf(
    update: Update, context: BotContext, caller: Caller, coach_id: int, client_id: int
) -> None:
    if update.effective_chat is not None:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
    result = await _coach_summary(context, caller, coach_id, client_id, Channel.PDF)
    if result is None:
        return
    if result.summary is None:
        hours = context.services.settings.summary_preview_hours
        for message in views.coach_messages(result, caller.t, hours):
            await send(context, caller.chat_id, message.text, message.keyboard)
        return
    await send_pdf(context.bot, caller.chat_id, result.summary, result.client_name, caller.t)


async def send_pdf(
    bot: Bot, chat_id: int, summary: Summary, client_name: str, t: Translator
) -> None:
    """Render the summary as an A4 PDF (off the event loop) and send it as a document."""
    from bot.summary.pdf import render_pdf  # matplotlib and fpdf stay out of start-up

    data = await asyncio.to_thread(render_pdf, summary)
    slug = _FILE_NAME.sub("-", client_name).strip("-").lower() or "client"
    caption = t.gettext("Summary before the meeting with {name}").format(name=client_name)
    await bot.send_document(
        chat_id,
        InputFile(data, filename=f"hemmaplan-{slug}.pdf"),
        caption=caption[:CAPTION_LIMIT],
    )


# -- the client's side -------------------------------------------------------------------------


@for_members
async def preview(me: Member, update: Update, context: BotContext) -> None:
    """Shows exactly what each coach would get before the next meeting, with the choices."""
    caller, person = me.caller, me.person
    await typing(update, context)
    services = context.services
    previews = await services.summaries.previews(person.id, person.id, services.now())
    if not previews:
        groups = await services.groups.member_of(person.id)
        pairs = [(g.name, g.facilitator_name) for g in groups]
        await send(context, caller.chat_id, views.no_coach_view(caller.t, pairs).text)
    for shown in previews:
        for message in views.preview_messages(shown, caller.t):
            await send(context, caller.chat_id, message.text, message.keyboard)


@for_members
async def note(me: Member, update: Update, context: BotContext) -> None:
    """Sets (or, alone, removes) the note for the coach in the next summary."""
    caller, person = me.caller, me.person
    t, services = caller.t, context.services
    message = update.effective_message
    raw = message.text if message is not None and message.text else ""
    text = raw.partition(" ")[2].strip() if " " in raw.strip() else ""
    result = await services.summaries.set_note(person.id, text, services.now())
    view = views.note_reply_view(result, t)
    await send(context, caller.chat_id, view.text, view.keyboard)


async def preview_button(update: Update, context: BotContext) -> None:
    """Approves, declines or undoes; holds items back; notes; turns automatic sharing on/off."""
    press = await pressed(update, context)
    if press is None:
        return
    t, services, now = press.caller.t, context.services, context.services.now()
    consent_text, _, rest = press.argument.partition(":")
    if press.name == views.AUTO and consent_text == "-":
        await press.query.answer()
        await _set_auto(update, context, press.person.id, rest == "1", t)
        return
    consent_id = parse_id(consent_text)
    if consent_id is None:
        await toast(
            update, context, t.gettext("That button is no longer in use, so nothing was changed.")
        )
        return
    person_id = press.person.id
    summaries = services.summaries
    action = press.name
    if action in (views.ITEMS, views.PAGE, views.TOGGLE, views.SHOW, views.NOTE):
        # Showing the whole preview again fixes what an approval covers to what it shows.
        current = await summaries.preview_of(
            person_id, consent_id, now, fix_content=action == views.SHOW
        )
        if current is None:
            await toast(update, context, _stale(t))
            return
        if action == views.TOGGLE:
            code, _, page = rest.partition(":")
            key = views.item_key(code)
            if key is None:
                await toast(update, context, _stale(t))
                return
            changed = await summaries.decide(person_id, consent_id, Decision.TOGGLE, now, key=key)
            if changed is None:
                await toast(update, context, _stale(t))
                return
            await press.query.answer()
            await show(update, context, views.items_screen(changed, t, _page(page)), edit=True)
            return
        await press.query.answer()
        if action in (views.ITEMS, views.PAGE):
            # The list opens as a message of its own; turning its pages edits it.
            screen = views.items_screen(current, t, _page(rest))
            await show(update, context, screen, edit=action == views.PAGE)
        elif action == views.NOTE:
            await send(context, press.caller.chat_id, views.note_help(current, t))
        else:
            await _drop_keyboard(update)
            for message in views.preview_messages(current, t):
                await send(context, press.caller.chat_id, message.text, message.keyboard)
        return
    if action == views.AUTO:
        on = rest == "1"
        await summaries.set_auto_share(person_id, on, now)
        changed = await summaries.preview_of(person_id, consent_id, now)
        reply = views.auto_share_text(on, t)
    else:
        decisions = {
            views.APPROVE: Decision.APPROVE,
            views.DECLINE: Decision.DECLINE,
            views.UNDO: Decision.UNDO,
        }
        decision = decisions.get(action)
        changed = (
            await summaries.decide(person_id, consent_id, decision, now)
            if decision is not None
            else None
        )
        reply = views.decided_text(changed, t) if changed is not None else ""
    if changed is None:
        await toast(update, context, _stale(t))
        return
    await press.query.answer()
    await _drop_keyboard(update)
    await send(context, press.caller.chat_id, reply, views.preview_keyboard(changed, t))


async def _set_auto(
    update: Update, context: BotContext, person_id: int, on: bool, t: Translator
) -> None:
    """Automatic sharing from a preview with no meeting planned (no decision to show)."""
    services = context.services
    await services.summaries.set_auto_share(person_id, on, services.now())
    await _drop_keyboard(update)
    if update.effective_chat is not None:
        await send(context, update.effective_chat.id, views.auto_share_text(on, t))


def _stale(t: Translator) -> str:
    return t.gettext(
        "This summary can no longer be changed: it has been sent, or its meeting has passed."
    )


def _page(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 4 else 0


async def _drop_keyboard(update: Update) -> None:
    """Take the buttons off the pressed message, so only the newest screen has them."""
    query = update.callback_query
    if query is not None and query.message is not None:
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)


async def audit_log_text(context: BotContext, person_id: int, t: Translator) -> str:
    """The person's audit log of summary views, for /privacy (HTML)."""
    entries = await context.services.summaries.audit_log(person_id, person_id)
    return views.audit_text(entries, t)
