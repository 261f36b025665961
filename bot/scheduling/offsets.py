"""When prompts come relative to meetings and due dates: defaults, settings and a coach's own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# Allowed range of each offset; a coach's value outside it is ignored (the default applies).
LIMITS: dict[str, tuple[int, int]] = {
    "after_meeting_days": (0, 7),
    "nudge_percent": (10, 90),
    "before_meeting_days": (0, 14),
}


@dataclass(frozen=True)
class PromptOffsets:
    """Days after a meeting for *efter mötet*, where in the interval the nudge comes (percent),
    days before the next meeting for *inför mötet* (defaults from the domain brief)."""

    after_meeting_days: int = 1
    nudge_percent: int = 50
    before_meeting_days: int = 2

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> PromptOffsets:
        """These offsets with a coach's own values (`Person.prompt_offsets`) where valid."""
        if not overrides:
            return self
        changes: dict[str, int] = {}
        for field in fields(self):
            value = overrides.get(field.name)
            low, high = LIMITS[field.name]
            # bool is an int in Python; a stray true/false in JSON is not a number of days.
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                changes[field.name] = value
        return replace(self, **changes)
