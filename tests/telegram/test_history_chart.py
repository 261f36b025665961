"""/history sends the person's own scales over time as a photo, private answers included."""

from __future__ import annotations

import asyncio
from typing import Any

from bot_harness import CLIENT_ID, press, register, say
from fakes.botapi import BotApiFake, FakeUser

from bot.config import PROJECT_ROOT
from bot.dialogue.loader import load_dialogues
from bot.i18n import get_translator
from bot.storage.db import Database

NASTA = load_dialogues(PROJECT_ROOT / "dialogues").get("nasta_steg")


async def next_step(client: FakeUser, locale: str, confidence: str, *, private: bool) -> None:
    """Run `nasta_steg`, with the confidence scale kept only for me if `private`."""
    t = get_translator(locale)
    await say(client, "/reflect")
    await press(client, t.pgettext("nasta_steg", NASTA.title))
    await say(client, "Boka ett samtal med Åsa")
    await say(client, "+7")
    await say(client, "Samtalet är bokat")
    await say(client, "Om hon är borta skriver jag ett mejl")
    if private:
        await press(client, "🔒 " + t.gettext("Only for me"))
    await press(client, confidence)
    await press(client, "✅ " + t.gettext("Save"))


async def photos_after(client: FakeUser, before: int) -> list[Any]:
    """The documents that arrived after the first `before` (drawing takes a moment)."""
    for _ in range(400):  # up to 20 s
        if len(client.documents) > before:
            break
        await asyncio.sleep(0.05)
    return client.documents[before:]


async def test_history_sends_the_own_chart_with_private_answers(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="sv", name="Klara")
    client = fake.user(CLIENT_ID, language_code="sv")
    await next_step(client, "sv", "8", private=False)
    # One answer per scale: no trend yet, so /history lists the reflections and sends no photo.
    assert "senaste reflektioner" in await say(client, "/history")
    await asyncio.sleep(0.5)
    assert client.documents == []
    # The second answer is kept only for me; it is the person's own, so the chart has it.
    await next_step(client, "sv", "7", private=True)
    await client.send("/history")
    (photo,) = await photos_after(client, 0)
    assert photo.data.startswith(b"\x89PNG")
    assert photo.caption is not None and "även de som bara är för dig" in photo.caption
    assert len(photo.caption) <= 1024
    assert fake.errors == [], fake.describe_errors()
