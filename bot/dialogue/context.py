"""What the engine needs from the outside world for one call: translator, today, settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.dialogue.material import Material
from bot.dialogue.translation import Translator


@dataclass(frozen=True)
class StepContext:
    """Per-call context: the person's translator, today's date in their zone, care threshold,
    the phrasing indexes used in their previous run of the dialogue, and (when a run starts)
    the person's material; a running run keeps its material in its state."""

    translator: Translator
    today: date
    care_threshold: int = 2
    last_phrasings: Mapping[str, int] = field(default_factory=dict)
    material: Material | None = None
    # Who reads what is shared from this run: "coach" in individual coaching, "facilitator"
    # in a Backstage group (screens name the right one).
    reader: str = "coach"
