"""Migrations reach head on both databases, go down and up again, and match the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.storage.db import Database
from bot.storage.migrate import (
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
)
from bot.storage.models import Base

EXPECTED_TABLES = {
    "people",
    "coach_clients",
    "invites",
    "meetings",
    "dialogue_runs",
    "answers",
    "answer_revisions",
    "commitments",
    "planned_prompts",
    "commitment_events",
    "send_pacers",
    "key_check",
    "summary_consents",
    "summary_views",
    "groups",
    "group_members",
    "group_meetings",
    "group_chat_posts",
}


async def _tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    return set(names) - {"alembic_version"}


def _schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_creates_every_table_at_head(empty_database: Database) -> None:
    assert await current_revision(empty_database) is None
    assert await _tables(empty_database) == set()

    await upgrade_database(empty_database)

    assert await current_revision(empty_database) == head_revision()
    assert await _tables(empty_database) == EXPECTED_TABLES


async def test_migrated_schema_matches_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(_schema_differences)
    assert differences == []


async def test_downgrade_to_base_and_up_again(database: Database) -> None:
    await downgrade_database(database, revision="base")
    assert await current_revision(database) is None
    assert await _tables(database) == set()

    await upgrade_database(database)
    assert await _tables(database) == EXPECTED_TABLES
    assert await current_revision(database) == head_revision()


async def test_upgrade_is_idempotent(database: Database) -> None:
    await upgrade_database(database)
    assert await current_revision(database) == head_revision()


async def test_upgrade_from_a_url_creates_the_sqlite_directory(tmp_path: Any) -> None:
    path = tmp_path / "nested" / "data" / "hemmaplan.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"

    await upgrade_database(url)

    assert path.exists()
    assert await current_revision(url) == head_revision()


async def test_upgrade_through_the_db_module_entry_point(empty_database: Database) -> None:
    from bot.storage.db import upgrade_database as upgrade_from_db_module

    await upgrade_from_db_module(empty_database)
    assert await _tables(empty_database) == EXPECTED_TABLES


def test_the_cheap_head_reading_agrees_with_alembic() -> None:
    from bot.storage.revisions import packaged_head

    assert packaged_head() == head_revision()


async def test_schema_is_current_only_at_head(empty_database: Database) -> None:
    from bot.storage.db import schema_is_current

    assert not await schema_is_current(empty_database)  # no version table yet
    await upgrade_database(empty_database, revision="0001")
    assert not await schema_is_current(empty_database)
    await upgrade_database(empty_database)
    assert await schema_is_current(empty_database)


async def test_a_current_schema_is_checked_without_importing_alembic(tmp_path: Any) -> None:
    import asyncio
    import sys

    url = f"sqlite+aiosqlite:///{tmp_path / 'hemmaplan.sqlite3'}"
    await upgrade_database(url)
    # A fresh interpreter: this one has Alembic loaded already.
    script = (
        "import asyncio, sys\n"
        "from bot.storage.db import upgrade_database\n"
        f"asyncio.run(upgrade_database({url!r}))\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako'))\n"
        "print(loaded)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    assert out.decode().strip() == "[]"
