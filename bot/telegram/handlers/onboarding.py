"""Onboarding in chat: /start with an invitation, language, time zone, privacy consent."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.i18n import N_, Translator
from bot.services.groups import GroupOutcome
from bot.services.onboarding import OnboardingResult, Outcome, Step
from bot.telegram.callbacks import menu_data, parse_menu
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, identify, send, show, toast, translator_for
from bot.telegram.handlers.groups import group_join_offer, joined_text, send_welcome
from bot.telegram.menus import set_person_menu
from bot.telegram.notices import NO_INVITE_TEXT, privacy_notice
from bot.telegram.rendering import Rendered
from bot.telegram.views.relations import already_coached, join_offer
from bot.telegram.views.welcome import FIRST_DIALOGUE, welcome_view

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


async def start(update: Update, context: BotContext) -> None:
    """Begins onboarding with the invitation token from the deep link, or shows the menu."""
    caller = await identify(update, context)
    token = context.args[0] if context.args else None
    result = await context.services.onboarding.begin(caller.user_id, token, context.services.now())
    await _present(update, context, caller, result)


async def onboarding_button(update: Update, context: BotContext) -> None:
    """Stores a language, time zone or consent answer and asks the next question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    caller = await identify(update, context)
    parsed = parse_menu(query.data)
    person = caller.person
    if parsed is None or person is None or person.consented:
        await toast(
            update, context, caller.t.gettext("You are already set up. /help shows what I can do.")
        )
        return
    await query.answer()
    _, field, value = parsed
    service, now = context.services.onboarding, context.services.now()
    try:
        if field == "lang":
            result = await service.set_language(person.id, value)
        elif field == "tz":
            result = await service.set_timezone(person.id, value)
        elif field == "consent" and value == "yes":
            user = update.effective_user
            name = user.first_name if user is not None else None
            result = await service.consent(person.id, name, now)
        elif field == "consent" and value == "no":
            result = await service.decline(person.id)
        else:
            raise ValueError(query.data)
    except ValueError:
        # Data no button of ours carries (forged, or from another version): ask again.
        result = await service.begin(caller.user_id, None, now)
    await _present(update, context, caller, result, edit=True)


async def onboarding_text(
    update: Update, context: BotContext, caller: Caller, text: str | None
) -> None:
    """Handles text from someone not yet onboarded (a typed time zone, or anything else)."""
    person = caller.person
    if person is None:
        await _present(update, context, caller, OnboardingResult(Outcome.NO_INVITE))
        return
    if text is not None and (person.onboarding or {}).get("step") == Step.TIMEZONE.value:
        try:
            result = await context.services.onboarding.set_timezone(person.id, text)
        except ValueError:
            await send(
                context,
                caller.chat_id,
                caller.t.gettext(
                    "I don't know the time zone “{zone}”. Type a name from the time zone "
                    "database, such as Europe/Oslo, or pick one of the buttons."
                ).format(zone=escape(text[:64])),
            )
            return
        await _present(update, context, caller, result)
        return
    result = await context.services.onboarding.begin(caller.user_id, None, context.services.now())
    await _present(update, context, caller, result)


async def _present(
    update: Update,
    context: BotContext,
    caller: Caller,
    result: OnboardingResult,
    *,
    edit: bool = False,
) -> None:
    """Show the outcome of an onboarding step in the person's (possibly just chosen) language."""
    user = update.effective_user
    t = translator_for(result.person, user.language_code if user else None, context)
    if result.outcome is Outcome.REGISTERED and result.person is not None:
        await set_person_menu(context.bot, result.person, caller.chat_id, t)
        if edit:
            await show(
                update,
                context,
                Rendered(escape(t.gettext("Thank you, you are all set."))),
                edit=True,
            )
        person = result.person
        coaches = [] if person.is_coach else await context.services.relations.coaches_of(person.id)
        catalog = context.services.catalog
        first = (
            t.pgettext(FIRST_DIALOGUE, catalog.get(FIRST_DIALOGUE).title)
            if FIRST_DIALOGUE in catalog
            else None
        )
        welcome = welcome_view(person, coaches, t, first)
        await send(context, caller.chat_id, welcome.text, welcome.keyboard)
        joined = result.group
        if joined is not None:
            # Registered through a group's link: say whether they are in, with the plan.
            if joined.outcome is GroupOutcome.OK and joined.group_id is not None:
                await send_welcome(context, caller.chat_id, person.id, joined.group_id, t)
            else:
                await send(context, caller.chat_id, escape(joined_text(joined, t)))
        return
    await show(update, context, _screen(result, t), edit=edit)


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


def _screen(result: OnboardingResult, t: Translator) -> Rendered:
    if result.outcome is Outcome.JOIN_OFFER and result.token is not None:
        return join_offer(result.coach, result.token, t)
    if result.outcome is Outcome.ALREADY_COACHED:
        return already_coached(result.coach, t)
    if result.outcome is Outcome.GROUP_OFFER and result.group is not None and result.token:
        return group_join_offer(result.group, result.token, t)
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
