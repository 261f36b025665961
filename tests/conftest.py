"""Shared fixtures: SQLite and PostgreSQL test databases, units of work, translators."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from bot.i18n import Translator, get_translator
from bot.storage.crypto import Keyring
from bot.storage.db import Database
from bot.storage.migrate import upgrade_database
from bot.storage.uow import UnitOfWorkFactory, make_uow_factory

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers used by the shared fixtures; caches go to a folder of the run."""
    # The compiled catalogs and the dialogue cache (bot.i18n, bot.dialogue.load_cache) go under
    # XDG_CACHE_HOME: a test run, and the processes it starts, keep theirs out of the home
    # folder of whoever runs the tests.
    cache = Path(tempfile.mkdtemp(prefix="hemmaplan-test-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache)
    config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))
    config.addinivalue_line(
        "markers",
        "postgresql: needs the PostgreSQL server named by HEMMAPLAN_TEST_POSTGRES_URL",
    )


def _postgres_conninfo(sqlalchemy_url: str) -> str:
    """A libpq connection string for the SQLAlchemy URL (psycopg does not know `+psycopg`)."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The test server URL; fails in CI and skips elsewhere when the server is unreachable."""
    url = os.environ.get("HEMMAPLAN_TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL
    try:
        with psycopg.connect(_postgres_conninfo(url), connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        message = f"PostgreSQL unreachable at {make_url(url)!r}: {str(exc).strip()}"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(message + " (CI must not skip PostgreSQL tests)")
        pytest.skip(message)
    yield url


@pytest.fixture(scope="session")
def test_secret_key() -> str:
    """One random Fernet key for the whole test session."""
    return Keyring.generate_key()


@pytest.fixture(scope="session")
def test_keyring(test_secret_key: str) -> Keyring:
    """The keyring every test database uses (its only key is `test_secret_key`)."""
    return Keyring([test_secret_key])


@asynccontextmanager
async def provision_database(
    backend: str,
    tmp_path: Path,
    keyring: Keyring | None,
    postgres_base_url: str | None,
    *,
    migrate: bool = True,
) -> AsyncIterator[Database]:
    """A throw-away database: an SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'hemmaplan.sqlite3'}", keyring)
        try:
            if migrate:
                await upgrade_database(database)
            yield database
        finally:
            await database.dispose()
        return
    assert postgres_base_url is not None
    schema = f"test_{uuid.uuid4().hex[:16]}"
    conninfo = _postgres_conninfo(postgres_base_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    # Every connection of this engine sees only the new schema, so migrations and queries
    # land there (the alembic_version table included).
    url = make_url(postgres_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False), keyring)
    try:
        if migrate:
            await upgrade_database(database)
        yield database
    finally:
        await database.dispose()
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=BACKENDS)
def database_backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgresql` (PostgreSQL-only fixtures resolve the server lazily)."""
    backend: str = request.param
    return backend


def _base_url_for(backend: str, request: pytest.FixtureRequest) -> str | None:
    if backend != "postgresql":
        return None
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def database(
    database_backend: str,
    tmp_path: Path,
    test_keyring: Keyring,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Database]:
    """A fresh database migrated to head, on SQLite and on PostgreSQL."""
    base_url = _base_url_for(database_backend, request)
    async with provision_database(database_backend, tmp_path, test_keyring, base_url) as db:
        yield db


@pytest.fixture
async def empty_database(
    database_backend: str,
    tmp_path: Path,
    test_keyring: Keyring,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Database]:
    """A fresh database with no tables (for migration tests), on both backends."""
    base_url = _base_url_for(database_backend, request)
    async with provision_database(
        database_backend, tmp_path, test_keyring, base_url, migrate=False
    ) as db:
        yield db


@pytest.fixture
def uow_factory(database: Database) -> UnitOfWorkFactory:
    """Creates units of work on the test database."""
    return make_uow_factory(database)


@pytest.fixture
def translator_sv() -> Translator:
    """Swedish translator in Stockholm time."""
    return get_translator("sv", "Europe/Stockholm")


@pytest.fixture
def translator_en() -> Translator:
    """English translator in Stockholm time."""
    return get_translator("en", "Europe/Stockholm")
