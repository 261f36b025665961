"""A PTB transport that answers Bot API calls from the fake's dispatcher in memory (no HTTP).

For tests that feed updates with `app.process_update(...)` and for the benchmarks: the fake
validates and stores every call exactly as over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from fakes.botapi import BotApiFake

IN_MEMORY_BASE_URL = "http://bot-api.in-memory.invalid/bot"


class InMemoryBotApi(BaseRequest):
    """A PTB transport that answers Bot API calls from the fake's dispatcher, in memory."""

    def __init__(self, fake: BotApiFake) -> None:
        self.fake = fake
        # When a list, every call is appended as (method, parameters): ours' calls per update
        # become the script the same-calls bare bot replays.
        self.log: list[tuple[str, dict[str, Any]]] | None = None

    @property
    def read_timeout(self) -> float | None:
        """No network, no timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answers `{base_url}{token}/{method}` with the fake's status and JSON."""
        prefix, api_method = url.rsplit("/", 1)
        token = prefix.rsplit("/bot", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        if self.log is not None:
            self.log.append((api_method, params))
        files: dict[str, tuple[str | None, str | None, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for name, value in request_data.multipart_data.items():
                content = value[1] if isinstance(value[1], bytes) else value[1].read()
                files[name] = (value[0], value[2] if len(value) > 2 else None, content)
        answer = await self.fake.call(api_method, params, files, token=token)
        if answer is None:
            return 502, b'{"ok":false,"error_code":502,"description":"Bad Gateway"}'
        status, payload = answer
        return status, json.dumps(payload).encode("utf-8")


class InMemoryFeed:
    """Hands the fake's queued updates to `Application.process_update`, one at a time, in order.

    It stands in for PTB's Updater (no getUpdates, no HTTP): what people do through `FakeUser`
    reaches the handlers as it would by long polling, and the fake's `wait_idle` asks `idle`
    instead of waiting for a quiet period.
    """

    def __init__(self, application: Any, fake: BotApiFake) -> None:
        self.application = application
        self.fake = fake
        self.handled = 0
        # An exception out of process_update (the error handler itself failed): kept for the
        # test to see, and the feed goes on with the next update as polling would.
        self.crashes: list[BaseException] = []
        self._busy = False
        self._task: asyncio.Task[None] | None = None

    @property
    def idle(self) -> bool:
        """No update is being handled and none is waiting."""
        return not self._busy and self.fake.pending_updates == 0

    def start(self) -> None:
        """Starts feeding; the fake's `wait_idle` consults this feed from now on."""
        self.fake.feed = self
        self._task = asyncio.create_task(self._run(), name="in-memory-feed")

    async def stop(self) -> None:
        """Stops after the update being handled (updates still queued stay queued)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.fake.feed is self:
            self.fake.feed = None

    async def feed_pending(self) -> None:
        """Handles every queued update now (for tests that step the bot by hand)."""
        while batch := self.fake.take_updates():
            for raw in batch:
                self.handled += 1
                try:
                    await self.application.process_update(Update.de_json(raw, self.application.bot))
                except Exception as exc:
                    self.crashes.append(exc)

    async def _run(self) -> None:
        while True:
            await self.fake.next_update()
            self._busy = True
            try:
                await self.feed_pending()
            finally:
                self._busy = False
