"""Words for the planner's refusals, through the catalogs (transports show them)."""

from __future__ import annotations

from datetime import time

from bot.i18n import Translator
from bot.scheduling.localtime import CHECKIN_IN_QUIET_HOURS


def clock(at: time) -> str:
    """A wall-clock time as people write it in Sweden and the UK (24 h, 08:30)."""
    return at.strftime("%H:%M")


def checkin_problem_text(
    key: str, t: Translator, checkin: time, quiet_start: time, quiet_end: time
) -> str:
    """Explain a `checkin_time_problem` key to the person, in their language."""
    if key == CHECKIN_IN_QUIET_HOURS:
        return t.gettext(
            "{time} is inside your quiet hours ({start}–{end}), when nothing is sent. "
            "Choose a check-in time outside them, or change the quiet hours first."
        ).format(time=clock(checkin), start=clock(quiet_start), end=clock(quiet_end))
    raise ValueError(f"unknown check-in time problem {key!r}")
