"""Fixtures for the i18n tests: the catalog tool loaded as a module, and scratch catalogs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _load_tool() -> ModuleType:
    """tools/i18n.py is a script, not a package: load it by path (once per session)."""
    name = "hemmaplan_i18n_tool"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tool() -> ModuleType:
    """The catalog maintenance script as a module."""
    return _load_tool()


@pytest.fixture
def scratch_tool(tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The tool pointed at an empty scratch project that has the real babel.cfg."""
    (tmp_path / "babel.cfg").write_text(
        (PROJECT_ROOT / "babel.cfg").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "bot").mkdir()
    (tmp_path / "dialogues").mkdir()
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    return tool
