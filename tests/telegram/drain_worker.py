"""A separate OS process that sends due prompts once, as a `hemmaplan run` worker would.

Run by tests/telegram/test_two_processes.py: settings come from the environment (the same
database and Bot API fake as the test); it signals `ready`, waits for `go`, drains and prints
how many prompts it sent.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from bot.config import load_settings
from bot.runtime import open_runtime
from bot.telegram.app import build_application, sender_of


def _signal_and_wait(ready: Path, go: Path) -> None:
    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


async def main(ready: Path, go: Path) -> int:
    settings = load_settings()
    async with open_runtime(settings, migrate=False) as runtime:
        sender = sender_of(build_application(runtime))
        await sender.bot.initialize()
        try:
            await asyncio.to_thread(_signal_and_wait, ready, go)
            sent = await sender.drain()
        finally:
            await sender.bot.shutdown()
    print(sent)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]))))
