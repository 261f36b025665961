"""Two worker processes on one database race over 1,000 due prompts: each is sent exactly once."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from fakes.botapi import BotApiFake

from bot.config import PROJECT_ROOT
from bot.storage.db import Database
from bot.storage.models import Commitment, Person, PlannedPrompt
from bot.storage.uow import make_uow_factory

PROMPTS = 1000
FIRST_ID = 7_000_000


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_backend(request: pytest.FixtureRequest) -> str:
    """Several `hemmaplan run` workers share a PostgreSQL database (SQLite is for one process)."""
    backend: str = request.param
    return backend


async def _plan_everyone(database: Database) -> None:
    now = datetime.now(UTC)
    async with make_uow_factory(database)() as uow:
        people = [
            Person(
                telegram_id=FIRST_ID + index,
                role="client",
                locale="en",
                timezone="Europe/Stockholm",
                consent_at=now,
                # No quiet hours: the workers run on the real clock, whatever the time of day.
                quiet_start=time(0, 0),
                quiet_end=time(0, 0),
            )
            for index in range(PROMPTS)
        ]
        uow.session.add_all(people)
        await uow.flush()
        commitments = [
            Commitment(person_id=p.id, text="Same minute", due_date=date.today()) for p in people
        ]
        uow.session.add_all(commitments)
        await uow.flush()
        uow.session.add_all(
            PlannedPrompt(
                person_id=c.person_id,
                kind="checkin",
                ref_id=c.id,
                due_at=now - timedelta(minutes=1),
                plan_key=f"checkin:{c.id}",
            )
            for c in commitments
        )
        await uow.commit()


async def test_two_processes_send_each_prompt_exactly_once(
    database: Database, fake: BotApiFake, test_secret_key: str, tmp_path: Path
) -> None:
    await _plan_everyone(database)
    users = [fake.user(FIRST_ID + index, language_code="en") for index in range(PROMPTS)]
    for user in users:
        user.started = True
    fake.record_calls = False
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TELEGRAM_BOT_TOKEN": fake.token,
        "HEMMAPLAN_BOT_API_URL": fake.base_url,
        "HEMMAPLAN_BOT_API_FILE_URL": fake.base_file_url,
        "HEMMAPLAN_DATABASE_URL": database.url,
        "HEMMAPLAN_SECRET_KEY": test_secret_key,
        "HEMMAPLAN_DATA_DIR": str(tmp_path),
        "HEMMAPLAN_SEND_RATE": "500",
    }
    go = tmp_path / "go"
    ready = [tmp_path / f"ready{n}" for n in range(2)]
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).with_name("drain_worker.py")),
            str(ready[n]),
            str(go),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for n in range(2)
    ]
    for _ in range(6000):
        if all(path.exists() for path in ready) or any(w.returncode is not None for w in workers):
            break
        await asyncio.sleep(0.01)
    go.touch()
    outputs = [await asyncio.wait_for(w.communicate(), 120) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()
    counts = [int(out.decode().strip().splitlines()[-1]) for out, _ in outputs]

    assert sum(counts) == PROMPTS
    assert [len(user.messages) for user in users] == [1] * PROMPTS
    assert fake.errors == [], fake.describe_errors()
    async with make_uow_factory(database)() as uow:
        rows = await uow.session.run_sync(
            lambda session: session.query(PlannedPrompt.status, PlannedPrompt.sent_at).all()
        )
    assert all(status == "sent" and sent_at is not None for status, sent_at in rows)
