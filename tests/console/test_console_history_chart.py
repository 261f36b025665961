"""`hemmaplan history --chart FILE.png`: the person's own scales over time as a picture."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from test_console_every_dialogue import answer_script

from bot.config import Settings
from bot.console.chat import ConsoleChat
from bot.console.history_view import write_history_chart
from bot.runtime import open_runtime


async def test_history_chart_is_written_once_a_scale_repeats(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    target = tmp_path / "scales.png"
    lines: list[str] = []
    async with open_runtime(settings) as runtime:
        now = datetime.now(UTC)
        assert await write_history_chart(runtime, "tester", "sv", target, lines.append, now) == 1
        assert "minst två gånger" in lines[-1]
        assert not target.exists()
        for stage in ("2", "3"):
            script = answer_script("grupp_mognad", "sv")
            script[0] = stage
            chat = ConsoleChat(runtime, io.StringIO("\n".join(script) + "\n"), io.StringIO())
            assert await chat.run("tester", "grupp_mognad", "sv") == 0
        assert await write_history_chart(runtime, "tester", "sv", target, lines.append, now) == 0
        assert str(target) in lines[-1]
        assert target.read_bytes().startswith(b"\x89PNG")
        blocked = tmp_path / "missing-dir" / "scales.png"
        assert await write_history_chart(runtime, "tester", "en", blocked, lines.append, now) == 1
        assert lines[-1].startswith(f"Could not write {blocked}")
