"""Fixtures for end-to-end Telegram tests: the Bot API fake and a running Hemmaplan bot (fed in
memory unless the test is marked `http_transport`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from bot_harness import Clock, make_settings, running_bot
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


def pytest_configure(config: pytest.Config) -> None:
    """Registers the marker that puts a test's `bot` on real HTTP long polling."""
    config.addinivalue_line(
        "markers", "http_transport: the `bot` fixture polls the fake over real HTTP"
    )


@pytest.fixture
async def bot(
    request: pytest.FixtureRequest,
    settings: Settings,
    database: Database,
    catalog: DialogueCatalog,
    fake: BotApiFake,
    clock: Clock,
) -> AsyncIterator[Any]:
    """A running bot on the test database: in memory, or polling if marked `http_transport`."""
    transport = "http" if request.node.get_closest_marker("http_transport") else "memory"
    async with running_bot(
        settings, database, catalog, fake, clock, transport=transport
    ) as application:
        yield application
