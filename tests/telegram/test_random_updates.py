"""Property test: random Telegram updates never reach the error handler, and every person who
writes or presses gets an answer.

The real Application runs over the Bot API fake in memory (`InMemoryBotApi`, updates fed with
`process_update`), so many updates fit in a few seconds. The people: a registered client with a
coach, that coach, an admin who onboards from scratch, and a stranger without an invitation. The
updates: text (zero-width, very long, realistic answers), commands with random arguments, real
and forged button presses, edited messages, media, and update kinds the bot does not handle.
"""

from __future__ import annotations

import asyncio
import json
import os
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bot_harness import ADMIN_ID, CLIENT_ID, COACH_ID, Clock, make_settings, register
from fakes.botapi import BotApiFake, FakeUser
from fakes.in_memory import InMemoryBotApi
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.dialogue.loader import DialogueCatalog
from bot.runtime import build_runtime
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory
from bot.telegram.app import build_application
from bot.telegram.container import BotContext

STRANGER_ID = 7007
PEOPLE = (CLIENT_ID, COACH_ID, ADMIN_ID, STRANGER_ID)
COMMANDS = (
    "/start", "/help", "/reflect", "/cancel", "/commitments", "/history", "/preview",
    "/settings", "/privacy", "/export", "/clients", "/invite", "/invite_coach", "/meeting",
    "/summary", "/back", "/skip", "/pause", "/done", "/nonsense", "/delete", "/end_client",
    "/remove_coach",
)  # fmt: skip
FAMILIES = ("o", "m", "cm", "h", "st", "del", "sm", "rl", "pr", "mt", "d", "zz")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u200e \n\t"

numbers = st.one_of(
    st.integers(min_value=0, max_value=12).map(str),
    st.integers(min_value=2**31 - 2, max_value=2**70).map(str),
    st.sampled_from(["²", "٣", "-1", "#1", "#99999999999", "1e3", "0x10", ""]),
)
KNOWN_WORDS = (
    "Klara", "Cora", "2026-12-01", "14:00", "Europe/Oslo", "Europe", "../etc", "sv", "xx",
    "yes", "no", "lang", "tz", "run", "reflect", "nulage", "nasta_steg", "issue", "done",
)  # fmt: skip
ACTIONS = ("c", "t1", "t0", "s", "b", "k", "p", "r", "x", "ok", "e", "v1", "v0", "?")
words = st.one_of(
    numbers,
    st.sampled_from(KNOWN_WORDS),
    st.text(st.characters(blacklist_categories=["Cs", "Zs", "Cc"]), min_size=1, max_size=12),
)
texts = st.one_of(
    st.text(max_size=200),
    st.text(st.sampled_from(ZERO_WIDTH), min_size=1, max_size=6),
    st.sampled_from(["5", "8", "+7", "imorgon", "ja", "1, 3", "Budget talks", "x" * 4000]),
)
commands = st.builds(
    lambda name, args: " ".join([name, *args]),
    st.sampled_from(COMMANDS),
    st.lists(words, max_size=3),
)
menu_names = st.one_of(
    words,
    st.sampled_from(["lang", "tz", "consent", "reflect", "run", "checkin", "quiet", "pause"]),
    st.sampled_from(["join", "no", "keep", "leave", "leaveok", "end", "endok", "rm", "rmok"]),
    st.sampled_from(["start", "snooze", "skip", "resume", "mv", "add", "how", "cx"]),
)
menu_data = st.builds(lambda f, n, a: f"{f}:{n}:{a}", st.sampled_from(FAMILIES), menu_names, words)
forged_data = st.one_of(
    menu_data,
    menu_data,
    menu_data,
    st.builds(
        lambda run, step, action, arg: f"d:{run}:{step}:{action}" + (f".{arg}" if arg else ""),
        numbers,
        st.sampled_from(["@", "issue", "what", "when", "confidence", "x"]),
        st.sampled_from(ACTIONS),
        words,
    ),
    st.text(min_size=1, max_size=64),
).filter(lambda data: 1 <= len(data.encode("utf-8")) <= 64)


@dataclass(frozen=True)
class Action:
    """One thing a person (or Telegram) does."""

    who: int
    kind: str
    payload: Any = None


actions = st.one_of(
    st.builds(Action, st.sampled_from(PEOPLE), st.just("text"), texts),
    st.builds(Action, st.sampled_from(PEOPLE), st.just("text"), commands),
    st.builds(Action, st.sampled_from(PEOPLE), st.just("press"), st.integers(0, 30)),
    st.builds(Action, st.sampled_from(PEOPLE), st.just("forged"), forged_data),
    st.builds(Action, st.sampled_from(PEOPLE), st.just("forged"), menu_data),
    st.builds(Action, st.sampled_from(PEOPLE), st.just("edit"), texts),
    st.builds(
        Action,
        st.sampled_from(PEOPLE),
        st.just("media"),
        st.sampled_from(["photo", "voice", "sticker", "location", "document"]),
    ),
    st.builds(
        Action,
        st.sampled_from(PEOPLE),
        st.just("other"),
        st.sampled_from(["poll", "reaction", "future", "group", "channel", "blocked"]),
    ),
)


@dataclass
class Harness:
    """The application, the fake and what went wrong so far."""

    app: Any
    fake: BotApiFake
    failures: list[str] = field(default_factory=list)
    steps: int = 0
    reset: Callable[[], Awaitable[None]] | None = None

    def user(self, telegram_id: int) -> FakeUser:
        return self.fake.user(telegram_id, first_name=f"P{telegram_id}", language_code="en")

    async def feed(self) -> None:
        for raw in self.fake.take_updates():
            await self.app.process_update(Update.de_json(raw, self.app.bot))
            self.steps += 1

    async def act(self, action: Action) -> None:
        """Perform the action, feed the updates and check the invariants."""
        person = self.user(action.who)
        seen = person._bot_activity
        expect_reply = True
        query: dict[str, Any] | None = None
        if action.kind == "text":
            await person.send(action.payload)
        elif action.kind == "edit":
            own = [m for m in person._all.values() if not m.from_bot and "text" in m.data]
            if not own:
                return
            await person.edit(own[-1].message_id, action.payload or ".")
        elif action.kind == "media":
            await getattr(person, f"send_{action.payload}")()
        elif action.kind in ("press", "forged"):
            with_buttons = [m for m in person.messages if m.buttons]
            if action.kind == "press" and with_buttons:
                message = with_buttons[-1]
                labels = [label for row in message.buttons for label in row]
                button = message.find_button(labels[action.payload % len(labels)])
                if button is None or "callback_data" not in button:
                    return
                query = await person.press(labels[action.payload % len(labels)], message)
            elif person.messages:
                data = action.payload if action.kind == "forged" else "zz"
                query = await person.press_data(data)
            else:
                return
        else:
            expect_reply = False
            self._enqueue_other(person, action.payload)
        await self.feed()
        if query is not None:
            answered = self.fake._queries[query["id"]][1]
            if not answered:
                self.failures.append(f"{action}: the button press was never answered")
        elif expect_reply and person._bot_activity == seen:
            self.failures.append(f"{action}: no reply in the chat")

    def _enqueue_other(self, person: FakeUser, kind: str) -> None:
        chat = person.chat_json()
        if kind == "poll":
            poll = {
                "id": "5", "question": "?", "options": [], "total_voter_count": 0,
                "is_closed": False, "is_anonymous": True, "type": "regular",
                "allows_multiple_answers": False, "allows_revoting": False, "members_only": False,
            }  # fmt: skip
            self.fake.enqueue_update({"poll": poll})
        elif kind == "reaction":
            reaction = {
                "chat": chat, "message_id": 1, "user": person.user_json(), "date": 0,
                "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }  # fmt: skip
            self.fake._allowed_updates = []
            self.fake._updates.append({"update_id": 1, "message_reaction": reaction})
        elif kind == "future":
            self.fake.enqueue_update({"some_future_update": {"x": 1}})
        elif kind in ("group", "channel"):
            group = {"id": -100123, "type": "supergroup" if kind == "group" else "channel",
                     "title": "G"}  # fmt: skip
            message = {"message_id": 9, "date": 0, "chat": group, "text": "/help"}
            if kind == "group":
                message["from"] = person.user_json()
            key = "message" if kind == "group" else "channel_post"
            self.fake.enqueue_update({key: message})
        else:
            person.block()
            person.unblock()


@pytest.fixture
async def harness(
    fake_memory: BotApiFake, database: Database, catalog: DialogueCatalog, tmp_path: Path
) -> AsyncIterator[Harness]:
    """The real application on the test database, fed in memory."""
    settings_ = make_settings(fake_memory, tmp_path)
    runtime = build_runtime(settings_, database, catalog, clock=Clock())
    app = build_application(runtime, request=InMemoryBotApi(fake_memory))
    harness = Harness(app, fake_memory)

    async def record(update: object, context: BotContext) -> None:
        error = context.error
        trace = "".join(traceback.format_exception(error)) if error else "?"
        raw = json.dumps(update.to_dict() if isinstance(update, Update) else str(update))
        harness.failures.append(f"error handler reached by {raw[:300]}:\n{trace}")

    app.add_error_handler(record)

    async def reset() -> None:
        # A random /delete may have erased them: each example starts with both registered.
        async with make_uow_factory(database)() as uow:
            coach = await uow.people.by_telegram_id(COACH_ID)
            client = await uow.people.by_telegram_id(CLIENT_ID)
        if coach is None:
            await register(database, COACH_ID, role="coach", name="Cora")
        if client is None or coach is None:
            if client is not None:
                async with make_uow_factory(database)() as uow:
                    await uow.people.delete(client.id)
                    await uow.commit()
            await register(
                database, CLIENT_ID, locale="en", name="Klara", coach_telegram_id=COACH_ID
            )

    harness.reset = reset
    async with app:
        yield harness


@pytest.fixture
def fake_memory() -> BotApiFake:
    """A Bot API fake that is never served over HTTP (the in-memory transport calls it)."""
    return BotApiFake()


async def test_random_updates_are_all_handled_and_answered(harness: Harness) -> None:
    loop = asyncio.get_running_loop()

    def run(coroutine_factory: Callable[[], Any]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine_factory(), loop).result(timeout=60)

    @settings(
        max_examples=int(os.environ.get("HEMMAPLAN_RANDOM_UPDATES", "40")),
        deadline=None,
        # CI runs the same examples every time; HEMMAPLAN_RANDOM_UPDATES=N explores N new ones.
        derandomize="HEMMAPLAN_RANDOM_UPDATES" not in os.environ,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(actions, min_size=2, max_size=12))
    def scenario(steps: list[Action]) -> None:
        harness.failures.clear()

        async def play() -> None:
            assert harness.reset is not None
            await harness.reset()
            for action in steps:
                await harness.act(action)

        run(play)
        assert harness.failures == [], "\n".join(harness.failures)

    # Hypothesis runs in a worker thread; each example's updates run on this event loop.
    await loop.run_in_executor(None, scenario)
    assert harness.steps > 100
