"""Dialogues in chat: choosing one, buttons, typed answers, /cancel, non-text input."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import Update

from bot.dialogue.engine import CreateCommitment
from bot.dialogue.inputs import (
    Back,
    Cancel,
    Choose,
    Confirm,
    Edit,
    Input,
    Pause,
    Resume,
    Skip,
    Submit,
    Text,
    TogglePrivate,
)
from bot.dialogue.screens import Screen, ScreenKind
from bot.i18n import Translator
from bot.services.dialogue_runs import RunResult, StaleInput
from bot.telegram.callbacks import DialogueButton, parse_dialogue
from bot.telegram.container import BotContext
from bot.telegram.conversation import Caller, identify, send, show, toast, translator_for
from bot.telegram.handlers.access import admit, pressed, registered
from bot.telegram.handlers.onboarding import onboarding_text
from bot.telegram.live_screen import show_run
from bot.telegram.rendering import NOTE_PAUSE, Rendered, render_notice, render_screen
from bot.telegram.views.reflect_menu import reflect_menu
from bot.telegram.who import Member, for_members

_SIMPLE: dict[str, Input] = {
    "s": Submit(),
    "b": Back(),
    "k": Skip(),
    "p": Pause(),
    # Pause from the care note: the note stays readable, the paused screen comes below it.
    NOTE_PAUSE: Pause(),
    "r": Resume(),
    "x": Cancel(),
    "ok": Confirm(),
}


async def dialogue_menu(context: BotContext, t: Translator, person_id: int) -> Rendered:
    """The dialogues to choose from (a Backstage group's own only for its members), a paused
    one marked."""
    dialogues, paused = await context.services.dialogues.menu(person_id)
    return reflect_menu(dialogues, paused, t)


@for_members
async def reflect(me: Member, update: Update, context: BotContext) -> None:
    """Offers the dialogues to choose from."""
    await show(update, context, await dialogue_menu(context, me.t, me.person.id))


async def start_dialogue(update: Update, context: BotContext) -> None:
    """Starts (or resumes) the chosen dialogue."""
    press = await pressed(update, context)
    if press is None:
        return
    caller, services = press.caller, context.services
    if press.argument not in services.catalog:
        await toast(update, context, caller.t.gettext("That reflection is no longer available."))
        return
    await press.query.answer()
    result = await services.dialogues.start(
        press.person.id, press.argument, caller.t, services.now()
    )
    rendered = render_screen(result.screen, result.run_id, caller.t)
    await show_run(update, context, result, rendered, edit=True)


async def dialogue_button(update: Update, context: BotContext) -> None:
    """Feeds a pressed dialogue button to its run; stale buttons change nothing."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = parse_dialogue(query.data)
    if button is None:
        found = await registered(update, context)
        if found is not None:
            await toast(update, context, _stale_text(found[0].t))
        return
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    # Who is pressing and the run they press on are read in the same unit of work that steps it.
    outcome = await context.services.dialogues.press(
        user.id,
        button.run_id,
        button.step,
        lambda screen: _button_input(button, screen),
        lambda person: translator_for(person, user.language_code, context),
        context.services.now(),
        # A note's pause leaves the note as it is: the screen goes to a new message.
        query.message.message_id if query.message and button.action != NOTE_PAUSE else None,
    )
    t = outcome.t
    if await admit(update, context, Caller(user.id, chat.id, outcome.person, t)) is None:
        return
    if outcome.stale:
        await toast(update, context, _stale_text(t))
        return
    if outcome.result is None:
        await query.answer()  # a repeated tap: already done
        return
    await query.answer()
    await _show_result(update, context, outcome.result, t, edit=button.action != NOTE_PAUSE)


def _stale_text(t: Translator) -> str:
    return t.gettext("That button belongs to an earlier question, so nothing was changed.")


def _button_input(button: DialogueButton, current: Callable[[], Screen | None]) -> Input | None:
    """The engine input for a button; None when it would change nothing (e.g. a double tap)."""
    if button.action in _SIMPLE:
        return _SIMPLE[button.action]
    if button.action == "c" and not button.argument.startswith("#"):
        return Choose(button.argument)
    if button.action == "e":
        return Edit(button.argument)
    # Toggles carry the wanted state so that a second tap of the same button is a no-op;
    # options too long for callback data are named by position. Both need the current screen.
    screen = current()
    if screen is None:
        raise StaleInput
    value = button.argument
    if value.startswith("#"):
        position = value[1:]
        if not (position.isascii() and position.isdigit()) or int(position) >= len(screen.choices):
            raise StaleInput
        index = int(position)
        value = screen.choices[index].value
    if button.action == "c":
        return Choose(value)
    if button.action in ("t1", "t0"):
        wanted = button.action == "t1"
        choice = next((c for c in screen.choices if c.value == value), None)
        return Choose(value) if choice and choice.selected != wanted else None
    if button.action in ("v1", "v0"):
        wanted = button.action == "v1"
        if button.argument:
            item = next((i for i in screen.recap if str(i.number) == button.argument), None)
            if item is None or item.private == wanted:
                return None
            return TogglePrivate(item.step_id)
        return TogglePrivate() if screen.private != wanted else None
    return None


async def _show_result(
    update: Update, context: BotContext, result: RunResult, t: Translator, *, edit: bool
) -> None:
    """Show the run's new screen; a finished run also says where its results can be found."""
    note = render_notice(result.screen, result.run_id, t)
    if note is not None:
        # The care note comes first, as a calm message of its own; the next question then
        # follows as a new message below it rather than replacing the pressed one above it.
        await show(update, context, note)
        edit = False
    rendered = render_screen(result.screen, result.run_id, t)
    if result.joined:
        joined = t.gettext(
            "Your two messages came close together, so I added the second one to your "
            "previous answer."
        )
        rendered = Rendered(f"ℹ️ <i>{escape(joined)}</i>\n\n{rendered.text}", rendered.keyboard)
    if result.screen.kind is ScreenKind.FINISHED:
        if result.screen.reader == "facilitator":
            # A group's reflection: no coach reads it; /group shows what the group shares.
            hints = [
                t.gettext(
                    "Your facilitator reads what you did not keep for yourself; the group only "
                    "what you shared with it. /group shows the group's plan."
                )
            ]
        else:
            hints = [t.gettext("/preview shows what your coach gets before your next meeting.")]
        if any(isinstance(effect, CreateCommitment) for effect in result.effects):
            hints.insert(0, t.gettext("Your commitment is under /commitments."))
        hints.append(t.gettext("/reflect starts another reflection."))
        rendered = Rendered(rendered.text + "\n\n<i>" + escape(" ".join(hints)) + "</i>")
        # The recap stays readable above (its buttons go); "Saved" comes as a message below it.
        edit = False
    await show_run(update, context, result, rendered, edit=edit)


async def text_message(update: Update, context: BotContext) -> None:
    """Routes typed text: onboarding questions first, otherwise the current dialogue step."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and message.text is not None
    assert user is not None and chat is not None
    # Who is writing and their current run are read in the same unit of work that steps it.
    outcome = await context.services.dialogues.answer_typed(
        user.id,
        Text(message.text),
        lambda person: translator_for(person, user.language_code, context),
        context.services.now(),
        (message.message_id, message.date),
    )
    caller = Caller(user.id, chat.id, outcome.person, outcome.t)
    if caller.registered is None:
        await onboarding_text(update, context, caller, message.text)
        return
    t, result = caller.t, outcome.result
    if result is None:
        await send(
            context,
            caller.chat_id,
            t.gettext("There is no reflection going on right now. /reflect starts one."),
        )
        return
    await _show_result(update, context, result, t, edit=False)


# Written commands for the step on screen, the same as its buttons (/private N at the recap).
_TYPED_COMMANDS: dict[str, Callable[[str], Input]] = {
    "back": lambda _: Back(),
    "skip": lambda _: Skip(),
    "pause": lambda _: Pause(),
    "private": lambda argument: TogglePrivate(argument or None),
}


@for_members
async def step_command(me: Member, update: Update, context: BotContext) -> None:
    """/back, /skip, /pause and /private [N]: act on the reflection on screen."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    name = message.text.split()[0].lstrip("/").split("@")[0].lower()
    make = _TYPED_COMMANDS[name]
    inp = make(" ".join(context.args or []))
    outcome = await context.services.dialogues.answer_typed(
        user.id, inp, lambda _person: me.t, context.services.now()
    )
    if outcome.result is None:
        await send(
            context,
            me.chat_id,
            me.t.gettext("There is no reflection going on right now. /reflect starts one."),
        )
        return
    await _show_result(update, context, outcome.result, me.t, edit=False)


@for_members
async def cancel(me: Member, update: Update, context: BotContext) -> None:
    """Stops the current dialogue (its answers are not saved)."""
    services = context.services
    current = await services.dialogues.current(me.person.id, me.t, services.now())
    if current is None:
        await send(context, me.chat_id, me.t.gettext("There is nothing to cancel."))
        return
    result = await services.dialogues.handle(
        me.person.id, current.run_id, Cancel(), me.t, services.now()
    )
    await _show_result(update, context, result, me.t, edit=False)


async def non_text(update: Update, context: BotContext) -> None:
    """Explains that only text can be read (photos, voice, stickers ...); nothing is lost."""
    caller = await identify(update, context)
    t = caller.t
    if caller.registered is None:
        await onboarding_text(update, context, caller, None)
        return
    services = context.services
    current = await services.dialogues.current(caller.registered.id, t, services.now())
    if current is None:
        text = t.gettext("I can only read text messages. /help shows what I can do.")
        await send(context, caller.chat_id, text)
        return
    await send(
        context,
        caller.chat_id,
        t.gettext(
            "I can only read text, so please type your answer or use the buttons. "
            "Your earlier answers are kept."
        ),
    )
    await show_run(update, context, current, render_screen(current.screen, current.run_id, t))


async def edited_message(update: Update, context: BotContext) -> None:
    """Says that an edited message changes nothing (it is not read as a new answer)."""
    caller = await identify(update, context)
    text = caller.t.gettext(
        "I only read new messages, so your edit changed nothing. "
        "Send what you meant as a new message."
    )
    await send(context, caller.chat_id, escape(text))
