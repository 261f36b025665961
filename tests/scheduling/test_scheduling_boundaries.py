"""The planning rules stay pure: no transport, no database, in source and when imported."""

from __future__ import annotations

import re
import subprocess
import sys

from bot.config import PROJECT_ROOT

SCHEDULING_DIR = PROJECT_ROOT / "bot" / "scheduling"
FORBIDDEN = re.compile(
    r"^\s*(from|import)\s+(telegram|sqlalchemy|bot\.storage|bot\.telegram|bot\.services)\b", re.M
)


def test_scheduling_sources_import_neither_telegram_nor_sqlalchemy() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in sorted(SCHEDULING_DIR.rglob("*.py"))
        if FORBIDDEN.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_importing_scheduling_loads_neither_telegram_nor_sqlalchemy() -> None:
    modules = sorted(p.stem for p in SCHEDULING_DIR.glob("*.py") if p.stem != "__init__")
    assert "plan" in modules and "localtime" in modules
    code = (
        "import sys\n"
        + "".join(f"import bot.scheduling.{name}\n" for name in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlalchemy')]\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    assert result.stdout.strip() == ""
