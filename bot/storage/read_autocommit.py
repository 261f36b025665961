"""PostgreSQL: a unit of work reads outside a transaction until it first writes.

Every update reads its sender first, and most updates write nothing or one row. In a transaction
that costs a BEGIN and a COMMIT or ROLLBACK round trip besides the statements; psycopg in
autocommit mode sends each read alone. A unit of work therefore starts in autocommit mode and
the first statement that writes or locks (anything but a plain SELECT) switches the connection
back, so psycopg begins a transaction right before it: everything from the first write to the
commit is one transaction, as before.

What it changes: the reads before the first write are each their own snapshot instead of one
transaction's. At PostgreSQL's READ COMMITTED level (ours) every statement of a transaction
already sees what was committed before it started, so they could see other transactions'
commits between them anyway; a write that depends on what was read checks it (the dialogue
run's version) or locks (SELECT ... FOR UPDATE, which switches first).

A unit of work's only write can also go alone (`write_alone`): the one statement is atomic by
itself and is committed without BEGIN/COMMIT round trips (a dialogue step's version-checked
UPDATE of its run).

SQLite has none of this: its statements run in place (bot.storage.sqlite_inline).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# Keys in the pooled connection's `info` (the UnitOfWork sets and clears them per checkout).
READS_AUTOCOMMIT = "hemmaplan.reads_autocommit"
WRITE_ALONE = "hemmaplan.write_alone"
_LOCKING = re.compile(r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b")


def attach(engine: AsyncEngine) -> None:
    """Switches a unit of work's connection to a transaction before its first write."""
    event.listen(engine.sync_engine, "before_cursor_execute", _begin_before_writing)


async def start_reading(connection: AsyncConnection) -> None:
    """Puts a freshly checked out connection in autocommit mode until its first write."""
    raw = await connection.get_raw_connection()
    await raw.driver_connection.set_autocommit(True)  # type: ignore[union-attr]
    connection.info[READS_AUTOCOMMIT] = True


async def stop_reading(connection: AsyncConnection) -> None:
    """Before the connection goes back to the pool: transactions as usual for its next user."""
    info = connection.info
    info.pop(WRITE_ALONE, None)
    if info.pop(READS_AUTOCOMMIT, False):
        raw = await connection.get_raw_connection()
        await raw.driver_connection.set_autocommit(False)  # type: ignore[union-attr]


def still_reading(connection: AsyncConnection) -> bool:
    """Whether the unit of work has written nothing in a transaction yet."""
    return bool(connection.info.get(READS_AUTOCOMMIT))


def write_alone(connection: AsyncConnection) -> None:
    """The next statement is the unit of work's only write: send it without a transaction
    if nothing was written yet (it is atomic by itself)."""
    if connection.info.get(READS_AUTOCOMMIT):
        connection.info[WRITE_ALONE] = True


def _reads_only(statement: str) -> bool:
    head = statement.lstrip()[:6].upper()
    # SQLAlchemy writes keywords in capitals: most SELECTs need no regular expression.
    return head == "SELECT" and ("FOR " not in statement or _LOCKING.search(statement) is None)


def _begin_before_writing(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    info = conn.info
    if not info.get(READS_AUTOCOMMIT) or _reads_only(statement):
        return
    if info.pop(WRITE_ALONE, False):
        return
    info[READS_AUTOCOMMIT] = False
    dbapi_connection = conn.connection.dbapi_connection
    assert dbapi_connection is not None
    # psycopg begins a transaction before the next statement (this one).
    dbapi_connection.autocommit = False
