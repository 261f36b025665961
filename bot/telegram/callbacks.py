"""Compact callback_data for inline buttons (Telegram allows at most 64 bytes).

Dialogue buttons: `d:<run id>:<step>:<action>[.<argument>]`; `<step>` is the engine cursor the
button belongs to (`@` for the recap) so a stale button is recognised. Actions: `c.<value>`
choose; `t1.<value>`/`t0.<value>` multi option wanted on/off (`#<position>` replaces a value that
is too long); `s` done/continue; `b` back; `k` skip; `p` pause; `r` resume; `x` cancel; `ok`
save the recap; `e.<n>` edit recap item n; `v1`/`v0` only-for-me on/off (`.<n>` at the recap).
Everything else is `<family>:<name>:<argument>`: `o` onboarding, `m` menus, `cm` commitments,
`h` history, `st` settings, `del` erasure, `sm` coach summaries, `rl` relations (join, leave,
end, remove a coach). State lives in the database,
never in callback data, so buttons keep working after a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64
RECAP_STEP = "@recap"
# Row ids are 32-bit integers in PostgreSQL: a larger number names no row (and must not reach a
# query, where it overflows). Only ASCII digits: "²".isdigit() is true but int("²") fails.
MAX_ROW_ID = 2**31 - 1
_ROW_ID = re.compile(r"[0-9]{1,10}")


def parse_id(text: str) -> int | None:
    """A row id written as plain digits, or None when it is not one or names no possible row."""
    if not _ROW_ID.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ROW_ID else None


@dataclass(frozen=True)
class DialogueButton:
    """A decoded dialogue button."""

    run_id: int
    step: str  # the engine cursor the button belongs to ("@recap" at the recap)
    action: str
    argument: str = ""


def dialogue_data(run_id: int, step: str | None, action: str, argument: str = "") -> str:
    """Encode a dialogue button; raises ValueError if it does not fit in 64 bytes."""
    step_part = "@" if step in (None, RECAP_STEP) else step
    data = f"d:{run_id}:{step_part}:{action}"
    if argument:
        data += f".{argument}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_dialogue(data: str) -> DialogueButton | None:
    """Decode a dialogue button, or None for anything malformed."""
    parts = data.split(":", 3)
    run_id = parse_id(parts[1]) if len(parts) == 4 and parts[0] == "d" else None
    if run_id is None:
        return None
    action, _, argument = parts[3].partition(".")
    step = RECAP_STEP if parts[2] == "@" else parts[2]
    return DialogueButton(run_id, step, action, argument)


def menu_data(family: str, name: str, argument: str = "") -> str:
    """Encode a non-dialogue button such as `o:lang:sv` or `m:reflect:nulage`."""
    data = f"{family}:{name}:{argument}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_menu(data: str) -> tuple[str, str, str] | None:
    """Decode `family:name:argument`, or None."""
    parts = data.split(":", 2)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]
