"""The translator interface the engine needs; `bot.i18n.Translator` satisfies it."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class Translator(Protocol):
    """Translates engine messages and dialogue texts and formats dates for one person."""

    # A read-only property so a frozen dataclass attribute satisfies the protocol.
    @property
    def locale(self) -> str:
        """The locale code, e.g. "sv" or "en"."""
        ...

    def gettext(self, msgid: str, /) -> str:
        """Translate an engine message."""
        ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """Translate an engine message whose form depends on n."""
        ...

    def pgettext(self, context: str, msgid: str, /) -> str:
        """Translate a dialogue text; the context is the dialogue id."""
        ...

    def npgettext(self, context: str, singular: str, plural: str, n: int, /) -> str:
        """Translate a count-dependent text within a context."""
        ...

    def format_date(self, d: date, /) -> str:
        """Format a date for the locale (medium format)."""
        ...
