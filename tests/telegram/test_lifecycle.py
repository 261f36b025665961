"""Process lifecycle: SIGTERM stops the real runner cleanly; in-flight updates are finished."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, Clock, polling_bot, register
from fakes.botapi import BotApiFake

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.loader import DialogueCatalog
from bot.storage.db import Database
from bot.telegram.container import services_of


async def test_sigterm_stops_the_runner_cleanly(fake: BotApiFake, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "HEMMAPLAN_BOT_API_URL": fake.base_url,
        "HEMMAPLAN_BOT_API_FILE_URL": fake.base_file_url,
        "HEMMAPLAN_DATA_DIR": str(tmp_path),
        "HEMMAPLAN_DATABASE_URL": "",
        "HEMMAPLAN_WEBHOOK_URL": "",
    }
    code = (
        "import asyncio; from bot.config import load_settings; "
        "from bot.telegram.runner import run_bot; asyncio.run(run_bot(load_settings()))"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(300):
            if fake.calls_to("deleteWebhook") or process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert process.returncode is None, (await process.communicate())[1].decode()
        await asyncio.sleep(0.5)  # now parked in getUpdates
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert len(fake.calls_to("setMyCommands")) >= 3  # sv, en and the language-less default


async def test_stopping_finishes_updates_in_flight(
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    fake: BotApiFake,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    started = asyncio.Event()
    async with polling_bot(settings, database, catalog, fake, Clock()) as application:
        commitments = services_of(application).commitments
        original = commitments.open_for

        async def slow(person_id: int) -> Any:
            started.set()
            await asyncio.sleep(0.5)
            return await original(person_id)

        monkeypatch.setattr(commitments, "open_for", slow)
        await client.send("/commitments")
        await asyncio.wait_for(started.wait(), 5)
    # The block above stopped the application while the handler was still sleeping.
    assert client.last_text == "You have no open commitments."
