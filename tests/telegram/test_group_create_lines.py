"""Creating a group is one typed /group line: a coach who types /group alone (or /group ny) is
shown how, with an example, in their language; every malformed line gets an answer that says
what is wrong and gives the line back to copy and correct."""

from __future__ import annotations

from typing import Any

from bot_harness import Clock, register, say
from fakes.botapi import BotApiFake

from bot.storage.db import Database

COACH = 4201


async def test_a_coach_is_shown_how_and_gets_every_malformed_line_back(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, COACH, role="coach", name="Cecilia", locale="sv")
    coach = fake.user(COACH, first_name="Cecilia", language_code="sv")

    first = await say(coach, "/group")
    assert "Skapa en Backstagegrupp genom att skriva /group" in first, first
    assert "Till exempel:\n/group " in first

    too_few = await say(coach, "/group Norr | 6 | 3 dec 13:00")
    assert "Jag hittade bara 3 delar åtskilda med |" in too_few, too_few
    assert "Din rad, att kopiera och rätta:\n/group Norr | 6 | 3 dec 13:00" in too_few

    too_many = await say(coach, "/group Norr | 6 | 3 dec 13:00 | 5 | tis | rum Ek")
    assert "Jag hittade 6 delar åtskilda med |" in too_many, too_many
    assert "/group Norr | 6 | 3 dec 13:00 | 5 | tis | rum Ek" in too_many

    size = await say(coach, "/group Norr | sex | 3 dec 13:00 | 5 | tis")
    assert "Antalet deltagare ska vara ett heltal" in size
    assert "/group Norr | sex | 3 dec 13:00 | 5 | tis" in size

    passed = await say(coach, "/group Norr | 6 | 2026-11-01 13:00 | 5 | tis")
    assert "Den tiden har redan passerat" in passed, passed
    assert "Din rad, att kopiera och rätta:\n/group Norr | 6 | 2026-11-01 13:00 | 5 | tis" in passed

    # HTML in a line is shown as typed, not interpreted.
    tagged = await say(coach, "/group <b>Norr</b> | x | y | z")
    assert "/group <b>Norr</b> | x | y | z" in tagged, tagged

    created = await say(coach, "/group Norr | 6 | 3 dec 13:00 | 5 | tisdagar, rum Ek")
    assert "Gruppen är skapad" in created, created
    # The plan runs into next year, and says so.
    assert "0. tors 3 dec. 2026 13:00 · Uppstart" in created, created
    assert "1. tors 7 jan. 2027 13:00" in created
    # With a group, /group shows it, and says how to create another.
    shown = await say(coach, "/group")
    assert "/group ny" in shown, shown
    how = await say(coach, "/group ny")
    assert "Skapa en Backstagegrupp genom att skriva /group" in how, how
    assert "Jag hittade" not in how
    assert fake.errors == [], fake.describe_errors()


async def test_a_malformed_move_says_which_part_is_wrong_and_gives_the_line_back(
    bot: Any, fake: BotApiFake, database: Database, clock: Clock
) -> None:
    await register(database, COACH, role="coach", name="Cecilia", locale="sv")
    coach = fake.user(COACH, first_name="Cecilia", language_code="sv")
    await say(coach, "/group Norr | 6 | 3 dec 13:00 | 5 | tisdagar")

    alone = await say(coach, "/group_move")
    assert alone.startswith("Skriv /group_move, gruppens nummer"), alone
    group = await say(coach, "/group_move Norr 3 12 mar 13:00")
    assert "”Norr” är inget gruppnummer." in group, group
    assert "Din rad, att kopiera och rätta:\n/group_move Norr 3 12 mar 13:00" in group
    meeting = await say(coach, "/group_move 1 tre 12 mar 13:00")
    assert "”tre” är inget träffnummer" in meeting, meeting
    when = await say(coach, "/group_move 1 3 nästa vecka")
    assert "Jag kunde inte läsa ”nästa vecka” som datum och tid" in when, when
    assert "/group_move 1 3 nästa vecka" in when
    assert fake.errors == [], fake.describe_errors()
