"""Settings from the environment (`HEMMAPLAN_*`, `TELEGRAM_BOT_TOKEN`); nothing runs at import."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.locale_codes import SUPPORTED_LOCALES as SUPPORTED_LOCALES  # re-exported
from bot.scheduling.localtime import TimingDefaults, checkin_time_problem
from bot.scheduling.offsets import PromptOffsets

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
TELEGRAM_API_URL = "https://api.telegram.org/bot"
# What Telegram accepts as a webhook's secret_token (setWebhook).
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming the variable."""


def shipped_dir(folder: str) -> Path:
    """Where the shipped `dialogues` or `locales` are: in the package, else the repository's."""
    # A built wheel carries them in bot/_data/ (setup.py); a source checkout or an editable
    # install has no copy and reads the top-level folders of the repository.
    packaged = PACKAGE_DIR / "_data" / folder
    return packaged if packaged.is_dir() else PROJECT_ROOT / folder


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "hemmaplan"


class Settings(BaseSettings):
    """All configuration, validated once at start-up."""

    model_config = SettingsConfigDict(env_prefix="HEMMAPLAN_", extra="ignore", frozen=True)

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str = ""
    default_locale: str = "sv"
    timezone: str = "Europe/Stockholm"
    secret_key: str = ""
    dialogues_dir: Path = shipped_dir("dialogues")
    locales_dir: Path = shipped_dir("locales")
    # Scale answers at or below this value on steps marked `care` show where to get help.
    care_threshold: int = Field(default=2, ge=0, le=10)
    # Telegram
    telegram_bot_token: str = Field(default="", validation_alias="TELEGRAM_BOT_TOKEN")
    bot_api_url: str = TELEGRAM_API_URL
    bot_api_file_url: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    listen: str = "127.0.0.1:8080"
    # Messages per second for the whole bot, replies and prompts together, across every process
    # on the database (Telegram allows about 30); prompts yield to replies.
    send_rate: float = Field(default=29.0, gt=0, le=1000)
    # How often each process looks for due prompts (seconds).
    delivery_interval: float = Field(default=10.0, ge=0.05, le=3600)
    # A typed message this soon after the answer before it (seconds) is the rest of that answer
    # sent in two parts, not an answer to a question its sender had no time to read; 0 = only
    # messages sent before the next question reached the chat are joined.
    join_window_seconds: float = Field(default=2.0, ge=0, le=30)
    admin_ids: str = ""
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 90)
    # A person's check-in time and quiet hours until they choose their own in /settings:
    # planned prompts come at the check-in time (local), never inside quiet hours.
    checkin_time: time = time(9, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    # When prompts come (a coach's own offsets for their clients override these).
    after_meeting_days: int = Field(default=1, ge=0, le=7)
    nudge_percent: int = Field(default=50, ge=10, le=90)
    before_meeting_days: int = Field(default=2, ge=0, le=14)
    # At most this many unsolicited prompts in any 7 days, unless a person has their own cap.
    weekly_prompt_cap: int = Field(default=2, ge=1, le=14)
    # The coach's pre-meeting summary: the client gets a preview to approve this many hours
    # before the meeting, and the coach gets what was approved this many hours before it.
    summary_preview_hours: int = Field(default=48, ge=1, le=24 * 14)
    summary_delivery_hours: int = Field(default=24, ge=0, le=24 * 14)
    # Backstage groups: how many members a facilitator may plan a group for, how many days
    # before a meeting its case owner is asked to prepare, and when the other members get the
    # case owner's brief (if the owner agreed to share it).
    group_min_size: int = Field(default=4, ge=2, le=12)
    group_max_size: int = Field(default=8, ge=2, le=12)
    case_prep_days: int = Field(default=5, ge=1, le=21)
    group_brief_days: int = Field(default=2, ge=0, le=14)
    # Posts to a group's Telegram chat per minute (Telegram allows 20 in a group).
    group_chat_per_minute: int = Field(default=20, ge=1, le=20)

    @field_validator("default_locale")
    @classmethod
    def _locale_supported(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @model_validator(mode="after")
    def _group_sizes_ordered(self) -> Settings:
        if self.group_min_size > self.group_max_size:
            raise ValueError(
                f"HEMMAPLAN_GROUP_MIN_SIZE ({self.group_min_size}) is larger than "
                f"HEMMAPLAN_GROUP_MAX_SIZE ({self.group_max_size})"
            )
        if self.group_brief_days >= self.case_prep_days:
            raise ValueError(
                f"HEMMAPLAN_GROUP_BRIEF_DAYS ({self.group_brief_days}) must be fewer than "
                f"HEMMAPLAN_CASE_PREP_DAYS ({self.case_prep_days}): the case is prepared "
                "before the brief goes out"
            )
        return self

    @field_validator("timezone")
    @classmethod
    def _timezone_known(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError("not a time zone in the tz database (e.g. Europe/Stockholm)") from None
        return value

    @model_validator(mode="after")
    def _preview_before_delivery(self) -> Settings:
        if self.summary_preview_hours <= self.summary_delivery_hours:
            raise ValueError(
                f"HEMMAPLAN_SUMMARY_PREVIEW_HOURS ({self.summary_preview_hours}) must be more "
                f"than HEMMAPLAN_SUMMARY_DELIVERY_HOURS ({self.summary_delivery_hours}): the "
                "client approves the summary before it goes to the coach"
            )
        return self

    @model_validator(mode="after")
    def _checkin_outside_quiet_hours(self) -> Settings:
        if checkin_time_problem(self.checkin_time, self.quiet_start, self.quiet_end):
            raise ValueError(
                f"HEMMAPLAN_CHECKIN_TIME: {self.checkin_time:%H:%M} is inside the quiet hours "
                f"(HEMMAPLAN_QUIET_START {self.quiet_start:%H:%M} to HEMMAPLAN_QUIET_END "
                f"{self.quiet_end:%H:%M}), when nothing is sent"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _database_url_supported(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+psycopg://")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_allowed(cls, value: str) -> str:
        if value and not _WEBHOOK_SECRET.fullmatch(value):
            raise ValueError(
                "Telegram accepts 1 to 256 characters of A-Z, a-z, 0-9, _ and - "
                f"(got {len(value)} characters)"
            )
        return value

    @field_validator("admin_ids")
    @classmethod
    def _admin_ids_numeric(cls, value: str) -> str:
        for part in value.replace(";", ",").split(","):
            if part.strip() and not part.strip().lstrip("-").isdigit():
                raise ValueError(f"{part.strip()!r} is not a Telegram user id (a number)")
        return value

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


_FIELD_TO_ENV = {"telegram_bot_token": "TELEGRAM_BOT_TOKEN"}


def load_settings() -> Settings:
    """Read and validate settings; raise SettingsError with one line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        if not error["loc"]:
            # A check across several settings names its variables itself.
            raise SettingsError(message) from None
        field = str(error["loc"][0])
        variable = _FIELD_TO_ENV.get(field, f"HEMMAPLAN_{field.upper()}")
        raise SettingsError(f"{variable}: {message}") from None
