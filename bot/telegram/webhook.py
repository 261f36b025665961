"""Webhook transport: a Starlette app that checks the secret and queues updates for PTB."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_webhook_app(application: Any, secret: str) -> Starlette:
    """POST /telegram (secret checked on every request) and GET /healthz."""
    expected = secret.encode("utf-8")

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not expected or not hmac.compare_digest(given, expected):
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        update = _parse_update(body, application.bot)
        if update is None:
            # Telegram resends anything not answered 2xx, forever: log it and drop it (its size
            # only: the body may hold what someone wrote).
            log.warning("dropped a malformed webhook update (%d bytes)", len(body))
            return Response(status_code=200)
        # The web layer only queues; PTB's update fetcher dispatches as with polling.
        await application.update_queue.put(update)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/telegram", telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def _parse_update(body: bytes, bot: Any) -> Update | None:
    """The update in a request body, or None when it is not a readable Telegram update."""
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return None
        return Update.de_json(payload, bot)
    except Exception:
        # PTB raises whatever the malformed JSON provokes (KeyError, TypeError, AttributeError…).
        return None


class WebhookServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the bot runner (which stops it)."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def parse_listen(listen: str) -> tuple[str, int]:
    """Split HEMMAPLAN_LISTEN ("host:port") into host and port."""
    host, _, port = listen.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise ValueError(f"HEMMAPLAN_LISTEN: expected host:port, got {listen!r}")
    return host.strip("[]"), int(port)


def webhook_server(application: Any, secret: str, listen: str) -> WebhookServer:
    """A uvicorn server for the webhook app on `listen`."""
    host, port = parse_listen(listen)
    config = uvicorn.Config(
        build_webhook_app(application, secret),
        host=host,
        port=port,
        lifespan="off",
        log_level="warning",
        access_log=False,
    )
    return WebhookServer(config)
