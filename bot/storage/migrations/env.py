"""Alembic environment: migrates the connection handed over by bot.storage.migrate, or a URL."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from bot.storage.db import Database
from bot.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _render_item(kind: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    # Revisions get the stored type (e.g. LargeBinary for encrypted columns), so they stay
    # valid when the application's column types change.
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_url(url: str) -> None:
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_run_with_connection)
    finally:
        await database.dispose()


def _run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run_with_connection(connection)
        return
    asyncio.run(_run_with_url(config.get_main_option("sqlalchemy.url") or ""))


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
