"""The engine stays free of transports and databases, in source and when imported."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT

ENGINE_DIR = PROJECT_ROOT / "bot" / "dialogue"
FORBIDDEN = re.compile(
    r"^\s*(from|import)\s+(telegram|sqlalchemy|bot\.storage|bot\.telegram)\b", re.M
)


def test_engine_sources_import_neither_telegram_nor_sqlalchemy() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in sorted(ENGINE_DIR.rglob("*.py"))
        if FORBIDDEN.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_importing_the_engine_loads_neither_telegram_nor_sqlalchemy() -> None:
    modules = sorted(p.stem for p in Path(ENGINE_DIR).glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import bot.dialogue.{name}\n" for name in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlalchemy')]\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    assert result.stdout.strip() == ""
