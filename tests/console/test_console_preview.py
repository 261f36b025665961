"""`hemmaplan preview`: the client sees what the coach gets and decides in the terminal, with the
same effect as the Telegram buttons (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings
from bot.console.preview_view import PreviewChoices, show_preview
from bot.demo.seed import DemoSeeder
from bot.dialogue.loader import load_dialogues
from bot.i18n import get_translator
from bot.runtime import build_runtime
from bot.services.summaries import Decision
from bot.storage.db import Database

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CATALOG = load_dialogues(PROJECT_ROOT / "dialogues")


async def test_holding_back_and_declining_from_the_terminal(
    database: Database, tmp_path: Path
) -> None:
    runtime = build_runtime(
        Settings(data_dir=tmp_path / "data"), database, CATALOG, clock=lambda: NOW
    )
    seeded = await DemoSeeder(runtime).seed("en", NOW)
    assert seeded.client_id is not None and seeded.coach_id is not None
    lines: list[str] = []
    assert await show_preview(runtime, "demo", "en", PreviewChoices(), lines.append, NOW) == 0
    shown = "\n".join(lines)
    assert "Your meeting with Maria Holm (demo): Wednesday 2 Dec 2026 10:00 (Stockholm)" in shown
    assert "You have approved it." in shown
    run_line = next(line for line in lines if "✅ run:" in line)
    key = run_line.split()[1]

    lines.clear()
    wrong = PreviewChoices(hold=(key, "answer:999999"))
    assert await show_preview(runtime, "demo", "en", wrong, lines.append, NOW) == 1
    assert lines == ["There is no item answer:999999 in the summary."]
    lines.clear()
    held = PreviewChoices(hold=(key,), note="Short on time", decision=Decision.DECLINE)
    assert await show_preview(runtime, "demo", "en", held, lines.append, NOW) == 0
    shown = "\n".join(lines)
    assert f"🚫 {key}" in shown and "You hold back 1 item." in shown
    assert "You chose not to share it this time." in shown
    assert "Short on time" in shown

    t = get_translator("en", "Europe/Stockholm")
    coach = await runtime.summaries.coach_summary(seeded.coach_id, seeded.client_id, t, NOW)
    assert coach.summary is None  # declined, and nothing was delivered before
