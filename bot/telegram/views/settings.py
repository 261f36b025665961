"""The /settings screen: language, time zone, check-in time, quiet hours and pausing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.people import PersonInfo
from bot.telegram.callbacks import menu_data
from bot.telegram.rendering import Rendered

CHECKIN_CHOICES = ("0730", "0900", "1200", "1700", "1930")
QUIET_CHOICES = ("2100-0800", "2200-0700", "2000-0900")


@dataclass(frozen=True)
class Timing:
    """A person's check-in time and quiet hours, their own or the defaults."""

    checkin: time
    quiet_start: time
    quiet_end: time


@dataclass(frozen=True)
class SettingsScreen:
    """What the settings screen shows beyond the person: defaults, choices and the date."""

    timing: Timing
    timezone: str
    today: date
    next_meeting: date | None
    languages: Sequence[tuple[str, str]]
    zones: Sequence[str]


def clock(value: time) -> str:
    """A time of day as HH:MM."""
    return value.strftime("%H:%M")


def pause_status(person: PersonInfo, t: Translator, today: date) -> str:
    """What the settings say about check-ins: on, paused until a date or until resumed."""
    if not person.paused or (person.pause_until is not None and person.pause_until <= today):
        return t.gettext("Check-ins: {value}").format(value=t.gettext("on"))
    if person.auto_paused_at is not None:
        return t.gettext(
            "Check-ins: paused by Hemmaplan on {date}, after check-ins went unanswered twice in "
            "a row. Nothing more is sent until you press ▶️ Resume check-ins."
        ).format(date=t.format_date(person.auto_paused_at))
    if person.pause_until is not None:
        return t.gettext("Check-ins: paused until {date}").format(
            date=t.format_date(person.pause_until)
        )
    return t.gettext("Check-ins: paused until you resume them")


def settings_view(
    person: PersonInfo, screen: SettingsScreen, t: Translator, notice: str | None = None
) -> Rendered:
    """The settings as text, a button row per setting, and a warning on top if one was refused."""
    timing, today, next_meeting = screen.timing, screen.today, screen.next_meeting
    language = dict(screen.languages).get(person.locale or "", person.locale or "–")
    lines = []
    if notice:
        lines += ["⚠️ " + escape(notice), ""]
    lines += [
        "<b>" + escape(t.gettext("Your settings")) + "</b>",
        escape(t.gettext("Language: {value}").format(value=language)),
        escape(t.gettext("Time zone: {value}").format(value=person.timezone or screen.timezone)),
        escape(t.gettext("Check-in time: {value}").format(value=clock(timing.checkin))),
        escape(
            t.gettext("Quiet hours: {start}–{end}").format(
                start=clock(timing.quiet_start), end=clock(timing.quiet_end)
            )
        ),
        escape(pause_status(person, t, today)),
        "",
        "<i>"
        + escape(
            t.gettext(
                "Check-ins come at your check-in time, never in your quiet hours. Another time "
                "zone or time: send /settings and its name or the time, e.g. /settings "
                "Europe/Oslo or /settings 08:15."
            )
        )
        + "</i>",
    ]

    def button(label: str, field: str, value: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=menu_data("st", field, value))

    paused = person.paused and (person.pause_until is None or person.pause_until > today)
    if paused:
        pause_rows = [[button("▶️ " + t.gettext("Resume check-ins"), "pause", "0")]]
    else:
        until_meeting = (
            [
                button(
                    "⏸ "
                    + t.gettext("Until the meeting {date}").format(
                        date=t.format_date(next_meeting)
                    ),
                    "pause",
                    "mt",
                )
            ]
            if next_meeting is not None and next_meeting > today
            else []
        )
        pause_rows = [
            [
                button("⏸ " + t.gettext("1 week"), "pause", "1w"),
                button("⏸ " + t.gettext("2 weeks"), "pause", "2w"),
            ],
            [*until_meeting, button("⏸ " + t.gettext("Until I resume"), "pause", "1")],
        ]
    zones = screen.zones
    rows = [
        [button(label, "lang", code) for code, label in screen.languages],
        [button(zone.split("/")[-1].replace("_", " "), "tz", zone) for zone in zones[:3]],
        [button(zone.split("/")[-1].replace("_", " "), "tz", zone) for zone in zones[3:]],
        [button("⏰ " + v[:2] + ":" + v[2:], "checkin", v) for v in CHECKIN_CHOICES],
        [button("🌙 " + v[:2] + "–" + v[5:7], "quiet", v) for v in QUIET_CHOICES],
        *pause_rows,
    ]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))


def unknown_timezone_view(t: Translator) -> Rendered:
    """The answer to `/settings <name>` when the name is no time zone."""
    return Rendered(
        escape(
            t.gettext(
                "I don't know that time zone. Use a name like Europe/Oslo or America/New_York."
            )
        )
    )
