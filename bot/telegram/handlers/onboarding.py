"""Onboarding in chat: /start with an invitation, language, time zone, privacy consent."""

from __future__ import annotations

from telegram import Update

from bot.i18n import Translator
from bot.services.groups import GroupOutcome
from bot.services.onboarding import OnboardingResult, Outcome, Step
from bot.telegram.callbacks import parse_menu
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, send, show, toast, translator_for
from bot.telegram.handlers.groups import group_join_offer, joined_text, send_welcome
from bot.telegram.menus import set_person_menu
from bot.telegram.rendering import Rendered, plain
from bot.telegram.views.onboarding import (
    all_set_view,
    onboarding_view,
    unknown_zone_view,
)
from bot.telegram.views.welcome import (
    FIRST_DIALOGUE,
    group_member_welcome_view,
    welcome_view,
)
from bot.telegram.who import for_anyone


@for_anyone
async def start(caller: Caller, update: Update, context: BotContext) -> None:
    """Begins onboarding with the invitation token from the deep link, or shows the menu."""
    token = context.args[0] if context.args else None
    result = await context.services.onboarding.begin(caller.user_id, token, context.services.now())
    await _present(update, context, caller, result)


@for_anyone
async def onboarding_button(caller: Caller, update: Update, context: BotContext) -> None:
    """Stores a language, time zone or consent answer and asks the next question."""
    query = update.callback_query
    assert query is not None and query.data is not None
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
            await send(context, caller.chat_id, unknown_zone_view(text, caller.t).text)
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
        person = result.person
        coaches = [] if person.is_coach else await context.services.relations.coaches_of(person.id)
        await set_person_menu(
            context.bot, person, caller.chat_id, t, coached=bool(coaches) or person.is_coach
        )
        if edit:
            await show(update, context, all_set_view(t), edit=True)
        catalog = context.services.catalog
        first = (
            t.pgettext(FIRST_DIALOGUE, catalog.get(FIRST_DIALOGUE).title)
            if FIRST_DIALOGUE in catalog
            else None
        )
        joined = result.group
        welcome = welcome_view(person, coaches, t, first)
        if not person.is_coach and not coaches and joined is not None and joined.group_id:
            # Only a group brought them here: welcome them as a member, not as a coach's client.
            info = await context.services.groups.view(person.id, joined.group_id)
            if info is not None:
                welcome = group_member_welcome_view(info.name, info.facilitator_name, t)
        await send(context, caller.chat_id, welcome.text, welcome.keyboard)
        if joined is not None:
            # Registered through a group's link: say whether they are in, with the plan.
            if joined.outcome is GroupOutcome.OK and joined.group_id is not None:
                await send_welcome(context, caller.chat_id, person.id, joined.group_id, t)
            else:
                await send(context, caller.chat_id, plain(joined_text(joined, t)).text)
        return
    await show(update, context, _screen(result, t), edit=edit)


def _screen(result: OnboardingResult, t: Translator) -> Rendered:
    if result.outcome is Outcome.GROUP_OFFER and result.group is not None and result.token:
        return group_join_offer(result.group, result.token, t)
    return onboarding_view(result, t)
