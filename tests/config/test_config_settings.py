"""Settings read from the environment: names, types, limits and one-line errors."""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees only the variables it sets."""
    for name in list(os.environ):
        if name.upper().startswith(("HEMMAPLAN_", "TELEGRAM_")):
            monkeypatch.delenv(name)


def test_variables_are_read_and_parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEMMAPLAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HEMMAPLAN_CARE_THRESHOLD", " 4 ")
    monkeypatch.setenv("HEMMAPLAN_SEND_RATE", "12.5")
    monkeypatch.setenv("HEMMAPLAN_CHECKIN_TIME", "08:30")
    monkeypatch.setenv("HEMMAPLAN_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    settings = load_settings()
    assert settings.data_dir == tmp_path
    assert settings.care_threshold == 4
    assert settings.send_rate == 12.5
    assert settings.checkin_time == time(8, 30)
    assert settings.default_locale == "en"
    assert settings.telegram_bot_token == "1:abc"


def test_unset_variables_keep_their_defaults() -> None:
    settings = Settings()
    assert (settings.care_threshold, settings.send_rate, settings.timezone) == (
        2,
        29.0,
        "Europe/Stockholm",
    )
    assert settings.data_dir == Path.home() / ".local" / "share" / "hemmaplan"


def test_names_match_in_any_case_and_the_token_has_no_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("hemmaplan_care_threshold", "5")
    monkeypatch.setenv("HEMMAPLAN_TELEGRAM_BOT_TOKEN", "ignored")
    settings = Settings()
    assert settings.care_threshold == 5
    assert settings.telegram_bot_token == ""


def test_arguments_take_precedence_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HEMMAPLAN_CARE_THRESHOLD", "5")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "from-env")
    settings = Settings(care_threshold=7, TELEGRAM_BOT_TOKEN="given", data_dir=str(tmp_path))
    assert (settings.care_threshold, settings.telegram_bot_token) == (7, "given")
    assert settings.data_dir == tmp_path
    assert Settings(delivery_interval=3600).delivery_interval == 3600.0


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HEMMAPLAN_CARE_THRESHOLD", "11", "must be from 0 to 10 (got 11)"),
        ("HEMMAPLAN_CARE_THRESHOLD", "x", "must be a whole number (got 'x')"),
        ("HEMMAPLAN_CARE_THRESHOLD", "2.5", "must be a whole number"),
        ("HEMMAPLAN_SEND_RATE", "0", "must be more than 0 and at most 1000 (got 0)"),
        ("HEMMAPLAN_SEND_RATE", "nan", "must be more than 0 and at most 1000"),
        ("HEMMAPLAN_QUIET_START", "late", "must be a time of day such as 09:00"),
        ("HEMMAPLAN_TIMEZONE", "Mars/Base", "not a time zone in the tz database"),
        ("HEMMAPLAN_DEFAULT_LOCALE", "de", "must be one of sv, en"),
        ("HEMMAPLAN_DATABASE_URL", "mysql://x", "must start with sqlite+aiosqlite://"),
        ("HEMMAPLAN_ADMIN_IDS", "1, x", "'x' is not a Telegram user id (a number)"),
    ],
)
def test_an_invalid_value_is_one_line_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"{variable}: {message}")
    assert "\n" not in str(raised.value)


def test_a_whole_number_written_with_a_decimal_point_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEMMAPLAN_CARE_THRESHOLD", "3.0")
    assert load_settings().care_threshold == 3


def test_settings_that_contradict_each_other_are_named_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEMMAPLAN_GROUP_MIN_SIZE", "9")
    with pytest.raises(SettingsError, match=r"^HEMMAPLAN_GROUP_MIN_SIZE \(9\) is larger than "):
        load_settings()
    with pytest.raises(SettingsError, match=r"^HEMMAPLAN_CHECKIN_TIME: 22:00 is inside"):
        Settings(group_min_size=4, checkin_time=time(22, 0))


def test_secrets_stay_out_of_the_repr_and_unknown_arguments_are_refused() -> None:
    settings = Settings(secret_key="s3cret", TELEGRAM_BOT_TOKEN="1:t0ken", webhook_secret="w3bh00k")
    assert not [secret for secret in ("s3cret", "t0ken", "w3bh00k") if secret in repr(settings)]
    with pytest.raises(TypeError, match="care_treshold"):
        Settings(care_treshold=3)
    with pytest.raises(AttributeError):
        settings.care_threshold = 3  # type: ignore[misc]
