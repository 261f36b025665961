"""Transcripts of every dialogue (the files in dialogues/transcripts/), and rules of the library."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.config import PROJECT_ROOT
from bot.dialogue.effects import Finished
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.dialogue.transcripts import TranscriptFile, check_run, read_transcript, transcripts_dir
from bot.i18n import get_translator
from bot.locale_codes import SUPPORTED_LOCALES
from tests.dialogue.transcript import MATERIAL, Turn, run_transcript

TODAY = date(2026, 3, 10)  # a Tuesday
DIALOGUES = PROJECT_ROOT / "dialogues"
FILES = sorted(transcripts_dir(DIALOGUES).glob("*.yaml"))


def _read(path_name: str) -> TranscriptFile:
    transcript, problems = read_transcript(transcripts_dir(DIALOGUES) / path_name)
    assert not problems, "\n".join(map(str, problems))
    assert transcript is not None
    return transcript


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(DIALOGUES)


@pytest.mark.parametrize("path_name", [path.name for path in FILES])
def test_transcript_file(path_name: str, catalog: DialogueCatalog) -> None:
    transcript = _read(path_name)
    t = get_translator(transcript.lang, "Europe/Stockholm")
    dialogue = catalog.get(transcript.dialogue_id)
    problems = [
        problem
        for run in transcript.runs
        for problem in check_run(dialogue, run, t, str(transcript.path))
    ]
    assert not problems, "\n\n".join(map(str, problems))


def test_every_dialogue_has_transcripts_in_every_language(catalog: DialogueCatalog) -> None:
    covered = {(_read(path.name).dialogue_id, _read(path.name).lang) for path in FILES}
    missing = [
        f"{dialogue.id}.{lang}"
        for dialogue in catalog
        for lang in SUPPORTED_LOCALES
        if (dialogue.id, lang) not in covered
    ]
    assert not missing


LIBRARY = (
    "relationer",
    "grupp_mognad",
    "verksamheten",
    "utvecklingsplan",
    "utvecklingsplan_uppfoljning",
    "infor_motet",
    "case_forberedelse",
    "efter_motet",
    "checkin",
    "grow",
    "kolb",
    "skalfragan",
)


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_only_the_planned_dialogues_create_or_update_commitments(
    dialogue_id: str, catalog: DialogueCatalog
) -> None:
    dialogue = catalog.get(dialogue_id)
    # The five that end by offering their action as a commitment (grupp_mognad has two
    # alternative actions); checkin updates its commitment and may create the rest.
    expected = {
        "efter_motet": 1,
        "checkin": 2,
        "infor_motet": 1,
        "handlingsfrihet": 1,
        "relationer": 1,
        "grupp_mognad": 2,
        "kolb": 1,
        "grow": 1,
    }.get(dialogue_id, 0)
    assert len(dialogue.effects) == expected


def test_checkin_asks_about_what_hindered_differently_per_answer(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("checkin")
    t = get_translator("en")
    seconds = {
        value: run_transcript(
            dialogue, [(value, [])], translator=t, today=TODAY, material=MATERIAL
        ).screen.text
        for value in ("1", "2", "3", "4")
    }
    # Partly and not yet share one question about what helped and what got in the way.
    assert len(set(seconds.values())) == 3
    assert seconds["2"] == seconds["3"]


def test_checkin_without_its_commitment_changes_nothing(catalog: DialogueCatalog) -> None:
    # The service never starts a check-in without a commitment; if state lost it, no effect
    # may guess which commitment was meant.
    turns: list[Turn] = [("3", []), ("Busy", []), ("1", []), ("/done", ["Saved"])]
    result = run_transcript(catalog.get("checkin"), turns, today=TODAY)
    assert "Your commitment" not in result.texts[0]
    assert result.effects == [Finished()]


@pytest.mark.parametrize("step_id", ["if_then", "confidence", "raise_it"])
def test_after_the_meeting_asks_the_commitment_steps_of_next_step_word_for_word(
    step_id: str, catalog: DialogueCatalog
) -> None:
    after, next_step = (
        catalog.get("efter_motet").step(step_id),
        catalog.get("nasta_steg").step(step_id),
    )
    assert replace(after, line=0) == replace(next_step, line=0)
    sv = get_translator("sv")
    texts = [*after.prompts, after.help, after.label, after.min_label, after.max_label]
    for text in filter(None, texts):
        assert sv.pgettext("efter_motet", text) == sv.pgettext("nasta_steg", text), text
