"""Outgoing Bot API transport: retries network errors and 5xx answers with backoff."""

from __future__ import annotations

import asyncio
import logging

from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

# 429 is not handled here: AIORateLimiter reads retry_after and waits exactly that long.
_RETRY_STATUSES = frozenset({500, 502, 503, 504})


class RetryingRequest(BaseRequest):
    """Wraps another request (HTTPX by default) and retries transient failures with backoff."""

    def __init__(
        self,
        inner: BaseRequest | None = None,
        *,
        attempts: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
    ) -> None:
        self._inner = inner or HTTPXRequest(connection_pool_size=16)
        self._attempts = max(1, attempts)
        self._base_delay = base_delay
        self._max_delay = max_delay

    @property
    def read_timeout(self) -> float | None:
        """The wrapped request's read timeout."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Initialise the wrapped request."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut down the wrapped request."""
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the request, retrying connection failures and server errors."""
        api_method = url.rsplit("/", 1)[-1]
        attempt = 0
        while True:
            attempt += 1
            try:
                status, payload = await self._inner.do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            except TimedOut:
                # A read timeout on a send may mean it was delivered; resending would duplicate
                # the message, so only non-sending calls are retried after a timeout.
                if api_method.startswith("send") or attempt >= self._attempts:
                    raise
                await self._pause(api_method, attempt, "timeout")
                continue
            except NetworkError:
                if attempt >= self._attempts:
                    raise
                await self._pause(api_method, attempt, "network error")
                continue
            if status in _RETRY_STATUSES and attempt < self._attempts:
                await self._pause(api_method, attempt, f"HTTP {status}")
                continue
            return status, payload

    async def _pause(self, api_method: str, attempt: int, reason: str) -> None:
        delay = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
        log.warning("Bot API %s failed (%s), retry %d in %.1fs", api_method, reason, attempt, delay)
        await asyncio.sleep(delay)
