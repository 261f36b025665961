"""`hemmaplan agenda`: meetings and planned check-ins in the person's own time zone."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings
from bot.console.agenda_view import show_agenda
from bot.runtime import open_runtime
from bot.services.console_identity import console_person
from bot.storage.models import Commitment, Meeting

NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


async def test_agenda_lists_meetings_and_prompts_in_local_time_across_dst(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    lines: list[str] = []
    async with open_runtime(settings) as runtime:
        person = await console_person(runtime.uow_factory, "asha", "en", NOW)
        async with runtime.uow_factory() as uow:
            row = await uow.people.get(person.id)
            assert row is not None
            row.timezone = "America/New_York"
            await uow.commitments.add(
                Commitment(
                    person_id=person.id,
                    text="Talk to the team",
                    due_date=date(2026, 10, 23),
                    created_at=NOW,
                )
            )
            # 14:00 in New York after the change back to standard time (UTC-5).
            await uow.meetings.add(
                Meeting(client_id=person.id, starts_at=datetime(2026, 11, 3, 19, 0, tzinfo=UTC))
            )
            await uow.commit()
        assert await show_agenda(runtime, "asha", None, lines.append, NOW) == 0
        # A second look re-plans again and shows the same.
        again: list[str] = []
        await show_agenda(runtime, "asha", None, again.append, NOW)
    assert lines == again
    text = "\n".join(lines)
    assert "Times are in America/New_York." in text
    assert "3 Nov 2026 14:00 (New York), 60 min" in text
    # 09:00 local both before (EDT) and after (EST) the change on 1 November.
    assert (
        "23 Oct 2026 09:00 (New York) — Check-in on your commitment “Talk to the team” "
        "(due 23 Oct 2026)" in text
    )
    assert "1 Nov 2026 09:00 (New York) — Prepare for the meeting on 3 Nov 2026" in text
    assert (
        "4 Nov 2026 09:00 (New York) — After the meeting on 3 Nov 2026: what you take with you"
        in text
    )


def test_agenda_command_in_swedish_without_anything_planned(tmp_path: Path) -> None:
    env = {
        "HEMMAPLAN_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "agenda", "--user", "ture", "--lang", "sv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Europe/Stockholm" in result.stdout
