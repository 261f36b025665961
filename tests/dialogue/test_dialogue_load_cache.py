"""Validated dialogues kept between starts: used only while the files are byte for byte the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.dialogue import loader
from bot.dialogue.load_cache import dialogue_cache_dir
from bot.dialogue.loader import DialogueFileError, load_dialogues

DATA = Path(__file__).parent / "data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "dialogues"
    target.mkdir()
    for name in ("all_kinds.yaml", "short.yaml"):
        shutil.copy(DATA / name, target / name)
    return target


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path) -> None:
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(loader, "_parse_file", fail)


def test_a_second_start_takes_the_same_dialogues_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = list(load_dialogues(folder, cache_dir=cache))
    assert len(list(cache.glob("*.pickle"))) == 1
    no_parsing(monkeypatch)
    assert list(load_dialogues(folder, cache_dir=cache)) == first


def test_an_edited_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_dialogues(folder, cache_dir=cache)
    path = folder / "short.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1", "version: 7"))
    assert load_dialogues(folder, cache_dir=cache).get("short").version == 7


def test_a_file_broken_after_caching_still_stops_the_start(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_dialogues(folder, cache_dir=cache)
    (folder / "short.yaml").write_text("id: short\nversion: 0\n", encoding="utf-8")
    with pytest.raises(DialogueFileError):
        load_dialogues(folder, cache_dir=cache)
    with pytest.raises(DialogueFileError):
        load_dialogues(folder, cache_dir=cache)


def test_a_damaged_or_unwritable_cache_only_costs_the_reading(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = list(load_dialogues(folder, cache_dir=cache))
    [entry] = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert list(load_dialogues(folder, cache_dir=cache)) == expected
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be", encoding="utf-8")
    assert list(load_dialogues(folder, cache_dir=blocker / "cache")) == expected


def test_the_cache_lives_in_the_users_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert dialogue_cache_dir() == tmp_path / "hemmaplan" / "dialogues"
