"""The core dialogues beyond their transcripts (dialogues/transcripts/, played by
tests/dialogue_library/test_library_transcripts.py): wording that rotates between runs."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import PROJECT_ROOT
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.i18n import get_translator
from tests.dialogue.transcript import run_transcript

TODAY = date(2026, 3, 10)


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


def test_wording_rotates_so_the_same_question_is_not_repeated(catalog: DialogueCatalog) -> None:
    t = get_translator("en")
    first = run_transcript(catalog.get("nulage"), [], translator=t, today=TODAY)
    again = run_transcript(
        catalog.get("nulage"),
        [],
        translator=t,
        today=TODAY,
        last_phrasings=first.state["phrasings"],
    )
    assert first.screen.text != again.screen.text
