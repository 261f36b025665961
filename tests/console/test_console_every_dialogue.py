"""Every shipped dialogue can be completed through piped `hemmaplan chat` input, in sv and en.

The answer script for each dialogue is derived from the engine's own screens (a valid answer for
each kind of question), then fed as lines to the real console chat on a real SQLite database.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.console.chat import ConsoleChat
from bot.console.history_view import show_history
from bot.dialogue.engine import StepContext, start, step
from bot.dialogue.inputs import parse_console_input
from bot.dialogue.loader import load_dialogues
from bot.dialogue.material import Material, MaterialKind
from bot.dialogue.screens import InputKind, Screen, ScreenKind
from bot.i18n import get_translator
from bot.runtime import Runtime, open_runtime
from bot.services.console_identity import console_person
from bot.services.dialogue_runs import PLAN_DIALOGUE, _plan_goals
from bot.services.groups import join_group
from bot.storage.models import Commitment, Group, GroupMeeting, Person

DIALOGUE_IDS = load_dialogues(PROJECT_ROOT / "dialogues").ids()

VALID_LINE = {
    InputKind.TEXT: "Ett kort, ärligt svar",
    InputKind.SCALE: "5",
    InputKind.CHOICE: "1",
    InputKind.MULTI: "1",
    InputKind.DATE: "+7",
    InputKind.YESNO: "1",
    InputKind.CONTINUE: "",
}


def _line_for(screen: Screen) -> str:
    if screen.kind is ScreenKind.RECAP:
        return "/done"
    assert screen.input is not None, screen
    return VALID_LINE[screen.input]


def answer_script(dialogue_id: str, lang: str, material: Material | None = None) -> list[str]:
    """The lines a person would type to walk the dialogue to its end."""
    catalog = load_dialogues(PROJECT_ROOT / "dialogues")
    dialogue = catalog.get(dialogue_id)
    ctx = StepContext(get_translator(lang), date.today(), material=material)
    state, screen = start(dialogue, ctx)
    lines: list[str] = []
    for _ in range(40):
        if screen.kind is ScreenKind.FINISHED:
            return lines
        line = _line_for(screen)
        lines.append(line)
        state, screen, _ = step(dialogue, state, parse_console_input(line), ctx)
        assert screen.error is None, (dialogue_id, lines, screen.error)
    raise AssertionError(f"{dialogue_id} did not finish: {lines}")


async def _one_commitment(runtime: Runtime) -> None:
    """The console person "tester" with one open commitment to check in on."""
    now = datetime.now(UTC)
    person = await console_person(runtime.uow_factory, "tester", None, now)
    async with runtime.uow_factory() as uow:
        await uow.commitments.add(
            Commitment(
                person_id=person.id,
                text="Boka samtal",
                due_date=date.today(),
                status="open",
                created_at=now,
                updated_at=now,
            )
        )
        await uow.commit()


async def _a_development_plan(runtime: Runtime, lang: str) -> Material:
    """The console person "tester" sketches a development plan; its goals, as a review sees them."""
    script = answer_script(PLAN_DIALOGUE, lang)
    chat = ConsoleChat(runtime, io.StringIO("\n".join(script) + "\n"), io.StringIO())
    assert await chat.run("tester", PLAN_DIALOGUE, lang) == 0
    person = await console_person(runtime.uow_factory, "tester", None, datetime.now(UTC))
    async with runtime.uow_factory() as uow:
        goals = await _plan_goals(uow, person.id)
    assert goals, "the plan has no goals to review"
    return Material(goals=goals)


async def _in_a_group(runtime: Runtime) -> None:
    """The console person "tester" in a Backstage group, bringing the case to its first meeting
    (a group's dialogues belong to a group meeting)."""
    now = datetime.now(UTC)
    person = await console_person(runtime.uow_factory, "tester", None, now)
    async with runtime.uow_factory() as uow:
        facilitator = await uow.people.add(Person(role="coach", console_name="f", consent_at=now))
        group = await uow.groups.add(
            Group(facilitator_id=facilitator.id, name="Norr", size=4, interval_days=35)
        )
        for number in (0, 1):
            await uow.groups.add_meeting(
                GroupMeeting(
                    group_id=group.id,
                    number=number,
                    starts_at=now + timedelta(days=1 + 7 * number),
                )
            )
        member = await uow.people.get(person.id)
        assert member is not None
        await join_group(uow, member, group.id, now)
        await uow.commit()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("dialogue_id", DIALOGUE_IDS)
async def test_dialogue_completes_through_piped_chat(
    dialogue_id: str, lang: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    out = io.StringIO()
    async with open_runtime(settings) as runtime:
        material = None
        if runtime.catalog.get(dialogue_id).needs(MaterialKind.COMMITMENT):
            await _one_commitment(runtime)
        if runtime.catalog.get(dialogue_id).needs(MaterialKind.PLAN_GOALS):
            # A plan review needs a plan: the person sketches one first, as the screen says.
            material = await _a_development_plan(runtime, lang)
        script = answer_script(dialogue_id, lang, material)
        if runtime.catalog.get(dialogue_id).audience == ("backstage",):
            await _in_a_group(runtime)
        chat = ConsoleChat(runtime, io.StringIO("\n".join(script) + "\n"), out)
        assert await chat.run("tester", dialogue_id, lang) == 0
        runs = await runtime.history.list_runs(1, get_translator(lang))
    saved = "Sparat" if lang == "sv" else "Saved"
    assert saved in out.getvalue(), out.getvalue()[-2000:]
    assert [run.status for run in runs if run.dialogue_id == dialogue_id] == ["finished"]


async def test_two_maturity_runs_show_a_trend_in_history(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    async with open_runtime(settings) as runtime:
        for stage in ("2", "3"):
            script = answer_script("grupp_mognad", "en")
            script[0] = stage  # the stage question comes first
            chat = ConsoleChat(runtime, io.StringIO("\n".join(script) + "\n"), io.StringIO())
            assert await chat.run("tester", "grupp_mognad", "en") == 0
        lines: list[str] = []
        await show_history(runtime, "tester", "en", None, lines.append, datetime.now(UTC))
    trend_lines = [line for line in lines if "→" in line]
    assert len(trend_lines) == 1, lines
    assert trend_lines[0].rstrip().endswith("↑")
    stages = load_dialogues(PROJECT_ROOT / "dialogues").get("grupp_mognad").step("stage").options
    assert stages[1].label in trend_lines[0] and stages[2].label in trend_lines[0]
