"""Who a console command is for: the console person and a translator for them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import Translator, choose_locale, get_translator
from bot.services.console_identity import console_person

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.storage.models import Person


async def person_and_translator(
    runtime: Runtime, user: str, lang: str | None, now: datetime
) -> tuple[Person, Translator]:
    """The console person and a translator in their language and time zone."""
    person = await console_person(runtime.uow_factory, user, lang, now)
    settings = runtime.settings
    t = get_translator(
        choose_locale(lang or person.locale, None, settings.default_locale),
        person.timezone or settings.timezone,
        settings.locales_dir,
    )
    return person, t
