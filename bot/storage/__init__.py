"""Persistence: the only package that imports SQLAlchemy.

Entry points: `Database`, `Keyring`, `UnitOfWork`/`make_uow_factory`, `upgrade_database`,
`rotate_keys`. Models live in `bot.storage.models`, repositories in `bot.storage.repositories`.
"""

from bot.storage.crypto import Keyring, KeyringError
from bot.storage.db import Database
from bot.storage.migrate import downgrade_database, upgrade_database
from bot.storage.rotation import rotate_keys
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory, make_uow_factory

__all__ = [
    "Database",
    "Keyring",
    "KeyringError",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "downgrade_database",
    "make_uow_factory",
    "rotate_keys",
    "upgrade_database",
]
