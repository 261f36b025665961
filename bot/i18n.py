"""Translations and locale-aware formatting: a `Translator` per person, catalogs read from .po.

There is deliberately no process-global language: every handler asks `get_translator` for the
person's locale and time zone and passes the translator along.
"""

from __future__ import annotations

import gettext
import hashlib
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_LOCALES_DIR, SUPPORTED_LOCALES

if TYPE_CHECKING:
    from decimal import Decimal

# Babel is imported by the formatting methods that use it: a translator that only translates
# (the chat's menu, most replies) does not wait for it.

__all__ = [
    "DEFAULT_LOCALES_DIR",
    "DEFAULT_TIMEZONE",
    "N_",
    "SUPPORTED_LOCALES",
    "Translator",
    "catalog_path",
    "choose_locale",
    "clear_cache",
    "compiled_catalogs_dir",
    "get_translator",
    "normalize_locale",
]

# Formatting conventions per language: English users here are mostly in Sweden, and the date
# parser accepts day/month ("1/12"), so English uses British order rather than US month/day.
_FORMAT_LOCALES = {"en": "en_GB"}

# DEFAULT_LOCALES_DIR is the project default of Settings.locales_dir; callers holding Settings
# pass their own.
DEFAULT_TIMEZONE = "Europe/Stockholm"
DOMAIN = "messages"

# "short", "medium", "long", "full" or a CLDR pattern such as "d MMMM".
DateFormat = str


def N_(message: str) -> str:
    """Mark a module-level string for extraction without translating it (translate later)."""
    return message


def normalize_locale(code: str | None) -> str | None:
    """Map "sv-SE", "en_US", "SV" ... to a supported language code, or None if unsupported."""
    if not code:
        return None
    language = code.strip().replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    return language if language in SUPPORTED_LOCALES else None


def choose_locale(stored: str | None, telegram_code: str | None, default: str) -> str:
    """Pick the person's stored choice, else Telegram's language code, else the default."""
    for candidate in (stored, telegram_code, default):
        chosen = normalize_locale(candidate)
        if chosen is not None:
            return chosen
    return SUPPORTED_LOCALES[0]


def catalog_path(locale: str, locales_dir: Path | str = DEFAULT_LOCALES_DIR) -> Path:
    """Where the .po catalog of a locale lives."""
    return Path(locales_dir) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class Translator:
    """Translates and formats for one locale and time zone."""

    locale: str
    tz: ZoneInfo
    translations: gettext.NullTranslations = field(repr=False, compare=False)

    @property
    def format_locale(self) -> str:
        """The Babel locale used for dates and numbers (e.g. en_GB for "en")."""
        return _FORMAT_LOCALES.get(self.locale, self.locale)

    def gettext(self, msgid: str) -> str:
        """Translate a message."""
        return self.translations.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message whose form depends on the count n."""
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, msgid: str) -> str:
        """Translate a message within a context (dialogue texts use the dialogue id)."""
        return self.translations.pgettext(context, msgid)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        """Translate a count-dependent message within a context."""
        return self.translations.npgettext(context, singular, plural, n)

    def format_date(self, d: date, format: DateFormat = "medium") -> str:
        """Format a date in the locale (a datetime is first converted to the time zone)."""
        from babel.dates import format_date

        if isinstance(d, datetime):
            d = self.localize(d).date()
        return format_date(d, format=format, locale=self.format_locale)

    def format_datetime(self, dt: datetime, format: DateFormat = "medium") -> str:
        """Format a datetime in the locale, converted to the person's time zone."""
        from babel.dates import format_datetime

        return format_datetime(self.localize(dt), format=format, locale=self.format_locale)

    def format_when(self, dt: datetime) -> str:
        """A moment in the house style: the date as `format_date` writes every date, the clock
        time, and the time zone it is in (e.g. "8 dec. 2026 14:00 (Stockholm)")."""
        return f"{self.format_date(dt)} {self.format_time(dt, 'HH:mm')} ({self.zone_label})"

    @property
    def zone_label(self) -> str:
        """The person's time zone as a place ("Stockholm", "New York")."""
        key = getattr(self.tz, "key", None) or str(self.tz)
        return key.rsplit("/", 1)[-1].replace("_", " ")

    def format_time(self, dt: datetime, format: DateFormat = "short") -> str:
        """Format the clock time of a datetime in the person's time zone."""
        from babel.dates import format_time

        return format_time(self.localize(dt), format=format, locale=self.format_locale)

    def format_number(self, n: int | float | Decimal) -> str:
        """Format a number with the locale's separators."""
        from babel.numbers import format_decimal

        return format_decimal(n, locale=self.format_locale)

    def localize(self, dt: datetime) -> datetime:
        """Convert a datetime to the time zone; naive values are taken as UTC (storage is UTC)."""
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.astimezone(self.tz)


_lock = threading.Lock()
# (catalog path, file mtime) -> loaded translations; the mtime makes a re-synced catalog reload.
_cache: dict[tuple[Path, int], gettext.NullTranslations] = {}
# Catalog paths by (locale, catalogs folder): every update asks for a translator, and building
# the path costs more than the stat that follows it.
_paths: dict[tuple[str, str], Path] = {}


def compiled_catalogs_dir() -> Path:
    """Where compiled catalogs are kept between runs (the user's cache directory)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hemmaplan" / "catalogs"


def _compiled(locale: str, source: bytes) -> bytes:
    """The .mo form of a .po catalog's bytes, from the cache when this exact text was compiled
    before: parsing the .po costs more than the rest of a chat's start."""
    digest = hashlib.sha256(source).hexdigest()[:32]
    cached = compiled_catalogs_dir() / f"{locale}-{digest}.mo"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    # Imported here: Babel's catalog reader is only needed when the cache has no copy.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(BytesIO(source), locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    compiled = buffer.getvalue()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for stale in cached.parent.glob(f"{locale}-*.mo"):
            stale.unlink(missing_ok=True)
        # Written aside and renamed: a concurrent start never reads half a file.
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        partial.write_bytes(compiled)
        partial.replace(cached)
    except OSError:
        pass  # a read-only or missing cache directory only costs the parse next time
    return compiled


def _load(locale: str, locales_dir: Path | str) -> gettext.NullTranslations:
    """Read a .po catalog into gettext translations (fuzzy/empty entries fall back to English);
    a catalog rewritten on disk is read again."""
    where = (locale, str(locales_dir))
    path = _paths.get(where)
    if path is None:
        path = _paths.setdefault(where, catalog_path(locale, locales_dir))
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return gettext.NullTranslations()
    key = (path, mtime)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        translations = gettext.GNUTranslations(BytesIO(_compiled(locale, path.read_bytes())))
        for old in [k for k in _cache if k[0] == path]:
            del _cache[old]
        _cache[key] = translations
        return translations


def clear_cache() -> None:
    """Forget loaded catalogs (tests and tools that rewrite .po files)."""
    with _lock:
        _cache.clear()


def get_translator(
    locale: str,
    tz: str | ZoneInfo = DEFAULT_TIMEZONE,
    locales_dir: Path | str = DEFAULT_LOCALES_DIR,
) -> Translator:
    """Return a translator for a locale ("sv", "en-GB" ...) and zone; unknown locales get sv."""
    chosen = normalize_locale(locale) or SUPPORTED_LOCALES[0]
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return Translator(locale=chosen, tz=zone, translations=_load(chosen, locales_dir))
