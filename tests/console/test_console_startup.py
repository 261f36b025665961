"""The `hemmaplan` command stays quick to start: heavy packages load only where they are used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "alembic",
    "mako",
    "telegram",
    "babel",
    "matplotlib",
    "fpdf",
)


def test_help_imports_none_of_the_heavy_packages() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from bot.cli import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_console_on_sqlite_imports_no_postgresql_dialect() -> None:
    script = (
        "import sys\n"
        "import bot.console.chat, bot.runtime\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.postgresql')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_chat_imports_no_pydantic_before_it_needs_to_validate_a_dialogue_file() -> None:
    # Settings are plain dataclasses; pydantic is for the dialogue schema, which a start with a
    # warm dialogue cache does not build.
    script = (
        "import sys\n"
        "import bot.cli, bot.console.chat, bot.runtime\n"
        "from bot.config import load_settings\n"
        "load_settings()\n"
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_chat_imports_no_summary_pdf_or_chart_modules() -> None:
    # The runtime builds a service on first use: the chat's modules and a built runtime do not
    # pull in the summaries, the scheduler's delivery, matplotlib or fpdf.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import bot.console.chat\n"
        "from bot.config import Settings\n"
        "from bot.runtime import build_runtime\n"
        "runtime = build_runtime(Settings(data_dir=Path('.')), None, None)  # type: ignore\n"
        "runtime.dialogues\n"
        "heavy = ('bot.services.summaries', 'bot.summary.compose', 'bot.summary.trends',\n"
        "         'bot.services.delivery', 'bot.services.group_view', 'bot.services.groups',\n"
        "         'bot.services.history', 'matplotlib', 'fpdf')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_chat_on_a_current_database_loads_neither_alembic_nor_pydantic(tmp_path: Path) -> None:
    # Alembic is for migrating and pydantic for validating dialogue files: a start with the
    # schema current and the dialogues cached needs neither.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")}
    env.update(HEMMAPLAN_DATA_DIR=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    chat = [sys.executable, "-X", "importtime", "-m", "bot", "chat", "--lang", "en", "--user", "a"]
    first = subprocess.run(chat, env=env, input="", capture_output=True, text=True, check=True)
    assert " alembic" in first.stderr  # the first start migrated (and cached the dialogues)
    again = subprocess.run(chat, env=env, input="", capture_output=True, text=True, check=True)
    assert "Answer with a number from 1 to" in again.stdout
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in again.stderr.splitlines()}
    assert not loaded & {"alembic", "mako", "pydantic", "pydantic_core", "babel"}
