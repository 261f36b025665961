"""The committed catalogs: complete, not fuzzy, in step with the code and dialogues, consistent."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog, Message

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("sv", "en")


def _forms(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, tuple | list) else [string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


@pytest.fixture(scope="module")
def catalogs(tool: ModuleType) -> dict[str, Catalog]:
    return {locale: tool.read_catalog(tool.po_path(locale), locale) for locale in LOCALES}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_empty_or_fuzzy_entries(tool: ModuleType, catalogs: dict[str, Catalog], locale: str):
    bad = [
        tool.message_key(m)
        for m in tool.messages(catalogs[locale])
        if m.fuzzy or not all(_forms(m))
    ]
    assert not bad, f"{locale}: empty or fuzzy (run tools/i18n.py missing {locale}): {bad[:20]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_header(catalogs: dict[str, Catalog], locale: str):
    assert catalogs[locale].plural_forms == "nplurals=2; plural=(n != 1);"
    assert catalogs[locale].num_plurals == 2


def test_every_extracted_message_is_in_the_catalogs(
    tool: ModuleType, catalogs: dict[str, Catalog], tmp_path: Path
):
    template = tool.extract(PROJECT_ROOT)
    pot = tmp_path / "messages.pot"
    tool.write_catalog(pot, template)
    extracted = {tool.message_key(m) for m in tool.messages(tool.read_catalog(pot))}
    assert extracted, "extraction found nothing: babel.cfg or the extractor is broken"
    for locale, catalog in catalogs.items():
        present = {tool.message_key(m) for m in tool.messages(catalog)}
        missing = sorted(extracted - present)
        assert not missing, f"{locale}: not in catalog, run tools/i18n.py sync: {missing[:20]}"


def test_swedish_differs_from_english_unless_allowed(
    tool: ModuleType, catalogs: dict[str, Catalog]
):
    allowed = {
        line.strip()
        for line in (PROJECT_ROOT / "locales" / "identical.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    english = {tool.message_key(m): _forms(m) for m in tool.messages(catalogs["en"])}
    same = [
        tool.message_key(m)
        for m in tool.messages(catalogs["sv"])
        if _forms(m) == english.get(tool.message_key(m)) and _ids(m)[0] not in allowed
    ]
    assert not same, f"sv identical to en (translate, or add to locales/identical.txt): {same}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match(tool: ModuleType, catalogs: dict[str, Catalog], locale: str):
    problems = []
    for message in tool.messages(catalogs[locale]):
        expected = set().union(*(tool.placeholders(i) for i in _ids(message)))
        try:
            found = [tool.placeholders(form) for form in _forms(message) if form]
        except ValueError as exc:
            problems.append((tool.message_key(message), str(exc)))
            continue
        # A singular form may spell the number out ("ett möte"), so each form may use a subset,
        # but together they must use every field and nothing else.
        if found and (set().union(*found) != expected or any(not f <= expected for f in found)):
            problems.append((tool.message_key(message), sorted(set().union(*found))))
    assert not problems, f"{locale}: placeholders differ from the msgid: {problems}"


def test_placeholder_parser(tool: ModuleType):
    assert tool.placeholders("From {low} to {high}, {{literal}} {obj.attr} {items[0]}") == {
        "low",
        "high",
        "obj",
        "items",
    }
    with pytest.raises(ValueError):
        tool.placeholders("broken {name")
