"""Tests of the Bot API fake, driven by a real bare PTB Application over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from .botapi import BotApiFake


@pytest.fixture
async def fake() -> AsyncIterator[BotApiFake]:
    async with BotApiFake() as server:
        yield server


def build_app(fake: BotApiFake) -> Application:  # type: ignore[type-arg]
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )


async def test_echo_round_trip_over_polling(fake: BotApiFake) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"echo: {update.message.text}")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        anna = fake.user(1001, first_name="Anna")
        await anna.send("hej")
        reply = await anna.wait_for_reply()
        await app.updater.stop()
        await app.stop()
    assert reply.text == "echo: hej"
    assert anna.texts == ["echo: hej"]
    assert fake.errors == []
