"""Benchmark: updates per second through the full Hemmaplan stack vs. a bare PTB application.

Both applications run in this process, one after the other, against the same in-memory Bot API
transport: a `telegram.request.BaseRequest` that hands every call to the Bot API fake's
dispatcher (`BotApiFake.call`) without HTTP, so validation, message state and HTML parsing cost
the same on both sides. Updates are fed with `await app.process_update(...)`, one at a time.

- bare, same calls (the ratio's baseline): a PTB Application fed the updates ours was fed that
  makes, per update, the Bot API calls ours made (answer the callback, edit or send with the
  same text and keyboard) through PTB's typed methods.
- bare, no-op reply (the old baseline, a second figure): replies "ok" to each text message.
- ours: `bot.telegram.app.build_application(...)` on a migrated database, driven by people who
  walk dialogues: /reflect, pick a dialogue, answer every step (typed text, scale and choice
  buttons, multi-select, continue), save at the recap, and start the next one. Every update is
  a dialogue step with its database work and its reply.

Each timed section starts with the earlier garbage collected and frozen (gc.collect, gc.freeze).

Usage: python bench/updates.py [--updates N] [--db sqlite|postgresql|both] [--people P]
       [--repeat R]
The last line reads `updates: ours=<n>/s bare=<n>/s ratio=<ours/bare> statements=<per update>`
(medians of the repeats, bare = same calls; with --db both, one line per database, SQLite last).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import itertools
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

ROOT = Path(__file__).resolve().parents[1]
# The Bot API fake lives with the tests; the benchmark borrows its dispatcher as transport.
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fakes.botapi import BotApiFake, FakeUser, SentMessage  # noqa: E402
from fakes.in_memory import IN_MEMORY_BASE_URL, InMemoryBotApi  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from sections import Sections  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PEOPLE_BASE_ID = 5_000_001
AnyApp = Application[Any, Any, Any, Any, Any, Any]


class StatementCounter:
    """Counts SQL statements sent to the database (to explain where the time goes)."""

    def __init__(self, engines: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        for engine in engines:  # the dialogue steps have an engine of their own on PostgreSQL
            event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


class ErrorCounter(logging.Handler):
    """Counts ERROR log records (failed updates are logged by the bot's error handler)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = self.format(record)


@dataclass
class RunFigures:
    """What one run measured."""

    updates: int
    seconds: float
    api_errors: int
    handler_errors: int
    dialogues_finished: int = 0
    statements: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Updates per second."""
        return self.updates / self.seconds if self.seconds > 0 else 0.0


def warmup_count(updates: int) -> int:
    """Untimed updates first (imports, caches, connection pools), about a tenth, at most 30."""
    return min(30, updates // 10)


async def feed(app: AnyApp, fake: BotApiFake) -> int:
    """Processes every queued update; returns how many there were."""
    fed = 0
    for raw in fake.take_updates():
        await app.process_update(Update.de_json(raw, app.bot))
        fed += 1
    return fed


@dataclass
class ScriptedUpdate:
    """One update ours handled: what the person did and the Bot API calls ours made for it."""

    user_id: int
    text: str | None  # a typed message ...
    pressed: tuple[int, str] | None  # ... or a button: (message id, callback data)
    calls: list[tuple[str, dict[str, Any]]]


def scripted(raw: dict[str, Any], calls: list[tuple[str, dict[str, Any]]]) -> ScriptedUpdate:
    """What the person did in `raw` (a typed message or a pressed button) and ours' calls."""
    if "callback_query" in raw:
        query = raw["callback_query"]
        pressed = (int(query["message"]["message_id"]), str(query["data"]))
        return ScriptedUpdate(int(query["from"]["id"]), None, pressed, calls)
    message = raw["message"]
    return ScriptedUpdate(int(message["from"]["id"]), message["text"], None, calls)


def timed_section() -> float:
    """Starts a timed section: earlier garbage collected and the survivors frozen, so that every
    application pays only for the garbage it makes itself. Frozen objects are not scanned
    again, which keeps this cheap enough to do before every update; `release_frozen` ends it."""
    gc.collect()
    gc.freeze()
    return time.perf_counter()


def end_timed_section(started: float) -> float:
    """Ends a timed section; returns its seconds."""
    return time.perf_counter() - started


def release_frozen() -> None:
    """After a run: frozen objects become collectable again."""
    gc.unfreeze()
    gc.collect()


# -- bare PTB: the no-op baseline ----------------------------------------------------------------


async def reply_ok(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies "ok" (the bare application's whole job)."""
    assert update.message is not None
    await update.message.reply_text("ok")


async def run_bare(updates: int, people: int, max_seconds: float) -> RunFigures:
    """Feeds `updates` text messages to a bare PTB application that replies "ok"."""
    fake = BotApiFake()
    fake.record_calls = False
    app: AnyApp = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(IN_MEMORY_BASE_URL)
        .request(InMemoryBotApi(fake))
        .get_updates_request(InMemoryBotApi(fake))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, reply_ok))
    users = [fake.user(PEOPLE_BASE_ID + i, first_name=f"P{i}") for i in range(people)]
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        async with app:
            for turn in range(warmup_count(updates)):
                await users[turn % people].send("uppvärmning")
                await feed(app, fake)
            began = time.perf_counter()
            done = 0
            elapsed = 0.0
            while done < updates and time.perf_counter() - began < max_seconds:
                await users[done % people].send(f"meddelande {done}")
                for raw in fake.take_updates():
                    started = timed_section()
                    await app.process_update(Update.de_json(raw, app.bot))
                    elapsed += end_timed_section(started)
                    done += 1
    finally:
        logging.getLogger().removeHandler(errors)
        release_frozen()
    return RunFigures(done, elapsed, len(fake.errors), errors.count)


# -- bare PTB making ours' Bot API calls ---------------------------------------------------------


def _keyboard(markup: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    """Builds the keyboard objects a bot would build (inline keyboards; others pass as JSON)."""
    if markup is None or "inline_keyboard" not in markup:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    button["text"], callback_data=button.get("callback_data"), url=button.get("url")
                )
                for button in row
            ]
            for row in markup["inline_keyboard"]
        ]
    )


class SameCalls:
    """A bare handler that makes the Bot API calls ours made for the same update: answer the
    callback, then edit or send with the same text, parse mode and keyboard."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, dict[str, Any]]] = []
        self.calls = 0

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Makes the pending calls through PTB's typed methods."""
        bot = context.bot
        pending, self.pending = self.pending, []
        for method, params in pending:
            rest = dict(params)
            markup = rest.pop("reply_markup", None)
            keyboard = _keyboard(markup)
            if markup is not None and keyboard is None:
                rest["reply_markup"] = markup
            if method == "answerCallbackQuery" and update.callback_query is not None:
                rest.pop("callback_query_id")
                await update.callback_query.answer(
                    text=rest.pop("text", None), api_kwargs=rest or None
                )
            elif method == "editMessageText":
                await bot.edit_message_text(
                    rest.pop("text"),
                    chat_id=rest.pop("chat_id"),
                    message_id=rest.pop("message_id"),
                    parse_mode=rest.pop("parse_mode", None),
                    reply_markup=keyboard,
                    api_kwargs=rest or None,
                )
            elif method == "sendMessage":
                await bot.send_message(
                    rest.pop("chat_id"),
                    rest.pop("text"),
                    parse_mode=rest.pop("parse_mode", None),
                    reply_markup=keyboard,
                    api_kwargs=rest or None,
                )
            else:
                if keyboard is not None:
                    rest["reply_markup"] = keyboard
                await bot.do_api_request(method, api_kwargs=rest)
            self.calls += 1


class SameCallsBot:
    """A bare PTB application on its own fake, fed the updates ours was fed, one by one."""

    def __init__(self, people: int) -> None:
        self.fake = BotApiFake()
        self.fake.record_calls = False
        self.app: AnyApp = (
            ApplicationBuilder()
            .token(self.fake.token)
            .base_url(IN_MEMORY_BASE_URL)
            .request(InMemoryBotApi(self.fake))
            .get_updates_request(InMemoryBotApi(self.fake))
            .build()
        )
        self.handler = SameCalls()
        self.app.add_handler(MessageHandler(filters.ALL, self.handler))
        self.app.add_handler(CallbackQueryHandler(self.handler))
        for i in range(people):
            user = self.fake.user(PEOPLE_BASE_ID + i, first_name=f"P{i}", language_code="sv")
            user.started = True
        self.updates = 0
        self.seconds = 0.0

    async def replay(self, update: ScriptedUpdate, *, timed: bool) -> None:
        """The person does what they did with ours; the handler makes ours' calls."""
        user = self.fake.user(update.user_id)
        if update.pressed is not None:
            message_id, data = update.pressed
            query = self.fake._new_callback_query(user, user.message(message_id), data)
            self.fake.enqueue_update({"callback_query": query})
        else:
            assert update.text is not None
            await user.send(update.text)
        self.handler.pending = update.calls
        for raw in self.fake.take_updates():
            started = timed_section()
            await self.app.process_update(Update.de_json(raw, self.app.bot))
            elapsed = end_timed_section(started)
            if timed:
                self.seconds += elapsed
                self.updates += 1


# -- the full stack ------------------------------------------------------------------------------


@dataclass
class Walker:
    """One person walking dialogues step by step; each `act()` produces exactly one update."""

    user: FakeUser
    dialogue_order: list[str]
    turn: int = 0
    finished: int = 0
    _texts: dict[tuple[str, str], int] = field(default_factory=dict)
    _in_dialogue: bool = False

    async def act(self) -> None:
        """Sends the next input a person would give for the bot's latest message."""
        message = self.user.last_touched
        buttons = _buttons(message)
        menu = [(text, data) for text, data in buttons if data.startswith("m:reflect:")]
        steps = [(text, data) for text, data in buttons if data.startswith("d:")]
        assert message is None or isinstance(message, SentMessage)
        if menu:
            wanted = self.dialogue_order[self.turn % len(self.dialogue_order)]
            self.turn += 1
            text = next((t for t, d in menu if d.endswith(":" + wanted)), menu[0][0])
            self._in_dialogue = True
            await self.user.press(text, message=message)
            return
        if not steps:
            if self._in_dialogue:
                self.finished += 1
                self._in_dialogue = False
            await self.user.send("/reflect")
            return
        assert message is not None
        await self._dialogue_step(message, steps)

    async def _dialogue_step(self, message: SentMessage, steps: list[tuple[str, str]]) -> None:
        by_action: dict[str, list[tuple[str, str]]] = {}
        for text, data in steps:
            action = data.split(":", 3)[3].split(".", 1)[0]
            by_action.setdefault(action, []).append((text, data))
        press: tuple[str, str] | None = None
        if "ok" in by_action:
            press = by_action["ok"][0]
        elif "t0" in by_action:  # something is selected in a multi-select: done
            press = by_action["s"][0]
        elif "t1" in by_action:
            press = by_action["t1"][0]
        elif "c" in by_action or "i" in by_action:
            choices = by_action.get("c", []) + by_action.get("i", [])
            press = choices[len(choices) // 2]
        elif "s" in by_action:
            press = by_action["s"][0]
        elif "r" in by_action:
            press = by_action["r"][0]
        if press is not None:
            await self.user.press(press[0], message=message)
            return
        step = steps[0][1].split(":", 3)[2]
        run = steps[0][1].split(":", 3)[1]
        attempt = self._texts.get((run, step), 0)
        self._texts[(run, step)] = attempt + 1
        # A text step takes anything; a date step needs a date, so a repeat gets one.
        answers = [
            "Jag vill bli tydligare med vad jag själv bestämmer.",
            (date.today() + timedelta(days=14)).isoformat(),
            "+7",
        ]
        await self.user.send(answers[attempt % len(answers)])


def _buttons(message: SentMessage | None) -> list[tuple[str, str]]:
    if message is None or message.reply_markup is None:
        return []
    return [
        (button["text"], button.get("callback_data", ""))
        for row in message.reply_markup.get("inline_keyboard", [])
        for button in row
    ]


@asynccontextmanager
async def provisioned_database(backend: str, tmp: Path, keyring: Any) -> AsyncIterator[Any]:
    """A migrated throw-away database: an SQLite file, or a PostgreSQL schema dropped after."""
    from bot.storage.db import Database, upgrade_database

    if backend == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}", keyring)
        try:
            await upgrade_database(database)
            yield database
        finally:
            await database.dispose()
        return
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    base = os.environ.get("HEMMAPLAN_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    conninfo = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False), keyring)
    try:
        await upgrade_database(database)
        yield database
    finally:
        await database.dispose()
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def _load_builder() -> Callable[..., Any]:
    try:
        from bot.telegram.app import build_application
    except ImportError as exc:  # the Telegram adapter is written in parallel
        raise SystemExit(
            f"ours: bot.telegram.app.build_application is not importable yet ({exc})"
        ) from exc
    return build_application


async def run_ours(
    backend: str,
    updates: int,
    people: int,
    max_seconds: float,
    rate_limiter: bool,
    profiler: cProfile.Profile | None = None,
    sections: Sections | None = None,
) -> tuple[RunFigures, RunFigures]:
    """Walks dialogues through `build_application` on a fresh database, and replays each
    update right after to the same-calls bare bot, so both meet the same machine load.

    Returns the figures of ours and of the same-calls bare bot."""
    build_application = _load_builder()
    from bot.config import Settings
    from bot.dialogue.loader import load_dialogues
    from bot.runtime import build_runtime
    from bot.storage.crypto import Keyring
    from bot.storage.models import Person
    from bot.storage.uow import make_uow_factory

    fake = BotApiFake()
    fake.record_calls = False
    key = Keyring.generate_key()
    with tempfile.TemporaryDirectory(prefix="hemmaplan-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = Settings(  # the token field is read through its environment alias
            TELEGRAM_BOT_TOKEN=fake.token,  # type: ignore[call-arg]
            bot_api_url=IN_MEMORY_BASE_URL,
            bot_api_file_url=IN_MEMORY_BASE_URL.replace("/bot", "/file/bot"),
            data_dir=tmp,
            secret_key=key,
            default_locale="sv",
            webhook_url="",
            webhook_secret="",
            database_url="",
        )
        catalog = load_dialogues(settings.dialogues_dir)
        now = datetime.now(UTC)
        async with provisioned_database(backend, tmp, Keyring([key])) as database:
            async with make_uow_factory(database)() as uow:
                for i in range(people):
                    await uow.people.add(
                        Person(
                            telegram_id=PEOPLE_BASE_ID + i,
                            role="client",
                            locale="sv",
                            timezone="Europe/Stockholm",
                            consent_at=now,
                        )
                    )
                await uow.commit()
            statements = StatementCounter(database.engines)
            api = InMemoryBotApi(fake)
            bare = SameCallsBot(people)
            ours_calls = 0
            app = build_application(build_runtime(settings, database, catalog), request=api)
            notes = []
            if not rate_limiter and app.bot.rate_limiter is not None:
                # The limiter caps replies at 20/s by design; measure the code, not the cap.
                app.bot._rate_limiter = None
                notes.append("rate limiter off (--rate-limiter keeps it)")
            order = list(catalog.ids())
            walkers = []
            for i in range(people):
                user = fake.user(PEOPLE_BASE_ID + i, first_name=f"P{i}", language_code="sv")
                user.started = True
                rotated = order[i % len(order) :] + order[: i % len(order)]
                walkers.append(Walker(user, rotated))
            errors = ErrorCounter()
            logging.getLogger().addHandler(errors)
            try:
                async with app, bare.app:
                    cycle = itertools.cycle(walkers)
                    warmup = warmup_count(updates)
                    done = elapsed = 0.0
                    began = time.perf_counter()
                    while done < updates and time.perf_counter() - began < max_seconds:
                        timed = warmup <= 0
                        if warmup == 0:
                            for walker in walkers:
                                walker.finished = 0
                            statements.count = 0
                            began = time.perf_counter()
                        warmup -= 1
                        await next(cycle).act()
                        for raw in fake.take_updates():
                            api.log = []
                            started = timed_section()
                            if profiler is not None and timed:
                                profiler.enable()
                            if sections is not None:
                                sections.active = timed
                            await app.process_update(Update.de_json(raw, app.bot))
                            if sections is not None:
                                sections.active = False
                            if profiler is not None:
                                profiler.disable()
                            seconds = end_timed_section(started)
                            calls, api.log = api.log, None
                            await bare.replay(scripted(raw, calls), timed=timed)
                            if timed:
                                elapsed += seconds
                                done += 1
                                ours_calls += len(calls)
            finally:
                logging.getLogger().removeHandler(errors)
                release_frozen()
    if errors.first:
        notes.append(f"first handler error: {errors.first.splitlines()[0]}")
    figures = RunFigures(
        int(done),
        elapsed,
        len(fake.errors),
        errors.count,
        dialogues_finished=sum(w.finished for w in walkers),
        statements=statements.count,
        notes=notes,
    )
    same = RunFigures(bare.updates, bare.seconds, len(bare.fake.errors), 0)
    if bare.handler.calls < ours_calls:
        same.notes.append(f"made {bare.handler.calls} calls, ours {ours_calls}")
    same.notes.append(f"ours made {ours_calls / max(done, 1):.2f} Bot API calls/update")
    return figures, same


def _describe(label: str, figures: RunFigures) -> str:
    extra = ""
    if label.endswith("ours"):
        per_update = figures.statements / figures.updates if figures.updates else 0.0
        extra = (
            f", {figures.dialogues_finished} dialogues finished, "
            f"{per_update:.1f} SQL statements/update"
        )
    return (
        f"{label}: {figures.updates} updates in {figures.seconds:.2f} s "
        f"({figures.rate:.0f}/s){extra}, {figures.api_errors} Bot API errors, "
        f"{figures.handler_errors} handler errors"
    )


async def bench(args: argparse.Namespace) -> list[str]:
    """Runs ours, the same-calls bare bot and the no-op bare bot per database, `--repeat`
    times; returns the summary lines (medians over the repeats)."""
    backends = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    summaries = []
    for backend in backends:
        rates: dict[str, list[float]] = {"ours": [], "bare": [], "noop": [], "ratio": []}
        per_update: list[float] = []
        for repeat in range(1, args.repeat + 1):
            tag = f"[{backend} #{repeat}]"
            profiler = cProfile.Profile() if args.profile else None
            sections = Sections() if args.sections else None
            with sections.installed() if sections is not None else nullcontext():
                ours, bare = await run_ours(
                    backend,
                    args.updates,
                    args.people,
                    args.max_seconds,
                    args.rate_limiter,
                    profiler,
                    sections,
                )
            if profiler is not None:
                target = Path(f"{args.profile}.{backend}.{repeat}")
                profiler.dump_stats(target)
                print(f"{tag} profile of ours' timed updates: {target} (python -m pstats)")
            noop = await run_bare(args.updates, args.people, args.max_seconds)
            print(_describe(f"{tag} ours", ours))
            for note in ours.notes:
                print(f"{tag}   note: {note}")
            if sections is not None:
                print(f"{tag} where ours' time goes (sections nest; wall clock):")
                for line in sections.report(tag, ours.updates):
                    print(line)
            print(_describe(f"{tag} bare, same calls", bare))
            for note in bare.notes:
                print(f"{tag}   note: {note}")
            print(_describe(f"{tag} bare, no-op reply", noop))
            print(
                f"{tag} ratio same-calls {_ratio(ours, bare):.3f}, no-op {_ratio(ours, noop):.3f}"
            )
            rates["ours"].append(ours.rate)
            rates["bare"].append(bare.rate)
            rates["noop"].append(noop.rate)
            rates["ratio"].append(_ratio(ours, bare))
            per_update.append(ours.statements / ours.updates if ours.updates else 0.0)
        median = {name: statistics.median(values) for name, values in rates.items()}
        spread = f"{min(rates['ratio']):.3f}–{max(rates['ratio']):.3f}"
        print(
            f"[{backend}] medians of {args.repeat}: no-op bare={median['noop']:.0f}/s, "
            f"ratio against it {median['ours'] / median['noop']:.3f}; "
            f"same-calls ratio spread {spread}"
        )
        summaries.append(
            f"updates: ours={median['ours']:.0f}/s bare={median['bare']:.0f}/s "
            f"ratio={median['ratio']:.3f} statements={statistics.median(per_update):.1f}"
        )
    return summaries


def _ratio(ours: RunFigures, bare: RunFigures) -> float:
    return ours.rate / bare.rate if bare.rate else 0.0


def main(argv: list[str] | None = None) -> int:
    """Parses options, runs the benchmark and prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=600, help="updates per run (default 600)")
    parser.add_argument(
        "--db", choices=["sqlite", "postgresql", "both"], default="sqlite", help="database"
    )
    parser.add_argument("--people", type=int, default=4, help="people walking in turn")
    parser.add_argument(
        "--max-seconds", type=float, default=60.0, help="time bound per run (default 60)"
    )
    parser.add_argument(
        "--rate-limiter", action="store_true", help="keep the bot's AIORateLimiter (20 msg/s)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per database; medians reported (default 3)"
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="cProfile ours' timed updates into FILE.<db>.<repeat> (figures then include "
        "the profiler's overhead)",
    )
    parser.add_argument(
        "--sections",
        action="store_true",
        help="time ours' services, storage, engine and Bot API calls per update "
        "(bench/sections.py)",
    )
    args = parser.parse_args(argv)
    if args.updates < 1 or args.people < 1 or args.repeat < 1:
        parser.error("--updates, --people and --repeat must be positive")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Handler errors are counted (ErrorCounter), printed in full only with BENCH_VERBOSE=1.
    if not os.environ.get("BENCH_VERBOSE"):
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.CRITICAL + 1)
    summaries = asyncio.run(bench(args))
    for line in summaries:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
