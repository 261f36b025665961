"""The onboarding questions (language, time zone, consent) and how an invitation ended."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.services.onboarding import OnboardingResult, Outcome, Step
from bot.telegram.callbacks import menu_data
from bot.telegram.notices import NO_INVITE_TEXT, privacy_notice
from bot.telegram.rendering import Rendered
from bot.telegram.views.relations import already_coached, join_offer

# Offered as buttons; any other tz database name can be typed.
TIMEZONE_CHOICES = (
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Singapore",
)
LANGUAGES = (("sv", "Svenska"), ("en", "English"))

# Outcomes that end onboarding with a plain message (no buttons).
_OUTCOME_TEXTS = {
    Outcome.NO_INVITE: NO_INVITE_TEXT,
    Outcome.UNKNOWN: N_(
        "I don't recognise that invitation link. Check that you copied all of it, or ask "
        "for a new one."
    ),
    Outcome.USED: N_(
        "That invitation link has already been used. Each link works once: ask for a new one."
    ),
    Outcome.EXPIRED: N_("That invitation link has expired. Ask for a new one."),
    Outcome.DECLINED: N_(
        "Okay. Nothing about you is stored. If you change your mind, open the invitation "
        "link again."
    ),
}


def onboarding_view(result: OnboardingResult, t: Translator) -> Rendered:
    """The next onboarding question, another coach's offer, or how the invitation ended.

    A group's offer is the groups module's view (`group_join_offer`); the handler shows it.
    """
    if result.outcome is Outcome.JOIN_OFFER and result.token is not None:
        return join_offer(result.coach, result.token, t)
    if result.outcome is Outcome.ALREADY_COACHED:
        return already_coached(result.coach, t)
    message = _OUTCOME_TEXTS.get(result.outcome)
    if message is not None:
        return Rendered(escape(t.gettext(message)))
    if result.step is Step.LANGUAGE:
        buttons = [
            InlineKeyboardButton(label, callback_data=menu_data("o", "lang", code))
            for code, label in LANGUAGES
        ]
        text = escape(t.gettext("Welcome to Hemmaplan! Which language do you prefer?"))
        return Rendered(text, InlineKeyboardMarkup([buttons]))
    if result.step is Step.TIMEZONE:
        rows = [
            [InlineKeyboardButton(zone, callback_data=menu_data("o", "tz", zone))]
            for zone in TIMEZONE_CHOICES
        ]
        text = escape(t.gettext(
            "Which time zone are you in? Pick one, or type its name (for example Europe/Oslo)."
        ))  # fmt: skip
        return Rendered(text, InlineKeyboardMarkup(rows))
    buttons = [
        InlineKeyboardButton(
            "✅ " + t.gettext("I agree"), callback_data=menu_data("o", "consent", "yes")
        ),
        InlineKeyboardButton(t.gettext("No thanks"), callback_data=menu_data("o", "consent", "no")),
    ]
    question = escape(t.gettext(
        "Do you agree that Hemmaplan stores your answers, including health-related ones, as "
        "described above?"
    ))  # fmt: skip
    return Rendered(
        privacy_notice(t) + "\n\n<b>" + question + "</b>", InlineKeyboardMarkup([buttons])
    )


def all_set_view(t: Translator) -> Rendered:
    """The consent button's message once onboarding is done (the welcome follows below)."""
    return Rendered(escape(t.gettext("Thank you, you are all set.")))


def unknown_zone_view(typed: str, t: Translator) -> Rendered:
    """A typed time zone that is not one; the text is shown back (cut short)."""
    return Rendered(
        t.gettext(
            "I don't know the time zone “{zone}”. Type a name from the time zone "
            "database, such as Europe/Oslo, or pick one of the buttons."
        ).format(zone=escape(typed[:64]))
    )
