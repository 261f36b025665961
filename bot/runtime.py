"""Wires settings, database, dialogues and services together for one process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.services.dialogue_runs import DialogueService
from bot.services.history import HistoryService
from bot.storage.crypto import Keyring
from bot.storage.db import Database, upgrade_database
from bot.storage.uow import UnitOfWorkFactory, make_uow_factory


@dataclass(frozen=True)
class Runtime:
    """Everything a transport needs, built once at start-up."""

    settings: Settings
    database: Database
    catalog: DialogueCatalog
    uow_factory: UnitOfWorkFactory
    dialogues: DialogueService
    history: HistoryService


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, migrate: bool | None = None
) -> AsyncIterator[Runtime]:
    """Loads dialogues (refusing invalid files), opens the database and builds the services."""
    catalog = load_dialogues(settings.dialogues_dir)
    keyring = Keyring.from_settings(settings)
    url = settings.effective_database_url
    # The embedded default migrates itself so that a first `hemmaplan chat` just works;
    # a production database is upgraded deliberately with `hemmaplan db upgrade`.
    if migrate if migrate is not None else settings.uses_embedded_database:
        await upgrade_database(url, keyring)
    database = Database(url, keyring)
    try:
        uow_factory = make_uow_factory(database)
        yield Runtime(
            settings=settings,
            database=database,
            catalog=catalog,
            uow_factory=uow_factory,
            dialogues=DialogueService(uow_factory, catalog, settings),
            history=HistoryService(uow_factory, catalog),
        )
    finally:
        await database.dispose()
