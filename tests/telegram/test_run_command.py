"""`hemmaplan run` as shipped, against the Bot API fake: three people onboard and a dialogue runs.

This is the issue's "must show": the real command in its own process, only HTTP in between, and
not a single 4xx answer from the fake during normal use.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_harness import ADMIN_ID, CLIENT_ID, COACH_ID, link_token, press, say
from fakes.botapi import BotApiFake, FakeUser

from bot.config import PROJECT_ROOT


@pytest.fixture
async def running_bot(
    fake: BotApiFake, tmp_path: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")},
        "TELEGRAM_BOT_TOKEN": fake.token,
        "HEMMAPLAN_BOT_API_URL": fake.base_url,
        "HEMMAPLAN_BOT_API_FILE_URL": fake.base_file_url,
        "HEMMAPLAN_DATA_DIR": str(tmp_path),
        "HEMMAPLAN_ADMIN_IDS": str(ADMIN_ID),
        # The scripted user answers faster than a person reads; joining split messages has its
        # own tests (test_live_screens.py).
        "HEMMAPLAN_JOIN_WINDOW_SECONDS": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(600):
            if fake.polls_parked or process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert process.returncode is None, (await process.communicate())[1].decode()
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


async def _onboard(user: FakeUser, start: str, language: str, agree: str) -> None:
    await say(user, start)
    await press(user, language)
    await press(user, "Europe/Stockholm")
    await user.press(agree)
    await user.wait_for_reply()


async def test_admin_coach_and_client_onboard_and_the_client_reflects(
    fake: BotApiFake, running_bot: asyncio.subprocess.Process
) -> None:
    admin = fake.user(ADMIN_ID, first_name="Ada", language_code="en")
    await _onboard(admin, "/start", "English", "✅ I agree")
    coach_token = link_token(await say(admin, "/invite_coach"))

    coach = fake.user(COACH_ID, first_name="Cora", language_code="sv")
    await _onboard(coach, f"/start {coach_token}", "Svenska", "✅ Jag godkänner")
    client_token = link_token(await say(coach, "/invite"))

    client = fake.user(CLIENT_ID, first_name="Klara", language_code="sv")
    await _onboard(client, f"/start {client_token}", "Svenska", "✅ Jag godkänner")
    assert "Klara" in await say(coach, "/clients")

    await say(client, "/reflect")
    text = await press(client, "Handlingsfrihet")
    assert "Vilken fråga" in text or "fråga" in text
    for answer in (
        "Vikarier i sommar",
        "Schemat",
        "Budgetäskandet",
        "Anställningsstoppet",
        "Vem som godkänner vikarier",
        "Skriva ett underlag",
        "Min chef",
    ):
        text = await say(client, answer)
    # The action is offered as a commitment with a date; a week from now is typed.
    assert "Ett steg inom det jag kan påverka: Skriva ett underlag" in text
    text = await say(client, "+7")
    assert "Din handlingsfrihet" in text
    text = await press(client, "✅ Spara")
    assert "/preview" in text
    # The coach sees it once there is a meeting and Klara has approved her preview.
    assert "Klara" in await say(coach, "/meeting Klara imorgon 14:00")
    await say(client, "/preview")
    assert "Godkänt" in await press(client, "✅ Godkänn")
    summary = await say(coach, "/summary Klara")
    assert "Skriva ett underlag" in summary

    running_bot.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(running_bot.communicate(), 20)
    assert running_bot.returncode == 0, stderr.decode()
    assert fake.errors == [], fake.describe_errors()
