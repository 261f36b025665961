"""Admin rights follow HEMMAPLAN_ADMIN_IDS (defect 2 of issue 8: removing an id and restarting
left the person able to /invite_coach)."""

from __future__ import annotations

from pathlib import Path

from bot_harness import ADMIN_ID, Clock, link_token, make_settings, press, running_bot, say
from fakes.botapi import BotApiFake

from bot.dialogue.loader import DialogueCatalog
from bot.storage.db import Database
from bot.storage.uow import make_uow_factory


async def _role(database: Database, telegram_id: int) -> str | None:
    async with make_uow_factory(database)() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        return person.role if person is not None else None


async def test_removing_an_admin_id_and_restarting_revokes_admin_rights(
    fake: BotApiFake, database: Database, catalog: DialogueCatalog, clock: Clock, tmp_path: Path
) -> None:
    admin = fake.user(ADMIN_ID, first_name="Ada", language_code="en")
    listed = make_settings(fake, tmp_path, admin_ids=str(ADMIN_ID))
    async with running_bot(listed, database, catalog, fake, clock):
        await say(admin, "/start")
        await press(admin, "English")
        await press(admin, "Europe/Stockholm")
        await admin.press("✅ I agree")
        await admin.wait_for_reply()
        early_link = link_token(await say(admin, "/invite_coach"))
    assert await _role(database, ADMIN_ID) == "admin"
    assert any(c["command"] == "invite_coach" for c in fake.commands_for(admin))

    unlisted = make_settings(fake, tmp_path, admin_ids="")
    async with running_bot(unlisted, database, catalog, fake, clock):
        assert "for admins" in await say(admin, "/invite_coach")
        assert "for admins" in await say(admin, "/remove_coach")
        assert "/invite_coach" not in await say(admin, "/help")
        # A coach link handed out while they were admin no longer makes coaches.
        newcomer = fake.user(4242, language_code="en")
        assert "expired" in await say(newcomer, f"/start {early_link}")
    # No clients of their own, so nothing of a coach is left either; the menu says so too.
    assert await _role(database, ADMIN_ID) == "client"
    assert not any(c["command"] == "invite_coach" for c in fake.commands_for(admin))

    async with running_bot(listed, database, catalog, fake, clock):
        assert "https://t.me/" in await say(admin, "/invite_coach")
    assert await _role(database, ADMIN_ID) == "admin"
    assert any(c["command"] == "remove_coach" for c in fake.commands_for(admin))
    assert fake.errors == [], fake.describe_errors()
