"""The command menus (setMyCommands) per language and role."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.config import SUPPORTED_LOCALES
from bot.i18n import N_, Translator, get_translator
from bot.services.people import PersonInfo

log = logging.getLogger(__name__)

CLIENT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("reflect", N_("Start a reflection")),
    ("commitments", N_("Your open commitments")),
    ("meeting", N_("Your next meeting")),
    ("history", N_("Your earlier reflections")),
    ("preview", N_("Your summary for the coach: see, approve")),
    ("settings", N_("Language, time zone, check-ins, pause")),
    ("privacy", N_("How your data is handled")),
    ("export", N_("Download everything stored about you")),
    ("delete", N_("Delete everything about you")),
    ("group", N_("Your Backstage group")),
    ("help", N_("What I can do")),
    ("cancel", N_("Stop the current reflection")),
)
COACH_COMMANDS: tuple[tuple[str, str], ...] = (
    ("clients", N_("Your clients")),
    ("invite", N_("Invite a client")),
    ("summary", N_("A client's summary before a meeting")),
    ("end_client", N_("End the work with a client")),
    ("group_invite", N_("Invite a member to your Backstage group")),
)
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("invite_coach", N_("Invite a coach")),
    ("remove_coach", N_("Remove a coach")),
)


# Coaches use /meeting for their clients' meetings, so it is described for that in their menu.
COACH_MEETING = ("meeting", N_("Set, move or cancel a client's meeting"))


def commands_for(role: str, t: Translator, *, coached: bool = True) -> list[BotCommand]:
    """The translated command list for a role: a coach's menu starts with the coach commands
    (with /meeting for clients' meetings), then their own reflections. A client with no coach
    (a Backstage group's member only) has no summary to preview."""
    entries = list(CLIENT_COMMANDS)
    if not coached and role == "client":
        entries = [(name, d) for name, d in entries if name != "preview"]
    if role in ("coach", "admin"):
        own = [(name, d) for name, d in entries if name != "meeting"]
        entries = [*COACH_COMMANDS[:2], COACH_MEETING, *COACH_COMMANDS[2:]]
        if role == "admin":
            entries += ADMIN_COMMANDS
        entries += own
    return [BotCommand(name, t.gettext(description)) for name, description in entries]


# The bot's profile texts (setMyDescription: the empty chat before /start; setMyShortDescription:
# the profile page and shared links), per language.
DESCRIPTION = N_(
    "Hemmaplan is your companion between coaching meetings: short reflections, gentle "
    "check-ins on your commitments, and a summary for your coach that you see and approve "
    "first. It works by invitation: open the link your coach gave you."
)
SHORT_DESCRIPTION = N_(
    "Reflect between coaching meetings; you decide what your coach sees. By invitation."
)


async def set_descriptions(bot: Bot, default_locale: str, locales_dir: str) -> None:
    """Set the bot's description and short description for every language (and the default)."""
    for locale in (*SUPPORTED_LOCALES, None):
        t = get_translator(locale or default_locale, locales_dir=locales_dir)
        code = locale or ""
        await bot.set_my_description(t.gettext(DESCRIPTION), language_code=code)
        await bot.set_my_short_description(t.gettext(SHORT_DESCRIPTION), language_code=code)


async def set_default_menus(bot: Bot, default_locale: str, locales_dir: str) -> None:
    """Set the client menu for every supported language and as the language-less default."""
    for locale in SUPPORTED_LOCALES:
        t = get_translator(locale, locales_dir=locales_dir)
        await bot.set_my_commands(
            commands_for("client", t), scope=BotCommandScopeDefault(), language_code=locale
        )
    t = get_translator(default_locale, locales_dir=locales_dir)
    await bot.set_my_commands(commands_for("client", t), scope=BotCommandScopeDefault())


async def set_person_menu(
    bot: Bot, person: PersonInfo, chat_id: int, t: Translator, *, coached: bool = True
) -> None:
    """Give coaches and admins their larger menu in their own chat, and a client with no coach
    one without /preview; clients with a coach keep the default."""
    role = "admin" if person.is_admin else "coach" if person.is_coach else "client"
    try:
        if role != "client" or not coached:
            await bot.set_my_commands(
                commands_for(role, t, coached=coached), scope=BotCommandScopeChat(chat_id)
            )
        else:
            await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except TelegramError:
        # The menu is a convenience; the commands work without it.
        log.warning("could not set the command menu for chat %s", chat_id, exc_info=True)
