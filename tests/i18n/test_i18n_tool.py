"""tools/i18n.py on a scratch project: sync, en auto-fill, fuzzy handling, fill, missing, lock."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest

CODE = """\
def hello(t, n):
    t.gettext("Good morning, {name}.")
    t.ngettext("{n} open commitment", "{n} open commitments", n)
    t.pgettext("menu", "Start")
"""

DIALOGUE = """\
id: tiny
version: 1
title: "Tiny"
summary: "A tiny dialogue."
steps:
  - id: only
    kind: text
    prompt: "What is on your mind?"
"""


def _project(root: Path, code: str = CODE, dialogue: str = DIALOGUE) -> None:
    (root / "bot" / "hello.py").write_text(code, "utf-8")
    (root / "dialogues" / "tiny.yaml").write_text(dialogue, "utf-8")


def _catalog(tool: ModuleType, locale: str):
    return tool.read_catalog(tool.po_path(locale), locale)


def _fill(tool: ModuleType, tmp_path: Path, data: dict) -> int:
    path = tmp_path / "fill.json"
    path.write_text(json.dumps(data), "utf-8")
    return tool.main(["fill", "sv", str(path)])


def test_sync_creates_catalogs_and_fills_english(scratch_tool: ModuleType, tmp_path: Path):
    tool = scratch_tool
    _project(tmp_path)
    assert tool.main(["sync"]) == 0
    pot = tool.read_catalog(tool.pot_path())
    keys = {tool.message_key(m) for m in tool.messages(pot)}
    assert keys == {
        "Good morning, {name}.",
        "{n} open commitment",
        "menu\x04Start",
        "tiny\x04Tiny",
        "tiny\x04A tiny dialogue.",
        "tiny\x04What is on your mind?",
    }
    en, sv = _catalog(tool, "en"), _catalog(tool, "sv")
    assert en.plural_forms == sv.plural_forms == "nplurals=2; plural=(n != 1);"
    assert en.get("{n} open commitment").string == ("{n} open commitment", "{n} open commitments")
    assert en.get("Start", context="menu").string == "Start"
    assert all(not tool.is_translated(m) for m in tool.messages(sv))
    # Locations are kept (sorted by file), with line numbers.
    assert pot.get("Start", context="menu").locations == [("bot/hello.py", 4)]


def test_fill_then_fuzzy_after_a_changed_msgid(
    scratch_tool: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    tool = scratch_tool
    _project(tmp_path)
    tool.main(["sync"])
    assert (
        _fill(
            tool,
            tmp_path,
            {
                "Good morning, {name}.": "God morgon, {name}.",
                "{n} open commitment": ["{n} öppet åtagande", "{n} öppna åtaganden"],
                "menu\x04Start": "Börja",
                "tiny\x04Tiny": "Liten",
                "tiny\x04A tiny dialogue.": "En liten dialog.",
                "tiny\x04What is on your mind?": "Vad tänker du på?",
            },
        )
        == 0
    )
    sv = _catalog(tool, "sv")
    assert all(tool.is_translated(m) for m in tool.messages(sv))
    assert sv.get("{n} open commitment").string == ("{n} öppet åtagande", "{n} öppna åtaganden")

    _project(tmp_path, CODE.replace("Good morning, {name}.", "Good morning, {name}!"))
    tool.main(["sync"])
    sv, en = _catalog(tool, "sv"), _catalog(tool, "en")
    changed = sv.get("Good morning, {name}!")
    assert changed.fuzzy and changed.string == "God morgon, {name}."
    assert not en.get("Good morning, {name}!").fuzzy
    assert en.get("Good morning, {name}!").string == "Good morning, {name}!"
    assert sv.get("Good morning, {name}.") is None

    capsys.readouterr()
    tool.main(["missing", "sv", "--json"])
    assert json.loads(capsys.readouterr().out) == {"Good morning, {name}!": "God morgon, {name}."}

    assert _fill(tool, tmp_path, {"Good morning, {name}!": "God morgon, {name}!"}) == 0
    fixed = _catalog(tool, "sv").get("Good morning, {name}!")
    assert not fixed.fuzzy and fixed.string == "God morgon, {name}!"


def test_a_removed_message_gets_its_translation_back(scratch_tool: ModuleType, tmp_path: Path):
    tool = scratch_tool
    _project(tmp_path)
    tool.main(["sync"])
    _fill(scratch_tool, tmp_path, {"menu\x04Start": "Börja"})
    _project(tmp_path, CODE.replace('    t.pgettext("menu", "Start")\n', ""))
    tool.main(["sync"])
    assert _catalog(tool, "sv").get("Start", context="menu") is None
    _project(tmp_path)
    tool.main(["sync"])
    restored = _catalog(tool, "sv").get("Start", context="menu")
    assert restored.string == "Börja" and not restored.fuzzy


def test_fill_rejects_bad_values(scratch_tool: ModuleType, tmp_path: Path):
    tool = scratch_tool
    _project(tmp_path)
    tool.main(["sync"])
    result = _fill(
        tool,
        tmp_path,
        {
            "Good morning, {name}.": "God morgon, {namn}.",
            "{n} open commitment": "ett åtagande",
            "menu\x04Start": "",
            "no such message": "finns inte",
            "tiny\x04Tiny": "Liten",
        },
    )
    assert result == 1
    sv = _catalog(tool, "sv")
    assert sv.get("Good morning, {name}.").string == ""
    assert sv.get("{n} open commitment").string == ("", "")
    assert sv.get("Tiny", context="tiny").string == "Liten"


def test_sync_and_fill_write_the_same_file(scratch_tool: ModuleType, tmp_path: Path):
    tool = scratch_tool
    _project(tmp_path)
    # The same msgid in two files, found by the directory walk in non-sorted order.
    (tmp_path / "bot" / "sub").mkdir()
    (tmp_path / "bot" / "sub" / "a.py").write_text('t.gettext("Back")\nt.gettext("Zeta")\n')
    (tmp_path / "bot" / "z.py").write_text('t.gettext("Alpha")\nt.gettext("Back")\n')
    tool.main(["sync"])
    _fill(tool, tmp_path, {})
    before = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*.po*")}
    time.sleep(1.1)  # the date headers would differ if the files were rewritten
    tool.main(["sync"])
    after = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*.po*")}
    assert before == after


def test_a_running_command_waits_for_the_lock(scratch_tool: ModuleType, tmp_path: Path):
    tool = scratch_tool
    _project(tmp_path)
    tool.main(["sync"])
    path = tmp_path / "fill.json"
    path.write_text(json.dumps({"menu\x04Start": "Börja"}), "utf-8")
    worker = threading.Thread(target=tool.main, args=(["fill", "sv", str(path)],))
    with tool.locked():
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive(), "fill ran while another command held the lock"
        assert _catalog(tool, "sv").get("Start", context="menu").string == ""
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert _catalog(tool, "sv").get("Start", context="menu").string == "Börja"
