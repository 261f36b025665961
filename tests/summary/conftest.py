"""Summary test fixtures: the shipped dialogues and settings for the summary service."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.loader import DialogueCatalog, load_dialogues


@pytest.fixture(scope="session")
def catalog() -> DialogueCatalog:
    """The shipped dialogues."""
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.fixture
def settings(tmp_path: object) -> Settings:
    """Default settings (one admin, Telegram id 900)."""
    return Settings(data_dir=tmp_path, admin_ids="900", database_url="")
