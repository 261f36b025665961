"""Settings from the environment (`HEMMAPLAN_*`, `TELEGRAM_BOT_TOKEN`); nothing runs at import.

Plain dataclasses rather than pydantic-settings: importing pydantic cost `hemmaplan chat` more
than its whole first query, and these few flat fields need no more than the parsing below.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.locale_codes import SUPPORTED_LOCALES as SUPPORTED_LOCALES  # re-exported
from bot.scheduling.localtime import TimingDefaults, checkin_time_problem
from bot.scheduling.offsets import PromptOffsets

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
TELEGRAM_API_URL = "https://api.telegram.org/bot"
# What Telegram accepts as a webhook's secret_token (setWebhook).
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

T = TypeVar("T")


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming the variable."""


def shipped_dir(folder: str) -> Path:
    """Where the shipped `dialogues` or `locales` are: in the package, else the repository's."""
    # A built wheel carries them in bot/_data/ (setup.py); a source checkout or an editable
    # install has no copy and reads the top-level folders of the repository.
    packaged = PACKAGE_DIR / "_data" / folder
    return packaged if packaged.is_dir() else PROJECT_ROOT / folder


DEFAULT_DIALOGUES_DIR = shipped_dir("dialogues")
DEFAULT_LOCALES_DIR = shipped_dir("locales")


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "hemmaplan"


def _locale_supported(value: str) -> None:
    if value not in SUPPORTED_LOCALES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")


def _timezone_known(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("not a time zone in the tz database (e.g. Europe/Stockholm)") from None


def _database_url_supported(value: str) -> None:
    if value and not value.startswith(("sqlite", "postgresql")):
        raise ValueError("must start with sqlite+aiosqlite:// or postgresql+psycopg://")


def _webhook_secret_allowed(value: str) -> None:
    if value and not _WEBHOOK_SECRET.fullmatch(value):
        # The value itself stays out of the message: it is a secret.
        raise ValueError(
            "Telegram accepts 1 to 256 characters of A-Z, a-z, 0-9, _ and - "
            f"(got {len(value)} characters)"
        )


def _admin_ids_numeric(value: str) -> None:
    for part in value.replace(";", ",").split(","):
        if part.strip() and not part.strip().lstrip("-").isdigit():
            raise ValueError(f"{part.strip()!r} is not a Telegram user id (a number)")


def _setting(
    default: T,
    *,
    env: str | None = None,
    check: Callable[[Any], None] | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    shown: bool = True,
) -> T:
    """A field with its environment variable (default `HEMMAPLAN_<NAME>`), limits and check;
    `shown=False` keeps a secret out of the settings' repr."""
    metadata = {"env": env, "check": check, "ge": ge, "gt": gt, "le": le}
    return field(default=default, metadata=metadata, repr=shown)


@dataclass(frozen=True, init=False)
class Settings:
    """All configuration, validated once at start-up.

    `Settings()` reads the environment; keyword arguments (by field name, or the variable's
    name for TELEGRAM_BOT_TOKEN) take precedence over it. Invalid values raise SettingsError.
    """

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str = _setting("", check=_database_url_supported)
    default_locale: str = _setting("sv", check=_locale_supported)
    timezone: str = _setting("Europe/Stockholm", check=_timezone_known)
    secret_key: str = _setting("", shown=False)
    dialogues_dir: Path = DEFAULT_DIALOGUES_DIR
    locales_dir: Path = DEFAULT_LOCALES_DIR
    # Scale answers at or below this value on steps marked `care` show where to get help.
    care_threshold: int = _setting(2, ge=0, le=10)
    # Telegram
    telegram_bot_token: str = _setting("", env="TELEGRAM_BOT_TOKEN", shown=False)
    bot_api_url: str = TELEGRAM_API_URL
    bot_api_file_url: str = ""
    webhook_url: str = ""
    webhook_secret: str = _setting("", check=_webhook_secret_allowed, shown=False)
    listen: str = "127.0.0.1:8080"
    # Messages per second for the whole bot, replies and prompts together, across every process
    # on the database (Telegram allows about 30); prompts yield to replies.
    send_rate: float = _setting(29.0, gt=0, le=1000)
    # How often each process looks for due prompts (seconds).
    delivery_interval: float = _setting(10.0, ge=0.05, le=3600)
    # A typed message this soon after the answer before it (seconds) is the rest of that answer
    # sent in two parts, not an answer to a question its sender had no time to read; 0 = only
    # messages sent before the next question reached the chat are joined.
    join_window_seconds: float = _setting(2.0, ge=0, le=30)
    admin_ids: str = _setting("", check=_admin_ids_numeric)
    invite_ttl_hours: int = _setting(72, ge=1, le=24 * 90)
    # A person's check-in time and quiet hours until they choose their own in /settings:
    # planned prompts come at the check-in time (local), never inside quiet hours.
    checkin_time: time = time(9, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    # When prompts come (a coach's own offsets for their clients override these).
    after_meeting_days: int = _setting(1, ge=0, le=7)
    nudge_percent: int = _setting(50, ge=10, le=90)
    before_meeting_days: int = _setting(2, ge=0, le=14)
    # At most this many unsolicited prompts in any 7 days, unless a person has their own cap.
    weekly_prompt_cap: int = _setting(2, ge=1, le=14)
    # The coach's pre-meeting summary: the client gets a preview to approve this many hours
    # before the meeting, and the coach gets what was approved this many hours before it.
    summary_preview_hours: int = _setting(48, ge=1, le=24 * 14)
    summary_delivery_hours: int = _setting(24, ge=0, le=24 * 14)
    # Backstage groups: how many members a facilitator may plan a group for, how many days
    # before a meeting its case owner is asked to prepare, and when the other members get the
    # case owner's brief (if the owner agreed to share it).
    group_min_size: int = _setting(4, ge=2, le=12)
    group_max_size: int = _setting(8, ge=2, le=12)
    case_prep_days: int = _setting(5, ge=1, le=21)
    group_brief_days: int = _setting(2, ge=0, le=14)
    # Posts to a group's Telegram chat per minute (Telegram allows 20 in a group).
    group_chat_per_minute: int = _setting(20, ge=1, le=20)

    def __init__(self, **values: Any) -> None:
        # Variable names match whatever their case, as they did with pydantic-settings.
        environment = {name.lower(): value for name, value in os.environ.items()}
        for spec in fields(self):
            variable = _variable(spec)
            if spec.name in values:
                value = _parsed(spec, variable, values.pop(spec.name))
            elif spec.metadata.get("env") in values:
                # The token is also given by its variable's name (as pydantic's alias was).
                value = _parsed(spec, variable, values.pop(variable))
            elif variable.lower() in environment:
                value = _parsed(spec, variable, environment[variable.lower()])
            elif spec.default_factory is not MISSING:
                value = spec.default_factory()
            else:
                value = spec.default
            object.__setattr__(self, spec.name, value)
        if values:
            raise TypeError(f"unknown settings: {', '.join(sorted(values))}")
        self._check_combinations()

    def _check_combinations(self) -> None:
        """Checks across several settings; each message names its variables itself."""
        if self.group_min_size > self.group_max_size:
            raise SettingsError(
                f"HEMMAPLAN_GROUP_MIN_SIZE ({self.group_min_size}) is larger than "
                f"HEMMAPLAN_GROUP_MAX_SIZE ({self.group_max_size})"
            )
        if self.group_brief_days >= self.case_prep_days:
            raise SettingsError(
                f"HEMMAPLAN_GROUP_BRIEF_DAYS ({self.group_brief_days}) must be fewer than "
                f"HEMMAPLAN_CASE_PREP_DAYS ({self.case_prep_days}): the case is prepared "
                "before the brief goes out"
            )
        if self.summary_preview_hours <= self.summary_delivery_hours:
            raise SettingsError(
                f"HEMMAPLAN_SUMMARY_PREVIEW_HOURS ({self.summary_preview_hours}) must be more "
                f"than HEMMAPLAN_SUMMARY_DELIVERY_HOURS ({self.summary_delivery_hours}): the "
                "client approves the summary before it goes to the coach"
            )
        if checkin_time_problem(self.checkin_time, self.quiet_start, self.quiet_end):
            raise SettingsError(
                f"HEMMAPLAN_CHECKIN_TIME: {self.checkin_time:%H:%M} is inside the quiet hours "
                f"(HEMMAPLAN_QUIET_START {self.quiet_start:%H:%M} to HEMMAPLAN_QUIET_END "
                f"{self.quiet_end:%H:%M}), when nothing is sent"
            )

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to an SQLite file in the data directory."""
        if self.database_url:
            return _async_driver(self.database_url)
        return f"sqlite+aiosqlite:///{self.embedded_database_path}"

    @property
    def embedded_database_path(self) -> Path:
        """The SQLite file used when no database URL is given."""
        return self.data_dir / "hemmaplan.sqlite3"

    @property
    def uses_embedded_database(self) -> bool:
        """True when no database URL was given and the SQLite default is used."""
        return not self.database_url

    @property
    def admin_telegram_ids(self) -> frozenset[int]:
        """Telegram user ids that are admins from the start."""
        parts = self.admin_ids.replace(";", ",").split(",")
        return frozenset(int(p) for p in parts if p.strip())

    @property
    def timing_defaults(self) -> TimingDefaults:
        """Time zone, check-in time and quiet hours for people who chose none."""
        return TimingDefaults(self.timezone, self.checkin_time, self.quiet_start, self.quiet_end)

    @property
    def prompt_offsets(self) -> PromptOffsets:
        """The configured prompt offsets (before any coach's own)."""
        return PromptOffsets(
            after_meeting_days=self.after_meeting_days,
            nudge_percent=self.nudge_percent,
            before_meeting_days=self.before_meeting_days,
        )

    @property
    def tz(self) -> ZoneInfo:
        """The default time zone as a ZoneInfo."""
        return ZoneInfo(self.timezone)


def _async_driver(url: str) -> str:
    """Map plain driver names to the async drivers the bot uses."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _variable(spec: Field[Any]) -> str:
    """The environment variable of a Settings field."""
    return spec.metadata.get("env") or f"HEMMAPLAN_{spec.name.upper()}"


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value


def _path(value: object) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise ValueError("must be a path")
    return Path(value)


def _whole(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _text(value).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
        if number.is_integer():  # "3.0" too, as pydantic accepted it
            return int(number)
    except ValueError:
        pass
    raise ValueError(f"must be a whole number (got {value!r})")


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(_text(value).strip())
    except ValueError:
        raise ValueError(f"must be a number (got {value!r})") from None


def _clock(value: object) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(_text(value).strip())
    except ValueError:
        raise ValueError(f"must be a time of day such as 09:00 (got {value!r})") from None


# Annotations are strings here (`from __future__ import annotations`).
_PARSERS: dict[str, Callable[[object], Any]] = {
    "str": _text,
    "Path": _path,
    "int": _whole,
    "float": _number,
    "time": _clock,
}


def _parsed(spec: Field[Any], variable: str, raw: object) -> Any:
    """A given value (text from the environment, or a keyword argument) parsed and checked."""
    try:
        value = _PARSERS[str(spec.type)](raw)
        _within_limits(value, spec.metadata)
        check = spec.metadata.get("check")
        if check is not None:
            check(value)
    except ValueError as exc:
        raise SettingsError(f"{variable}: {exc}") from None
    return value


def _within_limits(value: Any, limits: Any) -> None:
    low, above, high = limits.get("ge"), limits.get("gt"), limits.get("le")
    # Written so that NaN fails every limit.
    if (
        (low is not None and not value >= low)
        or (above is not None and not value > above)
        or (high is not None and not value <= high)
    ):
        # Every limited setting has an upper limit and one lower one.
        lower = f"from {low:g} to" if low is not None else f"more than {above:g} and at most"
        raise ValueError(f"must be {lower} {high:g} (got {value:g})")


def load_settings() -> Settings:
    """Read and validate settings; raise SettingsError with one line naming the variable."""
    return Settings()
