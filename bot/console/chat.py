"""`hemmaplan chat`: the dialogues in a terminal, interactive or fed by a pipe."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Literal, TextIO

from bot.console.agenda_view import describe_prompt
from bot.console.how import ARROW, console_how
from bot.console.person import person_and_translator
from bot.dialogue.engine import CreateCommitment, RecordCheck
from bot.dialogue.inputs import parse_console_input
from bot.dialogue.material import MaterialKind
from bot.dialogue.screens import ScreenKind
from bot.dialogue.text_render import render_text
from bot.i18n import Translator
from bot.runtime import Clock, Runtime
from bot.services.commitments import check_result_label
from bot.services.dialogue_runs import RunResult

QUIT_WORDS = ("/quit", "/exit", "/q")
HELP_WORDS = ("/help", "/?")
END_KINDS = (
    ScreenKind.FINISHED,
    ScreenKind.CANCELLED,
    ScreenKind.PAUSED,
    ScreenKind.UNAVAILABLE,
)


# Which dialogue a due prompt opens in the terminal; a mid-interval nudge opens the menu.
_DUE_DIALOGUES: dict[str, str | None] = {
    "checkin": "checkin",
    "before_meeting": "infor_motet",
    "after_meeting": "efter_motet",
    "nudge": None,
}


class ConsoleChat:
    """Reads lines, feeds them to the dialogue service and prints the screens."""

    def __init__(
        self,
        runtime: Runtime,
        stdin: TextIO,
        stdout: TextIO,
        clock: Clock | None = None,
    ) -> None:
        self._rt = runtime
        self._in = stdin
        self._out = stdout
        # The runtime's clock unless a test brings its own.
        self._clock = clock or runtime.clock
        self._interactive = stdin.isatty()

    def _print(self, text: str = "") -> None:
        self._out.write(text + "\n")
        self._out.flush()

    async def _read(self) -> str | None:
        """One line from the terminal or pipe; None at end of input."""
        if self._interactive:
            self._out.write("> ")
            self._out.flush()
        line = await asyncio.to_thread(self._in.readline)
        if line == "":
            return None
        return line.rstrip("\r\n")

    async def run(self, user: str, dialogue_id: str | None, lang: str | None) -> int:
        """Runs one chat session; returns the process exit code."""
        person, t = await person_and_translator(self._rt, user, lang, self._clock())
        if dialogue_id is not None and dialogue_id not in self._rt.catalog.ids():
            self._print(
                t.gettext("There is no dialogue called {name}. Choose one of: {names}").format(
                    name=dialogue_id, names=", ".join(self._rt.catalog.ids())
                )
            )
            return 2
        result = await self._rt.dialogues.current(person.id, t, self._clock())
        if result is not None and dialogue_id in (None, result.screen.dialogue_id):
            self._print(t.gettext("Welcome back. We continue where you left off."))
            return await self._converse(person.id, result, t)
        chosen = dialogue_id
        commitment_id: int | None = None
        if chosen is None:
            offered = await self._offer_due(person.id, t)
            if offered is False:
                return 0
            if offered is not None:
                chosen, commitment_id = offered
        if chosen is None:
            chosen = await self._choose_dialogue(t, person.id)
        if chosen is None:
            return 0
        if commitment_id is None and self._rt.catalog.get(chosen).needs(MaterialKind.COMMITMENT):
            picked = await self._choose_commitment(person.id, t)
            if picked is False:
                return 0
            commitment_id = picked or None
        result = await self._rt.dialogues.start(
            person.id, chosen, t, self._clock(), commitment_id=commitment_id
        )
        return await self._converse(person.id, result, t)

    async def _offer_due(
        self, person_id: int, t: Translator
    ) -> tuple[str | None, int | None] | Literal[False] | None:
        """Offers the check-ins that are due now (the bot would have sent them): the chosen
        one's dialogue and commitment, None to pick freely, False at end of input."""
        now = self._clock()
        # Without a running bot nobody re-plans: do it now so that what is offered is current.
        await self._rt.schedule.replan(person_id, now)
        due = [
            prompt
            for prompt in await self._rt.schedule.due_for(person_id, now)
            if prompt.kind in _DUE_DIALOGUES
        ]
        if not due:
            return None
        self._print(t.gettext("Due now:"))
        for number, prompt in enumerate(due, start=1):
            self._print(f"  {number}. {describe_prompt(prompt, t)}")
        self._print(
            ARROW
            + t.gettext(
                "Answer with a number from 1 to {count}, or press Enter to choose "
                "another reflection."
            ).format(count=len(due))
        )
        while True:
            answer = await self._read()
            if answer is None or answer.strip() in QUIT_WORDS:
                return False
            cleaned = answer.strip()
            if not cleaned:
                return None
            if cleaned.isdigit() and 1 <= int(cleaned) <= len(due):
                prompt = due[int(cleaned) - 1]
                await self._rt.schedule.take(person_id, prompt.id, self._clock())
                commitment_id = prompt.ref_id if prompt.kind == "checkin" else None
                return _DUE_DIALOGUES[prompt.kind], commitment_id
            self._print(
                t.gettext(
                    "{answer} is not on the list. Answer with a number from 1 to {count}."
                ).format(answer=cleaned, count=len(due))
            )

    async def _choose_commitment(self, person_id: int, t: Translator) -> int | bool:
        """Which open commitment a check-in is about: asks when there are several; 0 when
        there is none (the service then says so), False at end of input."""
        open_ones = await self._rt.commitments.open_for(person_id)
        if len(open_ones) <= 1:
            return open_ones[0].id if open_ones else 0
        self._print(t.gettext("Which commitment do you want to check in on?"))
        for number, item in enumerate(open_ones, start=1):
            line = t.gettext("{text} — by {date}").format(
                text=item.text, date=t.format_date(item.due_date)
            )
            if item.last_check is not None:
                line += " · " + check_result_label(item.last_check, t)
            self._print(f"  {number}. {line}")
        self._print(
            ARROW
            + t.gettext("Answer with a number from 1 to {count}.").format(count=len(open_ones))
        )
        while True:
            answer = await self._read()
            if answer is None or answer.strip() in QUIT_WORDS:
                return False
            cleaned = answer.strip()
            if cleaned.isdigit() and 1 <= int(cleaned) <= len(open_ones):
                return open_ones[int(cleaned) - 1].id
            self._print(
                t.gettext(
                    "{answer} is not on the list. Answer with a number from 1 to {count}."
                ).format(answer=cleaned or "…", count=len(open_ones))
            )

    async def _choose_dialogue(self, t: Translator, person_id: int) -> str | None:
        """Shows the numbered menu until a valid choice or end of input."""
        # The dialogue service's menu query: the groups' service stays unimported.
        dialogues, _paused = await self._rt.dialogues.menu(person_id)
        self._print(t.gettext("Which reflection do you want to do?"))
        for number, dialogue in enumerate(dialogues, start=1):
            title = t.pgettext(dialogue.id, dialogue.title)
            summary = t.pgettext(dialogue.id, dialogue.summary)
            self._print(f"  {number}. {title} — {summary}")
        self._print(
            ARROW
            + t.gettext("Answer with a number from 1 to {count}.").format(count=len(dialogues))
        )
        while True:
            line = await self._read()
            if line is None or line.strip() in QUIT_WORDS:
                return None
            answer = line.strip()
            if answer.isdigit() and 1 <= int(answer) <= len(dialogues):
                return dialogues[int(answer) - 1].id
            if answer in self._rt.catalog.ids():
                return answer
            self._print(
                t.gettext(
                    "{answer} is not on the list. Answer with a number from 1 to {count}."
                ).format(answer=answer or "…", count=len(dialogues))
            )

    async def _converse(self, person_id: int, result: RunResult, t: Translator) -> int:
        """The question–answer loop for one run."""
        while True:
            self._show(result, t)
            if result.screen.kind in END_KINDS:
                if result.screen.kind is ScreenKind.PAUSED:
                    self._print(t.gettext("Run `hemmaplan chat` again to continue."))
                return 0
            line = await self._read()
            if line is None or line.strip() in QUIT_WORDS:
                self._print(
                    t.gettext("Your answers so far are saved. Run `hemmaplan chat` to continue.")
                )
                return 0
            if line.strip() in HELP_WORDS:
                self._print(self._help(t))
                continue
            result = await self._rt.dialogues.handle(
                person_id, result.run_id, parse_console_input(line), t, self._clock()
            )

    def _show(self, result: RunResult, t: Translator) -> None:
        screen = result.screen
        if screen.notice:
            # The care note stands on its own before the next question, with how to pause.
            self._print()
            self._print(screen.notice)
            if screen.kind in (ScreenKind.QUESTION, ScreenKind.RECAP):
                self._print(t.gettext("(/pause pauses here)"))
            screen = replace(screen, notice=None)
        self._print()
        self._print(render_text(screen, t, how=console_how(screen, t) or ""))
        for effect in result.effects:
            if isinstance(effect, CreateCommitment):
                self._print(
                    t.gettext("Commitment saved: {text} (by {date}).").format(
                        text=effect.text, date=t.format_date(effect.due)
                    )
                )
            elif isinstance(effect, RecordCheck):
                status = check_result_label(effect.result, t)
                if effect.new_due is not None:
                    self._print(
                        t.gettext("Commitment updated: {status}, new date {date}.").format(
                            status=status, date=t.format_date(effect.new_due)
                        )
                    )
                else:
                    self._print(t.gettext("Commitment updated: {status}.").format(status=status))

    @staticmethod
    def _help(t: Translator) -> str:
        return "\n".join(
            [
                t.gettext("Commands:"),
                t.gettext("  Enter, yes or ok – save the summary at the end"),
                t.gettext("  /back – the previous question"),
                t.gettext("  /skip – skip an optional question"),
                t.gettext("  /private – mark this answer as only for me"),
                t.gettext("  /edit N – change answer N in the summary"),
                t.gettext("  /done – confirm the summary or finish a multiple choice"),
                t.gettext("  /pause – pause and continue later"),
                t.gettext("  /cancel – stop this reflection"),
                t.gettext("  /quit – leave; your answers are kept"),
            ]
        )
