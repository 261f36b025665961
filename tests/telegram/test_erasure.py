"""After /delete nothing about the person is left: no row refers to them, and no file in the
data directory (SQLite database, -wal, -shm) holds a piece of their text that still decrypts."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, COACH_ID, press, register, say
from fakes.botapi import BotApiFake
from sqlalchemy import text

from bot.i18n import get_translator
from bot.storage.crypto import Keyring, KeyringError
from bot.storage.db import Database
from bot.storage.models import ENCRYPTED_COLUMNS, Base

WORDS = ("Zebrafinkarna", "Kvastskaftet", "Ostronskalet", "Lindblomman")
FERNET_TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}")
T = get_translator("en")


async def _reflect_and_commit(client: Any) -> None:
    await say(client, "/reflect")
    await press(client, T.pgettext("nasta_steg", "Next concrete step"))
    await say(client, f"Talk to {WORDS[0]} about the budget")
    await say(client, "+7")
    await say(client, f"{WORDS[1]} has a date")
    await say(client, f"If {WORDS[2]} is ill, then Monday")
    await press(client, "8")
    await press(client, "✅ " + T.gettext("Save"))
    # An open, unfinished reflection too (its state is stored encrypted as it goes).
    await say(client, "/reflect")
    await press(client, T.pgettext("nasta_steg", "Next concrete step"))
    await say(client, f"Ask {WORDS[3]} for help")


async def _person_tokens(database: Database, person_id: int) -> list[bytes]:
    """Every encrypted value stored about the person, as the raw tokens on disk."""
    queries = [
        "SELECT display_name FROM people WHERE id = :id",
        "SELECT state FROM dialogue_runs WHERE person_id = :id",
        "SELECT a.value FROM answers a JOIN dialogue_runs r ON a.run_id = r.id "
        "WHERE r.person_id = :id",
        "SELECT text FROM commitments WHERE person_id = :id",
        "SELECT done_when FROM commitments WHERE person_id = :id",
    ]
    tokens: list[bytes] = []
    async with database.engine.connect() as connection:
        for query in queries:
            for (value,) in (await connection.execute(text(query), {"id": person_id})).all():
                if value is not None:
                    tokens.append(bytes(value))
    return tokens


async def _rows_referring_to(database: Database, person_id: int) -> list[str]:
    found: list[str] = []
    async with database.engine.connect() as connection:
        rows = await connection.scalar(
            text("SELECT COUNT(*) FROM people WHERE id = :id OR telegram_id = :tg"),
            {"id": person_id, "tg": CLIENT_ID},
        )
        if rows:
            found.append("people")
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name != "people":
                    continue
                left = await connection.scalar(
                    text(f"SELECT COUNT(*) FROM {table.name} WHERE {fk.parent.name} = :id"),
                    {"id": person_id},
                )
                if left:
                    found.append(f"{table.name}.{fk.parent.name}")
    return found


def _all_bytes(directory: Path) -> bytes:
    """Every file of the data directory, concatenated (the database must be among them)."""
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    assert "hemmaplan.sqlite3" in [p.name for p in files], files
    return b"".join(p.read_bytes() for p in files)


def _decryptable_words(directory: Path, keyring: Keyring) -> list[tuple[str, str]]:
    """(file, word) for every Fernet token in any file that decrypts to one of the words."""
    hits: list[tuple[str, str]] = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        for match in FERNET_TOKEN.finditer(path.read_bytes()):
            try:
                plain = keyring.decrypt(match.group()).decode("utf-8", "replace")
            except KeyringError:
                continue
            hits += [(path.name, word) for word in WORDS if word in plain]
    return hits


async def test_delete_leaves_no_row_and_no_decryptable_text(
    bot: Any,
    fake: BotApiFake,
    database: Database,
    test_keyring: Keyring,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await register(database, COACH_ID, role="coach", name="Cora")
    person_id = await register(database, CLIENT_ID, locale="en", coach_telegram_id=COACH_ID)
    client = fake.user(CLIENT_ID, language_code="en")
    await _reflect_and_commit(client)
    tokens = await _person_tokens(database, person_id)
    assert len(tokens) >= 6
    decrypted = " ".join(test_keyring.decrypt(t).decode() for t in tokens)
    assert all(word in decrypted for word in WORDS)
    if database.dialect_name == "sqlite":
        # Before the erasure the files hold the text (so the scan below can see it).
        assert {w for _, w in _decryptable_words(tmp_path, test_keyring)} == set(WORDS)

    await say(client, "/delete")
    with caplog.at_level(logging.WARNING, logger="bot.storage.erasure"):
        reply = await press(client, "🗑 " + T.gettext("Yes, delete everything"))
        assert reply.startswith("Everything about you has been deleted")
        await fake.wait_idle()
    # The scrub (VACUUM, and the WAL checkpoint on SQLite) completed.
    assert not [r for r in caplog.records if r.name == "bot.storage.erasure"]

    assert await _rows_referring_to(database, person_id) == []
    assert set(ENCRYPTED_COLUMNS) >= {"people", "dialogue_runs", "answers", "commitments"}
    if database.dialect_name == "sqlite":
        stored = _all_bytes(tmp_path)
        assert _decryptable_words(tmp_path, test_keyring) == []
        # Not even a fragment of a token split over pages: no 24-byte piece of any of them.
        for token in tokens:
            pieces = [token[i : i + 24] for i in range(0, len(token) - 24, 24)]
            assert not any(piece in stored for piece in pieces)
    assert fake.errors == [], fake.describe_errors()
