"""The key check: a lost key file or a wrong key is refused before anything is written with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from storage_helpers import add_person

from bot.config import PROJECT_ROOT, Settings, SettingsError
from bot.runtime import open_runtime
from bot.storage.crypto import KEY_FILE_NAME, Keyring
from bot.storage.db import Database
from bot.storage.key_check import WRONG_KEY, verify_key
from bot.storage.rotation import rotate_keys
from bot.storage.uow import make_uow_factory

SECRET = "Jag sover dåligt"


async def _store_a_name(database: Database) -> None:
    async with make_uow_factory(database)() as uow:
        await add_person(uow, display_name=SECRET)
        await uow.commit()


async def _markers(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int(await connection.scalar(text("SELECT COUNT(*) FROM key_check")) or 0)


def _same_database(database: Database, keyring: Keyring) -> Database:
    return Database(database.url, keyring)


async def test_a_wrong_key_is_refused_when_data_is_stored(
    database: Database, test_keyring: Keyring
) -> None:
    await _store_a_name(database)
    await verify_key(database)
    assert await _markers(database) == 1
    stranger = _same_database(database, Keyring([Keyring.generate_key()]))
    try:
        with pytest.raises(SettingsError) as refused:
            await verify_key(stranger)
        assert str(refused.value) == WRONG_KEY
        assert str(refused.value).startswith("HEMMAPLAN_SECRET_KEY: ")
    finally:
        await stranger.dispose()
    await verify_key(database)  # the right key still passes


async def test_data_stored_before_the_key_check_existed_is_checked_too(
    database: Database,
) -> None:
    await _store_a_name(database)  # no marker yet: an older database
    stranger = _same_database(database, Keyring([Keyring.generate_key()]))
    try:
        with pytest.raises(SettingsError, match=r"^HEMMAPLAN_SECRET_KEY: "):
            await verify_key(stranger)
        assert await _markers(database) == 0  # nothing written under the wrong key
    finally:
        await stranger.dispose()
    await verify_key(database)
    assert await _markers(database) == 1


async def test_a_database_without_data_takes_a_new_key(database: Database) -> None:
    await verify_key(database)
    other = Keyring([Keyring.generate_key()])
    fresh = _same_database(database, other)
    try:
        await verify_key(fresh)
        await verify_key(fresh)
        assert await _markers(fresh) == 1
        async with fresh.engine.connect() as connection:
            token = await connection.scalar(text("SELECT marker FROM key_check"))
        assert other.decrypt(bytes(token)) == b"hemmaplan key check 1"
    finally:
        await fresh.dispose()


async def test_rotation_re_encrypts_the_marker(database: Database, test_secret_key: str) -> None:
    await _store_a_name(database)
    await verify_key(database)
    new_key = Keyring.generate_key()
    both = _same_database(database, Keyring([new_key, test_secret_key]))
    only_new = _same_database(database, Keyring([new_key]))
    try:
        await verify_key(both)
        assert await rotate_keys(both) >= 2  # the person and the marker
        await verify_key(only_new)  # the old key can go
    finally:
        await both.dispose()
        await only_new.dispose()
    with pytest.raises(SettingsError):
        await verify_key(database)


async def test_a_missing_key_file_is_refused_when_the_database_holds_data(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path, database_url="", secret_key="")
    async with open_runtime(settings) as runtime:
        await _store_a_name(runtime.database)
    key_file = tmp_path / KEY_FILE_NAME
    key_file.unlink()
    with pytest.raises(SettingsError) as refused:
        async with open_runtime(settings):
            pass
    message = str(refused.value)
    assert message.startswith("HEMMAPLAN_SECRET_KEY: the key file ")
    assert str(key_file) in message and "\n" not in message
    assert not key_file.exists(), "a new key was put beside the old data"


async def test_a_fresh_database_creates_its_key_and_marker(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="", secret_key="")
    async with open_runtime(settings) as runtime:
        assert await _markers(runtime.database) == 1
    assert (tmp_path / KEY_FILE_NAME).exists()
    # Lost before anything was stored: nothing to protect, so a new key is made as on day one.
    (tmp_path / KEY_FILE_NAME).unlink()
    async with open_runtime(settings) as runtime:
        assert await _markers(runtime.database) == 1
    assert (tmp_path / KEY_FILE_NAME).exists()


def _hemmaplan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input="",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )


def test_the_cli_refuses_a_wrong_secret_key_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")}
    env["HEMMAPLAN_DATA_DIR"] = str(tmp_path)
    env["HEMMAPLAN_SECRET_KEY"] = Keyring.generate_key()
    first = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "nulage", "--lang", "en", "--user", "anna"],
        input="Budget talks\n/pause\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )
    assert first.returncode == 0, first.stderr
    env["HEMMAPLAN_SECRET_KEY"] = Keyring.generate_key()
    for args in (("history", "--user", "anna"), ("db", "upgrade"), ("db", "rotate-key")):
        refused = _hemmaplan(env, *args)
        assert refused.returncode == 2, (args, refused.stderr)
        assert refused.stderr.splitlines() == [f"hemmaplan: {WRONG_KEY}"], args
