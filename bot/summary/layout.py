"""Layout decisions shared by every renderer: which sections show, how an item is marked."""

from __future__ import annotations

from bot.summary.model import Section, Summary, SummaryItem

# Directions as arrows: they read the same in both languages and in black-and-white print.
ARROWS = {1: "↑", -1: "↓", 0: "→"}
BULLET = "•"
ATTENTION_MARK = "⚠"


def visible_sections(summary: Summary) -> list[Section]:
    """Sections in reading order; an empty one shows only when it has a sentence for emptiness."""
    return [s for s in summary.sections if s.items or s.empty_text]


def item_marker(item: SummaryItem) -> str:
    """The arrow of a directed item, else a bullet."""
    if item.direction is not None:
        return ARROWS.get(max(-1, min(1, item.direction)), BULLET)
    return BULLET
