"""`hemmaplan seed-demo`: create or remove the demo coach and client, and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.demo.seed import DEMO_CLIENT, DemoSeeder, SeedOutcome
from bot.demo.term import CLIENT_NAME, COACH_NAME
from bot.i18n import choose_locale, get_translator
from bot.runtime import Runtime

Echo = Callable[[str], None]


async def seed_demo(
    runtime: Runtime, lang: str | None, remove: bool, echo: Echo, now: datetime
) -> int:
    """Writes one term of demo history (or removes all demo data) and tells the operator."""
    settings = runtime.settings
    locale = choose_locale(lang, None, settings.default_locale)
    t = get_translator(locale, settings.timezone, settings.locales_dir)
    seeder = DemoSeeder(runtime)
    if remove:
        if await seeder.remove() == 0:
            echo(t.gettext("There is no demo data to remove."))
        else:
            echo(t.gettext("Removed the demo coach and client and everything about them."))
        return 0
    result = await seeder.seed(locale, now)
    if result.outcome is SeedOutcome.TAKEN:
        echo(
            t.gettext(
                "A console user called {name} exists and is not demo data, so nothing was written."
            ).format(name=DEMO_CLIENT)
        )
        return 1
    if result.outcome is SeedOutcome.EXISTS:
        echo(t.gettext("The demo data is already there. To start over, first run:"))
        echo("  hemmaplan seed-demo --remove")
        return 1
    echo(
        t.gettext(
            "Created the demo coach {coach} and the demo client {client}: one term with "
            "{reflections} reflections and {meetings} meetings, the next one in a few days."
        ).format(
            coach=COACH_NAME,
            client=CLIENT_NAME,
            reflections=result.reflections,
            meetings=result.meetings,
        )
    )
    echo(t.gettext("See what the coach gets before the next meeting:"))
    echo("  hemmaplan summary --client demo --out demo.pdf")
    echo(t.gettext("Chat as the demo client:"))
    echo("  hemmaplan chat --user demo")
    echo(t.gettext("Remove all demo data (and nothing else):"))
    echo("  hemmaplan seed-demo --remove")
    return 0
