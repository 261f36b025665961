"""Tests of the Bot API fake, driven by a real bare PTB Application over HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from .botapi import NOT_MODIFIED, BotApiFake, FloodLimits
from .botapi_html import HtmlParseError, parse_html

pytestmark = pytest.mark.filterwarnings(
    # RetryAfter.retry_after announces its future timedelta type; the int is what we check.
    "ignore:Deprecated since version v22.2:telegram.warnings.PTBDeprecationWarning"
)
AnyApp = Application[Any, Any, Any, Any, Any, Any]
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="yes")]])


@pytest.fixture
async def fake() -> AsyncIterator[BotApiFake]:
    async with BotApiFake() as server:
        yield server


def build_app(fake: BotApiFake, token: str | None = None) -> AnyApp:
    return (
        ApplicationBuilder()
        .token(token or fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        # A short read timeout keeps the delay test fast; the polling timeout stays separate.
        .request(HTTPXRequest(read_timeout=2))
        .build()
    )


@pytest.fixture
async def app(fake: BotApiFake) -> AsyncIterator[AnyApp]:
    """An initialised (getMe done) application that is not polling."""
    application = build_app(fake)
    async with application:
        yield application


@asynccontextmanager
async def polling(app: AnyApp) -> AsyncIterator[AnyApp]:
    """Initialises the application and polls the fake until the block ends (even on failure)."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def started_user(fake: BotApiFake, user_id: int = 1001, **kwargs: Any) -> Any:
    """A person who has written to the bot once (so the bot may message them)."""
    person = fake.user(user_id, **kwargs)
    await person.send("/start")
    return person


# -- round trips through polling -----------------------------------------------------------------


async def test_echo_round_trip_over_polling(fake: BotApiFake) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.effective_user is not None
        language = update.effective_user.language_code
        await update.message.reply_text(f"echo ({language}): {update.message.text}")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(app):
        anna = fake.user(1001, first_name="Anna", language_code="sv")
        await anna.send("hej")
        reply = await anna.wait_for_reply()
        await anna.send("igen")
        second = await anna.wait_for_reply()
    assert reply.text == "echo (sv): hej"
    assert second.text == "echo (sv): igen"
    assert anna.texts == ["echo (sv): hej", "echo (sv): igen"]
    assert fake.errors == []
    assert [c.method for c in fake.calls_to("sendMessage")] == ["sendMessage"] * 2


async def test_command_entity_and_start_payload_reach_the_handler(fake: BotApiFake) -> None:
    seen: list[list[str]] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(list(context.args or []))
        assert update.message is not None
        await update.message.reply_text("welcome")

    app = build_app(fake)
    app.add_handler(CommandHandler("start", start))
    async with polling(app):
        bo = fake.user(7, first_name="Bo")
        await bo.send("/start INVITE123")
        await bo.wait_for_reply()
    assert seen == [["INVITE123"]]


async def test_buttons_callbacks_and_edits(fake: BotApiFake) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Klar?", reply_markup=KEYBOARD)

    async def answered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Noterat")
        await query.edit_message_text(f"Du svarade {query.data}")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.TEXT, ask))
    app.add_handler(CallbackQueryHandler(answered))
    async with polling(app):
        anna = fake.user(1001)
        await anna.send("hej")
        question = await anna.wait_for_reply()
        assert question.buttons == [["Ja"]]
        with pytest.raises(AssertionError, match=r"(?s)no button 'Nej'.*\[\['Ja'\]\]"):
            await anna.press("Nej")
        await anna.press("Ja")
        edited = await anna.wait_for_reply()
    assert edited.message_id == question.message_id
    assert edited.text == "Du svarade yes"
    # editMessageText without reply_markup removes the inline keyboard, as on Telegram.
    assert edited.buttons == []
    assert edited.edits == 1
    assert [a.text for a in anna.callback_answers] == ["Noterat"]


async def test_user_media_updates_and_file_download(fake: BotApiFake) -> None:
    received: list[bytes] = []
    kinds: list[str] = []

    async def on_any(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None
        if message.document is not None:
            file = await message.document.get_file()
            received.append(bytes(await file.download_as_bytearray()))
        kinds.append(
            next(
                kind
                for kind in ("photo", "voice", "sticker", "location", "document", "text")
                if getattr(message, kind)
            )
        )
        await message.reply_text("ok")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.ALL, on_any))
    async with polling(app):
        anna = fake.user(1001)
        await anna.send_photo()
        await anna.send_voice()
        await anna.send_sticker()
        await anna.send_location()
        await anna.send_document(b"min plan", file_name="plan.txt")
        await fake.wait_idle()
    assert kinds == ["photo", "voice", "sticker", "location", "document"]
    assert received == [b"min plan"]


async def test_document_upload_keeps_bytes(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    await app.bot.send_document(
        anna.id,
        b"%PDF-1.7 summary",
        filename="summary.pdf",
        caption="<b>Din</b> sammanfattning",
        parse_mode=ParseMode.HTML,
    )
    [document] = anna.documents
    assert document.data == b"%PDF-1.7 summary"
    assert document.file_name == "summary.pdf"
    assert document.caption == "Din sammanfattning"
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await app.bot.send_document(anna.id, b"x", filename="a.txt", caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)file must be non-empty"):
        await app.bot.send_document(anna.id, b"", filename="a.txt")


# -- validation errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "message text is empty"),
        ("   ", "message text is empty"),
        ("x" * 4097, "message is too long"),
    ],
)
async def test_text_limits(fake: BotApiFake, app: AnyApp, text: str, error: str) -> None:
    anna = await started_user(fake)
    with pytest.raises(BadRequest) as caught:
        await app.bot.send_message(anna.id, text)
    assert caught.value.message.lower() == error
    assert fake.errors[-1].description == f"Bad Request: {error}"


async def test_text_at_the_limit_counts_utf16_units(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    await app.bot.send_message(anna.id, "å" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(anna.id, "😀" * 2049)  # 4098 UTF-16 units


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>bold", 'can\'t find end tag corresponding to start tag "b"'),
        ("<blink>x</blink>", 'unsupported start tag "blink" at byte offset 0'),
        ("a < b", 'unsupported start tag "" at byte offset 2'),
        ("R&D", "can't find end of the entity starting at byte offset 1"),
        ("<b>x</i>", "unmatched end tag at byte offset 4"),
        ("x</b>", "unexpected end tag at byte offset 1"),
        ('<span class="red">x</span>', 'tag "span" must have class "tg-spoiler"'),
        ("&nbsp;", 'unsupported html entity "&nbsp;"'),
    ],
)
async def test_bad_html_is_rejected_like_telegram(
    fake: BotApiFake, app: AnyApp, html: str, detail: str
) -> None:
    anna = await started_user(fake)
    with pytest.raises(BadRequest) as caught:
        await app.bot.send_message(anna.id, html, parse_mode=ParseMode.HTML)
    assert caught.value.message.lower().startswith("can't parse entities: ")
    assert detail in caught.value.message.lower()
    assert anna.messages == []


async def test_valid_html_gives_plain_text_and_entities(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    html = (
        '😀 <b>fet</b> <i>kursiv</i> <a href="https://example.org/?a=1&amp;b=2">länk</a> '
        '&lt;3 <tg-spoiler>dolt</tg-spoiler> <pre><code class="language-python">x</code></pre>'
    )
    message = await app.bot.send_message(anna.id, html, parse_mode=ParseMode.HTML)
    assert message.text == "😀 fet kursiv länk <3 dolt x"
    kinds = [(e.type, e.offset, e.length) for e in message.entities]
    assert kinds == [
        ("bold", 3, 3),
        ("italic", 7, 6),
        ("text_link", 14, 4),
        ("spoiler", 22, 4),
        ("pre", 27, 1),
    ]
    assert message.entities[2].url == "https://example.org/?a=1&b=2"
    assert message.entities[4].language == "python"
    assert anna.messages[0].source_text == html


def test_html_parser_reports_byte_offsets() -> None:
    with pytest.raises(HtmlParseError, match=r"byte offset 3$"):
        parse_html("ö <x>")  # "ö" is two UTF-8 bytes
    assert parse_html("<blockquote expandable>q</blockquote>")[1][0]["type"] == (
        "expandable_blockquote"
    )


async def test_edit_errors(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    sent = await app.bot.send_message(anna.id, "Fråga", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest) as caught:
        await app.bot.edit_message_text("Fråga", anna.id, sent.message_id, reply_markup=KEYBOARD)
    assert caught.value.message == NOT_MODIFIED.removeprefix("Bad Request: ").capitalize()
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_reply_markup(anna.id, sent.message_id, reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)^message to edit not found$"):
        await app.bot.edit_message_text("x", anna.id, 9999)
    with pytest.raises(BadRequest, match=r"(?i)^message can't be edited$"):
        await app.bot.edit_message_text("x", anna.id, 1)  # anna's own /start message
    # Same text but dropping the keyboard is a real change.
    await app.bot.edit_message_text("Fråga", anna.id, sent.message_id)
    assert anna.message(sent.message_id).buttons == []
    await app.bot.delete_message(anna.id, sent.message_id)
    assert anna.messages == []
    with pytest.raises(BadRequest, match=r"(?i)^message to delete not found$"):
        await app.bot.delete_message(anna.id, sent.message_id)


async def test_callback_data_over_64_bytes_is_rejected(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="å" * 33)]])
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await app.bot.send_message(anna.id, "x", reply_markup=too_long)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="a" * 64)]])
    await app.bot.send_message(anna.id, "x", reply_markup=fits)
    assert fake.errors[-1].description == "Bad Request: BUTTON_DATA_INVALID"


async def test_answer_callback_query_only_once_and_only_known(fake: BotApiFake) -> None:
    outcomes: list[str] = []

    async def answer_twice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        try:
            await query.answer()
        except BadRequest as exc:
            outcomes.append(exc.message)
        try:
            await context.bot.answer_callback_query("123")
        except BadRequest as exc:
            outcomes.append(exc.message)
        await context.bot.send_message(query.from_user.id, "klart")

    app = build_app(fake)
    app.add_handler(CallbackQueryHandler(answer_twice))
    async with polling(app):
        anna = await started_user(fake)
        await app.bot.send_message(anna.id, "Välj", reply_markup=KEYBOARD)
        await anna.press("Ja")
        await anna.wait_for_reply()
    expected = "Query is too old and response timeout expired or query id is invalid"
    assert outcomes == [expected, expected]


async def test_blocked_user_unknown_chat_and_uninitiated_chat(
    fake: BotApiFake, app: AnyApp
) -> None:
    anna = await started_user(fake)
    anna.block()
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await app.bot.send_message(anna.id, "hallå")
    with pytest.raises(Forbidden):
        await app.bot.send_chat_action(anna.id, "typing")
    anna.unblock()
    await app.bot.send_message(anna.id, "hallå igen")
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await app.bot.send_message(424242, "x")
    fake.user(5, first_name="Tyst")
    with pytest.raises(Forbidden, match=r"can't initiate conversation"):
        await app.bot.send_message(5, "x")
    kinds = [next(k for k in u if k != "update_id") for u in fake.take_updates()]
    assert kinds == ["message", "my_chat_member", "my_chat_member"]


async def test_unknown_token_and_unknown_method(fake: BotApiFake, app: AnyApp) -> None:
    stranger = build_app(fake, token="987654321:AAWrongTokenWrongTokenWrongToken00")
    with pytest.raises(InvalidToken):
        await stranger.initialize()
    assert fake.errors[-1].status == 401
    assert fake.errors[-1].description == "Unauthorized"
    with pytest.raises(EndPointNotFound):
        await app.bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    assert (fake.errors[-1].status, fake.errors[-1].description) == (404, "Not Found")


# -- injected faults and flood limits ----------------------------------------------------------


async def test_injected_faults_surface_as_ptb_exceptions(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    fake.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(anna.id, "x")
    assert caught.value.retry_after == 7
    assert fake.errors[-1].description == "Too Many Requests: retry after 7"
    assert fake.errors[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    fake.fail_next("sendMessage", 500)
    with pytest.raises(NetworkError, match=r"Internal Server Error"):
        await app.bot.send_message(anna.id, "x")
    fake.fail_next("sendmessage", 502)
    with pytest.raises(NetworkError, match=r"Bad Gateway"):
        await app.bot.send_message(anna.id, "x")
    fake.fail_next("*", drop=True)
    with pytest.raises(NetworkError) as dropped:
        await app.bot.send_message(anna.id, "x")
    assert not isinstance(dropped.value, TimedOut)
    fake.fail_next("sendMessage", delay=3)
    with pytest.raises(TimedOut):
        await app.bot.send_message(anna.id, "x")
    # Faults are used up: the next call goes through.
    await app.bot.send_message(anna.id, "till slut")
    assert anna.last_text == "till slut"


async def test_retry_after_in_polling_is_survived(fake: BotApiFake) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("ok")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    fake.fail_next("getUpdates", 429, retry_after=1)
    async with polling(app):
        anna = fake.user(1)
        await anna.send("hej")
        reply = await anna.wait_for_reply(timeout=8)
    assert reply.text == "ok"
    assert fake.calls_to("getUpdates")[0].status == 429


async def test_flood_limit_per_chat(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    fake.flood_limits = FloodLimits(per_chat_per_second=1, per_chat_burst=3)
    for number in range(3):
        await app.bot.send_message(anna.id, f"m{number}")
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(anna.id, "one too many")
    assert caught.value.retry_after == 1
    assert len(anna.messages) == 3


# -- polling semantics ---------------------------------------------------------------------------


async def test_long_poll_returns_promptly_when_an_update_arrives(
    fake: BotApiFake, app: AnyApp
) -> None:
    anna = fake.user(1)

    async def later() -> None:
        await asyncio.sleep(0.2)
        await anna.send("hej")

    task = asyncio.create_task(later())
    started = time.monotonic()
    updates = await app.bot.get_updates(timeout=10, read_timeout=15)
    await task
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["hej"]
    # Confirmed updates are gone; an empty poll with timeout 0 answers at once.
    assert await app.bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()


async def test_allowed_updates_filter_and_offset(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    anna.block()
    anna.unblock()
    updates = await app.bot.get_updates(timeout=0, allowed_updates=["message"])
    assert [u.message.text for u in updates if u.message] == ["/start"]
    assert all(u.my_chat_member is None for u in updates)


async def test_second_poller_terminates_the_first(fake: BotApiFake, app: AnyApp) -> None:
    first = asyncio.create_task(app.bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.2)
    # PTB's own getUpdates pool holds one connection, so the rival poller is a raw client.
    async with httpx.AsyncClient() as rival:
        second = await rival.post(f"{fake.base_url}{fake.token}/getUpdates", json={"timeout": 0})
    assert second.json() == {"ok": True, "result": []}
    with pytest.raises(Conflict, match=r"terminated by other getUpdates request"):
        await first


# -- webhook -----------------------------------------------------------------------------------


class WebhookReceiver:
    """A tiny starlette app on a random port that feeds webhook POSTs to an application."""

    def __init__(
        self,
        app: AnyApp | None,
        secret: str | None,
        status: int = 200,
        endpoint: Callable[[Request], Awaitable[Response]] | None = None,
    ) -> None:
        self.app = app
        self.secret = secret
        self.status = status
        self.headers: list[str | None] = []
        self.bodies: list[dict[str, Any]] = []
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/telegram"
        starlette = Starlette(
            routes=[Route("/telegram", endpoint or self.receive, methods=["POST"])]
        )
        self.server = uvicorn.Server(uvicorn.Config(starlette, log_level="warning", lifespan="off"))
        self.task: asyncio.Task[None] | None = None

    async def receive(self, request: Request) -> Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.headers.append(secret)
        if secret != self.secret:
            return Response(status_code=403)
        body = await request.json()
        self.bodies.append(body)
        if self.app is not None:
            await self.app.update_queue.put(Update.de_json(body, self.app.bot))
        return Response(status_code=self.status)

    async def __aenter__(self) -> WebhookReceiver:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.socket]))
        for _ in range(500):
            if self.server.started:
                break
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        assert self.task is not None
        await self.task


async def test_webhook_delivery_with_secret_header(fake: BotApiFake) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"via webhook: {update.message.text}")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app, WebhookReceiver(app, secret="s3cret_token-1") as receiver:
        await app.start()
        assert await app.bot.set_webhook(receiver.url, secret_token="s3cret_token-1")
        info = await app.bot.get_webhook_info()
        assert info.url == receiver.url
        with pytest.raises(Conflict, match=r"can't use getUpdates method while webhook is active"):
            await app.bot.get_updates()
        anna = fake.user(1001)
        await anna.send("hej")
        reply = await anna.wait_for_reply()
        assert reply.text == "via webhook: hej"
        assert receiver.headers == ["s3cret_token-1"]
        assert (await app.bot.get_webhook_info()).pending_update_count == 0
        with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
            await app.bot.set_webhook(receiver.url, secret_token="bad:token")
        assert await app.bot.delete_webhook()
        await app.stop()
    assert await_bodies_are_updates(receiver.bodies)


def await_bodies_are_updates(bodies: list[dict[str, Any]]) -> bool:
    return [b["message"]["text"] for b in bodies] == ["hej"] and all(
        "update_id" in b for b in bodies
    )


async def test_failing_webhook_is_retried_and_reported(fake: BotApiFake, app: AnyApp) -> None:
    async with WebhookReceiver(None, secret=None, status=500) as receiver:
        await app.bot.set_webhook(receiver.url)
        anna = fake.user(1001)
        await anna.send("hej")
        for _ in range(100):
            if len(receiver.bodies) >= 2:
                break
            await asyncio.sleep(0.05)
        info = await app.bot.get_webhook_info()
        assert info.pending_update_count == 1
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        receiver.status = 200
        await fake.wait_idle()
        assert (await app.bot.get_webhook_info()).pending_update_count == 0
        await app.bot.delete_webhook()
    assert len(receiver.bodies) >= 3
    assert len({b["update_id"] for b in receiver.bodies}) == 1


# -- commands, menu button, raw protocol ---------------------------------------------------------


async def test_commands_are_stored_per_scope_and_language(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake, language_code="en")
    await app.bot.set_my_commands([BotCommand("reflect", "Reflektera")], language_code="sv")
    await app.bot.set_my_commands([BotCommand("reflect", "Reflect")], language_code="en")
    await app.bot.set_my_commands(
        [BotCommand("reflect", "Reflect"), BotCommand("admin", "Admin tools")],
        scope=BotCommandScopeChat(anna.id),
    )
    await app.bot.set_my_commands(
        [BotCommand("start", "Börja")], scope=BotCommandScopeAllPrivateChats()
    )
    sv = await app.bot.get_my_commands(language_code="sv")
    assert [(c.command, c.description) for c in sv] == [("reflect", "Reflektera")]
    assert fake.commands(language_code="en") == [{"command": "reflect", "description": "Reflect"}]
    assert [c["command"] for c in fake.commands({"type": "chat", "chat_id": anna.id})] == [
        "reflect",
        "admin",
    ]
    assert [c["command"] for c in fake.commands_for(anna)] == ["reflect", "admin"]
    assert await app.bot.get_my_commands() == ()
    await app.bot.delete_my_commands(language_code="sv")
    assert fake.commands(language_code="sv") == []
    with pytest.raises(BadRequest, match=r"(?i)^bot_command_invalid$"):
        await app.bot.set_my_commands([BotCommand("Reflect", "x")])
    with pytest.raises(BadRequest, match=r"(?i)command description must be non-empty"):
        await app.bot.set_my_commands([BotCommand("reflect", " ")])
    await app.bot.set_chat_menu_button(anna.id, MenuButtonCommands())
    assert anna.menu_button == {"type": "commands"}


async def test_raw_json_query_string_and_close(fake: BotApiFake) -> None:
    base = f"{fake.base_url}{fake.token}"
    async with httpx.AsyncClient() as client:
        me = (await client.get(f"{base}/GETME")).json()
        assert me["ok"] and me["result"]["username"] == fake.username
        fake.user(3)
        answer = await client.post(f"{base}/sendMessage", json={"chat_id": 3, "text": "x"})
        assert answer.status_code == 403
        assert answer.json() == {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot can't initiate conversation with a user",
        }
        await fake.user(3).send("hej")
        bad_markup = await client.post(
            f"{base}/sendMessage",
            data={"chat_id": "3", "text": "x", "reply_markup": "{not json"},
        )
        assert bad_markup.json()["description"] == (
            "Bad Request: can't parse reply keyboard markup JSON object"
        )
        assert (await client.post(f"{base}/logOut")).json() == {"ok": True, "result": True}
        after = await client.get(f"{base}/getMe")
        assert (after.status_code, after.json()["description"]) == (401, "Unauthorized")
    assert json.loads(json.dumps([c.params for c in fake.calls]))


# -- smaller behaviours ----------------------------------------------------------------------


async def test_writing_to_a_blocked_bot_unblocks_it_first(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    anna.block()
    await anna.send("hej igen")
    assert not anna.blocked
    kinds = [next(k for k in u if k != "update_id") for u in fake.take_updates()]
    assert kinds == ["message", "my_chat_member", "my_chat_member", "message"]
    await app.bot.send_message(anna.id, "välkommen tillbaka")


async def test_reply_keyboard_press_sends_the_text(fake: BotApiFake, app: AnyApp) -> None:
    from telegram import ReplyKeyboardMarkup, ReplyKeyboardRemove

    anna = await started_user(fake)
    fake.take_updates()
    await app.bot.send_message(anna.id, "Välj", reply_markup=ReplyKeyboardMarkup([["Idag"]]))
    await anna.press("Idag")
    [update] = fake.take_updates()
    assert update["message"]["text"] == "Idag"
    await app.bot.send_message(anna.id, "Tack", reply_markup=ReplyKeyboardRemove())
    assert anna.reply_keyboard is None
    with pytest.raises(AssertionError, match="no button 'Idag'"):
        await anna.press("Idag")


async def test_in_memory_call_uses_the_same_rules(fake: BotApiFake) -> None:
    anna = await started_user(fake)
    answer = await fake.call(
        "sendMessage", {"chat_id": anna.id, "text": "<b>hej</b>", "parse_mode": "HTML"}
    )
    assert answer is not None and answer[0] == 200
    assert answer[1]["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    bad = await fake.call("sendMessage", {"chat_id": anna.id, "text": "<b>hej"})
    assert bad is not None and bad[0] == 200  # no parse_mode: the tags are plain text
    wrong = await fake.call("getMe", token="1:nope")
    assert wrong == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert [c.method for c in fake.calls] == ["sendMessage", "sendMessage", "getMe"]


async def test_webhook_answer_may_carry_a_method(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    fake.take_updates()

    async def reply_in_answer(request: Request) -> Response:
        body = await request.json()
        chat = body["message"]["chat"]["id"]
        payload = {"method": "sendMessage", "chat_id": chat, "text": "direkt svar"}
        return Response(json.dumps(payload), media_type="application/json")

    async with WebhookReceiver(None, secret=None, endpoint=reply_in_answer) as receiver:
        await app.bot.set_webhook(receiver.url)
        await anna.send("hej")
        reply = await anna.wait_for_reply()
        await app.bot.delete_webhook()
    assert reply.text == "direkt svar"
    assert [c.via for c in fake.calls_to("sendMessage")] == ["webhook-reply"]


async def test_chat_action_delete_messages_and_get_file(fake: BotApiFake, app: AnyApp) -> None:
    anna = await started_user(fake)
    await app.bot.send_chat_action(anna.id, "typing")
    assert anna.chat_actions == ["typing"]
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await app.bot.send_chat_action(anna.id, "dancing")
    first = await app.bot.send_message(anna.id, "ett")
    second = await app.bot.send_message(anna.id, "två")
    await app.bot.delete_messages(anna.id, [first.message_id, second.message_id, 999])
    assert anna.messages == []
    await anna.send_document(b"data", file_name="a.csv", mime_type="text/csv")
    file_id = fake.take_updates()[-1]["message"]["document"]["file_id"]
    telegram_file = await app.bot.get_file(file_id)
    assert telegram_file.file_path is not None
    assert bytes(await telegram_file.download_as_bytearray()) == b"data"
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await app.bot.get_file("nope")


async def test_set_webhook_ends_a_parked_poll_and_calls_are_readable(
    fake: BotApiFake, app: AnyApp
) -> None:
    parked = asyncio.create_task(app.bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.2)
    async with WebhookReceiver(None, secret=None) as receiver:
        await app.bot.set_webhook(receiver.url)
        with pytest.raises(Conflict, match="terminated by setWebhook request"):
            await parked
        await app.bot.delete_webhook()
    anna = await started_user(fake)
    await app.bot.send_message(anna.id, "x", reply_markup=KEYBOARD)
    params = fake.calls_to("sendMessage")[-1].params
    assert params["chat_id"] == anna.id
    assert params["reply_markup"] == {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]}


async def test_in_memory_transport_and_feed_keep_telegram_s_limits() -> None:
    """Through `InMemoryBotApi` PTB meets the same errors as over HTTP, and the feed hands
    people's updates to the handlers in order."""
    from .in_memory import IN_MEMORY_BASE_URL, InMemoryBotApi, InMemoryFeed

    fake = BotApiFake()  # never served over HTTP
    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(IN_MEMORY_BASE_URL)
        .request(InMemoryBotApi(fake))
        .build()
    )
    seen: list[str] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        seen.append(update.message.text)
        await update.message.reply_text(update.message.text, reply_markup=KEYBOARD)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    feed = InMemoryFeed(app, fake)
    async with app:
        feed.start()
        anna = fake.user(1001)
        await anna.send("ett")
        await anna.send("två")
        reply = await anna.wait_for_reply()
        assert seen == ["ett", "två"] and reply.text == "två"
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await app.bot.send_message(anna.id, "x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await app.bot.edit_message_text("två", anna.id, reply.message_id, reply_markup=KEYBOARD)
        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await app.bot.send_message(anna.id, "y", reply_markup=too_long)
        await feed.stop()
    assert feed.crashes == [] and feed.handled == 2
    assert {c.status for c in fake.errors} == {400}
