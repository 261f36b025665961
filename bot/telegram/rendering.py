"""Turns engine screens into HTML messages with inline keyboards, and splits long texts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.screens import InputKind, Screen, ScreenKind, progress_label
from bot.dialogue.translation import Translator
from bot.telegram.callbacks import RECAP_STEP, dialogue_data

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
_SCALE_ROW = 6
_SELF_EXPLAINING = (InputKind.CHOICE, InputKind.YESNO, InputKind.CONTINUE)
NOTE_PAUSE = "pn"  # the pause button of a care note (the note is not replaced by the screen)
_RECAP_ROW = 5


@dataclass(frozen=True)
class Rendered:
    """One message: HTML text and an optional inline keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def plain(text: str) -> Rendered:
    """A short answer with no buttons (the text is escaped here)."""
    return Rendered(escape(text))


def render_screen(screen: Screen, run_id: int, t: Translator) -> Rendered:
    """Render a dialogue screen as a message with the buttons it allows."""
    if screen.kind is ScreenKind.RECAP:
        return Rendered(_recap_text(screen, t), _recap_keyboard(screen, run_id, t))
    text = _question_text(screen, t)
    if screen.kind is ScreenKind.PAUSED:
        button = InlineKeyboardButton(
            t.gettext("Continue"), callback_data=dialogue_data(run_id, screen.step_id, "r")
        )
        return Rendered(text, InlineKeyboardMarkup([[button]]))
    if screen.kind is not ScreenKind.QUESTION:
        return Rendered(text)
    return Rendered(text, _question_keyboard(screen, run_id, t))


def render_notice(screen: Screen, run_id: int, t: Translator) -> Rendered | None:
    """The screen's care note as a message of its own, with a button to pause the run."""
    if not screen.notice:
        return None
    keyboard = None
    if screen.kind in (ScreenKind.QUESTION, ScreenKind.RECAP):
        pause = InlineKeyboardButton(
            "⏸ " + t.gettext("Pause here"),
            callback_data=dialogue_data(run_id, screen.step_id, NOTE_PAUSE),
        )
        keyboard = InlineKeyboardMarkup([[pause]])
    return Rendered(escape(screen.notice), keyboard)


def _header(screen: Screen) -> str:
    progress = progress_label(screen)
    return f"<b>{escape(screen.title)}</b>" + (f" · {progress}" if progress else "")


def _question_text(screen: Screen, t: Translator) -> str:
    parts = [_header(screen)]
    if screen.error:
        parts.append(f"⚠️ <i>{escape(screen.error)}</i>")
    if screen.shows:
        # The person's own material (e.g. the commitment being checked in on), set apart.
        parts.append(f"<blockquote>{escape(screen.shows)}</blockquote>")
    parts.append(escape(screen.text))
    # Under buttons that say it all (options, yes/no, continue) the how-to is noise on a phone.
    how = None if screen.input in _SELF_EXPLAINING else screen.how
    notes = "\n".join(note for note in (screen.hint, how) if note)
    if notes:
        parts.append(f"<i>{escape(notes)}</i>")
    if screen.private and screen.kind is ScreenKind.QUESTION:
        parts.append("🔒 " + escape(t.gettext("This answer is only for you.")))
    return "\n\n".join(parts)


def _recap_text(screen: Screen, t: Translator) -> str:
    lines = [_header(screen)]
    if screen.error:
        lines.append(f"⚠️ <i>{escape(screen.error)}</i>")
    if screen.text:
        lines.append(escape(screen.text))
    for item in screen.recap:
        lock = " 🔒" if item.private else ""
        lines.append(f"{item.number}. <b>{escape(item.label)}</b>{lock}\n{escape(item.value_text)}")
    lines.append(
        "<i>"
        + escape(
            t.gettext(
                "✏️ N changes an answer, 🔒 N keeps it only for you. Save when ready (or write "
                "“ok”)."
            )
        )
        + "</i>"
    )
    return "\n\n".join(lines)


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def _choice_action(value: str, index: int, run_id: int, step: str | None, action: str) -> str:
    """Button data naming the option by value, or by `#position` when the value is too long."""
    try:
        return dialogue_data(run_id, step, action, value)
    except ValueError:
        return dialogue_data(run_id, step, action, f"#{index}")


def _question_keyboard(screen: Screen, run_id: int, t: Translator) -> InlineKeyboardMarkup:
    step = screen.step_id
    rows: list[list[InlineKeyboardButton]] = []
    if screen.input is InputKind.MULTI:
        for index, choice in enumerate(screen.choices):
            mark = "☑️ " if choice.selected else "⬜ "
            wanted = "t0" if choice.selected else "t1"
            rows.append(
                [
                    _button(
                        mark + choice.label,
                        _choice_action(choice.value, index, run_id, step, wanted),
                    )
                ]
            )
        rows.append([_button("✅ " + t.gettext("Done"), dialogue_data(run_id, step, "s"))])
    elif screen.input is InputKind.SCALE:
        buttons = [
            _button(choice.label, _choice_action(choice.value, i, run_id, step, "c"))
            for i, choice in enumerate(screen.choices)
        ]
        rows.extend(buttons[i : i + _SCALE_ROW] for i in range(0, len(buttons), _SCALE_ROW))
    elif screen.input is InputKind.YESNO:
        rows.append(
            [
                _button(choice.label, _choice_action(choice.value, i, run_id, step, "c"))
                for i, choice in enumerate(screen.choices)
            ]
        )
    elif screen.input is InputKind.CONTINUE:
        rows.append([_button(t.gettext("Continue"), dialogue_data(run_id, step, "s"))])
    else:
        rows.extend(
            [_button(choice.label, _choice_action(choice.value, i, run_id, step, "c"))]
            for i, choice in enumerate(screen.choices)
        )
    controls: list[InlineKeyboardButton] = []
    if screen.can_back:
        controls.append(_button("◀️ " + t.gettext("Back"), dialogue_data(run_id, step, "b")))
    if screen.can_skip:
        controls.append(_button(t.gettext("Skip") + " ▶️", dialogue_data(run_id, step, "k")))
    if controls:
        rows.append(controls)
    if screen.input is not InputKind.CONTINUE:
        private_label = (
            "🔓 "
            + (
                t.gettext("Share with facilitator")
                if screen.reader == "facilitator"
                else t.gettext("Share with coach")
            )
            if screen.private
            else "🔒 " + t.gettext("Only for me")
        )
        rows.append(
            [
                _button(
                    private_label, dialogue_data(run_id, step, "v0" if screen.private else "v1")
                ),
                _button("⏸ " + t.gettext("Pause"), dialogue_data(run_id, step, "p")),
            ]
        )
    else:
        rows.append([_button("⏸ " + t.gettext("Pause"), dialogue_data(run_id, step, "p"))])
    return InlineKeyboardMarkup(rows)


def _recap_keyboard(screen: Screen, run_id: int, t: Translator) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    edits = [
        _button(f"✏️ {item.number}", dialogue_data(run_id, RECAP_STEP, "e", str(item.number)))
        for item in screen.recap
    ]
    locks = [
        _button(
            f"{'🔓' if item.private else '🔒'} {item.number}",
            dialogue_data(run_id, RECAP_STEP, "v0" if item.private else "v1", str(item.number)),
        )
        for item in screen.recap
    ]
    rows.extend(edits[i : i + _RECAP_ROW] for i in range(0, len(edits), _RECAP_ROW))
    rows.extend(locks[i : i + _RECAP_ROW] for i in range(0, len(locks), _RECAP_ROW))
    rows.append(
        [
            _button("✅ " + t.gettext("Save"), dialogue_data(run_id, RECAP_STEP, "ok")),
            _button("⏸ " + t.gettext("Pause"), dialogue_data(run_id, RECAP_STEP, "p")),
        ]
    )
    if screen.can_back:
        rows.append([_button("◀️ " + t.gettext("Back"), dialogue_data(run_id, RECAP_STEP, "b"))])
    return InlineKeyboardMarkup(rows)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML text into chunks within `limit`, at line breaks where possible.

    Lines are kept whole when they fit; a longer line is cut between words, never inside a tag or
    an entity, and formatting open at the cut is closed and reopened so each chunk stays valid.
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = _cut_line(line, limit) if len(line) > limit else [line]
        for piece in pieces:
            candidate = piece if not current else current + "\n" + piece
            if len(candidate) <= limit:
                current = candidate
                continue
            if current:
                chunks.append(current)
            current = piece
    if current or not chunks:
        chunks.append(current)
    return chunks


_TOKEN = re.compile(r"<[^>]*>|&[#\w]+;|\s+|[^<&\s]+|[<&]")


def _tag_name(tag: str) -> str:
    return tag.strip("</>").split()[0].lower() if tag.strip("</>") else ""


def _cut_line(line: str, limit: int) -> list[str]:
    """Cut one over-long HTML line into valid pieces of at most `limit` characters."""
    tokens: list[str] = []
    for token in _TOKEN.findall(line):
        if token.startswith(("<", "&")) or len(token) <= limit // 2:
            tokens.append(token)
        else:  # an enormous word: cut it into parts
            tokens.extend(token[i : i + limit // 2] for i in range(0, len(token), limit // 2))
    pieces: list[str] = []
    opened: list[str] = []  # open tags, outermost first
    current = ""

    def closers() -> str:
        return "".join(f"</{_tag_name(tag)}>" for tag in reversed(opened))

    for token in tokens:
        is_close = token.startswith("</")
        is_open = token.startswith("<") and not is_close and len(token) > 1
        extra = len(f"</{_tag_name(token)}>") if is_open else 0
        # A closing tag never needs room of its own: closers() already reserved it.
        if not is_close and current and len(current) + len(token) + extra + len(closers()) > limit:
            # Tags opened right at the cut move to the next piece instead of staying empty.
            moved: list[str] = []
            while opened and current.endswith(opened[-1]) and current != "".join(opened):
                current = current.removesuffix(opened[-1])
                moved.insert(0, opened.pop())
            pieces.append(current + closers())
            opened.extend(moved)
            current = "".join(opened)
        current += token
        if is_open:
            opened.append(token)
        elif is_close and opened and _tag_name(opened[-1]) == _tag_name(token):
            opened.pop()
    pieces.append(current + closers())
    return pieces
