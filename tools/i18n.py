#!/usr/bin/env python3
"""Catalog maintenance: extract messages, update the sv/en catalogs, merge and list translations.

    python tools/i18n.py sync                 # extract into messages.pot, update sv+en, fill en
    python tools/i18n.py missing sv [--json]  # entries with no or a fuzzy translation
    python tools/i18n.py fill sv FILE.json    # merge {"ctx\\u0004msgid" | "msgid": "..."}

Every command holds an fcntl lock on locales/.i18n.lock, so several people (or agents) can run it
at the same time in one working tree without losing each other's translations.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import string
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # The dialogue extractor is imported from the project (bot.i18n_extract).
    sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog, Message  # noqa: E402
from babel.messages.extract import check_and_call_extract_file  # noqa: E402
from babel.messages.frontend import parse_keywords, parse_mapping_cfg  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

LOCALES = ("sv", "en")
SOURCE_LOCALE = "en"
DOMAIN = "messages"
CONTEXT_SEP = "\x04"
PROJECT = "Hemmaplan"
VERSION = "0.1"
# Header lines that change on every run; ignored when deciding whether a file really changed.
_DATE_HEADERS = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


# ---------------------------------------------------------------- helpers shared with the tests


# Paths are derived from ROOT when used, so tests can point the tool at a scratch tree.
def locales_dir() -> Path:
    """The catalog directory."""
    return ROOT / "locales"


def pot_path() -> Path:
    """The extracted template."""
    return locales_dir() / "messages.pot"


def po_path(locale: str) -> Path:
    """The .po file of a locale."""
    return locales_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def message_key(message: Message) -> str:
    """The fill/missing key of a message: "context\\x04msgid" or "msgid" (singular for plurals)."""
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return f"{message.context}{CONTEXT_SEP}{msgid}" if message.context else str(msgid)


def placeholders(text: str) -> set[str]:
    """The str.format field names in a text ({name} -> "name"); raises ValueError if malformed."""
    names: set[str] = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return names


def is_translated(message: Message) -> bool:
    """True when every form has a non-empty translation and the entry is not fuzzy."""
    if message.fuzzy:
        return False
    forms = message.string if isinstance(message.string, tuple | list) else [message.string]
    return bool(forms) and all(form for form in forms)


def messages(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages without the header entry."""
    for message in catalog:
        if message.id:
            yield message


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po or .pot file."""
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=locale, domain=DOMAIN)


def extract(root: Path | None = None) -> Catalog:
    """Extract code and dialogue messages (per root/babel.cfg) into a template catalog."""
    root = root or ROOT
    cfg_path = root / "babel.cfg"
    with cfg_path.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(cfg_path))  # type: ignore[no-untyped-call]
    keywords: dict[str, Any] = {}
    comment_tags = ""
    for pattern, options in options_map.items():
        if dict(method_map).get(pattern) == "python":
            # Babel parses the `keywords` option of a mapping section itself (older: a string).
            raw = options.get("keywords", {})
            keywords = parse_keywords(raw.split()) if isinstance(raw, str) else dict(raw)
            comment_tags = str(options.get("comment_tags", ""))
    template = Catalog(
        project=PROJECT, version=VERSION, domain=DOMAIN, charset="utf-8", fuzzy=False
    )
    for dirpath, dirnames, filenames in os.walk(root):
        # Hidden and private directories (.venv, .git, __pycache__) never hold sources.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for filename in sorted(filenames):
            filepath = Path(dirpath) / filename
            try:
                results = list(
                    check_and_call_extract_file(
                        filepath,
                        method_map,
                        options_map,
                        None,
                        keywords,
                        comment_tags.split(),
                        strip_comment_tags=True,
                        dirpath=root,
                    )
                )
            except Exception as exc:  # a half-edited file must not stop everybody's sync
                rel = filepath.relative_to(root)
                print(f"warning: skipped {rel}: {exc.__class__.__name__}: {exc}", file=sys.stderr)
                continue
            for rel_name, lineno, message, comments, context in results:
                location = (Path(rel_name).as_posix(), lineno)
                template.add(message, None, [location], auto_comments=comments, context=context)
    return template


# ---------------------------------------------------------------- file handling


@contextmanager
def locked(shared: bool = False) -> Iterator[None]:
    """Hold the catalog lock (exclusive for writers, shared for readers)."""
    locales_dir().mkdir(parents=True, exist_ok=True)
    with (locales_dir() / ".i18n.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(line for line in data.splitlines() if not line.startswith(_DATE_HEADERS))


def write_catalog(path: Path, catalog: Catalog, *, keep_obsolete: bool = True) -> bool:
    """Write a catalog unless only its date headers would change; True if written."""
    # Sorting by file uses the location lists as they are in memory, and extraction order differs
    # from read-back order: sort them so sync and fill write the same file.
    for message in messages(catalog):
        message.locations = sorted(set(message.locations))
    buffer = BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_by_file=True,
        ignore_obsolete=not keep_obsolete,
        include_previous=False,
    )
    data = buffer.getvalue()
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _new_catalog(locale: str) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project=PROJECT,
        version=VERSION,
        charset="utf-8",
        language_team=f"{PROJECT} {locale}",
        last_translator=f"{PROJECT} team",
        fuzzy=False,
    )


def _fill_from_source(catalog: Catalog) -> None:
    """English is the source language: msgstr = msgid, never fuzzy."""
    nplurals = catalog.num_plurals
    for message in messages(catalog):
        if isinstance(message.id, tuple | list):
            singular, plural = message.id[0], message.id[1]
            message.string = tuple([singular] + [plural] * (nplurals - 1))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
        message.previous_id = []


def update_locale(template: Catalog, locale: str) -> Catalog:
    """Merge the template into a locale's catalog (created when missing) and return it."""
    path = po_path(locale)
    catalog = read_catalog(path, locale) if path.exists() else _new_catalog(locale)
    # A message that disappeared and came back gets its old translation from the #~ entries.
    for key, old in list(catalog.obsolete.items()):
        if (
            template.get(old.id, old.context) is not None
            and catalog.get(old.id, old.context) is None
        ):
            catalog[old.id] = old
            del catalog.obsolete[key]
    catalog.update(template, no_fuzzy_matching=locale == SOURCE_LOCALE)
    catalog.fuzzy = False
    if locale == SOURCE_LOCALE:
        _fill_from_source(catalog)
    catalog.revision_date = datetime.now(UTC)
    return catalog


def _stats(catalog: Catalog) -> str:
    items = list(messages(catalog))
    fuzzy = sum(1 for m in items if m.fuzzy)
    done = sum(1 for m in items if is_translated(m))
    return f"{len(items)} entries, {done} translated, {fuzzy} fuzzy, {len(items) - done} missing"


# ---------------------------------------------------------------- commands


def cmd_sync(_args: argparse.Namespace) -> int:
    """Extract into messages.pot, update every locale, auto-fill English."""
    with locked():
        template = extract()
        if write_catalog(pot_path(), template):
            print(f"wrote {pot_path().relative_to(ROOT)}")
        print(f"messages.pot: {len(list(messages(template)))} messages")
        for locale in LOCALES:
            catalog = update_locale(template, locale)
            keep = locale != SOURCE_LOCALE
            written = write_catalog(po_path(locale), catalog, keep_obsolete=keep)
            print(f"{locale}: {_stats(catalog)}{' (written)' if written else ''}")
    return 0


def _validated_value(message: Message, value: Any, nplurals: int) -> tuple[str, ...] | str:
    """Check a fill value against the entry; raise ValueError with the reason."""
    if isinstance(message.id, tuple | list):
        if isinstance(value, str) or not isinstance(value, list):
            raise ValueError(f"plural entry needs a list of {nplurals} forms")
        if len(value) != nplurals or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"plural entry needs {nplurals} non-empty forms")
        expected = placeholders(message.id[0]) | placeholders(message.id[1])
        found = set().union(*(placeholders(v) for v in value))
        if found != expected or any(not placeholders(v) <= expected for v in value):
            raise ValueError(f"placeholders {sorted(found)} != {sorted(expected)}")
        return tuple(value)
    if not isinstance(value, str) or not value:
        raise ValueError("needs a non-empty string")
    if placeholders(value) != placeholders(str(message.id)):
        raise ValueError(
            f"placeholders {sorted(placeholders(value))} != {sorted(placeholders(message.id))}"
        )
    return value


def cmd_fill(args: argparse.Namespace) -> int:
    """Merge translations from a JSON object into a locale's catalog."""
    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    with source:
        data = json.load(source)
    if not isinstance(data, dict):
        print("error: the JSON must be an object", file=sys.stderr)
        return 2
    problems = 0
    with locked():
        path = po_path(args.locale)
        if not path.exists():
            print(f"error: {path} does not exist; run sync first", file=sys.stderr)
            return 2
        catalog = read_catalog(path, args.locale)
        by_key = {message_key(m): m for m in messages(catalog)}
        filled = 0
        for key, value in data.items():
            message = by_key.get(key)
            if message is None:
                print(f"unknown: {key!r}", file=sys.stderr)
                problems += 1
                continue
            try:
                message.string = _validated_value(message, value, catalog.num_plurals)
            except ValueError as exc:
                print(f"rejected {key!r}: {exc}", file=sys.stderr)
                problems += 1
                continue
            message.flags.discard("fuzzy")
            message.previous_id = []
            filled += 1
        catalog.revision_date = datetime.now(UTC)
        write_catalog(path, catalog, keep_obsolete=args.locale != SOURCE_LOCALE)
        print(f"{args.locale}: filled {filled}, problems {problems}; {_stats(catalog)}")
    return 1 if problems else 0


def cmd_missing(args: argparse.Namespace) -> int:
    """List the entries of a locale with no translation or a fuzzy one."""
    with locked(shared=True):
        path = po_path(args.locale)
        if not path.exists():
            print(f"error: {path} does not exist; run sync first", file=sys.stderr)
            return 2
        catalog = read_catalog(path, args.locale)
    todo = [m for m in messages(catalog) if not is_translated(m)]
    if args.json:
        # Values are the current (fuzzy) translation when there is one, else the English source.
        out: dict[str, Any] = {}
        for m in todo:
            if isinstance(m.id, tuple | list):
                forms = list(m.string) if isinstance(m.string, tuple | list) else []
                current = forms if m.fuzzy and forms and all(forms) else None
                out[message_key(m)] = current or [m.id[0]] + [m.id[1]] * (catalog.num_plurals - 1)
            else:
                out[message_key(m)] = m.string if m.fuzzy and m.string else m.id
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for m in todo:
        state = "fuzzy" if m.fuzzy else "empty"
        where = f"{m.locations[0][0]}:{m.locations[0][1]}" if m.locations else "-"
        shown = " | ".join(m.id) if isinstance(m.id, tuple | list) else m.id
        context = f"[{m.context}] " if m.context else ""
        print(f"{state}\t{where}\t{context}{shown}")
    print(f"{args.locale}: {len(todo)} missing or fuzzy", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sync", help="extract and update the catalogs").set_defaults(func=cmd_sync)
    fill = sub.add_parser("fill", help="merge translations from a JSON object")
    fill.add_argument("locale", choices=LOCALES)
    fill.add_argument("file", help="JSON file, or - for stdin")
    fill.set_defaults(func=cmd_fill)
    missing = sub.add_parser("missing", help="list untranslated or fuzzy entries")
    missing.add_argument("locale", choices=LOCALES)
    missing.add_argument("--json", action="store_true", help="print a JSON skeleton for fill")
    missing.set_defaults(func=cmd_missing)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `missing sv | head` is a normal way to use it
        sys.exit(0)
