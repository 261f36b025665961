"""A Telegram Bot API fake served over real HTTP on 127.0.0.1, plus a "person" API for tests.

The bot under test talks to it exactly as to api.telegram.org (PTB `base_url`/`base_file_url`):
JSON, urlencoded, query-string and multipart requests, `{"ok": ...}` envelopes with Telegram's
own error descriptions, long polling and webhooks. Tests drive it as people would: a `FakeUser`
writes messages and presses buttons, then reads what the bot sent to its chat.

    async with BotApiFake() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url)...
        anna = fake.user(1001, first_name="Anna")
        await anna.send("/start")
        reply = await anna.wait_for_reply()

Import it as `from fakes.botapi import BotApiFake` (tests/ is on sys.path through
tests/conftest.py). Main entry points:

- `BotApiFake(token=DEFAULT_TOKEN, *, username=..., flood_limits=None, callback_query_ttl=15.0,
  clock=time.time)`: `.base_url`, `.base_file_url`, `.token`, `.calls` / `.errors` (`Call`:
  method, params decoded, status, response), `.calls_to(method)`, `.fail_next(method, status,
  retry_after=, description=, times=, drop=, delay=)`, `.commands(scope, language_code)`,
  `.commands_for(person)`, `.wait_idle(quiet=0.15, timeout=10)`, `.enqueue_update(payload)`,
  `.take_updates()`, `.call(method, params, files)` (in-memory, no HTTP).
- `fake.user(id, first_name="Anna", language_code="sv", username=None)` -> `FakeUser`: `send`,
  `send_photo`, `send_voice`, `send_sticker`, `send_location`, `send_document`, `edit`,
  `press(text, message=None)`, `press_data(data, message=None)`, `block()`, `unblock()`,
  `wait_for_reply(timeout=5)`, `.messages`
  (`SentMessage`: text, buttons, reply_markup, document, edits), `.last_text`, `.last_touched`,
  `.documents`, `.callback_answers`, `.chat_actions`, `.reply_keyboard`.

It is a raw asyncio HTTP/1.1 server (no framework) so that faults such as a dropped connection
can be produced for real.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import itertools
import json
import math
import re
import secrets
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx

from .botapi_html import HtmlParseError, parse_html, strip_outer_whitespace, utf16_len

DEFAULT_TOKEN = "123456789:AAFakeTokenForHemmaplanTests_0123456"

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_UPLOAD = 50 * 1024 * 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
POLL_TERMINATED = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
# Update types Telegram leaves out unless allowed_updates asks for them explicitly.
OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
INLINE_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
BOT_COMMAND_IN_TEXT = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
# Methods the flood limits and per-chat checks apply to.
SENDING_METHODS = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
}


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def bad_request(detail: str) -> ApiError:
    """Builds a 400 answer with Telegram's "Bad Request: ..." prefix."""
    return ApiError(400, f"Bad Request: {detail}")


class _ClientGone(Exception):
    """The HTTP client hung up while its long poll was parked; nobody reads an answer."""


@dataclass
class Call:
    """One request the fake answered: method, decoded params, HTTP status and JSON reply."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any] | None
    at: float
    via: str = "http"  # "http", or "webhook-reply" for a method returned in a webhook answer

    @property
    def description(self) -> str | None:
        """Returns the error description of a failed call."""
        return None if self.response is None else self.response.get("description")


@dataclass
class Fault:
    """A one-shot (or `times`-shot) failure injected for a method ("*" = any method)."""

    method: str
    status: int
    retry_after: int | None
    description: str | None
    drop: bool
    delay: float
    times: int


@dataclass
class FloodLimits:
    """Telegram-like send limits: 30 messages/s per bot, about one per second per chat (a short
    burst allowed); anything faster is answered 429 with `retry_after`. Off unless passed to
    `BotApiFake(flood_limits=...)` (or `True` for these defaults), so other tests stay fast."""

    global_per_second: float = 30.0
    global_burst: int = 30
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Refills; returns 0 if a token is available, else the seconds until one is."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> float:
        """Takes a token; returns 0 on success or the seconds until one is available."""
        wait = self.wait(now)
        if wait == 0:
            self.tokens -= 1
        return wait


@dataclass
class StoredFile:
    """A file the fake knows: uploaded by the bot or sent by a fake user."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str


@dataclass
class SentDocument:
    """A document the bot sent to a chat, with its bytes."""

    file_name: str | None
    mime_type: str | None
    data: bytes
    caption: str | None
    file_id: str


@dataclass
class SentMessage:
    """A message in a private chat as it is now (after edits); `data` is Telegram's JSON."""

    message_id: int
    data: dict[str, Any]
    from_bot: bool
    source_text: str | None = None  # text/caption as the bot sent it (HTML source)
    parse_mode: str | None = None
    document: SentDocument | None = None
    edits: int = 0
    deleted: bool = False

    @property
    def text(self) -> str | None:
        """Returns the visible text (or caption) with markup removed."""
        value = self.data.get("text", self.data.get("caption"))
        return None if value is None else str(value)

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """Returns the inline keyboard attached to the message, if any."""
        markup = self.data.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def buttons(self) -> list[list[str]]:
        """Returns the inline button texts, row by row."""
        markup = self.reply_markup or {}
        return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]

    def find_button(self, text: str) -> dict[str, Any] | None:
        """Returns the inline button with this text (exact, then whitespace-insensitive)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        flat: list[dict[str, Any]] = [button for row in rows for button in row]
        for button in flat:
            if button["text"] == text:
                return button
        for button in flat:
            if button["text"].strip() == text.strip():
                return button
        return None


@dataclass
class CallbackAnswer:
    """What the bot answered to a button press (toast/alert text, url)."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None


class FakeUser:
    """A person in a private chat with the bot: sends messages, presses buttons, reads replies."""

    def __init__(
        self,
        fake: BotApiFake,
        user_id: int,
        first_name: str,
        language_code: str | None,
        username: str | None,
        last_name: str | None,
    ) -> None:
        self.fake = fake
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.language_code = language_code
        self.username = username
        self.blocked = False
        self.started = False
        self.chat_actions: list[str] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.reply_keyboard: dict[str, Any] | None = None
        self.menu_button: dict[str, Any] | None = None
        self._all: dict[int, SentMessage] = {}
        self._next_message_id = 1
        self._bot_activity = 0  # bumped on every bot send/edit in this chat
        self._seen_activity = 0  # activity level at the person's last action
        self._last_touched: SentMessage | None = None
        self._activity_event = asyncio.Event()

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.first_name!r})"

    # -- JSON shapes ------------------------------------------------------------------------
    def user_json(self) -> dict[str, Any]:
        """Returns the Telegram `User` object of this person."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_json(self) -> dict[str, Any]:
        """Returns the Telegram `Chat` object of the private chat with this person."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    # -- reading ------------------------------------------------------------------------------
    @property
    def messages(self) -> list[SentMessage]:
        """Returns the bot's messages in this chat (not deleted), oldest first, as edited now."""
        return [m for m in self._all.values() if m.from_bot and not m.deleted]

    @property
    def last_message(self) -> SentMessage | None:
        """Returns the bot's most recently sent message that still exists."""
        messages = self.messages
        return messages[-1] if messages else None

    @property
    def last_touched(self) -> SentMessage | None:
        """Returns the message the bot sent or edited most recently in this chat."""
        return self._last_touched

    @property
    def last_text(self) -> str | None:
        """Returns the text (or caption) of the bot's most recent message."""
        message = self.last_message
        return None if message is None else message.text

    @property
    def texts(self) -> list[str]:
        """Returns the texts of all bot messages in this chat."""
        return [m.text or "" for m in self.messages]

    @property
    def documents(self) -> list[SentDocument]:
        """Returns the documents the bot sent to this chat, with their bytes."""
        return [m.document for m in self.messages if m.document is not None]

    def message(self, message_id: int) -> SentMessage:
        """Returns any message of this chat by id (KeyError if unknown)."""
        return self._all[message_id]

    # -- acting ---------------------------------------------------------------------------------
    def _act(self) -> None:
        if self.blocked:
            # Writing to a blocked bot unblocks it first in Telegram's apps.
            self.unblock()
        self.started = True
        self._seen_activity = self._bot_activity

    async def _send_content(self, content: dict[str, Any], reply_to: Any = None) -> dict[str, Any]:
        self._act()
        message = self.fake._store_user_message(self, content, reply_to)
        self.fake.enqueue_update({"message": message})
        await asyncio.sleep(0)
        return message

    async def send(self, text: str, *, reply_to: SentMessage | int | None = None) -> dict[str, Any]:
        """Writes a text message to the bot (commands get bot_command entities)."""
        content: dict[str, Any] = {"text": text}
        entities = [
            {
                "type": "bot_command",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group(0)),
            }
            for m in BOT_COMMAND_IN_TEXT.finditer(text)
        ]
        if entities:
            content["entities"] = entities
        return await self._send_content(content, reply_to)

    async def send_photo(
        self, data: bytes = b"\x89PNG fake photo", caption: str | None = None
    ) -> dict[str, Any]:
        """Sends a photo (two sizes, like Telegram) to the bot."""
        stored = self.fake._store_file(data, None, "image/jpeg", "photos")
        sizes = [
            {
                "file_id": stored.file_id + "_s",
                "file_unique_id": stored.file_unique_id + "s",
                "width": 90,
                "height": 90,
                "file_size": len(data),
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": 800,
                "height": 800,
                "file_size": len(data),
            },
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return await self._send_content(content)

    async def send_voice(
        self, data: bytes = b"OggS fake voice", duration: int = 3
    ) -> dict[str, Any]:
        """Sends a voice message to the bot."""
        stored = self.fake._store_file(data, None, "audio/ogg", "voice")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return await self._send_content({"voice": voice})

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        """Sends a sticker to the bot."""
        stored = self.fake._store_file(b"RIFF fake sticker", None, "image/webp", "stickers")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._send_content({"sticker": sticker})

    async def send_location(
        self, latitude: float = 59.3293, longitude: float = 18.0686
    ) -> dict[str, Any]:
        """Shares a location with the bot."""
        return await self._send_content(
            {"location": {"latitude": latitude, "longitude": longitude}}
        )

    async def send_document(
        self,
        data: bytes = b"hello",
        file_name: str = "notes.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Sends a file to the bot."""
        stored = self.fake._store_file(data, file_name, mime_type, "documents")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        content: dict[str, Any] = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return await self._send_content(content)

    async def edit(self, message: dict[str, Any] | int, text: str) -> dict[str, Any]:
        """Edits one of this person's own text messages (an `edited_message` update)."""
        message_id = message if isinstance(message, int) else int(message["message_id"])
        stored = self._all[message_id]
        if stored.from_bot:
            raise AssertionError("a person can only edit their own messages")
        self._act()
        stored.data["text"] = text
        stored.data["edit_date"] = self.fake._now()
        self.fake.enqueue_update({"edited_message": dict(stored.data)})
        await asyncio.sleep(0)
        return stored.data

    def _describe_keyboards(self) -> str:
        lines = []
        for message in reversed(self.messages):
            if message.buttons:
                lines.append(
                    f"  message {message.message_id} ({message.text!r:.60}): {message.buttons}"
                )
        if self.reply_keyboard:
            lines.append(f"  reply keyboard: {_reply_keyboard_texts(self.reply_keyboard)}")
        return "\n".join(lines) or "  (no buttons at all)"

    async def press(self, text: str, message: SentMessage | int | None = None) -> dict[str, Any]:
        """Presses a button by its text in the latest message with an inline keyboard.

        With `message`, presses it in that message instead. Falls back to the current reply
        keyboard (which sends the button text as a message). Raises AssertionError listing the
        buttons on offer when nothing matches.
        """
        target: SentMessage | None
        if message is not None:
            message_id = message if isinstance(message, int) else message.message_id
            target = self._all.get(message_id)
            if target is None or target.deleted:
                raise AssertionError(f"message {message_id} does not exist in {self!r}'s chat")
        else:
            target = next((m for m in reversed(self.messages) if m.buttons), None)
        button = target.find_button(text) if target is not None else None
        if button is None:
            if (
                message is None
                and self.reply_keyboard
                and text in _reply_keyboard_texts(self.reply_keyboard)
            ):
                return await self.send(text)
            where = f"message {target.message_id}" if target is not None else "any message"
            raise AssertionError(
                f"{self!r}: no button {text!r} in {where}. Buttons on offer:\n"
                + self._describe_keyboards()
            )
        if "callback_data" not in button:
            raise AssertionError(f"button {text!r} is not a callback button: {button}")
        assert target is not None
        self._act()
        query = self.fake._new_callback_query(self, target, button["callback_data"])
        self.fake.enqueue_update({"callback_query": query})
        await asyncio.sleep(0)
        return query

    async def press_data(
        self, data: str, message: SentMessage | int | None = None
    ) -> dict[str, Any]:
        """Presses a button with any callback data (as a modified client could), on `message`
        or the latest message from the bot."""
        if message is None:
            target = next((m for m in reversed(self.messages) if m.from_bot), None)
            if target is None:
                raise AssertionError(f"{self!r}: the bot has sent no message to press on")
        else:
            message_id = message if isinstance(message, int) else message.message_id
            target = self._all[message_id]
        self._act()
        query = self.fake._new_callback_query(self, target, data)
        self.fake.enqueue_update({"callback_query": query})
        await asyncio.sleep(0)
        return query

    def block(self) -> None:
        """Blocks the bot: sends are answered 403 and the bot gets a my_chat_member update."""
        if not self.blocked:
            self.blocked = True
            self.fake._chat_member_update(self, "member", "kicked")

    def unblock(self) -> None:
        """Unblocks the bot (Telegram reports it as a my_chat_member update)."""
        if self.blocked:
            self.blocked = False
            self.fake._chat_member_update(self, "kicked", "member")

    # The test-facing `timeout=` keyword is part of the agreed API, hence ASYNC109 is silenced.
    async def wait_for_reply(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
        quiet: float = 0.15,
    ) -> SentMessage:
        """Waits until the bot sent or edited a message here since this person's last action.

        Then waits until the fake is idle (the reply burst is over) and returns the message the
        bot touched last.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while self._bot_activity <= self._seen_activity:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(
                    f"{self!r} got no reply within {timeout} s. Recent calls: "
                    f"{self.fake.describe_calls(8)}; errors: {self.fake.describe_errors()}"
                )
            self._activity_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._activity_event.wait(), remaining)
        with contextlib.suppress(AssertionError):
            await self.fake.wait_idle(quiet=quiet, timeout=max(timeout, 1.0))
        self._seen_activity = self._bot_activity
        assert self._last_touched is not None
        return self._last_touched

    def _bot_touched(self, message: SentMessage) -> None:
        self._bot_activity += 1
        self._last_touched = message
        self._activity_event.set()


# Telegram lets a bot post about 20 messages a minute in one group; the fake always enforces
# it for group chats (429 with retry_after), flood limits or not.
GROUP_PER_MINUTE = 20


class FakeGroupChat(FakeUser):
    """A Telegram group chat: people write there, the bot may be added and post. Messages the
    bot sends to it are read like a person's chat (`messages`, `texts`, `wait_for_reply`)."""

    def __init__(self, fake: BotApiFake, chat_id: int, title: str) -> None:
        super().__init__(fake, chat_id, title, None, None, None)
        self.title = title
        self.started = True  # a bot in a group may post without anyone writing first
        self.bot_member = False
        self.post_times: list[float] = []

    def __repr__(self) -> str:
        return f"FakeGroupChat(id={self.id}, title={self.title!r})"

    def chat_json(self) -> dict[str, Any]:
        """Returns the Telegram `Chat` object of the group."""
        return {"id": self.id, "type": "group", "title": self.title}

    def _membership(self, by: FakeUser, old: str, new: str) -> None:
        self._act()
        bot = self.fake.bot_user_json()
        self.fake.enqueue_update(
            {
                "my_chat_member": {
                    "chat": self.chat_json(),
                    "from": by.user_json(),
                    "date": self.fake._now(),
                    "old_chat_member": {"user": bot, "status": old},
                    "new_chat_member": {"user": bot, "status": new},
                }
            }
        )

    async def add_bot(self, by: FakeUser) -> None:
        """`by` adds the bot to this group."""
        self.bot_member = True
        self._membership(by, "left", "member")
        await asyncio.sleep(0)

    async def say(self, by: FakeUser, text: str) -> dict[str, Any]:
        """`by` writes in the group (commands get bot_command entities)."""
        self._act()
        message_id = self._next_message_id
        self._next_message_id += 1
        data: dict[str, Any] = {
            "message_id": message_id,
            "from": by.user_json(),
            "chat": self.chat_json(),
            "date": self.fake._now(),
            "text": text,
        }
        entities = [
            {
                "type": "bot_command",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group(0)),
            }
            for m in BOT_COMMAND_IN_TEXT.finditer(text)
        ]
        if entities:
            data["entities"] = entities
        self._all[message_id] = SentMessage(message_id, data, from_bot=False)
        self.fake.enqueue_update({"message": data})
        await asyncio.sleep(0)
        return data


def _reply_keyboard_texts(markup: dict[str, Any]) -> list[str]:
    return [
        b if isinstance(b, str) else b.get("text", "")
        for row in markup.get("keyboard", [])
        for b in row
    ]


@dataclass
class _Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Params:
    """Decoded request parameters; values from forms are strings that may hold JSON."""

    def __init__(
        self, values: dict[str, Any], files: dict[str, tuple[str | None, str | None, bytes]]
    ) -> None:
        self.values = values
        self.files = files

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def decoded(self, name: str, error: str | None = None) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error or f"can't parse {name} JSON object") from None
        return value


class BotApiFake:
    """A Telegram Bot API server for one bot, on a random free port of 127.0.0.1."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "hemmaplan_test_bot",
        first_name: str = "Hemmaplan",
        flood_limits: FloodLimits | bool | None = None,
        callback_query_ttl: float = 15.0,
        webhook_retry_delay: float = 0.1,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        self.first_name = first_name
        self.callback_query_ttl = callback_query_ttl
        self.webhook_retry_delay = webhook_retry_delay
        self.clock = clock
        if flood_limits is True:
            flood_limits = FloodLimits()
        self.flood_limits: FloodLimits | None = flood_limits or None
        self.calls: list[Call] = []
        # Off = only errors are recorded (the benchmark sends thousands of calls).
        self.record_calls = True
        self.logged_out = False
        self.closed_via_api = False
        self.commands_store: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.default_menu_button: dict[str, Any] = {"type": "commands"}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_info: dict[str, Any] = {}
        self.port = 0
        self._users: dict[int, FakeUser] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(700_000_001)
        self._delivered_upto = 0
        self._allowed_updates: list[str] = []
        self._new_update = asyncio.Event()
        self._poll_generation = 0
        self._poll_superseded_by = POLL_TERMINATED
        self._faults: list[Fault] = []
        self._queries: dict[str, tuple[float, bool, int]] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._global_bucket: _Bucket | None = None
        self._chat_buckets: dict[int, _Bucket] = {}
        self._inflight = 0
        self._last_activity = 0.0
        # Set by an in-memory feed (fakes.in_memory.InMemoryFeed): it knows when the bot is
        # done with an update, so waiting for the bot needs no quiet period.
        self.feed: Any = None
        # getUpdates requests waiting for an update right now (a bot that polls has one).
        self.polls_parked = 0
        self._server: asyncio.AbstractServer | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._webhook_task: asyncio.Task[None] | None = None
        self._closing = False
        self._handlers: dict[str, Callable[[_Params], Awaitable[Any]]] = {
            name.removeprefix("api_").lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("api_")
        }
        self._canonical = {
            name.removeprefix("api_").lower(): name.removeprefix("api_")
            for name in dir(self)
            if name.startswith("api_")
        }

    # -- lifecycle -------------------------------------------------------------------------------
    async def __aenter__(self) -> BotApiFake:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Starts listening on a random free port of 127.0.0.1."""
        self._new_update = asyncio.Event()
        self._server = await asyncio.start_server(self._on_connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        self._last_activity = time.monotonic()

    async def stop(self) -> None:
        """Stops the server, releasing parked long polls and open connections."""
        self._closing = True
        self._new_update.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._webhook_task
        if self._server is not None:
            self._server.close()
        # Closing the sockets ends each connection handler at its next read.
        for writer in list(self._writers):
            writer.transport.abort()
        if self._connections:
            await asyncio.wait(set(self._connections), timeout=0.5)
        for task in list(self._connections):
            task.cancel()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    @property
    def base_url(self) -> str:
        """Returns the API base URL for PTB (`{base_url}{token}/{method}`)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Returns the file download base URL for PTB (`{base_file_url}{token}/{file_path}`)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- test-facing API --------------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str = "Anna",
        language_code: str | None = "sv",
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """Returns the person with this Telegram id, creating them on first use."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        person = FakeUser(self, user_id, first_name, language_code, username, last_name)
        self._users[user_id] = person
        return person

    def group_chat(self, chat_id: int, title: str = "Backstage") -> FakeGroupChat:
        """Returns the group chat with this (negative) id, creating it on first use."""
        existing = self._users.get(chat_id)
        if isinstance(existing, FakeGroupChat):
            return existing
        chat = FakeGroupChat(self, chat_id, title)
        self._users[chat_id] = chat
        return chat

    @property
    def users(self) -> list[FakeUser]:
        """Returns every person created on this fake."""
        return list(self._users.values())

    @property
    def errors(self) -> list[Call]:
        """Returns every call the fake answered with a 4xx/5xx status (or dropped)."""
        return [c for c in self.calls if c.status >= 400 or c.status == 0]

    def calls_to(self, method: str) -> list[Call]:
        """Returns the recorded calls of one method (case-insensitive)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def describe_calls(self, last: int = 10) -> str:
        """Returns a short text listing the latest calls, for assertion messages."""
        return ", ".join(f"{c.method}->{c.status}" for c in self.calls[-last:]) or "none"

    def describe_errors(self) -> str:
        """Returns a short text listing the error answers, for assertion messages."""
        return "; ".join(f"{c.method}: {c.status} {c.description}" for c in self.errors) or "none"

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        drop: bool = False,
        delay: float = 0.0,
    ) -> None:
        """Makes the next `times` calls of `method` ("*" = any) fail.

        status 429 answers "Too Many Requests: retry after N" with `parameters.retry_after`
        (default 1), 500 "Internal Server Error", 502 "Bad Gateway"; `drop=True` closes the
        connection without an answer; `delay` waits before answering (to provoke client timeouts).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self._faults.append(
            Fault(method.lower(), status, retry_after, description, drop, delay, times)
        )

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """Returns the commands stored for exactly this scope and language."""
        return list(self.commands_store.get((_scope_key(scope), language_code), []))

    def commands_for(self, person: FakeUser) -> list[dict[str, str]]:
        """Returns the commands Telegram would show this person in the private chat."""
        language = person.language_code or ""
        scopes: list[dict[str, Any]] = [
            {"type": "chat", "chat_id": person.id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ]
        for scope in scopes:
            for lang in (language, ""):
                found = self.commands_store.get((_scope_key(scope), lang))
                if found:
                    return list(found)
        return []

    def enqueue_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queues a raw update (update_id is added) for getUpdates or the webhook."""
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self._last_activity = time.monotonic()
        self._wake()
        return update

    def take_updates(self, limit: int = 100) -> list[dict[str, Any]]:
        """Hands out queued updates like a confirmed getUpdates (for in-memory transports)."""
        batch = self._take_allowed(limit)
        if batch:
            self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
            self._updates = self._updates[len(batch) :]
        return batch

    @property
    def pending_updates(self) -> int:
        """Returns how many queued updates the bot has not fetched yet."""
        return sum(1 for u in self._updates if u["update_id"] > self._delivered_upto)

    async def wait_idle(self, quiet: float = 0.15, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Waits until all updates were fetched, no request is being answered, and `quiet`
        seconds passed without any request (the bot is done reacting)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            now = time.monotonic()
            if self.feed is not None:
                # In memory the feed hands over every update and knows when it is handled.
                if self.pending_updates == 0 and self._inflight == 0 and self.feed.idle:
                    return
            elif (
                self.pending_updates == 0
                and self._inflight == 0
                and now - self._last_activity >= quiet
            ):
                return
            if loop.time() > deadline:
                raise AssertionError(
                    f"Bot API fake not idle after {timeout} s: {self.pending_updates} updates "
                    f"unfetched, {self._inflight} requests in flight; recent calls: "
                    f"{self.describe_calls()}"
                )
            await asyncio.sleep(0.002 if self.feed is not None else 0.01)

    # -- internals: time, files, messages ---------------------------------------------------------
    def _now(self) -> int:
        return int(self.clock())

    def _wake(self) -> None:
        self._new_update.set()
        self._new_update = asyncio.Event()

    async def wait_for_poll(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Waits until a bot is long polling (a getUpdates is parked here), without waiting
        for that poll to end as `calls_to("getUpdates")` would."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.polls_parked == 0:
            if loop.time() > deadline:
                raise AssertionError(f"no bot polled within {timeout} s")
            await asyncio.sleep(0.01)

    async def next_update(self) -> None:
        """Waits until an update is queued (for in-memory feeds; returns at once if one is)."""
        if self.pending_updates == 0 and not self._closing:
            await self._new_update.wait()

    def bot_user_json(self) -> dict[str, Any]:
        """Returns the bot's own `User` object (getMe)."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _store_file(
        self, data: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = next(self._file_counter)
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"BQACAgQAAxk{number:06d}{secrets.token_hex(6)}",
            file_unique_id=f"AgAD{number:06d}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{folder}/file_{number}{suffix}",
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _store_user_message(
        self, person: FakeUser, content: dict[str, Any], reply_to: Any
    ) -> dict[str, Any]:
        message_id = person._next_message_id
        person._next_message_id += 1
        data: dict[str, Any] = {
            "message_id": message_id,
            "from": person.user_json(),
            "chat": person.chat_json(),
            "date": self._now(),
            **content,
        }
        if reply_to is not None:
            reply_id = reply_to if isinstance(reply_to, int) else reply_to.message_id
            data["reply_to_message"] = dict(person._all[reply_id].data)
        person._all[message_id] = SentMessage(message_id, data, from_bot=False)
        return data

    def _new_callback_query(
        self, person: FakeUser, message: SentMessage, data: str
    ) -> dict[str, Any]:
        query_id = str(secrets.randbits(62))
        self._queries[query_id] = (time.monotonic(), False, person.id)
        return {
            "id": query_id,
            "from": person.user_json(),
            "message": json.loads(json.dumps(message.data)),
            "chat_instance": str(-(abs(hash((self.bot_id, person.id))) % 10**18)),
            "data": data,
        }

    def _chat_member_update(self, person: FakeUser, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self.bot_user_json()}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self.enqueue_update(
            {
                "my_chat_member": {
                    "chat": person.chat_json(),
                    "from": person.user_json(),
                    "date": self._now(),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    # -- HTTP server ----------------------------------------------------------------------------
    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self._writers.add(writer)
        try:
            while not self._closing:
                request = await _read_request(reader)
                if request is None:
                    break
                try:
                    answer = await self._answer(request, reader)
                except _ClientGone:
                    break
                if answer is None:  # injected connection drop
                    writer.transport.abort()
                    break
                status, body, content_type = answer
                keep_alive = request.headers.get("connection", "").lower() != "close"
                head = (
                    f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                    f"Server: nginx/1.18.0\r\n"
                    f"Content-Type: {content_type}\r\n"
                    f"Content-Length: {len(body)}\r\n"
                    f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
                )
                writer.write(head.encode("latin-1") + body)
                await writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        except asyncio.CancelledError:
            # The server is shutting down; asyncio would log a cancelled client handler.
            pass
        finally:
            self._connections.discard(task)
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()

    async def _answer(
        self, request: _Request, reader: asyncio.StreamReader
    ) -> tuple[int, bytes, str] | None:
        parsed = urllib.parse.urlsplit(request.path)
        path = urllib.parse.unquote(parsed.path)
        if path.startswith("/file/bot"):
            return self._serve_file(path.removeprefix("/file/bot"))
        if not path.startswith("/bot") or path.count("/") != 2:
            return _json_answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method_name = path.removeprefix("/bot").split("/", 1)
        self._inflight += 1
        self._last_activity = time.monotonic()
        try:
            return await self._answer_api(token, method_name, parsed.query, request, reader)
        finally:
            self._inflight -= 1
            self._last_activity = time.monotonic()

    def _serve_file(self, rest: str) -> tuple[int, bytes, str]:
        token, _, file_path = rest.partition("/")
        stored = self._files_by_path.get(file_path)
        if token != self.token or stored is None:
            return _json_answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return 200, stored.data, stored.mime_type or "application/octet-stream"

    async def _answer_api(
        self,
        token: str,
        method_name: str,
        query: str,
        request: _Request,
        reader: asyncio.StreamReader,
    ) -> tuple[int, bytes, str] | None:
        try:
            params = _decode_params(query, request)
        except ApiError as exc:
            method = self._canonical.get(method_name.lower(), method_name)
            return _json_answer(*self._finish(method, _Params({}, {}), exc))
        answer = await self._dispatch(token, method_name, params, reader)
        return None if answer is None else _json_answer(*answer)

    async def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        files: dict[str, tuple[str | None, str | None, bytes]] | None = None,
        *,
        token: str | None = None,
    ) -> tuple[int, dict[str, Any]] | None:
        """Answers one Bot API call without HTTP: (status, JSON reply), None for a dropped call.

        Values may be Python objects or JSON strings, as in a form; `files` maps a field name
        to (file name, MIME type, bytes). This is the in-memory transport of the benchmark.
        """
        self._inflight += 1
        self._last_activity = time.monotonic()
        try:
            return await self._dispatch(
                self.token if token is None else token,
                method,
                _Params(dict(params or {}), files or {}),
            )
        finally:
            self._inflight -= 1
            self._last_activity = time.monotonic()

    async def _dispatch(
        self,
        token: str,
        method_name: str,
        params: _Params,
        reader: asyncio.StreamReader | None = None,
    ) -> tuple[int, dict[str, Any]] | None:
        handler_key = method_name.lower()
        method = self._canonical.get(handler_key, method_name)
        if token != self.token or self.logged_out:
            return self._finish(method, params, ApiError(401, "Unauthorized"))
        handler = self._handlers.get(handler_key)
        if handler is None:
            return self._finish(method, params, ApiError(404, "Not Found"))
        fault = self._take_fault(handler_key)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.drop:
                self.calls.append(Call(method, dict(params.values), 0, None, time.time()))
                return None
            if fault.status >= 400:
                return self._finish(method, params, _fault_error(fault))
        try:
            self._check_flood(method, params)
            self._check_group_rate(method, params)
            if handler_key == "getupdates":
                result = await self._get_updates(params, reader)
            else:
                result = await handler(params)
        except ApiError as exc:
            return self._finish(method, params, exc)
        return self._finish(method, params, result=result)

    def _finish(
        self,
        method: str,
        params: _Params,
        error: ApiError | None = None,
        result: Any = None,
        via: str = "http",
    ) -> tuple[int, dict[str, Any]]:
        if error is None:
            payload: dict[str, Any] = {"ok": True, "result": result}
            if method in ("setWebhook", "deleteWebhook") and isinstance(result, bool):
                payload["description"] = self.webhook_info.pop("_description", "")
            status = 200
        else:
            payload = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                payload["parameters"] = error.parameters
            status = error.status
        recorded = _readable(params.values)
        for name, (file_name, _mime, data) in params.files.items():
            recorded[name] = {"file_name": file_name, "size": len(data)}
        if self.record_calls or status >= 400:
            self.calls.append(Call(method, recorded, status, payload, time.time(), via))
        return status, payload

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.method in (method, "*"):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _check_flood(self, method: str, params: _Params) -> None:
        limits = self.flood_limits
        if limits is None or method not in SENDING_METHODS:
            return
        now = time.monotonic()
        if self._global_bucket is None:
            self._global_bucket = _Bucket(
                limits.global_per_second, limits.global_burst, limits.global_burst, now
            )
        chat_id = params.integer("chat_id", 0) or 0
        bucket = self._chat_buckets.setdefault(
            chat_id,
            _Bucket(limits.per_chat_per_second, limits.per_chat_burst, limits.per_chat_burst, now),
        )
        # A refused message uses neither limit (Telegram counts what it delivers).
        wait = max(self._global_bucket.wait(now), bucket.wait(now))
        if wait == 0:
            self._global_bucket.take(now)
            bucket.take(now)
        else:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    def _check_group_rate(self, method: str, params: _Params) -> None:
        """At most GROUP_PER_MINUTE messages a minute to one group chat (sliding window)."""
        if method not in SENDING_METHODS or method.startswith("edit"):
            return
        chat = self._users.get(params.integer("chat_id", 0) or 0)
        if not isinstance(chat, FakeGroupChat):
            return
        now = time.monotonic()
        chat.post_times = [at for at in chat.post_times if now - at < 60.0]
        if len(chat.post_times) >= GROUP_PER_MINUTE:
            retry_after = max(1, math.ceil(60.0 - (now - chat.post_times[0])))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        chat.post_times.append(now)

    async def api_leaveChat(self, params: _Params) -> Any:
        """Answers leaveChat: the bot leaves a group chat."""
        chat = self._chat(params, sending=False)
        if not isinstance(chat, FakeGroupChat) or not chat.bot_member:
            raise bad_request("chat not found")
        chat.bot_member = False
        return True

    # -- chat lookup and content validation --------------------------------------------------------
    def _chat(self, params: _Params, *, sending: bool = True) -> FakeUser:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        person = self._users.get(chat_id)
        if person is None:
            raise bad_request("chat not found")
        if person.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if sending and not person.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return person

    def _formatted(
        self, params: _Params, field_name: str, limit: int, too_long: str, empty: str | None
    ) -> tuple[str | None, list[dict[str, Any]], str | None]:
        """Parses text/caption with its parse_mode: (plain, entities, source)."""
        source = params.text(field_name)
        parse_mode = params.text("parse_mode")
        if source is None or source == "":
            if empty is not None:
                raise bad_request(empty)
            return None, [], None
        if parse_mode in (None, ""):
            plain, entities = (
                source,
                list(
                    params.decoded(
                        f"{field_name}_entities" if field_name == "caption" else "entities"
                    )
                    or []
                ),
            )
        elif parse_mode.lower() == "html":
            try:
                plain, entities = parse_html(source)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            # Markdown is not validated by the fake; the text is kept as sent.
            plain, entities = source, []
        else:
            raise bad_request("unsupported parse_mode")
        plain, entities = strip_outer_whitespace(plain, entities)
        if not plain:
            if empty is not None:
                raise bad_request(empty)
            return None, [], source
        if utf16_len(plain) > limit:
            raise bad_request(too_long)
        return plain, entities, source

    def _markup(self, params: _Params) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """Validates reply_markup; returns (inline keyboard, other keyboard markup)."""
        raw = params.decoded("reply_markup", "can't parse reply keyboard markup JSON object")
        if raw is None:
            return None, None
        if not isinstance(raw, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in raw:
            rows = raw["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "inline_keyboard" '
                    "must be of type Array"
                )
            for row in rows:
                for button in row:
                    _check_inline_button(button)
            return {"inline_keyboard": rows}, None
        if any(key in raw for key in ("keyboard", "remove_keyboard", "force_reply")):
            return None, raw
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _bot_message(
        self,
        person: FakeUser,
        content: dict[str, Any],
        *,
        inline: dict[str, Any] | None,
        keyboard: dict[str, Any] | None,
        params: _Params,
        source: str | None,
        document: SentDocument | None = None,
    ) -> SentMessage:
        reply_id = self._reply_target(person, params)
        message_id = person._next_message_id
        person._next_message_id += 1
        data: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user_json(),
            "chat": person.chat_json(),
            "date": self._now(),
            **content,
        }
        if reply_id is not None:
            data["reply_to_message"] = dict(person._all[reply_id].data)
        if inline is not None:
            data["reply_markup"] = inline
        if keyboard is not None:
            person.reply_keyboard = None if "remove_keyboard" in keyboard else keyboard
        message = SentMessage(
            message_id,
            data,
            from_bot=True,
            source_text=source,
            parse_mode=params.text("parse_mode"),
            document=document,
        )
        person._all[message_id] = message
        person._bot_touched(message)
        return message

    def _reply_target(self, person: FakeUser, params: _Params) -> int | None:
        reply = params.decoded("reply_parameters") or {}
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        if reply_id is None:
            reply_id = params.integer("reply_to_message_id")
            allow = params.flag("allow_sending_without_reply")
        else:
            allow = bool(reply.get("allow_sending_without_reply"))
        if reply_id is None:
            return None
        target = person._all.get(int(reply_id))
        if target is None or target.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return int(reply_id)

    def _edit_target(self, params: _Params) -> tuple[FakeUser, SentMessage]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        person = self._chat(params, sending=False)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = person._all.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return person, message

    # -- Bot API methods (each `api_<methodName>` answers one method) -----------------------------
    async def api_getMe(self, params: _Params) -> Any:
        """Answers getMe."""
        return self.bot_user_json()

    async def api_logOut(self, params: _Params) -> Any:
        """Answers logOut; afterwards every call is Unauthorized, like a logged-out bot."""
        self.logged_out = True
        return True

    async def api_close(self, params: _Params) -> Any:
        """Answers close."""
        self.closed_via_api = True
        return True

    async def api_getUpdates(self, params: _Params) -> Any:
        """Placeholder so the method is known; the real work needs the connection."""
        raise AssertionError("getUpdates is answered by _get_updates")

    async def _get_updates(self, params: _Params, reader: asyncio.StreamReader | None) -> Any:
        if self.webhook_url:
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = params.integer("offset", 0) or 0
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = max(params.integer("timeout", 0) or 0, 0)
        allowed = params.decoded("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        self._poll_superseded_by = POLL_TERMINATED
        generation = self._poll_generation
        self._wake()  # an older parked poll notices it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # Reading while parked notices a client that hung up (HTTP clients do not pipeline).
        gone: asyncio.Future[bytes] = (
            asyncio.ensure_future(reader.read(1))
            if reader is not None
            else asyncio.get_running_loop().create_future()
        )
        try:
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, self._poll_superseded_by)
                batch = self._take_allowed(limit)
                remaining = deadline - loop.time()
                if batch or remaining <= 0 or self._closing:
                    if batch:
                        self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
                    return batch
                waiter: asyncio.Future[Any] = asyncio.ensure_future(self._new_update.wait())
                watched: set[asyncio.Future[Any]] = {waiter, gone}
                # While parked the request does not count as in flight (see wait_idle).
                self._inflight -= 1
                self.polls_parked += 1
                try:
                    done, _ = await asyncio.wait(
                        watched, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    self._inflight += 1
                    self.polls_parked -= 1
                    waiter.cancel()
                if gone in done:
                    raise _ClientGone
        finally:
            if not gone.done():
                gone.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await gone

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in OPT_IN_UPDATES

    def _take_allowed(self, limit: int) -> list[dict[str, Any]]:
        # Updates of types the bot did not ask for are dropped, as Telegram does.
        self._updates = [u for u in self._updates if self._allowed(u)]
        return [dict(u) for u in self._updates[:limit]]

    async def api_setWebhook(self, params: _Params) -> Any:
        """Answers setWebhook; the fake then POSTs updates to the URL."""
        url = params.text("url") or ""
        if not url:
            return await self.api_deleteWebhook(params)
        if not url.startswith(("http://", "https://")):
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = params.text("secret_token")
        if secret is not None and not SECRET_TOKEN_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = params.decoded("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if params.flag("drop_pending_updates"):
            self._drop_pending()
        changed = url != self.webhook_url
        self.webhook_url = url
        self.webhook_secret = secret
        self.webhook_info = {
            "max_connections": params.integer("max_connections", 40),
            "_description": "Webhook was set" if changed else "Webhook is already set",
        }
        self._poll_generation += 1
        self._poll_superseded_by = "Conflict: terminated by setWebhook request"
        self._wake()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        return True

    async def api_deleteWebhook(self, params: _Params) -> Any:
        """Answers deleteWebhook."""
        if params.flag("drop_pending_updates"):
            self._drop_pending()
        was_set = bool(self.webhook_url)
        self.webhook_url = ""
        self.webhook_secret = None
        self.webhook_info = {
            "_description": "Webhook was deleted" if was_set else "Webhook is already deleted"
        }
        return True

    async def api_getWebhookInfo(self, params: _Params) -> Any:
        """Answers getWebhookInfo."""
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates,
        }
        if self.webhook_url:
            info["ip_address"] = "127.0.0.1"
            info["max_connections"] = self.webhook_info.get("max_connections", 40)
            if self._allowed_updates:
                info["allowed_updates"] = self._allowed_updates
        for key in ("last_error_date", "last_error_message"):
            if key in self.webhook_info:
                info[key] = self.webhook_info[key]
        return info

    def _drop_pending(self) -> None:
        if self._updates:
            self._delivered_upto = max(self._delivered_upto, self._updates[-1]["update_id"])
        self._updates = []

    async def _deliver_webhooks(self) -> None:
        """POSTs queued updates one by one to the webhook, retrying failed deliveries."""
        async with httpx.AsyncClient(timeout=10) as client:
            while self.webhook_url and not self._closing:
                batch = self._take_allowed(1)
                if not batch:
                    event = self._new_update
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(event.wait(), 0.5)
                    continue
                update = batch[0]
                headers = {"Content-Type": "application/json"}
                if self.webhook_secret:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
                self._inflight += 1
                try:
                    response = await client.post(
                        self.webhook_url, content=json.dumps(update), headers=headers
                    )
                    ok = 200 <= response.status_code < 300
                    error = (
                        f"Wrong response from the webhook: {response.status_code} "
                        f"{HTTPStatus(response.status_code).phrase}"
                    )
                except httpx.TimeoutException:
                    response, ok, error = None, False, "Read timeout expired"
                except httpx.HTTPError:
                    response, ok, error = None, False, "Connection refused"
                finally:
                    self._inflight -= 1
                    self._last_activity = time.monotonic()
                if ok:
                    self._updates = [
                        u for u in self._updates if u["update_id"] != update["update_id"]
                    ]
                    self._delivered_upto = max(self._delivered_upto, update["update_id"])
                    assert response is not None
                    await self._webhook_reply(response)
                else:
                    self.webhook_info["last_error_date"] = self._now()
                    self.webhook_info["last_error_message"] = error
                    await asyncio.sleep(self.webhook_retry_delay)

    async def _webhook_reply(self, response: httpx.Response) -> None:
        """Runs a method the bot put in its webhook answer, as Telegram allows."""
        if "json" not in response.headers.get("content-type", ""):
            return
        try:
            body = response.json()
        except ValueError:
            return
        if not isinstance(body, dict) or "method" not in body:
            return
        key = str(body.pop("method")).lower()
        handler = self._handlers.get(key)
        if handler is None or key == "getupdates":
            return
        params = _Params(body, {})
        method = self._canonical[key]
        try:
            result = await handler(params)
        except ApiError as exc:
            self._finish(method, params, exc, via="webhook-reply")
        else:
            self._finish(method, params, result=result, via="webhook-reply")

    async def api_sendMessage(self, params: _Params) -> Any:
        """Answers sendMessage."""
        person = self._chat(params)
        inline, keyboard = self._markup(params)
        plain, entities, source = self._formatted(
            params, "text", MAX_TEXT, "message is too long", "message text is empty"
        )
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        message = self._bot_message(
            person, content, inline=inline, keyboard=keyboard, params=params, source=source
        )
        return message.data

    async def _send_file(self, params: _Params, field_name: str) -> tuple[StoredFile, bool]:
        """Finds the uploaded (or referenced) file of a send* call: (file, newly uploaded)."""
        raw = params.get(field_name)
        upload = params.files.get(field_name)
        if upload is None and isinstance(raw, str) and raw.startswith("attach://"):
            upload = params.files.get(raw.removeprefix("attach://"))
        if upload is not None:
            file_name, mime_type, data = upload
            if not data:
                raise bad_request("file must be non-empty")
            if len(data) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            folder = "photos" if field_name == "photo" else "documents"
            return self._store_file(data, file_name, mime_type, folder), True
        if isinstance(raw, str) and raw:
            stored = self._files.get(raw)
            if stored is None:
                if raw.startswith(("http://", "https://")):
                    raise bad_request("failed to get HTTP URL content")
                raise bad_request("wrong file identifier/HTTP URL specified")
            return stored, False
        raise bad_request(f"there is no {field_name} in the request")

    async def api_sendDocument(self, params: _Params) -> Any:
        """Answers sendDocument (multipart upload or a known file_id)."""
        person = self._chat(params)
        inline, keyboard = self._markup(params)
        caption, entities, source = self._formatted(
            params, "caption", MAX_CAPTION, "message caption is too long", None
        )
        stored, _ = await self._send_file(params, "document")
        document_json: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            document_json["file_name"] = stored.file_name
        if stored.mime_type:
            document_json["mime_type"] = stored.mime_type
        content: dict[str, Any] = {"document": document_json}
        if caption is not None:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        document = SentDocument(
            stored.file_name, stored.mime_type, stored.data, caption, stored.file_id
        )
        message = self._bot_message(
            person,
            content,
            inline=inline,
            keyboard=keyboard,
            params=params,
            source=source,
            document=document,
        )
        return message.data

    async def api_sendPhoto(self, params: _Params) -> Any:
        """Answers sendPhoto (the photo is also listed in `documents` with its bytes)."""
        person = self._chat(params)
        inline, keyboard = self._markup(params)
        caption, entities, source = self._formatted(
            params, "caption", MAX_CAPTION, "message caption is too long", None
        )
        stored, _ = await self._send_file(params, "photo")
        content: dict[str, Any] = {
            "photo": [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 1280,
                    "height": 960,
                    "file_size": len(stored.data),
                }
            ]
        }
        if caption is not None:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        document = SentDocument(
            stored.file_name, stored.mime_type, stored.data, caption, stored.file_id
        )
        message = self._bot_message(
            person,
            content,
            inline=inline,
            keyboard=keyboard,
            params=params,
            source=source,
            document=document,
        )
        return message.data

    async def api_getFile(self, params: _Params) -> Any:
        """Answers getFile."""
        stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def api_editMessageText(self, params: _Params) -> Any:
        """Answers editMessageText (no reply_markup given = the inline keyboard is removed)."""
        person, message = self._edit_target(params)
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        inline, _ = self._markup(params)
        plain, entities, source = self._formatted(
            params, "text", MAX_TEXT, "message is too long", "message text is empty"
        )
        same = (
            message.data.get("text") == plain
            and message.data.get("entities", []) == entities
            and message.reply_markup == inline
        )
        if same:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.data["text"] = plain
        message.data.pop("entities", None)
        if entities:
            message.data["entities"] = entities
        self._apply_edit(person, message, inline, source, params)
        return message.data

    async def api_editMessageCaption(self, params: _Params) -> Any:
        """Answers editMessageCaption."""
        person, message = self._edit_target(params)
        if "text" in message.data:
            raise bad_request("there is no caption in the message to edit")
        inline, _ = self._markup(params)
        caption, entities, source = self._formatted(
            params, "caption", MAX_CAPTION, "message caption is too long", None
        )
        same = (
            message.data.get("caption") == caption
            and message.data.get("caption_entities", []) == entities
            and message.reply_markup == inline
        )
        if same:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.data.pop("caption", None)
        message.data.pop("caption_entities", None)
        if caption is not None:
            message.data["caption"] = caption
        if entities:
            message.data["caption_entities"] = entities
        self._apply_edit(person, message, inline, source, params)
        return message.data

    async def api_editMessageReplyMarkup(self, params: _Params) -> Any:
        """Answers editMessageReplyMarkup."""
        person, message = self._edit_target(params)
        inline, _ = self._markup(params)
        if message.reply_markup == inline:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        self._apply_edit(person, message, inline, message.source_text, None)
        return message.data

    def _apply_edit(
        self,
        person: FakeUser,
        message: SentMessage,
        inline: dict[str, Any] | None,
        source: str | None,
        params: _Params | None,
    ) -> None:
        message.data.pop("reply_markup", None)
        if inline is not None:
            message.data["reply_markup"] = inline
        message.data["edit_date"] = self._now()
        message.source_text = source
        if params is not None:
            message.parse_mode = params.text("parse_mode")
        message.edits += 1
        person._bot_touched(message)

    async def api_deleteMessage(self, params: _Params) -> Any:
        """Answers deleteMessage."""
        person = self._chat(params, sending=False)
        message_id = params.integer("message_id")
        message = person._all.get(message_id or 0)
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

    async def api_deleteMessages(self, params: _Params) -> Any:
        """Answers deleteMessages (unknown ids are skipped, as Telegram does)."""
        person = self._chat(params, sending=False)
        ids = params.decoded("message_ids") or []
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message identifiers are not specified")
        for message_id in ids:
            message = person._all.get(int(message_id))
            if message is not None:
                message.deleted = True
        return True

    async def api_answerCallbackQuery(self, params: _Params) -> Any:
        """Answers answerCallbackQuery (each query once, within the TTL)."""
        query_id = params.text("callback_query_id") or ""
        entry = self._queries.get(query_id)
        if entry is None:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        created, answered, user_id = entry
        if answered or time.monotonic() - created > self.callback_query_ttl:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        text = params.text("text")
        if text is not None and utf16_len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._queries[query_id] = (created, True, user_id)
        self._users[user_id].callback_answers.append(
            CallbackAnswer(query_id, text, params.flag("show_alert"), params.text("url"))
        )
        return True

    async def api_sendChatAction(self, params: _Params) -> Any:
        """Answers sendChatAction."""
        person = self._chat(params)
        action = params.text("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        person.chat_actions.append(action)
        return True

    async def api_getChat(self, params: _Params) -> Any:
        """Answers getChat for a private chat."""
        person = self._chat(params, sending=False)
        return {**person.chat_json(), "accent_color_id": 0, "max_reaction_count": 11}

    async def api_setMyCommands(self, params: _Params) -> Any:
        """Answers setMyCommands (stored per scope and language_code)."""
        commands = params.decoded("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict) or "command" not in command:
                raise bad_request("can't parse BotCommand: Can't find field \"command\"")
            if "description" not in command:
                raise bad_request("can't parse BotCommand: Can't find field \"description\"")
            name = str(command["command"]).removeprefix("/")
            if not COMMAND_RE.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command["description"]).strip()
            if not description:
                raise bad_request("command description must be non-empty")
            if len(description) > 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params)
        if cleaned:
            self.commands_store[key] = cleaned
        else:
            self.commands_store.pop(key, None)
        return True

    async def api_getMyCommands(self, params: _Params) -> Any:
        """Answers getMyCommands for exactly the given scope and language."""
        return list(self.commands_store.get(self._commands_key(params), []))

    async def api_deleteMyCommands(self, params: _Params) -> Any:
        """Answers deleteMyCommands."""
        self.commands_store.pop(self._commands_key(params), None)
        return True

    def _commands_key(self, params: _Params) -> tuple[str, str]:
        scope = params.decoded("scope", "can't parse BotCommandScope JSON object")
        language = params.text("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        if scope is not None and (not isinstance(scope, dict) or "type" not in scope):
            raise bad_request("can't parse BotCommandScope JSON object")
        if isinstance(scope, dict) and scope.get("type") in (
            "chat",
            "chat_administrators",
            "chat_member",
        ):
            chat_id = scope.get("chat_id")
            if chat_id is None or int(chat_id) not in self._users:
                raise bad_request("chat not found")
        return _scope_key(scope), language

    async def api_setChatMenuButton(self, params: _Params) -> Any:
        """Answers setChatMenuButton (per chat, or the default without chat_id)."""
        button = params.decoded("menu_button", "can't parse menu button JSON object")
        button = button if isinstance(button, dict) else {"type": "default"}
        if button.get("type") not in ("default", "commands", "web_app"):
            raise bad_request("can't parse menu button JSON object")
        if params.get("chat_id") is None:
            self.default_menu_button = button
        else:
            self._chat(params, sending=False).menu_button = button
        return True

    async def api_getChatMenuButton(self, params: _Params) -> Any:
        """Answers getChatMenuButton."""
        if params.get("chat_id") is None:
            return self.default_menu_button
        person = self._chat(params, sending=False)
        return person.menu_button or self.default_menu_button

    async def _set_text_setting(
        self, params: _Params, kind: str, field_name: str, limit: int
    ) -> Any:
        value = params.text(field_name) or ""
        if len(value) > limit:
            raise bad_request(f"{kind} is too long")
        self.descriptions[(kind, params.text("language_code") or "")] = value
        return True

    async def api_setMyDescription(self, params: _Params) -> Any:
        """Answers setMyDescription."""
        return await self._set_text_setting(params, "description", "description", 512)

    async def api_setMyShortDescription(self, params: _Params) -> Any:
        """Answers setMyShortDescription."""
        return await self._set_text_setting(params, "short_description", "short_description", 120)

    async def api_setMyName(self, params: _Params) -> Any:
        """Answers setMyName."""
        return await self._set_text_setting(params, "name", "name", 64)

    async def api_getMyDescription(self, params: _Params) -> Any:
        """Answers getMyDescription."""
        key = ("description", params.text("language_code") or "")
        return {"description": self.descriptions.get(key, "")}

    async def api_getMyShortDescription(self, params: _Params) -> Any:
        """Answers getMyShortDescription."""
        key = ("short_description", params.text("language_code") or "")
        return {"short_description": self.descriptions.get(key, "")}

    async def api_getMyName(self, params: _Params) -> Any:
        """Answers getMyName."""
        key = ("name", params.text("language_code") or "")
        return {"name": self.descriptions.get(key, self.first_name)}


# Parameters that arrive as JSON text in forms; `Call.params` shows them decoded.
JSON_PARAMS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "reply_parameters",
    "link_preview_options",
    "allowed_updates",
    "commands",
    "scope",
    "menu_button",
    "message_ids",
}
INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "max_connections"}


def _readable(values: dict[str, Any]) -> dict[str, Any]:
    """Returns call parameters decoded the way Telegram reads them (for test assertions)."""
    readable: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str) and name in JSON_PARAMS:
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        elif isinstance(value, str) and name in INT_PARAMS:
            with contextlib.suppress(ValueError):
                value = int(value)
        readable[name] = value
    return readable


def _scope_key(scope: dict[str, Any] | None) -> str:
    scope = scope or {"type": "default"}
    normalised = {k: (int(v) if k in ("chat_id", "user_id") else v) for k, v in scope.items()}
    return json.dumps(normalised, sort_keys=True)


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or "text" not in button:
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not str(button["text"]).strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in INLINE_BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = str(button["callback_data"]).encode("utf-8")
        if not 1 <= len(data) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
        raise bad_request("BUTTON_URL_INVALID")


def _fault_error(fault: Fault) -> ApiError:
    if fault.status == 429:
        return ApiError(
            429,
            fault.description or f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    phrase = {
        500: "Internal Server Error",
        502: "Bad Gateway",
        400: "Bad Request",
        403: "Forbidden",
        409: "Conflict",
        401: "Unauthorized",
        404: "Not Found",
    }
    default = phrase.get(fault.status) or HTTPStatus(fault.status).phrase
    return ApiError(fault.status, fault.description or default)


def _json_answer(status: int, payload: dict[str, Any]) -> tuple[int, bytes, str]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return status, body, "application/json"


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    """Reads one HTTP/1.1 request (Content-Length or chunked body); None at end of stream."""
    line = await reader.readline()
    if not line:
        return None
    parts = line.decode("latin-1").strip().split(" ")
    if len(parts) != 3:
        raise ValueError(f"bad request line {line!r}")
    method, path, _version = parts
    headers: dict[str, str] = {}
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                break
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(chunks)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
    return _Request(method, path, headers, body)


def _decode_params(query: str, request: _Request) -> _Params:
    """Decodes query string + JSON / urlencoded / multipart body into parameters."""
    values: dict[str, Any] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    files: dict[str, tuple[str | None, str | None, bytes]] = {}
    content_type = request.headers.get("content-type", "")
    body = request.body
    if not body:
        return _Params(values, files)
    if content_type.startswith("application/json"):
        try:
            decoded = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if isinstance(decoded, dict):
            values.update(decoded)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        values.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif content_type.startswith("multipart/form-data"):
        raw = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode() + body
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            data = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                files[name] = (filename, part.get_content_type(), bytes(data))
            else:
                charset = part.get_content_charset() or "utf-8"
                values[name] = bytes(data).decode(charset)
    return _Params(values, files)


def bot_message_texts(messages: Iterable[SentMessage]) -> list[str]:
    """Returns the texts of messages, for compact assertions."""
    return [m.text or "" for m in messages]
