"""What the engine needs from the outside world for one call: translator, today, settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.dialogue.translation import Translator


@dataclass(frozen=True)
class StepContext:
    """Per-call context: the person's translator, today's date in their zone, care threshold,
    and the phrasing indexes used in their previous run of the dialogue."""

    translator: Translator
    today: date
    care_threshold: int = 2
    last_phrasings: Mapping[str, int] = field(default_factory=dict)
