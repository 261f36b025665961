"""Benchmark: one dialogue step's storage work through each layer we could use.

A step reads the person (by Telegram id) with their current open run, writes the run back with
its version checked and bumped, and commits without waiting for the disk (a step that saves
nothing final). The same work, on the same freshly migrated database, through:

- orm: an ORM session (`AsyncSession`): the person and run loaded as mapped objects, the run
  written by the session's flush (its version checked by the mapper);
- uow: what the bot does now, `UnitOfWork.steps` (bot/storage/repositories/steps.py): Core
  statements on the unit of work's connection, no ORM session;
- session_core: Core statements on the connection of an ORM session (the session's cost alone);
- core: SQLAlchemy Core statements on an `AsyncConnection`, one await per statement;
- core_one_hop: the same Core statements in one synchronous function (`run_sync`), so the
  whole unit of work is one hop into SQLAlchemy's greenlet;
- driver_sql: hand-written SQL through `exec_driver_sql` in one hop (no statement compilation,
  still SQLAlchemy's execution context, result rows and events);
- dbapi: the same SQL on the DBAPI cursor of a pooled connection (the floor through the pool).

The run's state is a real one (the first screen of a shipped dialogue) and is encrypted and
decrypted on every variant (the column type's own bind/result processing), so every variant does
the same work a step must do. Figures: microseconds per step, median of `--repeat` rounds of
`--steps` steps each, after a warm-up round; the load average is printed beside them.

Usage: python bench/step_layers.py [--db sqlite|postgresql|both] [--steps N] [--repeat N]
Last line per database: `step_layers[<db>]: orm=<us> uow=<us> session_core=<us> core=<us>
core_one_hop=<us> driver_sql=<us> dbapi=<us>`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from updates import provisioned_database  # noqa: E402

TELEGRAM_ID = 7_000_001

READ_SQL = (
    "SELECT people.id, people.active, people.consent_at, r.id, r.state, r.version "
    "FROM people LEFT OUTER JOIN dialogue_runs AS r ON r.id = ("
    "SELECT d.id FROM dialogue_runs AS d WHERE d.person_id = people.id "
    "AND d.status IN ('active', 'paused') ORDER BY d.updated_at DESC, d.id DESC LIMIT 1) "
    "WHERE people.telegram_id = {p}"
)
WRITE_SQL = (
    "UPDATE dialogue_runs SET state={p}, updated_at={p}, version={p} "
    "WHERE dialogue_runs.id = {p} AND dialogue_runs.version = {p}"
)


async def setup(database: Any) -> None:
    """One consented person with one active run of a shipped dialogue."""
    from bot.config import Settings
    from bot.dialogue import engine
    from bot.dialogue.engine import StepContext
    from bot.dialogue.loader import load_dialogues
    from bot.i18n import get_translator
    from bot.storage.models import DialogueRun, Person
    from bot.storage.uow import make_uow_factory

    settings = Settings(database_url="")
    catalog = load_dialogues(settings.dialogues_dir)
    dialogue = catalog.get("nulage")
    t = get_translator("sv", "Europe/Stockholm")
    now = datetime.now(UTC)
    state, _ = engine.start(
        dialogue, StepContext(translator=t, today=now.date(), care_threshold=3, last_phrasings={})
    )
    async with make_uow_factory(database)() as uow:
        person = await uow.people.add(
            Person(telegram_id=TELEGRAM_ID, role="client", locale="sv", consent_at=now)
        )
        await uow.runs.add(
            DialogueRun(
                person_id=person.id,
                dialogue_id=dialogue.id,
                dialogue_version=dialogue.version,
                status="active",
                state=state,
                phrasings={},
                started_at=now,
                updated_at=now,
            )
        )
        await uow.commit()


def variants(database: Any) -> dict[str, Callable[[], Awaitable[None]]]:
    """The step's storage work through each layer (see the module docstring)."""
    from sqlalchemy import Table, bindparam, select, update

    from bot.storage.models import DialogueRun, Person
    from bot.storage.uow import make_uow_factory

    uow_factory = make_uow_factory(database)
    engine = database.step_engine
    dialect = engine.sync_engine.dialect
    runs = DialogueRun.__table__
    people = Person.__table__
    assert isinstance(runs, Table) and isinstance(people, Table)
    state_type = runs.c.state.type
    bind_state = state_type.bind_processor(dialect)
    read_state = state_type.result_processor(dialect, None)
    current = (
        select(runs.c.id)
        .where(runs.c.person_id == people.c.id, runs.c.status.in_(("active", "paused")))
        .order_by(runs.c.updated_at.desc(), runs.c.id.desc())
        .limit(1)
        .correlate(people)
        .scalar_subquery()
    )
    core_read = (
        select(people.c.id, people.c.active, people.c.consent_at, runs.c.id, runs.c.state)
        .add_columns(runs.c.version)
        .outerjoin(runs, runs.c.id == current)
        .where(people.c.telegram_id == bindparam("telegram_id"))
    )
    core_write = (
        update(runs)
        .where(runs.c.id == bindparam("read_id"), runs.c.version == bindparam("read_version"))
        .values(state=bindparam("state"), updated_at=bindparam("now"), version=bindparam("v"))
    )
    mark = "%s" if dialect.paramstyle == "format" or dialect.paramstyle == "pyformat" else "?"
    read_sql = READ_SQL.format(p=mark)
    write_sql = WRITE_SQL.format(p=mark)
    is_sqlite = dialect.name == "sqlite"

    orm_read = (
        select(Person, DialogueRun)
        .outerjoin(DialogueRun, DialogueRun.person_id == Person.id)
        .where(Person.telegram_id == TELEGRAM_ID, DialogueRun.status.in_(("active", "paused")))
    )

    async def orm() -> None:
        async with database.step_sessionmaker() as session:
            _person, run = (await session.execute(orm_read)).one()
            run.state = dict(run.state)  # a changed state: the flush writes it, version checked
            run.updated_at = datetime.now(UTC)
            relax(await (await session.connection()).get_raw_connection())
            await session.commit()

    async def uow() -> None:
        async with uow_factory().for_steps() as unit:
            found = await unit.steps.person_with_run(TELEGRAM_ID)
            assert found is not None and found.run is not None
            run = found.run
            await unit.steps.save_step(
                run, dict(run.state), datetime.now(UTC), finished=False, alone=True
            )
            await unit.commit(durable=False)

    def relax(connection: Any) -> None:
        if is_sqlite:
            connection.driver_connection.relax_next_commit()

    async def core() -> None:
        async with engine.connect() as connection:
            row = (await connection.execute(core_read, {"telegram_id": TELEGRAM_ID})).one()
            result = await connection.execute(
                core_write,
                _core_write_values(row),
            )
            assert result.rowcount == 1
            relax(await connection.get_raw_connection())
            await connection.commit()

    async def session_core() -> None:
        async with database.step_sessionmaker() as session:
            connection = await session.connection()
            row = (await connection.execute(core_read, {"telegram_id": TELEGRAM_ID})).one()
            result = await connection.execute(
                core_write,
                _core_write_values(row),
            )
            assert result.rowcount == 1
            relax(await connection.get_raw_connection())
            await session.commit()

    def core_sync(connection: Any) -> None:
        row = connection.execute(core_read, {"telegram_id": TELEGRAM_ID}).one()
        result = connection.execute(
            core_write,
            _core_write_values(row),
        )
        assert result.rowcount == 1
        relax(connection.connection)
        connection.commit()

    async def core_one_hop() -> None:
        async with engine.connect() as connection:
            await connection.run_sync(core_sync)

    def driver_sync(connection: Any) -> None:
        row = connection.exec_driver_sql(read_sql, (TELEGRAM_ID,)).one()
        state = read_state(row[4])
        result = connection.exec_driver_sql(
            write_sql, (bind_state(state), datetime.now(UTC), row[5] + 1, row[3], row[5])
        )
        assert result.rowcount == 1
        relax(connection.connection)
        connection.commit()

    async def driver_sql() -> None:
        async with engine.connect() as connection:
            await connection.run_sync(driver_sync)

    def dbapi_sync(connection: Any) -> None:
        raw = connection.connection.dbapi_connection
        cursor = raw.cursor()
        try:
            cursor.execute(read_sql, (TELEGRAM_ID,))
            row = cursor.fetchone()
            state = read_state(row[4])
            cursor.execute(
                write_sql,
                (
                    bind_state(state),
                    _stamp(datetime.now(UTC), is_sqlite),
                    row[5] + 1,
                    row[3],
                    row[5],
                ),
            )
            assert cursor.rowcount == 1
        finally:
            cursor.close()
        relax(connection.connection)
        raw.commit()

    async def dbapi() -> None:
        async with engine.connect() as connection:
            await connection.run_sync(dbapi_sync)

    return {
        "orm": orm,
        "uow": uow,
        "session_core": session_core,
        "core": core,
        "core_one_hop": core_one_hop,
        "driver_sql": driver_sql,
        "dbapi": dbapi,
    }


def _core_write_values(row: Any) -> dict[str, Any]:
    """The Core UPDATE's parameters for a read row (person id, active, consent, run id, state,
    version): the same state written back, the version checked and bumped."""
    return {
        "state": row[4],
        "now": datetime.now(UTC),
        "v": row[5] + 1,
        "read_id": row[3],
        "read_version": row[5],
    }


def _stamp(moment: datetime, is_sqlite: bool) -> Any:
    # The DBAPI of SQLite takes text for the UTC column type; psycopg takes the datetime.
    return moment.isoformat(sep=" ") if is_sqlite else moment


async def measure(backend: str, steps: int, repeat: int) -> str:
    """Microseconds per step through each layer on one database; returns the summary line."""
    from bot.storage.crypto import Keyring

    keyring = Keyring([Keyring.generate_key()])
    with tempfile.TemporaryDirectory(prefix="hemmaplan-layers-") as tmp:
        async with provisioned_database(backend, Path(tmp), keyring) as database:
            await setup(database)
            work = variants(database)
            rounds: dict[str, list[float]] = {name: [] for name in work}
            for round_number in range(repeat + 1):
                for name, step in work.items():
                    gc.collect()
                    started = time.perf_counter()
                    for _ in range(steps):
                        await step()
                    elapsed = time.perf_counter() - started
                    if round_number:  # the first round warms caches and the pool
                        rounds[name].append(elapsed / steps * 1e6)
    load = os.getloadavg()[0]
    figures = {name: statistics.median(values) for name, values in rounds.items()}
    for name, values in rounds.items():
        print(
            f"[{backend}] {name:>13}: {figures[name]:7.0f} us/step "
            f"(min {min(values):.0f}, max {max(values):.0f}), load {load:.2f}"
        )
    parts = " ".join(f"{name}={value:.0f}" for name, value in figures.items())
    return f"step_layers[{backend}]: {parts}"


def main(argv: list[str] | None = None) -> int:
    """Parses options, runs the benchmark and prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--steps", type=int, default=500, help="steps per round (default 500)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    args = parser.parse_args(argv)
    backends = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    lines = [asyncio.run(measure(backend, args.steps, args.repeat)) for backend in backends]
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
