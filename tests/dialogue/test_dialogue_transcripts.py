"""Transcript files: how they are read, and that a run which no longer matches is reported
at the line of the turn (or run) that failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript import PlainTranslator

from bot.dialogue.loader import DialogueCatalog
from bot.dialogue.model import Dialogue
from bot.dialogue.transcripts import check_run, check_transcripts, read_transcript

# short.yaml: a yes/no "Is it going well?", then "Why?", then the recap.
GOOD = """\
runs:
  - name: yes
    turns:
      - see: Is it going well?
      - send: ja
        see: Why?
      - send: Because
        see: ["1. Is it going well?: Yes", "2. Why?: Because"]
      - send: /done
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_a_transcript_that_matches_has_no_problems(short: Dialogue, tmp_path: Path) -> None:
    transcript, problems = read_transcript(_write(tmp_path, "short.en.yaml", GOOD))
    assert problems == [] and transcript is not None
    assert (transcript.dialogue_id, transcript.lang) == ("short", "en")
    assert check_run(short, transcript.runs[0], PlainTranslator(), "short.en.yaml") == []


def test_a_screen_that_changed_is_reported_at_the_line_of_its_turn(
    short: Dialogue, tmp_path: Path
) -> None:
    text = GOOD.replace("see: Why?", "see: Why not?")
    transcript, _ = read_transcript(_write(tmp_path, "short.en.yaml", text))
    assert transcript is not None
    [problem] = check_run(short, transcript.runs[0], PlainTranslator(), "short.en.yaml")
    assert problem.line == _line_of(text, "send: ja")
    assert "'Why not?'" in problem.message and "Is it going well?" in problem.message


def test_effects_that_differ_are_reported_at_the_run(short: Dialogue, tmp_path: Path) -> None:
    text = GOOD + "    effects:\n      - commitment: Talk to Ann\n        due: 2026-03-17\n"
    transcript, problems = read_transcript(_write(tmp_path, "short.en.yaml", text))
    assert problems == [] and transcript is not None
    [problem] = check_run(short, transcript.runs[0], PlainTranslator(), "short.en.yaml")
    assert problem.line == _line_of(text, "- name: yes")
    assert "other effects" in problem.message and "(none)" in problem.message


def test_what_is_typed_stays_as_written(tmp_path: Path) -> None:
    text = "runs:\n  - name: a\n    turns:\n      - send: +14\n      - send: 007\n"
    transcript, problems = read_transcript(_write(tmp_path, "short.sv.yaml", text))
    assert problems == [] and transcript is not None
    assert [turn.send for turn in transcript.runs[0].turns] == ["+14", "007"]


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("short.yaml", GOOD, 1, "<dialogue id>.<language>.yaml"),
        ("short.en.yaml", "runs: [\n", 2, "YAML syntax error"),
        ("short.en.yaml", "runs: []\n", 1, "at least one run"),
        ("short.en.yaml", GOOD.replace("    turns:", "    steps:"), 3, "unknown key 'steps'"),
        ("short.en.yaml", GOOD.replace("send: ja", "say: ja"), 5, "unknown key 'say'"),
        ("short.en.yaml", GOOD + GOOD.replace("runs:\n", ""), 2, "used twice"),
        (
            "short.en.yaml",
            GOOD + "    effects:\n      - commitment: X\n        due: soon\n",
            12,
            "expected a date",
        ),
        ("short.en.yaml", GOOD + "    effects:\n      - stop: now\n", 11, "an effect starts"),
    ],
)
def test_a_malformed_transcript_names_file_line_and_what_is_wrong(
    tmp_path: Path, name: str, text: str, line: int, words: str
) -> None:
    path = _write(tmp_path, name, text)
    transcript, problems = read_transcript(path)
    assert transcript is None
    assert problems[0].path == str(path)
    assert (problems[0].line, words in problems[0].message) == (line, True), problems


def test_every_dialogue_needs_a_transcript_in_every_language(
    short: Dialogue, tmp_path: Path
) -> None:
    folder = tmp_path / "transcripts"
    found = [_write(folder, "short.en.yaml", GOOD), _write(folder, "other.en.yaml", GOOD)]
    problems, played = check_transcripts(
        DialogueCatalog([short]), found, ("sv", "en"), lambda lang: PlainTranslator()
    )
    assert played == 1
    messages = sorted(f"{Path(p.path).name}: {p.message}" for p in problems)
    assert messages == [
        "other.en.yaml: no dialogue 'other'",
        "short.sv.yaml: no transcript of this dialogue",
    ]
