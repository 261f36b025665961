"""`hemmaplan seed-demo`: a term of history written through the services, removed completely."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.config import PROJECT_ROOT, Settings
from bot.console.chat import ConsoleChat
from bot.console.demo_view import seed_demo
from bot.demo.seed import DemoSeeder, SeedOutcome
from bot.dialogue.loader import load_dialogues
from bot.i18n import get_translator
from bot.runtime import Runtime, build_runtime
from bot.services.console_identity import console_person
from bot.storage.db import Database
from bot.storage.models import Base

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CATALOG = load_dialogues(PROJECT_ROOT / "dialogues")


def runtime_on(database: Database, tmp_path: Path) -> Runtime:
    return build_runtime(Settings(data_dir=tmp_path / "data"), database, CATALOG, clock=lambda: NOW)


async def row_counts(database: Database) -> dict[str, int]:
    async with database.sessionmaker() as session:
        return {
            table.name: (
                await session.execute(select(func.count()).select_from(table))
            ).scalar_one()
            for table in Base.metadata.sorted_tables
        }


async def test_a_term_of_demo_history_is_what_real_use_writes(
    database: Database, tmp_path: Path
) -> None:
    runtime = runtime_on(database, tmp_path)
    result = await DemoSeeder(runtime).seed("sv", NOW)
    assert result.outcome is SeedOutcome.CREATED
    assert result.client_id is not None and result.coach_id is not None
    client, coach = result.client_id, result.coach_id
    t = get_translator("sv")
    runs = await runtime.history.list_runs(client, t)
    assert len(runs) == result.reflections == 28
    assert {run.status for run in runs} == {"finished"}
    dialogues = {run.dialogue_id for run in runs}
    assert dialogues >= {
        "nulage", "handlingsfrihet", "skalfragan", "grupp_mognad", "utvecklingsplan",
        "utvecklingsplan_uppfoljning", "infor_motet", "efter_motet", "nasta_steg", "checkin",
    }  # fmt: skip
    assert all(run.finished_at is not None and run.finished_at < NOW for run in runs)
    # The coach works with the client since before the first reflection.
    assert await runtime.people.is_coach_of(coach, client)
    assert [c.id for c in await runtime.people.clients_of(coach, NOW)] == [client]
    # Three meetings held this term, the next one a few days ahead.
    upcoming = await runtime.meetings.next(client, NOW)
    assert upcoming is not None and 0 < (upcoming.starts_at - NOW).days <= 4
    held = await runtime.meetings.last_held(client, NOW)
    assert held is not None and held.starts_at < NOW
    # Scale values vary; energy falls to the care threshold before the third meeting.
    trends = {(tr.dialogue_id, tr.step_id): tr for tr in await runtime.history.trends(client, t)}
    assert [p.value for p in trends["nulage", "energy"].points] == [6, 4, 2, 3]
    assert trends["nulage", "energy"].high == 10
    # Commitments with check-ins that went done, partly and not yet (twice for one of them).
    async with runtime.uow_factory() as uow:
        commitments = await uow.commitments.list_for(client)
        results: list[str] = []
        for commitment in commitments:
            events = await uow.commitments.events_for(commitment.id)
            results.extend(e.kind for e in events)
        private = [a for a in await uow.answers.for_person(client) if a.visibility == "private"]
    assert {"done", "partly", "not_yet"} <= set(results)
    assert results.count("not_yet") >= 2
    assert len(commitments) >= 6
    # What she kept only for herself (energy is private until shared; she shared it but once).
    assert sorted((a.dialogue_id, a.step_id) for a in private) == [
        ("efter_motet", "carry"),
        ("nulage", "energy"),
        ("nulage", "occupies"),
    ]
    assert any("Gävle" in str(a.value) for a in private)
    # Seeding again changes nothing and says why.
    assert (await DemoSeeder(runtime).seed("sv", NOW)).outcome is SeedOutcome.EXISTS


async def test_removing_the_demo_leaves_everyone_else_untouched(
    database: Database, tmp_path: Path
) -> None:
    runtime = runtime_on(database, tmp_path)
    # Someone really using the program from the terminal, with a finished reflection.
    script = "Budgeten\n5\n4\nTeamet\nPrioritera\n/done\n"
    chat = ConsoleChat(runtime, io.StringIO(script), io.StringIO(), clock=lambda: NOW)
    assert await chat.run("anna", "nulage", "sv") == 0
    before = await row_counts(database)
    lines: list[str] = []
    assert await seed_demo(runtime, "en", False, lines.append, NOW) == 0
    assert "Sara Lind (demo)" in lines[0]
    assert "  hemmaplan seed-demo --remove" in lines
    assert await seed_demo(runtime, "en", False, lines.append, NOW) == 1
    assert "already there" in lines[-2]
    assert await seed_demo(runtime, "en", True, lines.append, NOW) == 0
    assert lines[-1] == "Removed the demo coach and client and everything about them."
    assert await row_counts(database) == before
    assert await seed_demo(runtime, "sv", True, lines.append, NOW) == 0
    assert lines[-1] == "Det finns inga demodata att ta bort."


async def test_a_real_console_user_named_demo_is_never_overwritten_or_removed(
    database: Database, tmp_path: Path
) -> None:
    runtime = runtime_on(database, tmp_path)
    await console_person(runtime.uow_factory, "demo", "sv", NOW)
    before = await row_counts(database)
    seeder = DemoSeeder(runtime)
    assert (await seeder.seed("sv", NOW)).outcome is SeedOutcome.TAKEN
    assert await seeder.remove() == 0
    assert await row_counts(database) == before


async def test_english_demo_answers_are_in_english(database: Database, tmp_path: Path) -> None:
    runtime = runtime_on(database, tmp_path)
    result = await DemoSeeder(runtime).seed("en", NOW)
    assert result.client_id is not None
    open_ones = await runtime.commitments.open_for(result.client_id)
    assert [c.text for c in open_ones] == [
        "Draft a simple priority list for the team that the management team gets to see.",
        "Let the team lead every other Monday meeting.",
    ]
