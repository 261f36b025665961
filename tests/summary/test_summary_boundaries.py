"""The summary package composes and lays out; it never talks to Telegram or the database."""

from __future__ import annotations

import re
from pathlib import Path

import bot.summary

FORBIDDEN = re.compile(
    r"^\s*(from|import)\s+(telegram|sqlalchemy|bot\.storage|bot\.telegram)\b", re.M
)


def test_summary_sources_import_neither_telegram_nor_storage() -> None:
    package = Path(bot.summary.__file__).parent
    offenders = [p.name for p in package.glob("*.py") if FORBIDDEN.search(p.read_text("utf-8"))]
    assert offenders == []
