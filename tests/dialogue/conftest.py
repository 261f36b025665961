"""Fixtures for the dialogue engine tests: test dialogues, a plain translator and a context."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript import TODAY, PlainTranslator

from bot.dialogue.engine import StepContext
from bot.dialogue.loader import load_dialogue
from bot.dialogue.model import Dialogue

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def all_kinds() -> Dialogue:
    return load_dialogue(DATA / "all_kinds.yaml")


@pytest.fixture(scope="session")
def short() -> Dialogue:
    return load_dialogue(DATA / "short.yaml")


@pytest.fixture
def plain() -> PlainTranslator:
    return PlainTranslator()


@pytest.fixture
def ctx(plain: PlainTranslator) -> StepContext:
    return StepContext(plain, TODAY)
