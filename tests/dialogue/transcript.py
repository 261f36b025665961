"""Run a dialogue as a transcript in a test: (what the person sends, what the screen must show).

`run_transcript(dialogue, [(None, ["opening text"]), ("7", ["next question"]), ("/done",
["Saved"])])` plays through bot.dialogue.transcripts.play (the player of the transcript files
beside the dialogues): text inputs go through the console parser (`/back`, `/skip`, `/edit 2`
...), engine `Input` values are used as they are; expected strings must all occur in the screen
rendered as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.dialogue.material import Material
from bot.dialogue.model import Dialogue
from bot.dialogue.transcripts import STANDARD_MATERIAL, Played, Turn, play
from bot.dialogue.translation import Translator

TODAY = date(2026, 3, 10)  # a Tuesday
# What a service would load for a run: the commitment checked in on, the open ones, the meeting.
MATERIAL = STANDARD_MATERIAL

__all__ = ["MATERIAL", "TODAY", "PlainTranslator", "Turn", "run_transcript"]


class PlainTranslator:
    """A translator that returns the English source texts and ISO dates (for tests)."""

    locale = "en"

    def gettext(self, msgid: str) -> str:
        return msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def pgettext(self, context: str, msgid: str) -> str:
        return msgid

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def format_date(self, d: date) -> str:
        return d.isoformat()


def run_transcript(
    dialogue: Dialogue,
    turns: Sequence[Turn],
    *,
    translator: Translator | None = None,
    today: date = TODAY,
    care_threshold: int = 2,
    last_phrasings: Mapping[str, int] | None = None,
    material: Material | None = None,
) -> Played:
    """Start the dialogue and play the turns; a turn with input None checks the current screen.

    `material` is what a service would load for the run (the commitment checked in on, ...).
    """
    return play(
        dialogue,
        turns,
        translator if translator is not None else PlainTranslator(),
        today=today,
        care_threshold=care_threshold,
        last_phrasings=last_phrasings,
        material=material,
    )
