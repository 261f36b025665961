"""A summary as Telegram HTML messages, each within Telegram's limit, split where a reader expects.

Telegram counts a message's length in UTF-16 code units of the text left after the HTML is
parsed, so every line is built from plain-text segments whose length is known before escaping;
each message also keeps its HTML source within the limit, so that `split_message`, which the
sending helpers run and which counts the source, passes it on whole.
Messages break between sections; a section too long for one message breaks between its items and
goes on under "<title> (continued)"; a single item too long for a message is cut between words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape

from bot.summary.labels import CONTINUED, label
from bot.summary.layout import ATTENTION_MARK, item_marker, visible_sections
from bot.summary.model import Section, Summary, SummaryItem

MESSAGE_LIMIT = 4096
# A heading longer than this is shortened: it is repeated above every continued part.
_HEADING_MAX = 200
_EMOJI_SELECTOR = "\ufe0f"
# The shortest part of a cut item worth starting at the end of a message.
_MIN_PIECE = 200


def utf16_len(text: str) -> int:
    """The length of text in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class _Segment:
    """A run of text in one style ("" plain, "b" bold, "i" italic, "blockquote expandable")."""

    text: str
    tag: str = ""

    @property
    def html(self) -> str:
        if not self.tag:
            return escape(self.text, quote=False)
        name = self.tag.split()[0]
        return f"<{self.tag}>{escape(self.text, quote=False)}</{name}>"


@dataclass(frozen=True)
class _Line:
    """One line of a message as styled segments; its size is what Telegram will count."""

    segments: tuple[_Segment, ...]

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def html(self) -> str:
        return "".join(s.html for s in self.segments if s.text)

    @property
    def size(self) -> int:
        # Telegram counts the parsed text; the bot's own sending helper (split_message) counts
        # the HTML source. A line that fits both is never split again on its way out.
        return max(utf16_len(self.plain), len(self.html))


@dataclass(frozen=True)
class _Block:
    """A header or a section: a heading (repeated when continued) and its lines."""

    heading: _Line | None
    continued: _Line | None
    lines: tuple[_Line, ...]


def _line(*segments: tuple[str, str] | str) -> _Line:
    parts = [_Segment(s) if isinstance(s, str) else _Segment(s[1], s[0]) for s in segments]
    return _Line(tuple(parts))


def _shorten(text: str, limit: int) -> str:
    if utf16_len(text) <= limit:
        return text
    cut = _clean_cut(text, limit - 1)
    return text[:cut].rstrip() + "…"


def _header_block(summary: Summary, heading_max: int) -> _Block:
    header = summary.header
    lines = [_line(line) for line in header.lines if line]
    if summary.status_text:
        lines.append(_line(("i", summary.status_text)))
    heading = _line(("b", _shorten(header.title, heading_max)))
    return _Block(heading=heading, continued=heading, lines=tuple(lines))


def _item_lines(item: SummaryItem, details: bool) -> list[_Line]:
    marker = item_marker(item)
    text = item.text.strip()
    if item.attention:
        line = _line(ATTENTION_MARK + _EMOJI_SELECTOR + " ", ("b", f"{marker} {text}"))
    else:
        line = _line(f"{marker} {text}")
    lines = [line]
    detail = (item.detail or "").strip()
    if details and detail and detail != text:
        lines.append(_line(("blockquote expandable", detail)))
    return lines


def _section_block(
    section: Section, labels: dict[str, str], details: bool, heading_max: int
) -> _Block:
    title = _shorten(section.title, heading_max)
    lines: list[_Line] = []
    for item in section.items:
        lines.extend(_item_lines(item, details))
    if not lines and section.empty_text:
        lines.append(_line(("i", section.empty_text)))
    return _Block(
        heading=_line(("b", title)),
        continued=_line(("b", _shorten(label(labels, CONTINUED, title=title), heading_max))),
        lines=tuple(lines),
    )


def _breaks_cluster(text: str, index: int) -> bool:
    """Whether cutting before text[index] would split a character a reader sees as one."""
    if index <= 0 or index >= len(text):
        return False
    nxt, prev = text[index], text[index - 1]
    return (
        nxt in "\u200d\ufe0e\ufe0f"
        or prev == "\u200d"
        or unicodedata.combining(nxt) != 0
        or "\U0001f3fb" <= nxt <= "\U0001f3ff"  # skin-tone modifiers
        or "\U000e0020" <= nxt <= "\U000e007f"  # tag sequences (flags of regions)
        or ("\U0001f1e6" <= prev <= "\U0001f1ff" and "\U0001f1e6" <= nxt <= "\U0001f1ff")
        or 0xDC00 <= ord(nxt) <= 0xDFFF
    )


def _clean_cut(text: str, budget: int) -> int:
    """Where to cut text so the first part fits `budget` UTF-16 units: after a space if near."""
    units = 0
    end = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > budget:
            break
        end = index + 1
    else:
        return len(text)
    # Prefer a break between words in the last third of the part.
    space = max(text.rfind(" ", 0, end + 1), text.rfind("\n", 0, end + 1))
    if space >= end * 2 // 3 and space > 0:
        return space
    cut = end
    while cut > 1 and _breaks_cluster(text, cut):
        cut -= 1
    return max(cut, 1)


def _slice(line: _Line, begin: int, end: int) -> _Line:
    """The part of a line between two plain-text offsets, each piece keeping its style."""
    segments: list[_Segment] = []
    offset = 0
    for segment in line.segments:
        seg_start, seg_end = offset, offset + len(segment.text)
        offset = seg_end
        lo, hi = max(begin, seg_start), min(end, seg_end)
        if lo < hi:
            segments.append(_Segment(segment.text[lo - seg_start : hi - seg_start], segment.tag))
    return _Line(tuple(segments))


def _split_line(line: _Line, budget: int) -> tuple[_Line, _Line | None]:
    """The first part of a line that fits `budget` units (cut cleanly) and the rest, if any."""
    text_budget = budget
    while True:
        head, tail = _split_at(line, text_budget)
        # Escaped characters and tags make the HTML longer than the text: cut a little earlier.
        if head.size <= budget or text_budget <= 1:
            return head, tail
        text_budget = min(text_budget - 1, text_budget * budget // head.size)


def _split_at(line: _Line, budget: int) -> tuple[_Line, _Line | None]:
    """The line cut cleanly after at most `budget` units of text, and the rest."""
    plain = line.plain
    cut = _clean_cut(plain, budget)
    if cut >= len(plain):
        return line, None
    rest = cut
    # Spaces at a cut would be stripped by Telegram anyway; they belong to neither part.
    while rest < len(plain) and plain[rest] in " \n":
        rest += 1
    head_end = cut
    while head_end > 1 and plain[head_end - 1] in " \n":
        head_end -= 1
    tail = _slice(line, rest, len(plain)) if rest < len(plain) else None
    return _slice(line, 0, head_end), tail


class _Packer:
    """Fills messages with blocks and lines, never beyond the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.messages: list[str] = []
        self._html: list[str] = []
        self._size = 0

    def fits(self, size: int, separator: int) -> bool:
        return self._size + (separator if self._html else 0) + size <= self.limit

    def add(self, html: str, size: int, separator: str) -> None:
        if self._html:
            self._html.append(separator)
            self._size += len(separator)
        self._html.append(html)
        self._size += size

    def available(self, separator: int) -> int:
        return self.limit - self._size - (separator if self._html else 0)

    def flush(self) -> None:
        if self._html:
            self.messages.append("".join(self._html))
        self._html, self._size = [], 0

    @property
    def empty(self) -> bool:
        return not self._html


def _block_size(lines: list[_Line]) -> int:
    return sum(line.size for line in lines) + max(len(lines) - 1, 0)


def _place(packer: _Packer, block: _Block) -> None:
    """Put a block into the messages: whole if it fits, else item by item (cut if need be)."""
    whole = ([block.heading] if block.heading else []) + list(block.lines)
    size = _block_size(whole)
    if packer.fits(size, 2):
        packer.add(_joined(whole), size, "\n\n")
        return
    if size <= packer.limit:
        packer.flush()
        packer.add(_joined(whole), size, "\n\n")
        return
    # The room a line has in a message of its own, under the longer of the two headings.
    headings = [h for h in (block.heading, block.continued) if h is not None]
    room = packer.limit - max((h.size + 1 for h in headings), default=0)
    heading_placed = False
    started = False  # whether the block already has a line in the current message
    for line in block.lines:
        rest: _Line | None = line
        while rest is not None:
            if started:
                opening, separator = [], "\n"
            else:
                heading = block.continued if heading_placed else block.heading
                opening, separator = ([heading] if heading else []), "\n\n"
            lines = [*opening, rest]
            size = _block_size(lines)
            if packer.fits(size, len(separator)):
                packer.add(_joined(lines), size, separator)
                heading_placed = started = True
                rest = None
                continue
            available = packer.available(len(separator)) - _block_size(opening) - len(opening)
            if rest.size > room and (available >= _MIN_PIECE or packer.empty):
                # Too long for any message: fill this one and go on in the next.
                head, rest = _split_line(rest, available)
                lines = [*opening, head]
                packer.add(_joined(lines), _block_size(lines), separator)
                heading_placed = True
            packer.flush()
            started = False


def _joined(lines: list[_Line]) -> str:
    return "\n".join(line.html for line in lines)


def render_messages(
    summary: Summary, *, details: bool = False, limit: int = MESSAGE_LIMIT
) -> list[str]:
    """The summary as Telegram HTML messages (header first), each within `limit` units.

    With `details`, an item's full text follows it in an expandable quote.
    """
    packer = _Packer(limit)
    heading_max = min(_HEADING_MAX, limit // 5)
    _place(packer, _header_block(summary, heading_max))
    for section in visible_sections(summary):
        _place(packer, _section_block(section, summary.labels, details, heading_max))
    packer.flush()
    return packer.messages
