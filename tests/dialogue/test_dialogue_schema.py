"""The declared format: the README's key tables match it, its messages read as plain sentences,
and what it marks translatable or checks in stored answers is what the tools use."""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import pytest

from bot.dialogue.loader import DialogueFileError, check_paths, load_dialogue
from bot.dialogue.model import StepKind
from bot.dialogue.schema import (
    OPERATORS,
    STEP_CLASSES,
    AnswerStep,
    CreateCommitment,
    DialogueFile,
    RecapSpec,
    RecordCheck,
    Spec,
    StepBase,
    Translatable,
    answer_problem,
)
from bot.i18n_extract import dialogue_messages

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "dialogues" / "README.md").read_text(encoding="utf-8")
DATA = Path(__file__).parent / "data"


def section(title: str) -> str:
    """The README text from a heading to the next heading of any level."""
    start = README.index(f"{title}\n")
    following = re.search(r"\n#{1,3} ", README[start + len(title) :])
    end = start + len(title) + following.start() if following else len(README)
    return README[start:end]


def table(text: str, after: str) -> dict[str, str]:
    """The first markdown table after a line: its key column (in backticks) -> second column."""
    rows: dict[str, str] = {}
    lines = text.split(after, 1)[1].splitlines()
    for line in lines:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        key = re.fullmatch(r"`(\w+)`", cells[0])
        if key:
            rows[key.group(1)] = cells[1]
    return rows


def keys(model: type[Spec], without: type[Spec] | None = None) -> dict[str, bool]:
    """A model's keys as written in YAML (aliases), with whether each is required."""
    inherited = without.model_fields if without is not None else {}
    return {
        info.alias or name: info.is_required()
        for name, info in model.model_fields.items()
        if name not in inherited
    }


# -- the README is the format -------------------------------------------------------------------


def test_the_top_level_table_is_the_schema() -> None:
    rows = table(section("## Top level"), "## Top level")
    assert {key: cell == "yes" for key, cell in rows.items()} == keys(DialogueFile)


def test_the_step_tables_are_the_schema() -> None:
    steps = section("## Steps")
    common = table(steps, "Keys every step may have:")
    assert {key: cell == "yes" for key, cell in common.items()} == keys(StepBase)
    answered = table(steps, "Keys for every kind except `info`")
    assert set(answered) == set(keys(AnswerStep, without=StepBase))
    assert set(STEP_CLASSES) == {kind.value for kind in StepKind}


@pytest.mark.parametrize("kind", list(STEP_CLASSES))
def test_every_key_of_a_kind_is_described_with_it(kind: str) -> None:
    model = STEP_CLASSES[kind]
    base = AnswerStep if issubclass(model, AnswerStep) else StepBase
    own = set(keys(model, without=base)) - {"kind"}
    if model.__base__ not in (AnswerStep, StepBase):  # choice and multi share their options
        own |= set(keys(model.__base__, without=base))  # type: ignore[arg-type]
    bullet = next(
        b for b in section("### Kinds").split("\n- ") if re.search(rf"\*\*`{kind}`\*\*", b)
    )
    assert [key for key in sorted(own) if f"`{key}" not in bullet] == []


def test_recap_effect_and_condition_keys_are_described() -> None:
    recap, effects = section("## Recap"), section("## Effects")
    assert all(f"{key}:" in recap for key in keys(RecapSpec))
    for model in (CreateCommitment, RecordCheck):
        assert [key for key in keys(model) if f"{key}:" not in effects] == []
    branching = section("## Branching")
    described = [op for op in (*OPERATORS, "all", "any") if f"{op}:" in branching]
    described += [op for op in OPERATORS if f"`{op}`" in branching]
    assert set(described) == {*OPERATORS, "all", "any"}


# -- what is translated -------------------------------------------------------------------------


def translatable() -> set[tuple[str, str]]:
    """(part, key) of every field the schema marks Translatable."""
    found = set()
    for part in [DialogueFile, RecapSpec, *STEP_CLASSES.values()]:
        for name, info in part.model_fields.items():
            marks = [*info.metadata]
            for inner in getattr(info.annotation, "__args__", ()):
                marks.extend(getattr(inner, "__metadata__", ()))
            if any(isinstance(mark, Translatable) for mark in marks):
                found.add((part.__name__, name))
    return found


def test_the_translated_keys_are_the_ones_the_readme_names() -> None:
    steps = {(cls.__name__, key) for cls in STEP_CLASSES.values() for key in ("prompt", "help")}
    assert translatable() == {
        ("DialogueFile", "title"),
        ("DialogueFile", "summary"),
        ("RecapSpec", "title"),
        *steps,
        *{(cls.__name__, "summary") for cls in STEP_CLASSES.values() if cls.KIND.value != "info"},
        ("ScaleStep", "min_label"),
        ("ScaleStep", "max_label"),
    }
    # Option labels are marked on the option; the README names them all.
    text = section("## Translation")
    for words in ("Titles", "summaries", "prompt phrasing", "help texts", "option labels"):
        assert words in text


def test_every_marked_text_of_a_dialogue_is_extracted() -> None:
    text = (DATA / "all_kinds.yaml").read_text(encoding="utf-8")
    dialogue = load_dialogue(DATA / "all_kinds.yaml")
    extracted = {msgid for _, _, (_, msgid), _ in dialogue_messages(text, "all_kinds")}
    expected = {dialogue.title, dialogue.summary}
    for step in dialogue.steps:
        expected.update(step.prompts)
        expected.update(t for t in (step.help, step.summary, step.min_label, step.max_label) if t)
        expected.update(option.label for option in step.options)
    if dialogue.recap.title:
        expected.add(dialogue.recap.title)
    assert extracted == expected


# -- stored answers -----------------------------------------------------------------------------


def test_stored_answers_are_checked_by_the_kind_of_their_step() -> None:
    dialogue = load_dialogue(DATA / "all_kinds.yaml")
    good = {
        "issue": "A real issue",
        "energy": 4,
        "relation": "peers",
        "parts": ["decide", "outside"],
        "share": True,
        "due": "2026-03-20",
    }
    bad = {
        "issue": "x" * 51,
        "energy": True,
        "relation": "nobody",
        "parts": ["decide", "decide"],
        "share": "yes",
        "due": "2026-02-30",
        "intro": "anything",
    }
    assert {k: answer_problem(dialogue.step(k), v) for k, v in good.items()} == dict.fromkeys(good)
    assert all(answer_problem(dialogue.step(k), v) for k, v in bad.items())


# -- messages a coach can act on ----------------------------------------------------------------

SAMPLE = """\
id: sample
version: 1
title: "Sample"
summary: "A sample."
steps:
  - id: mood
    kind: scale
    prompt: "How?"
    max: 11
  - id: why
    kind: text
    prompt: yes
    when: {step: mood, equals: high}  # <-
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "sample.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(path)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_a_broken_step_still_has_its_condition_checked(tmp_path: Path) -> None:
    assert problems_of(tmp_path, SAMPLE) == [
        "9: max of step 'mood' must be between 1 and 10, got 11",
        "12: prompt of step 'why' must be text, got a boolean (put it in quotes if you meant text)",
        "13: step 'mood' is a scale; compare it with a whole number, got text",
    ]


def test_a_key_with_nothing_after_it_is_an_error(tmp_path: Path) -> None:
    text = SAMPLE.replace("    max: 11\n", "    help:\n").replace("prompt: yes", 'prompt: "Why?"')
    text = text.replace("equals: high", "equals: 3")
    assert problems_of(tmp_path, text) == [
        "9: help of step 'mood' must be text, got nothing (null)"
    ]


def test_kinds_and_keys_are_named_in_the_message(tmp_path: Path) -> None:
    text = SAMPLE.replace("    max: 11\n", "    options: []\n    kind: text\n")
    text = text.replace("kind: scale", "kind: {a: 1}").replace("prompt: yes", 'prompt: "Why?"')
    assert problems_of(tmp_path, text) == [
        "7: kind of step 'mood' must be one of: text, scale, choice, multi, date, yesno, info, "
        "got a mapping",
        "10: duplicate key 'kind' in step 'mood'",
    ]


# Pydantic's own wording, or a template left unfilled, must never reach the coach.
NOT_PLAIN = re.compile(r"Input should|Field required|Extra inputs|validation error|\{\w+\}|_type")
JUNK = ("3", "yes", "~", "[]", "{}", "x", "-1", "99999", "[a, b]", "{a: 1}", "2024-01-01", "1.5")


def test_damaged_files_get_plain_sentences(tmp_path: Path) -> None:
    rng = random.Random(11)
    sources = [*sorted((ROOT / "dialogues").glob("*.yaml")), *sorted(DATA.glob("*.yaml"))]
    for _ in range(300):
        source = rng.choice(sources)
        lines = source.read_text(encoding="utf-8").splitlines()
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(lines))
            if ":" in lines[at] and rng.random() < 0.7:
                lines[at] = lines[at].split(":", 1)[0] + ": " + rng.choice(JUNK)
            else:
                lines.insert(at, lines[rng.randrange(len(lines))])
        path = tmp_path / source.name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for problem in check_paths([path]):
            assert 1 <= problem.line <= len(lines) + 1, problem
            assert not NOT_PLAIN.search(problem.message), problem
