"""`hemmaplan summary --client ... [--out FILE.pdf]`: what the coach gets, audited like Telegram."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from bot.config import PROJECT_ROOT, Settings
from bot.console.summary_view import show_summary
from bot.demo.seed import DemoSeeder
from bot.dialogue.loader import load_dialogues
from bot.runtime import Runtime, build_runtime
from bot.services.console_identity import console_person
from bot.storage.db import Database

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CATALOG = load_dialogues(PROJECT_ROOT / "dialogues")


async def seeded(database: Database, tmp_path: Path, lang: str) -> tuple[Runtime, int]:
    runtime = build_runtime(
        Settings(data_dir=tmp_path / "data"), database, CATALOG, clock=lambda: NOW
    )
    result = await DemoSeeder(runtime).seed(lang, NOW)
    assert result.client_id is not None
    return runtime, result.client_id


async def test_demo_summary_as_pdf_has_the_sections_the_chart_and_is_audited(
    database: Database, tmp_path: Path
) -> None:
    runtime, client_id = await seeded(database, tmp_path, "sv")
    out = tmp_path / "demo.pdf"
    lines: list[str] = []
    assert await show_summary(runtime, "demo", None, None, out, lines.append, NOW) == 0
    assert lines == [
        f"Skrev sammanfattningen av Sara Lind (demo) för Maria Holm (demo) till {out}."
    ]
    reader = PdfReader(BytesIO(out.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Inför mötet med Sara Lind (demo)",
        "Nästa möte: onsdag 2 dec. 2026 10:00 (Stockholm)",
        "Det här vill Sara ta upp",
        "Åtaganden",
        "Skalor över tid",
        "Värt att uppmärksamma",
        "Ork och arbetsbörda: 2 av 10",
        "Jag kommer direkt från ett möte med fakturagruppen",  # her note to the coach
        "Sida 1 av",
    ):
        assert expected in text, expected
    # Only what she shared: what she kept for herself is nowhere.
    assert "Gävle" not in text
    assert "göra någon besviken" not in text
    assert sum(len(page.images) for page in reader.pages) == 1
    log = await runtime.summaries.audit_log(client_id, client_id)
    assert [(entry.viewer_name, entry.channel) for entry in log] == [("Maria Holm (demo)", "pdf")]


async def test_demo_summary_as_text_in_english(database: Database, tmp_path: Path) -> None:
    runtime, client_id = await seeded(database, tmp_path, "en")
    lines: list[str] = []
    assert await show_summary(runtime, "Sara", "demo-coach", "en", None, lines.append, NOW) == 0
    text = "\n".join(lines)
    assert text.startswith("Before your meeting with Sara Lind (demo)\n=====")
    assert "How I keep my own energy up when the merger starts" in text
    assert "Gävle" not in text
    log = await runtime.summaries.audit_log(client_id, client_id)
    assert [entry.channel for entry in log] == ["cli"]


async def test_wrong_names_and_readers_get_a_clear_answer(
    database: Database, tmp_path: Path
) -> None:
    runtime, client_id = await seeded(database, tmp_path, "en")
    await console_person(runtime.uow_factory, "lone", "en", NOW)
    lines: list[str] = []

    async def run(client: str, coach: str | None = None) -> int:
        return await show_summary(runtime, client, coach, "en", None, lines.append, NOW)

    assert await run("nobody-like-this") == 1
    assert lines[-1] == "Nobody called nobody-like-this was found."
    assert await run("lone") == 1
    assert lines[-1].endswith(" works with no coach in Hemmaplan.")
    # Someone who is not her coach reads nothing, and nothing is logged.
    assert await run("demo", "lone") == 1
    assert lines[-1].endswith(" is not Sara Lind (demo)'s coach, so there is no summary to show.")
    assert await runtime.summaries.audit_log(client_id, client_id) == []


def test_a_new_user_seeds_the_demo_and_gets_the_pdf_from_the_command_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")}
    env["HEMMAPLAN_DATA_DIR"] = str(tmp_path / "data")

    def hemmaplan(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )

    seeded = hemmaplan("seed-demo", "--lang", "en")
    assert seeded.returncode == 0, seeded.stderr
    assert "hemmaplan summary --client demo --out demo.pdf" in seeded.stdout
    written = hemmaplan("summary", "--client", "demo", "--out", "demo.pdf")
    assert written.returncode == 0, written.stderr
    assert str(tmp_path / "demo.pdf") in written.stdout
    reader = PdfReader(tmp_path / "demo.pdf")
    assert "Before your meeting with Sara Lind (demo)" in reader.pages[0].extract_text()
    removed = hemmaplan("seed-demo", "--remove", "--lang", "en")
    assert removed.returncode == 0 and "Removed the demo coach" in removed.stdout
    gone = hemmaplan("summary", "--client", "demo", "--lang", "en")
    assert gone.returncode == 1 and "Nobody called demo was found." in gone.stdout
