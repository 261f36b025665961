"""Composed summaries of a seeded engagement, read as a coach would (golden files, both
languages, both databases), and what must never be in one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from summary_seed import NEVER_SHOWN_KEYS, NOW, seed_engagement
from summary_text import summary_text

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.services.summaries import SummaryService
from bot.storage.uow import UnitOfWorkFactory

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_composed_engagement_matches_the_golden_file(
    uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, settings: Settings, language: str
) -> None:
    seeded = await seed_engagement(uow_factory, language)
    service = SummaryService(uow_factory, catalog, settings)
    t = get_translator(language, "Europe/Stockholm")
    async with uow_factory() as uow:
        client = await uow.people.get(seeded.client_id)
        meeting = await uow.meetings.get(seeded.next_meeting_id)
        assert client is not None and meeting is not None
        facts = await service.facts(uow, client, seeded.coach_id, meeting, NOW)
    from bot.summary.compose import compose

    text = summary_text(compose(facts, catalog, t))
    golden = GOLDEN / f"engagement.{language}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    for key in NEVER_SHOWN_KEYS:
        assert seeded.words[key] not in text, key
