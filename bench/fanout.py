"""Benchmark: 10,000 prompts due in the same minute, sent through a rate-limited Bot API fake
while one person keeps talking to the bot.

Setup (one run): a migrated database (SQLite file or a temporary PostgreSQL schema), the Bot
API fake over HTTP in this process with Telegram's limits switched on (30 messages/s per bot,
about 1/s per chat, 429 with retry_after beyond that), and `--procs` real `hemmaplan run`
processes in webhook mode on that database (two processes need PostgreSQL; the last one started
receives the updates, every one sends prompts). Then:

1. idle: the person sends /help once a second; each reply's latency (message sent -> reply
   arrived at the fake) is the baseline.
2. fan-out: `--prompts` people get a check-in due now (one row each); the person keeps talking.

Last line: `fanout: rate_ratio=<achieved/30> 429s=<n> duplicates=<n> lost=<n>
interactive_p99_ratio=<p99 reply latency during the fan-out / idle p99>`, where achieved is every
message the bot sent during the fan-out (prompts and replies: they share Telegram's budget) per
second, from the first prompt to the last. Goals: rate_ratio >= 0.95, 429s = 0, duplicates = 0,
lost = 0, interactive_p99_ratio <= 3.

Usage: python bench/fanout.py [--prompts 10000] [--procs 1|2] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fakes.botapi import BotApiFake, FakeUser, FloodLimits  # noqa: E402
from updates import provisioned_database  # noqa: E402

TELEGRAM_RATE = 30.0
TALKER_ID = 4_000_001
FIRST_RECIPIENT = 6_000_001
WEBHOOK_SECRET = "bench-secret"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_env(fake: BotApiFake, database_url: str, secret_key: str, data_dir: Path) -> dict[str, str]:
    """The environment of a `hemmaplan run` process on the bench database and fake."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": fake.token,
        "HEMMAPLAN_BOT_API_URL": fake.base_url,
        "HEMMAPLAN_BOT_API_FILE_URL": fake.base_file_url,
        "HEMMAPLAN_DATABASE_URL": database_url,
        "HEMMAPLAN_SECRET_KEY": secret_key,
        "HEMMAPLAN_DATA_DIR": str(data_dir),
        "HEMMAPLAN_DEFAULT_LOCALE": "en",
        "HEMMAPLAN_DELIVERY_INTERVAL": "1",
        "HEMMAPLAN_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }


async def start_bot(fake: BotApiFake, env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start `hemmaplan run` in webhook mode and wait until the fake delivers to it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "run",
        env={**env, "HEMMAPLAN_WEBHOOK_URL": url, "HEMMAPLAN_LISTEN": f"127.0.0.1:{port}"},
        stderr=asyncio.subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while fake.webhook_url != url:
        if process.returncode is not None or time.monotonic() > deadline:
            err = await process.stderr.read() if process.stderr else b""
            raise SystemExit(f"hemmaplan run did not start: {err.decode()[-2000:]}")
        await asyncio.sleep(0.05)
    return process


async def stop_bot(process: asyncio.subprocess.Process) -> None:
    """SIGTERM, as an operator would; the process finishes its batch and exits."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), 30)
    if process.returncode is None:
        process.kill()
        await process.wait()


async def register_people(database: Any, telegram_ids: list[int]) -> list[int]:
    """Consenting people without quiet hours (the bench runs at any time of day)."""
    from bot.storage.models import Person
    from bot.storage.uow import make_uow_factory

    now = datetime.now(UTC)
    ids: list[int] = []
    async with make_uow_factory(database)() as uow:
        for start in range(0, len(telegram_ids), 2000):
            people = [
                Person(
                    telegram_id=telegram_id,
                    role="client",
                    locale="en",
                    timezone="Europe/Stockholm",
                    consent_at=now,
                    quiet_start=clock_time(0, 0),
                    quiet_end=clock_time(0, 0),
                    weekly_prompt_cap=14,
                )
                for telegram_id in telegram_ids[start : start + 2000]
            ]
            uow.session.add_all(people)
            await uow.flush()
            ids.extend(p.id for p in people)
        await uow.commit()
    return ids


async def plan_checkins(database: Any, person_ids: list[int], due_at: datetime) -> None:
    """One open commitment and its check-in, due at `due_at`, for each person."""
    from bot.storage.models import Commitment, PlannedPrompt
    from bot.storage.uow import make_uow_factory

    async with make_uow_factory(database)() as uow:
        for start in range(0, len(person_ids), 2000):
            commitments = [
                Commitment(person_id=pid, text="Ask the team for feedback", due_date=date.today())
                for pid in person_ids[start : start + 2000]
            ]
            uow.session.add_all(commitments)
            await uow.flush()
            uow.session.add_all(
                PlannedPrompt(
                    person_id=c.person_id,
                    kind="checkin",
                    ref_id=c.id,
                    due_at=due_at,
                    plan_key=f"checkin:{c.id}",
                )
                for c in commitments
            )
            await uow.flush()
        await uow.commit()


class Arrivals:
    """Counts the bot's messages per chat as the fake stores them (O(1) per message), with the
    arrival times of prompts, so that measuring does not load the fake's event loop."""

    def __init__(self) -> None:
        self.count: dict[int, int] = {}
        self.prompt_times: list[float] = []
        self.talker_event = asyncio.Event()
        original = FakeUser._bot_touched
        arrivals = self

        def touched(user: FakeUser, message: Any) -> None:
            original(user, message)
            if message.edits:
                return
            arrivals.count[user.id] = arrivals.count.get(user.id, 0) + 1
            if user.id == TALKER_ID:
                arrivals.talker_event.set()
            else:
                arrivals.prompt_times.append(time.monotonic())

        FakeUser._bot_touched = touched  # type: ignore[method-assign]


async def reply_latency(talker: FakeUser, arrivals: Arrivals) -> float:
    """Send /help and return the seconds until the bot's reply reached the fake."""
    arrivals.talker_event.clear()
    started = time.monotonic()
    await talker.send("/help")
    try:
        await asyncio.wait_for(arrivals.talker_event.wait(), 30)
    except TimeoutError:
        raise SystemExit("no reply to /help within 30 s") from None
    return time.monotonic() - started


def p99(values: list[float]) -> float:
    """The 99th percentile (the maximum for fewer than 100 values)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[98]


async def bench(args: argparse.Namespace) -> str:
    """Run the fan-out once; return the summary line."""
    from bot.storage.crypto import Keyring

    secret_key = Keyring.generate_key()
    with tempfile.TemporaryDirectory(prefix="hemmaplan-fanout-") as tmp_name:
        tmp = Path(tmp_name)
        async with (
            provisioned_database(args.db, tmp, Keyring([secret_key])) as database,
            BotApiFake(flood_limits=FloodLimits()) as fake,
        ):
            fake.record_calls = False  # 429s and other errors are still recorded
            arrivals = Arrivals()
            talker = fake.user(TALKER_ID, language_code="en")
            talker.started = True
            recipients = [fake.user(FIRST_RECIPIENT + n) for n in range(args.prompts)]
            for recipient in recipients:
                recipient.started = True
            await register_people(database, [TALKER_ID])
            person_ids = await register_people(database, [r.id for r in recipients])

            env = bot_env(fake, database.url, secret_key, tmp)
            processes = []
            try:
                for _ in range(args.procs):
                    processes.append(await start_bot(fake, env))
                await reply_latency(talker, arrivals)  # warm-up
                idle = []
                for _ in range(args.idle_samples):
                    idle.append(await reply_latency(talker, arrivals))
                    await asyncio.sleep(1.05)

                await plan_checkins(database, person_ids, datetime.now(UTC) - timedelta(seconds=1))
                busy: list[float] = []
                replies_during = 0
                deadline = time.monotonic() + args.prompts / 20 + 120
                while len(arrivals.prompt_times) < args.prompts and time.monotonic() < deadline:
                    busy.append(await reply_latency(talker, arrivals))
                    if arrivals.prompt_times:
                        replies_during += 1
                    await asyncio.sleep(1.05)
                # Anything still in flight lands within a batch; then count.
                await asyncio.sleep(3)
            finally:
                for process in processes:
                    await stop_bot(process)
            counts = [arrivals.count.get(r.id, 0) for r in recipients]
            duplicates = sum(1 for n in counts if n > 1)
            lost = sum(1 for n in counts if n == 0)
            rejected = sum(1 for call in fake.errors if call.status == 429)
            times = arrivals.prompt_times or [0.0]
            elapsed = max(times[-1] - times[0], 1e-9)
            # Replies went out in the same seconds as the prompts and share Telegram's budget.
            achieved = (len(times) - 1 + replies_during) / elapsed
            idle_p99 = p99(idle)
            busy_p99 = p99(busy)
            print(
                f"fanout: db={args.db} procs={args.procs} prompts={args.prompts} "
                f"seconds={elapsed:.1f} achieved={achieved:.2f}/s "
                f"idle_p99={idle_p99 * 1000:.0f}ms busy_p99={busy_p99 * 1000:.0f}ms "
                f"samples={len(idle)}/{len(busy)}",
                flush=True,
            )
            return (
                f"fanout: rate_ratio={achieved / TELEGRAM_RATE:.3f} 429s={rejected} "
                f"duplicates={duplicates} lost={lost} "
                f"interactive_p99_ratio={busy_p99 / idle_p99:.2f}"
            )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the last line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=10_000)
    parser.add_argument("--procs", type=int, default=1, choices=(1, 2))
    parser.add_argument("--db", default=None, choices=("sqlite", "postgresql"))
    parser.add_argument("--idle-samples", type=int, default=20)
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = "postgresql" if args.procs > 1 else "sqlite"
    if args.procs > 1 and args.db != "postgresql":
        parser.error("several processes share a PostgreSQL database (--db postgresql)")
    print(asyncio.run(bench(args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
