"""Craft rules for every shipped dialogue: validity, size of every screen, questions, wording."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from bot.config import PROJECT_ROOT
from bot.dialogue.engine import StepContext, start, step
from bot.dialogue.inputs import Choose, Input, Skip, Submit, Text
from bot.dialogue.loader import DialogueCatalog, check_paths, load_dialogues
from bot.dialogue.model import (
    CommitmentEffectSpec,
    Condition,
    ConditionOp,
    Dialogue,
    Step,
    StepKind,
)
from bot.dialogue.screens import Screen, ScreenKind
from bot.dialogue.text_render import render_text
from bot.i18n import get_translator
from bot.i18n_extract import dialogue_messages
from tests.dialogue.transcript import MATERIAL

DIALOGUES_DIR = PROJECT_ROOT / "dialogues"
TODAY = date(2026, 3, 10)
TELEGRAM_LIMIT = 4096  # characters (UTF-16 code units) of one Telegram message
MAX_QUESTIONS = 7
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
# The longest answer a person can give, with a character that needs escaping in HTML.
FILLER = "Åtagande & nästa steg. "


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(DIALOGUES_DIR)


def test_every_dialogue_file_is_valid() -> None:
    assert check_paths([DIALOGUES_DIR]) == []


def test_the_library_is_shipped(catalog: DialogueCatalog) -> None:
    assert set(LIBRARY) <= set(catalog.ids())


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_library_menu_order_comes_after_the_core(
    dialogue_id: str, catalog: DialogueCatalog
) -> None:
    order = catalog.get(dialogue_id).order
    assert order is not None and order >= 40
    orders = [d.order for d in catalog]
    assert orders.count(order) == 1


def _offer(dialogue: Dialogue) -> set[str]:
    """The closing "make it a commitment?" step: an optional date that only feeds an effect."""
    return {
        spec.due
        for spec in dialogue.effects
        if isinstance(spec, CommitmentEffectSpec)
        and dialogue.step(spec.due).optional
        and dialogue.step(spec.due).shows is not None
    }


def _questions(dialogue: Dialogue) -> int:
    # The offer to make the action a commitment is one optional tap at the very end; it is
    # counted apart (at most one such step) so that handlingsfrihet keeps its seven questions.
    return sum(s.answerable and s.id not in _offer(dialogue) for s in dialogue.steps)


# After the meeting runs the whole commitment sequence of nasta_steg (action, date, sign, if-then,
# confidence, what would raise it) between its own two and two: ten at most, the tenth only
# when confidence is below 7.
AFTER_MEETING_QUESTIONS = 10


def test_every_dialogue_has_at_most_seven_questions(catalog: DialogueCatalog) -> None:
    too_long = {
        d.id: _questions(d)
        for d in catalog
        if not d.id.startswith("utvecklingsplan")
        and _questions(d) > (AFTER_MEETING_QUESTIONS if d.id == "efter_motet" else MAX_QUESTIONS)
    }
    assert too_long == {}
    assert all(len(_offer(d)) <= 1 for d in catalog)
    assert {d.id for d in catalog if _offer(d)} == {
        "handlingsfrihet",
        "relationer",
        "grupp_mognad",
        "kolb",
        "grow",
    }


def _conditions(condition: Condition | None) -> Iterator[Condition]:
    if condition is None:
        return
    yield condition
    for child in condition.children:
        yield from _conditions(child)


def _scale_values(dialogue: Dialogue, scale: Step) -> list[int]:
    """Both ends of the scale and each side of every threshold a later condition uses."""
    values = {scale.min, scale.max}
    for later in dialogue.steps:
        for condition in _conditions(later.when):
            if condition.step == scale.id and isinstance(condition.value, int):
                values |= {condition.value - 1, condition.value, condition.value + 1}
    return sorted(v for v in values if scale.min <= v <= scale.max)


def _inputs(dialogue: Dialogue, screen: Screen) -> list[Input]:
    """Answers that reach every branch; texts are as long as the step allows."""
    if screen.kind is ScreenKind.RECAP:
        return []
    current = dialogue.step(screen.step_id or "")
    options: list[Input]
    if current.kind is StepKind.INFO:
        options = [Submit()]
    elif current.kind is StepKind.TEXT:
        text = (FILLER * (current.max_length // len(FILLER) + 1))[: current.max_length]
        options = [Text(text)]
    elif current.kind is StepKind.SCALE:
        options = [Text(str(v)) for v in _scale_values(dialogue, current)]
    elif current.kind in (StepKind.CHOICE, StepKind.YESNO):
        options = [Choose(choice.value) for choice in screen.choices]
    elif current.kind is StepKind.MULTI:
        options = [Choose(choice.value) for choice in screen.choices[: current.min_choices]]
        return [_MultiAll(options)]
    else:
        options = [Text(f"+{max(current.min_days, current.max_days // 2)}")]
    if current.optional:
        options.append(Skip())
    return options


class _MultiAll:
    """Marker: pick these options of a multi step, then submit."""

    def __init__(self, picks: list[Input]) -> None:
        self.picks = picks


def _walk(dialogue: Dialogue, ctx: StepContext) -> Iterator[tuple[list[str], Screen]]:
    """Every screen on every path through the dialogue (depth first), with the answers given."""
    state, screen = start(dialogue, ctx)
    stack: list[tuple[dict[str, Any], Screen, list[str]]] = [(state, screen, [])]
    while stack:
        state, screen, path = stack.pop()
        yield path, screen
        for inp in _inputs(dialogue, screen):
            new_state = state
            if isinstance(inp, _MultiAll):
                for pick in [*inp.picks, Submit()]:
                    new_state, new_screen, _ = step(dialogue, new_state, pick, ctx)
            else:
                new_state, new_screen, _ = step(dialogue, state, inp, ctx)
            assert new_screen.error is None, (path, inp, new_screen.error)
            stack.append((new_state, new_screen, [*path, type(inp).__name__]))


def _phrasing_rounds(dialogue: Dialogue) -> list[dict[str, int]]:
    """last_phrasings values so that every phrasing of every step is shown in some round."""
    most = max(len(s.prompts) for s in dialogue.steps)
    return [{s.id: r - 1 for s in dialogue.steps} for r in range(most)]


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


SHIPPED = sorted(path.stem for path in DIALOGUES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("dialogue_id", SHIPPED)
def test_no_screen_is_longer_than_a_telegram_message(
    dialogue_id: str, catalog: DialogueCatalog
) -> None:
    dialogue = catalog.get(dialogue_id)
    seen = recaps = 0
    for lang in ("sv", "en"):
        t = get_translator(lang)
        for last in _phrasing_rounds(dialogue):
            ctx = StepContext(t, TODAY, 2, last, MATERIAL)
            for path, screen in _walk(dialogue, ctx):
                text = render_text(screen, t)
                assert _utf16_length(text) <= TELEGRAM_LIMIT, (lang, path, len(text))
                seen += 1
                recaps += screen.kind is ScreenKind.RECAP
    # The walk really went through the dialogue: every step and the recap, in both languages.
    assert seen >= 2 * len(dialogue.steps) and recaps >= 2


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_every_branch_step_can_be_reached(dialogue_id: str, catalog: DialogueCatalog) -> None:
    dialogue = catalog.get(dialogue_id)
    ctx = StepContext(get_translator("en"), TODAY, 2, {}, MATERIAL)
    # A step asked once per open commitment is reached as its per-commitment copies.
    reached = {
        dialogue.step(screen.step_id).base_id
        for _, screen in _walk(dialogue, ctx)
        if screen.step_id is not None
    }
    assert reached >= {s.id for s in dialogue.steps}


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_every_library_text_has_a_swedish_translation(dialogue_id: str) -> None:
    sv = get_translator("sv")
    source = (DIALOGUES_DIR / f"{dialogue_id}.yaml").read_text(encoding="utf-8")
    untranslated = [
        msgid
        for _, _, (context, msgid), _ in dialogue_messages(source, dialogue_id)
        if sv.pgettext(context, msgid) == msgid
    ]
    assert untranslated == []


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_the_opening_question_is_worded_differently_next_time(
    dialogue_id: str, catalog: DialogueCatalog
) -> None:
    dialogue = catalog.get(dialogue_id)
    for lang in ("sv", "en"):
        t = get_translator(lang)
        state, first = start(dialogue, StepContext(t, TODAY, 2, {}))
        _, again = start(dialogue, StepContext(t, TODAY, 2, state["phrasings"]))
        assert first.step_id == again.step_id
        if len(dialogue.step(first.step_id or "").prompts) > 1:
            assert first.text != again.text


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_recurring_questions_have_more_than_one_wording(
    dialogue_id: str, catalog: DialogueCatalog
) -> None:
    single = {s.id for s in catalog.get(dialogue_id).steps if s.answerable and len(s.prompts) < 2}
    # One-off questions inside a single branch may keep one wording.
    assert single <= {"decision", "share"}


def test_energy_and_workload_scales_are_handled_with_care(catalog: DialogueCatalog) -> None:
    for dialogue in catalog:
        for s in dialogue.steps:
            words = " ".join(s.prompts).lower()
            if s.kind is StepKind.SCALE and ("energy" in words or "workload" in words):
                assert s.care and s.sensitive, (dialogue.id, s.id)


def test_a_low_confidence_always_gets_a_follow_up(catalog: DialogueCatalog) -> None:
    for dialogue in catalog:
        for s in dialogue.steps:
            if s.kind is StepKind.SCALE and "confiden" in " ".join(s.prompts).lower():
                follow_ups = [
                    later.id
                    for later in dialogue.steps
                    if later.when is not None
                    and later.when.op is ConditionOp.LT
                    and later.when.step == s.id
                    and later.when.value == 7
                ]
                assert follow_ups, (dialogue.id, s.id)


def test_stage_and_status_values_are_the_agreed_ones(catalog: DialogueCatalog) -> None:
    stage = catalog.get("grupp_mognad").step("stage")
    assert [o.value for o in stage.options] == ["stage_1", "stage_2", "stage_3", "stage_4"]
    status = catalog.get("checkin").step("status")
    assert [o.value for o in status.options] == ["done", "partly", "not_yet", "dropped"]
    assert catalog.get("case_forberedelse").audience == ("backstage",)


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_no_proprietary_instrument_or_homework_wording(dialogue_id: str) -> None:
    source = (DIALOGUES_DIR / f"{dialogue_id}.yaml").read_text(encoding="utf-8")
    texts = [m for _, _, (_, m), _ in dialogue_messages(source, dialogue_id)]
    sv = get_translator("sv")
    everything = " ".join(texts + [sv.pgettext(dialogue_id, m) for m in texts]).lower()
    for word in ("gdq", "belbin", "idi ", "homework", "läxa", "läxor"):
        assert word not in everything, (dialogue_id, word)


def test_case_preparation_never_asks_for_names(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("case_forberedelse")
    assert all("name" not in prompt.lower() for s in dialogue.steps for prompt in s.prompts)
    assert "made-up name" in (dialogue.step("dilemma").help or "")
