"""Start-up refusals of `hemmaplan run`: a second poller on one token, a bad webhook secret."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, Clock, make_settings, register, say
from fakes.botapi import BotApiFake

from bot.config import PROJECT_ROOT, SettingsError, load_settings
from bot.dialogue.loader import DialogueCatalog
from bot.runtime import build_runtime
from bot.storage.db import Database
from bot.telegram.app import build_application
from bot.telegram.runner import PollingConflict, serve_polling


@pytest.fixture
async def first_bot(
    fake: BotApiFake, database: Database, catalog: DialogueCatalog, tmp_path: Path
) -> AsyncIterator[Any]:
    """A bot that has been polling for a long time (no start-up window left)."""
    runtime = build_runtime(make_settings(fake, tmp_path), database, catalog, clock=Clock())
    application = build_application(runtime)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_polling(application, stop, conflict_window=0))
    for _ in range(500):
        if fake.polls_parked or task.done():
            break
        await asyncio.sleep(0.01)
    try:
        yield application
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


def _env(fake: BotApiFake, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")},
        "TELEGRAM_BOT_TOKEN": fake.token,
        "HEMMAPLAN_BOT_API_URL": fake.base_url,
        "HEMMAPLAN_BOT_API_FILE_URL": fake.base_file_url,
        "HEMMAPLAN_DATA_DIR": str(tmp_path / "second"),
        **extra,
    }


async def _hemmaplan_run(env: dict[str, str]) -> tuple[int, list[str]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, stderr.decode().splitlines()


@pytest.mark.parametrize("database_backend", ["sqlite"], indirect=True)
async def test_a_second_poller_steps_back_and_the_first_keeps_working(
    first_bot: Any,
    fake: BotApiFake,
    database: Database,
    catalog: DialogueCatalog,
    tmp_path: Path,
) -> None:
    second = build_application(
        build_runtime(make_settings(fake, tmp_path / "b"), database, catalog, clock=Clock())
    )
    with pytest.raises(PollingConflict):
        await asyncio.wait_for(serve_polling(second, asyncio.Event()), 30)
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    assert "/reflect" in await say(client, "/help")


@pytest.mark.parametrize("database_backend", ["sqlite"], indirect=True)
async def test_hemmaplan_run_says_in_one_line_that_another_instance_polls(
    first_bot: Any, fake: BotApiFake, tmp_path: Path
) -> None:
    code, lines = await _hemmaplan_run(_env(fake, tmp_path, HEMMAPLAN_DEFAULT_LOCALE="en"))
    assert code == 1
    assert lines == [
        "hemmaplan: TELEGRAM_BOT_TOKEN: another instance is already polling with this token; "
        "stop it first (only one bot process may poll per token)"
    ]


@pytest.mark.parametrize("secret", ["has space", "ünicode", "x" * 257, "semi;colon", "new\\nline"])
def test_a_webhook_secret_telegram_refuses_is_one_settings_line(
    secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMMAPLAN_WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith("HEMMAPLAN_WEBHOOK_SECRET: Telegram accepts 1 to 256 characters")
    assert "\n" not in message and secret not in message


def test_a_valid_webhook_secret_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMMAPLAN_WEBHOOK_SECRET", "Abc_123-" * 32)
    assert load_settings().webhook_secret == "Abc_123-" * 32


async def test_hemmaplan_run_with_a_malformed_webhook_secret_exits_with_one_line(
    fake: BotApiFake, tmp_path: Path
) -> None:
    env = _env(
        fake,
        tmp_path,
        HEMMAPLAN_WEBHOOK_URL="https://example.org/telegram",
        HEMMAPLAN_WEBHOOK_SECRET="not valid!",
    )
    code, lines = await _hemmaplan_run(env)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("hemmaplan: HEMMAPLAN_WEBHOOK_SECRET: ")
