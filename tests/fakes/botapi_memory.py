"""An in-memory PTB transport for the Bot API fake: no HTTP, the fake's dispatcher answers.

Used where many updates must run fast (the benchmark, the property test of random updates):
`build_application(..., request=InMemoryBotApi(fake))`, then feed updates with
`await app.process_update(Update.de_json(raw, app.bot))`.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from .botapi import BotApiFake


class InMemoryBotApi(BaseRequest):
    """A PTB transport that answers Bot API calls from the fake's dispatcher, in memory."""

    def __init__(self, fake: BotApiFake) -> None:
        self.fake = fake

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
