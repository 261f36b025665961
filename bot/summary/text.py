"""A summary as plain text for the console, laid out like the Telegram messages."""

from __future__ import annotations

import textwrap

from bot.summary.layout import ATTENTION_MARK, item_marker, visible_sections
from bot.summary.model import Summary, SummaryItem

_DETAIL_INDENT = "    "
_DETAIL_WIDTH = 96


def _underlined(title: str, rule: str) -> list[str]:
    return [title, rule * max(len(title), 3)]


def _item(item: SummaryItem, details: bool) -> list[str]:
    prefix = f"{ATTENTION_MARK} " if item.attention else ""
    lines = [f"{prefix}{item_marker(item)} {item.text}"]
    if details and item.detail and item.detail != item.text:
        for paragraph in item.detail.splitlines() or [""]:
            lines.extend(
                textwrap.wrap(
                    paragraph,
                    _DETAIL_WIDTH,
                    initial_indent=_DETAIL_INDENT,
                    subsequent_indent=_DETAIL_INDENT,
                )
                or [""]
            )
    return lines


def render_text(summary: Summary, *, details: bool = True) -> str:
    """The summary as plain text: header, status, then each section with its items."""
    out = _underlined(summary.header.title, "=")
    out.extend(line for line in summary.header.lines if line)
    if summary.status_text:
        out.append(f"({summary.status_text})")
    for section in visible_sections(summary):
        out.append("")
        out.extend(_underlined(section.title, "-"))
        for item in section.items:
            out.extend(_item(item, details))
        if not section.items and section.empty_text:
            out.append(section.empty_text)
    return "\n".join(out) + "\n"
