"""A plain-text dump of a composed summary: what golden files hold and what tests search."""

from __future__ import annotations

from bot.summary.model import Summary


def summary_text(summary: Summary, *, details: bool = True) -> str:
    """Every text of the summary in reading order; details indented under their item."""
    lines = [f"# {summary.header.title}", *summary.header.lines]
    if summary.status_text:
        lines.append(f"[{summary.status_text}]")
    for section in summary.sections:
        if not section.items and section.empty_text is None:
            continue
        lines += ["", f"## {section.title}"]
        if not section.items and section.empty_text is not None:
            lines.append(section.empty_text)
        for item in section.items:
            mark = "! " if item.attention else "- "
            arrow = (
                {1: " ↑", -1: " ↓", 0: " →"}.get(item.direction, "")
                if item.direction is not None
                else ""
            )
            lines.append(f"{mark}{item.text}{arrow}   <{item.key}>")
            if details and item.detail:
                lines += [f"    {line}" for line in item.detail.splitlines()]
    for series in summary.trends:
        values = ", ".join(f"{p.value:g}" for p in series.points)
        lines.append(f"~ {series.key} [{series.low:g}–{series.high:g}]: {values}")
    return "\n".join(lines) + "\n"
