"""Benchmark: peak memory of the bot process with 100,000 people with planned prompts vs 1,000.

For each size, one run: a migrated database with that many consenting people, each with an
open commitment and its planned check-in; `--due` of them (the same number in both runs) are
due now, the rest next week. A real `hemmaplan run` process (webhook mode, against the Bot API
fake in this process) sends the due ones and keeps ticking for a few seconds more; its peak
resident memory (VmHWM in /proc) is read before it is stopped. The bot claims due prompts in
bounded batches and never loads the whole plan, so the figure should not grow with the people.

Last line: `memory: ratio=<peak with --large / peak with --small>` (goal <= 1.2).

Usage: python bench/memory.py [--small 1000] [--large 100000] [--due 300] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from fanout import (  # noqa: E402
    Arrivals,
    BotApiFake,
    bot_env,
    provisioned_database,
    start_bot,
    stop_bot,
)

FIRST_ID = 8_000_001
CHUNK = 5000


async def seed(database: object, people: int, due: int) -> None:
    """`people` consenting people, each with a commitment and its check-in; `due` due now."""
    from sqlalchemy import insert

    from bot.storage.models import Commitment, Person, PlannedPrompt

    now = datetime.now(UTC)
    later = now + timedelta(days=7)
    async with database.sessionmaker() as session:  # type: ignore[attr-defined]
        for start in range(0, people, CHUNK):
            ids = range(start + 1, min(people, start + CHUNK) + 1)
            await session.execute(
                insert(Person),
                [
                    {
                        "id": i,
                        "telegram_id": FIRST_ID + i,
                        "role": "client",
                        "locale": "en",
                        "timezone": "Europe/Stockholm",
                        "consent_at": now,
                        "quiet_start": clock_time(0, 0),
                        "quiet_end": clock_time(0, 0),
                        "created_at": now,
                    }
                    for i in ids
                ],
            )
            await session.execute(
                insert(Commitment),
                [
                    {
                        "id": i,
                        "person_id": i,
                        "text": "Ask the team for feedback",
                        "due_date": date.today(),
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            await session.execute(
                insert(PlannedPrompt),
                [
                    {
                        "id": i,
                        "person_id": i,
                        "kind": "checkin",
                        "ref_id": i,
                        "due_at": now - timedelta(seconds=1) if i <= due else later,
                        "plan_key": f"checkin:{i}",
                    }
                    for i in ids
                ],
            )
        await session.commit()


def peak_kib(pid: int) -> int:
    """The process's peak resident set size (VmHWM) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit("no VmHWM in /proc (Linux only)")


async def measure(args: argparse.Namespace, people: int) -> int:
    """Peak memory (KiB) of `hemmaplan run` while it sends the due prompts among `people`."""
    from bot.storage.crypto import Keyring

    secret_key = Keyring.generate_key()
    with tempfile.TemporaryDirectory(prefix="hemmaplan-memory-") as tmp_name:
        tmp = Path(tmp_name)
        async with (
            provisioned_database(args.db, tmp, Keyring([secret_key])) as database,
            BotApiFake() as fake,
        ):
            fake.record_calls = False
            arrivals = Arrivals()
            for i in range(1, args.due + 1):
                fake.user(FIRST_ID + i).started = True
            started = time.monotonic()
            await seed(database, people, args.due)
            seeded = time.monotonic() - started
            process = await start_bot(fake, bot_env(fake, database.url, secret_key, tmp))
            try:
                deadline = time.monotonic() + args.due / 10 + 120
                while len(arrivals.prompt_times) < args.due and time.monotonic() < deadline:  # noqa: ASYNC110
                    await asyncio.sleep(0.2)
                await asyncio.sleep(args.settle)  # a few more ticks over the whole plan
                peak = await asyncio.to_thread(peak_kib, process.pid)
            finally:
                await stop_bot(process)
            sent = len(arrivals.prompt_times)
            print(
                f"memory: db={args.db} people={people} due={args.due} sent={sent} "
                f"peak={peak / 1024:.1f}MiB (seeded in {seeded:.0f}s)",
                flush=True,
            )
            if sent != args.due:
                raise SystemExit(f"only {sent} of {args.due} due prompts were sent")
            return peak


async def bench(args: argparse.Namespace) -> str:
    """Both sizes, small first; return the last line."""
    small = await measure(args, args.small)
    large = await measure(args, args.large)
    return f"memory: ratio={large / small:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the last line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=300)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    print(asyncio.run(bench(args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
