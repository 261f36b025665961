"""A new user finishes every dialogue in `hemmaplan chat` by typing only what the screens say.

The test is that user: it starts `hemmaplan chat` without naming a dialogue, picks each menu
entry in turn, and answers every screen from its `→` line alone (a quoted word if the line shows
one, else the first number of a range it names, an empty line where it says Enter, otherwise a
sentence of its own). Nothing in it knows the dialogues, their steps or the commands.
"""

from __future__ import annotations

import io
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console.chat import ConsoleChat
from bot.i18n import get_translator
from bot.runtime import open_runtime
from bot.services.console_identity import console_person

ARROW = "→ "
MENU_ENTRY = re.compile(r"^\s+(\d+)\. ")


def answer_from(instruction: str) -> str:
    """What a person types after reading only this instruction."""
    quoted = re.findall(r"[“”]([^“”]+)”", instruction)  # English and Swedish quotes
    if quoted:
        return quoted[0]
    numbers = re.search(r"(\d+)\D+?(\d+)", instruction)
    if numbers:
        return numbers.group(1)
    if "Enter" in instruction:
        return ""
    return "Ett kort svar med egna ord"


class NewUser(io.TextIOBase):
    """Stdin of the chat: each line is decided from what the chat printed since the last one."""

    def __init__(self, out: io.StringIO, menu_entry: int) -> None:
        self.out = out
        self.menu_entry = menu_entry
        self.read_upto = 0
        self.typed: list[str] = []
        self.picked = False
        self.lock = threading.Lock()

    def readline(self, size: int | None = -1) -> str:
        with self.lock:
            shown = self.out.getvalue()[self.read_upto :]
            self.read_upto += len(shown)
            line = self._decide(shown)
            self.typed.append(line)
            if len(self.typed) > 80:
                return ""  # end of input: the test then fails on the missing "saved"
            return line + "\n"

    def _decide(self, shown: str) -> str:
        arrows = [line for line in shown.splitlines() if line.startswith(ARROW)]
        assert arrows, f"this screen does not say how to answer it:\n{shown}"
        instruction = arrows[-1].removeprefix(ARROW)
        entries = [int(m.group(1)) for m in map(MENU_ENTRY.match, shown.splitlines()) if m]
        if not self.picked and len(entries) > 1 and "Enter" in instruction:
            return ""  # check-ins are offered first; Enter goes on to the menu, as the line says
        if not self.picked and self.menu_entry in entries:
            self.picked = True
            return str(self.menu_entry)
        return answer_from(instruction)


@pytest.mark.parametrize(("lang", "saved"), [("sv", "Sparat"), ("en", "Saved")])
async def test_a_new_user_finishes_every_dialogue_reading_only_the_screens(
    lang: str, saved: str, tmp_path: Path
) -> None:
    async with open_runtime(Settings(data_dir=tmp_path, default_locale=lang)) as runtime:
        # Someone in no Backstage group is not offered a group's own dialogues.
        offered = [d.id for d in runtime.catalog if d.audience != ("backstage",)]
        count = len(offered)
        for entry in range(1, count + 1):
            out = io.StringIO()
            user = NewUser(out, entry)
            chat = ConsoleChat(runtime, user, out)  # type: ignore[arg-type]
            assert await chat.run("ny", None, None) == 0
            transcript = out.getvalue()
            assert user.picked, transcript
            assert saved in transcript[-600:], (
                f"menu entry {entry} did not end saved; typed {user.typed}:\n{transcript[-3000:]}"
            )
            errors = [line for line in transcript.splitlines() if line.startswith("! ")]
            assert errors == [], f"entry {entry}: typed {user.typed}, got {errors}"
        person = await console_person(runtime.uow_factory, "ny", None, datetime.now(UTC))
        runs = await runtime.history.list_runs(person.id, get_translator(lang))
    finished = {run.dialogue_id for run in runs if run.status == "finished"}
    assert finished == set(offered)
