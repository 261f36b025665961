"""`hemmaplan chat checkin` picks the commitment to check in on; history shows the last status."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.console.chat import ConsoleChat
from bot.console.history_view import show_history
from bot.runtime import Runtime, open_runtime
from bot.services.console_identity import console_person
from bot.storage.models import Commitment


def _today(runtime: Runtime) -> date:
    """The console person's calendar day ("+10" counts from it), not the server's: they differ
    around midnight."""
    return datetime.now(ZoneInfo(runtime.settings.timezone)).date()


async def _commitments(runtime: Runtime, texts: list[str]) -> list[int]:
    now = datetime.now(UTC)
    person = await console_person(runtime.uow_factory, "tester", "en", now)
    ids = []
    async with runtime.uow_factory() as uow:
        for days, text in enumerate(texts, start=1):
            made = await uow.commitments.add(
                Commitment(
                    person_id=person.id,
                    text=text,
                    due_date=_today(runtime) + timedelta(days=days),
                    status="open",
                    created_at=now,
                    updated_at=now,
                )
            )
            ids.append(made.id)
        await uow.commit()
    return ids


async def test_checkin_asks_which_commitment_then_updates_that_one(tmp_path: Path) -> None:
    out = io.StringIO()
    async with open_runtime(Settings(data_dir=tmp_path)) as runtime:
        first, second = await _commitments(runtime, ["Book one-to-ones", "Ask for the budget"])
        # 7 is not on the list; 2 picks the budget; then: not yet, why, +10 days, save.
        script = "7\n2\n3\nNo time\n+10\n/done\n"
        chat = ConsoleChat(runtime, io.StringIO(script), out)
        assert await chat.run("tester", "checkin", "en") == 0
        budget = await runtime.commitments.get(1, second)
        today = _today(runtime)
        untouched = await runtime.commitments.get(1, first)
        lines: list[str] = []
        await show_history(runtime, "tester", "en", None, lines.append, datetime.now(UTC))
    text = out.getvalue()
    assert "Which commitment do you want to check in on?" in text
    assert "1. Book one-to-ones" in text and "2. Ask for the budget" in text
    assert "7 is not on the list" in text
    assert "Your commitment: Ask for the budget" in text
    assert "Commitment updated: Not yet, new date" in text
    assert budget is not None and (budget.status, budget.last_check) == ("open", "not_yet")
    assert budget.due_date == today + timedelta(days=10)
    assert untouched is not None and untouched.last_check is None
    history = "\n".join(lines)
    assert "Ask for the budget" in history and "Not yet" in history


async def test_checkin_without_commitments_says_so(tmp_path: Path) -> None:
    out = io.StringIO()
    async with open_runtime(Settings(data_dir=tmp_path)) as runtime:
        chat = ConsoleChat(runtime, io.StringIO(""), out)
        assert await chat.run("tester", "checkin", "sv") == 0
    assert "Du har inga öppna åtaganden att stämma av just nu." in out.getvalue()
