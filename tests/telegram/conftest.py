"""Fixtures for end-to-end Telegram tests: the Bot API fake and a polling Hemmaplan bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from bot_harness import Clock, make_settings, polling_bot
from fakes.botapi import BotApiFake

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.storage.db import Database


@pytest.fixture
async def fake() -> AsyncIterator[BotApiFake]:
    """A Bot API fake on a free local port."""
    async with BotApiFake() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    """The bot's clock."""
    return Clock()


@pytest.fixture(scope="session")
def catalog() -> DialogueCatalog:
    """The project's dialogue library."""
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.fixture
def settings(fake: BotApiFake, tmp_path: Path) -> Settings:
    """Settings for the bot under test."""
    return make_settings(fake, tmp_path)


@pytest.fixture
async def bot(
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    fake: BotApiFake,
    clock: Clock,
) -> AsyncIterator[Any]:
    """A running bot on the test database."""
    async with polling_bot(settings, database, catalog, fake, clock) as application:
        yield application
