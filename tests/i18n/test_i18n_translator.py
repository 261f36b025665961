"""Translator behaviour: locale choice, contexts, plurals, dates and numbers in locale and zone."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.i18n import (
    N_,
    choose_locale,
    clear_cache,
    compiled_catalogs_dir,
    get_translator,
    normalize_locale,
)


def _write_catalog(root: Path, locale: str, entries: list[tuple[object, object, str | None]]):
    catalog = Catalog(locale=locale, domain="messages", fuzzy=False)
    for msgid, msgstr, context in entries:
        catalog.add(msgid, msgstr, context=context)
    path = root / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)
    return path


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    clear_cache()
    _write_catalog(
        tmp_path,
        "sv",
        [
            ("Done", "Klar", None),
            ("Done", "Klart", "checkin"),
            ("Title", "Rubrik", "nulage"),
            (("{n} day left", "{n} days left"), ("{n} dag kvar", "{n} dagar kvar"), None),
            (("{n} answer", "{n} answers"), ("ett svar", "{n} svar"), "history"),
        ],
    )
    yield tmp_path
    clear_cache()


@pytest.mark.parametrize(
    ("stored", "telegram", "default", "expected"),
    [
        ("sv", "en", "en", "sv"),
        (None, "sv-SE", "en", "sv"),
        (None, "en_US", "sv", "en"),
        (None, "EN-gb", "sv", "en"),
        ("", "de", "en", "en"),
        ("fr", None, "sv", "sv"),
        (None, None, "xx", "sv"),
        (" sv_FI.UTF-8 ", None, "en", "sv"),
    ],
)
def test_choose_locale(stored, telegram, default, expected):
    assert choose_locale(stored, telegram, default) == expected


def test_normalize_locale_rejects_unsupported():
    assert normalize_locale("nb-NO") is None
    assert normalize_locale(None) is None
    assert normalize_locale("Sv") == "sv"


def test_pgettext_uses_the_context(locales: Path):
    t = get_translator("sv", locales_dir=locales)
    assert t.gettext("Done") == "Klar"
    assert t.pgettext("checkin", "Done") == "Klart"
    assert t.pgettext("nulage", "Title") == "Rubrik"
    # Without the context, a context-only entry is not used.
    assert t.gettext("Title") == "Title"
    assert t.pgettext("other", "Done") == "Done"


def test_plurals_in_swedish(locales: Path):
    t = get_translator("sv-SE", locales_dir=locales)
    assert t.ngettext("{n} day left", "{n} days left", 1).format(n=1) == "1 dag kvar"
    assert t.ngettext("{n} day left", "{n} days left", 0).format(n=0) == "0 dagar kvar"
    assert t.ngettext("{n} day left", "{n} days left", 5).format(n=5) == "5 dagar kvar"
    assert t.npgettext("history", "{n} answer", "{n} answers", 1).format(n=1) == "ett svar"
    assert t.npgettext("history", "{n} answer", "{n} answers", 3).format(n=3) == "3 svar"


def test_plurals_in_english_without_entries(locales: Path):
    t = get_translator("en", locales_dir=locales)
    assert t.ngettext("{n} day left", "{n} days left", 1) == "{n} day left"
    assert t.ngettext("{n} day left", "{n} days left", 2) == "{n} days left"
    assert t.npgettext("history", "{n} answer", "{n} answers", 0) == "{n} answers"


def test_fuzzy_and_empty_entries_fall_back_to_the_source(tmp_path: Path):
    clear_cache()
    path = _write_catalog(tmp_path, "sv", [("Save", "Spara", None), ("Back", "", None)])
    text = path.read_text("utf-8").replace('msgid "Save"', '#, fuzzy\nmsgid "Save"')
    path.write_text(text, "utf-8")
    t = get_translator("sv", locales_dir=tmp_path)
    assert t.gettext("Save") == "Save"
    assert t.gettext("Back") == "Back"


def test_rewritten_catalog_is_reloaded(tmp_path: Path):
    clear_cache()
    path = _write_catalog(tmp_path, "sv", [("Save", "Spara", None)])
    assert get_translator("sv", locales_dir=tmp_path).gettext("Save") == "Spara"
    _write_catalog(tmp_path, "sv", [("Save", "Lagra", None)])
    stat = path.stat()
    # Make sure the modification time differs even on coarse file systems.
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert get_translator("sv", locales_dir=tmp_path).gettext("Save") == "Lagra"


def test_compiled_catalog_is_kept_between_processes_and_follows_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    clear_cache()
    _write_catalog(tmp_path, "sv", [("Save", "Spara", None)])
    assert get_translator("sv", locales_dir=tmp_path).gettext("Save") == "Spara"
    [compiled] = compiled_catalogs_dir().glob("sv-*.mo")
    # A new process (an empty memory cache) reads the compiled copy instead of the .po.
    clear_cache()
    monkeypatch.setattr("babel.messages.pofile.read_po", _refuse_parsing)
    assert get_translator("sv", locales_dir=tmp_path).gettext("Save") == "Spara"
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # A changed catalog is compiled again and replaces the old copy.
    path = _write_catalog(tmp_path, "sv", [("Save", "Lagra", None)])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert get_translator("sv", locales_dir=tmp_path).gettext("Save") == "Lagra"
    assert list(compiled_catalogs_dir().glob("sv-*.mo")) != [compiled]
    assert len(list(compiled_catalogs_dir().glob("sv-*.mo"))) == 1
    clear_cache()


def test_unwritable_cache_still_translates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    clear_cache()
    _write_catalog(tmp_path, "sv", [("Save", "Spara", None)])
    assert get_translator("sv", locales_dir=tmp_path).gettext("Save") == "Spara"
    clear_cache()


def _refuse_parsing(*args: object, **kwargs: object) -> None:
    raise AssertionError("the .po catalog was parsed again")


def test_missing_catalog_returns_source(tmp_path: Path):
    t = get_translator("sv", locales_dir=tmp_path / "nowhere")
    assert t.gettext("Save") == "Save"


def test_project_catalog_translates_dialogue_texts():
    t = get_translator("sv")
    assert t.pgettext("nasta_steg", "Your commitment") == "Ditt åtagande"
    assert get_translator("en").pgettext("nasta_steg", "Your commitment") == "Your commitment"


def test_n_marker_is_identity():
    assert N_("Later") == "Later"


def test_dates_in_locale():
    d = date(2026, 12, 1)
    assert get_translator("sv").format_date(d) == "1 dec. 2026"
    assert get_translator("sv").format_date(d, "long") == "1 december 2026"
    assert get_translator("en").format_date(d) == "1 Dec 2026"
    assert get_translator("en").format_date(d, "short") == "01/12/2026"


def test_datetime_across_the_dst_change_in_stockholm():
    t = get_translator("sv", "Europe/Stockholm")
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert t.format_datetime(before, "short") == "2026-03-29 01:30"
    assert t.format_datetime(after, "short") == "2026-03-29 03:30"
    # 25 October 2026: back from 03:00 CEST to 02:00 CET.
    autumn = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert t.format_datetime(autumn, "HH:mm zzzz") == "02:30 centraleuropeisk normaltid"
    assert t.format_time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "02:30"


def test_datetime_in_another_zone_and_naive_as_utc():
    t = get_translator("en", ZoneInfo("America/New_York"))
    assert t.format_datetime(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "HH:mm") == "08:00"
    assert t.format_datetime(datetime(2026, 7, 1, 12, 0), "HH:mm") == "08:00"
    # The date of a datetime is the local date: 02:00 UTC is still the previous day in New York.
    assert t.format_date(datetime(2026, 7, 2, 2, 0, tzinfo=UTC), "yyyy-MM-dd") == "2026-07-01"


def test_numbers_in_locale():
    assert get_translator("sv").format_number(1234.5) == "1\xa0234,5"
    assert get_translator("en").format_number(1234.5) == "1,234.5"


def test_translator_attributes():
    t = get_translator("en-US", "Europe/Stockholm")
    assert t.locale == "en"
    assert t.tz == ZoneInfo("Europe/Stockholm")
    assert get_translator("de").locale == "sv"
