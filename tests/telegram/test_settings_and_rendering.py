"""Settings in chat, start-up checks, and the pure rendering helpers."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from bot_harness import CLIENT_ID, press, register, say
from fakes.botapi import BotApiFake
from hypothesis import given
from hypothesis import strategies as st

from bot.config import Settings, SettingsError
from bot.dialogue.screens import Choice, InputKind, RecapItem, Screen, ScreenKind
from bot.i18n import get_translator
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.callbacks import MAX_CALLBACK_BYTES, parse_dialogue
from bot.telegram.rendering import MESSAGE_LIMIT, render_screen, split_message
from bot.telegram.runner import check_settings


async def test_settings_buttons_change_language_and_times(
    bot: Any, fake: BotApiFake, database: Database
) -> None:
    await register(database, CLIENT_ID, locale="en")
    client = fake.user(CLIENT_ID, language_code="en")
    assert "Your settings" in await say(client, "/settings")
    # Quiet hours first: 07:30 is inside the default ones (21–08), and would be refused.
    await press(client, "🌙 22–07")
    await press(client, "⏰ 07:30")
    await press(client, "⏸ Until I resume")
    text = await press(client, "Svenska")
    assert "Dina inställningar" in text
    assert "Bad Request" not in text
    text = await say(client, "/settings america/new_york")
    assert "America/New_York" in text
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(CLIENT_ID)
        assert person is not None
        assert (person.locale, person.timezone, person.paused) == ("sv", "America/New_York", True)
        assert (person.checkin_time, person.quiet_start, person.quiet_end) == (
            time(7, 30), time(22, 0), time(7, 0)
        )  # fmt: skip
    assert fake.errors == [], fake.describe_errors()


def test_settings_are_checked_before_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^TELEGRAM_BOT_TOKEN: "):
        check_settings(Settings(TELEGRAM_BOT_TOKEN="", data_dir=tmp_path))
    webhook = Settings(
        TELEGRAM_BOT_TOKEN="1:abc", webhook_url="https://example.org/telegram", webhook_secret=""
    )
    with pytest.raises(SettingsError, match=r"^HEMMAPLAN_WEBHOOK_SECRET: "):
        check_settings(webhook)


def test_split_message_keeps_lines_tags_and_entities_whole() -> None:
    line = "<b>label</b> " + "word &amp; " * 40
    text = "\n".join([line] * 60)
    chunks = split_message(text)
    assert len(chunks) > 1
    assert all(len(chunk) <= MESSAGE_LIMIT for chunk in chunks)
    assert "\n".join(chunks) == text
    long_line = "x" * 5000 + " &amp; " + "<i>y</i>" * 400 + "<b>" + "bold " * 900 + "</b>"
    pieces = split_message(long_line)
    assert len(pieces) > 2
    assert all(len(p) <= MESSAGE_LIMIT and p.count("<b>") == p.count("</b>") for p in pieces)
    assert all(p.count("<i>") == p.count("</i>") for p in pieces)
    assert "".join(pieces).replace("</b><b>", "") == long_line


def test_rendered_buttons_fit_and_user_text_is_escaped() -> None:
    t = get_translator("en")
    long_value = "a" * 60
    screen = Screen(
        kind=ScreenKind.QUESTION, dialogue_id="d", step_id="a_rather_long_step_identifier",
        title="<T>", text="Q & <A>", input=InputKind.MULTI,
        choices=(Choice(long_value, "L", True), Choice("short", "S")),
        progress=(2, 5), can_back=True, can_skip=True,
    )  # fmt: skip
    rendered = render_screen(screen, 123456789, t)
    assert "&lt;T&gt;" in rendered.text and "Q &amp; &lt;A&gt;" in rendered.text
    assert rendered.keyboard is not None
    data = [b.callback_data for row in rendered.keyboard.inline_keyboard for b in row]
    assert all(isinstance(d, str) and len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)
    decoded = [parse_dialogue(str(d)) for d in data]
    assert all(d is not None and d.run_id == 123456789 for d in decoded)
    actions = {(d.action, d.argument) for d in decoded if d is not None}
    assert ("t0", "#0") in actions  # the long value falls back to its position
    assert ("t1", "short") in actions  # unselected option: pressing it wants it on
    recap = Screen(
        kind=ScreenKind.RECAP, dialogue_id="d", step_id=None, title="R", text="",
        recap=(RecapItem(1, "a", "A", "<x>", False), RecapItem(2, "b", "B", "y", True)),
    )  # fmt: skip
    rendered = render_screen(recap, 7, t)
    assert "&lt;x&gt;" in rendered.text
    assert rendered.keyboard is not None
    labels = [b.text for row in rendered.keyboard.inline_keyboard for b in row]
    assert {"✏️ 1", "✏️ 2", "🔒 1", "🔓 2"} <= set(labels)


_TOKENS = st.sampled_from(["a", "word", " ", "&amp;", "<b>x</b>", "é"])


@given(
    st.lists(st.lists(_TOKENS, max_size=120).map("".join), max_size=40),
    st.integers(min_value=50, max_value=400),
)
def test_split_message_never_exceeds_the_limit_and_loses_nothing(
    lines: list[str], limit: int
) -> None:
    text = "\n".join(lines)
    chunks = split_message(text, limit)
    assert all(len(chunk) <= limit for chunk in chunks)

    def visible(html: str) -> str:
        return re.sub(r"<[^>]*>|\n", "", html)

    assert "".join(visible(chunk) for chunk in chunks) == visible(text)
    assert all(chunk.count("<b>") == chunk.count("</b>") for chunk in chunks)
    assert all(not re.search(r"&[#\w]*$", chunk) for chunk in chunks)


def test_the_persons_material_is_quoted_above_the_question_and_escaped() -> None:
    t = get_translator("en")
    screen = Screen(
        kind=ScreenKind.QUESTION, dialogue_id="checkin", step_id="status", title="Check in",
        text="How is it going?", shows="Your commitment: Call <Eva> & Bo\nDue 12 Mar 2026",
        input=InputKind.CHOICE, choices=(Choice("done", "Done"), Choice("not_yet", "Not yet")),
    )  # fmt: skip
    text = render_screen(screen, 5, t).text
    quoted = "<blockquote>Your commitment: Call &lt;Eva&gt; &amp; Bo\nDue 12 Mar 2026</blockquote>"
    assert quoted in text
    assert text.index(quoted) < text.index("How is it going?")
