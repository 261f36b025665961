"""A group's own Telegram chat: the bot posts logistics only (meeting reminders, moved meetings,
the rotation), never anything a member wrote to it, and ignores everything said there.

Telegram lets a bot post about 20 messages a minute in one group; every post first takes a
slot in the chat's minute (`group_chat_posts`, shared by every process, on the wall clock
because the limit is Telegram's real one) and waits for the next free one if the minute is
full.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape

from telegram import Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, Forbidden

from bot.i18n import Translator, get_translator
from bot.services.groups import GroupInfo, GroupMeetingInfo, GroupOutcome
from bot.telegram.container import BotContext

log = logging.getLogger(__name__)

# How often a post waits for a free slot in the chat's minute before it is given up.
_SLOT_TRIES = 3
_SLOT_WAIT = 20.0


def _group_translator(context: BotContext, info: GroupInfo | None = None) -> Translator:
    """Posts in a group's chat are in its facilitator's language and time zone (the bot's
    defaults for a chat that is no group's)."""
    settings = context.services.settings
    locale = (info.locale if info else None) or settings.default_locale
    zone = (info.timezone if info else None) or settings.timezone
    return get_translator(locale, zone, settings.locales_dir)


def _when(t: Translator, at: datetime) -> str:
    local = t.localize(at)
    return t.gettext("{day} at {time}").format(
        day=t.format_date(local.date(), "EEEE d MMMM"), time=t.format_time(local)
    )


async def post(context: BotContext, info: GroupInfo, text_of: Callable[[Translator], str]) -> bool:
    """Post one logistics message (plain text, escaped here) to the group's chat, if it has one,
    within the chat's rate; False if there is no chat or it could not be posted."""
    services = context.services
    chat_id = await services.groups.chat_of(info.id)
    if chat_id is None:
        return False
    for _ in range(_SLOT_TRIES):
        if await services.groups.reserve_chat_post(chat_id, datetime.now(UTC)):
            break
        await asyncio.sleep(_SLOT_WAIT)
    else:
        log.warning("group chat %s: no free slot this minute; post left out", chat_id)
        return False
    try:
        await context.bot.send_message(
            chat_id, escape(text_of(_group_translator(context, info))), parse_mode=ParseMode.HTML
        )
    except (Forbidden, BadRequest) as exc:
        # Removed from the chat, or the chat is gone: it is no longer the group's chat.
        log.info("group chat %s refused a post (%s); unlinked", chat_id, exc)
        await services.groups.unlink_chat(chat_id)
        return False
    return True


def rotation_text(info: GroupInfo, t: Translator, now: datetime) -> str:
    """The case owners of the meetings ahead (names as the members gave them, nothing else)."""
    lines = [t.gettext("The rotation in {name}:").format(name=info.name)]
    for meeting in info.meetings:
        if meeting.is_start_up or meeting.cancelled or meeting.starts_at <= now:
            continue
        owner = meeting.owner_name or t.gettext("case owner not decided")
        lines.append(f"{meeting.number}. {_when(t, meeting.starts_at)} · {owner}")
    return "\n".join(lines)


async def post_rotation(context: BotContext, info: GroupInfo) -> bool:
    """Post the rotation after it changed."""
    now = context.services.now()
    return await post(context, info, lambda t: rotation_text(info, t, now))


async def post_moved(
    context: BotContext, info: GroupInfo, meeting: GroupMeetingInfo, old: datetime
) -> bool:
    """Post that a meeting moved."""

    def text(t: Translator) -> str:
        return t.gettext("Meeting {number} of {name} is moved from {old} to {when}.").format(
            number=meeting.number,
            name=info.name,
            old=_when(t, old),
            when=_when(t, meeting.starts_at),
        )

    return await post(context, info, text)


async def bot_membership(update: Update, context: BotContext) -> bool:
    """The bot was added to or removed from a group chat; True if handled here. Added by a
    facilitator, the chat becomes their group's (the one without a chat); added by anyone
    else, the bot says so and leaves."""
    change = update.my_chat_member
    if change is None or change.chat.type not in ("group", "supergroup"):
        return False
    chat_id = change.chat.id
    status = change.new_chat_member.status
    services = context.services
    if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        await services.groups.unlink_chat(chat_id)
        return True
    if status not in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
        return True
    adder = await services.people.find(change.from_user.id)
    outcome, info, candidates = (
        await services.groups.link_chat(adder.id, chat_id)
        if adder is not None
        else (GroupOutcome.NOT_ALLOWED, None, [])
    )
    t = _group_translator(context, info or (candidates[0] if candidates else None))
    if info is None and not candidates and adder is not None and adder.locale:
        # Someone who leads no group: answer in their language.
        settings = services.settings
        t = get_translator(adder.locale, adder.timezone or settings.timezone, settings.locales_dir)
    if outcome is GroupOutcome.OK and info is not None:
        text = t.gettext(
            "Hello {name}! I will post the meeting reminders and changes of the rotation "
            "here. Nothing that members write to me in private is ever posted, and I do not "
            "read what you write here."
        ).format(name=info.name)
        await _say(context, chat_id, text)
        await post_rotation(context, info)
        return True
    if outcome is GroupOutcome.NOT_FOUND and candidates:
        listing = ", ".join(f"{g.id} = {g.name}" for g in candidates)
        text = t.gettext(
            "Which of your groups is this chat for? Write /group_chat and its number here "
            "({groups})."
        ).format(groups=listing)
        await _say(context, chat_id, text)
        return True
    await _say(
        context,
        chat_id,
        t.gettext("Only a Backstage group's facilitator can add me to a group chat. Goodbye!"),
    )
    with contextlib.suppress(Forbidden, BadRequest):
        await context.bot.leave_chat(chat_id)
    return True


async def group_chat_command(update: Update, context: BotContext) -> None:
    """/group_chat <number> in a group chat: the facilitator says which group it is for."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    person = await services.people.find(user.id)
    args = context.args or []
    if person is None or not args or not args[0].isdigit() or len(args[0]) > 9:
        return  # not for us to answer: everything else said here is ignored
    outcome, info, _ = await services.groups.link_chat(person.id, message.chat.id, int(args[0]))
    if outcome is GroupOutcome.OK and info is not None:
        t = _group_translator(context, info)
        await _say(
            context,
            message.chat.id,
            t.gettext(
                "This chat is now {name}'s. I will post meeting reminders and the rotation here."
            ).format(name=info.name),
        )
        await post_rotation(context, info)


async def say_goodbye(
    context: BotContext, chat_id: int, locale: str | None, zone: str | None, name: str
) -> None:
    """The group's facilitator erased their account: say in the chat that the group has ended
    here, and leave it (nothing will be posted there any more)."""
    settings = context.services.settings
    t = get_translator(
        locale or settings.default_locale, zone or settings.timezone, settings.locales_dir
    )
    await _say(
        context,
        chat_id,
        t.gettext(
            "{name} has ended in Hemmaplan: its facilitator has deleted their account. I will "
            "not post here any more. Goodbye!"
        ).format(name=name),
    )
    with contextlib.suppress(Forbidden, BadRequest):
        await context.bot.leave_chat(chat_id)


async def _say(context: BotContext, chat_id: int, text: str) -> None:
    if await context.services.groups.reserve_chat_post(chat_id, datetime.now(UTC)):
        try:
            await context.bot.send_message(chat_id, escape(text), parse_mode=ParseMode.HTML)
        except (Forbidden, BadRequest):
            log.info("group chat %s refused a message", chat_id)
