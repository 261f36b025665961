"""`hemmaplan summary`: a coach's pre-meeting summary of a client, as text or an A4 PDF."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.i18n import Translator, choose_locale, get_translator
from bot.runtime import Runtime
from bot.services.lookup import find_people
from bot.services.people import PersonInfo
from bot.services.summaries import Channel, NotAllowed
from bot.summary.model import SummaryStatus

Echo = Callable[[str], None]


def _name(person: PersonInfo) -> str:
    return person.display_name or f"#{person.id}"


async def _one(runtime: Runtime, query: str, t: Translator, echo: Echo) -> PersonInfo | None:
    """The single person `query` names, or None after saying why not."""
    found = await find_people(runtime.uow_factory, query, runtime.settings.admin_telegram_ids)
    if not found:
        echo(t.gettext("Nobody called {name} was found.").format(name=query))
        return None
    if len(found) > 1:
        names = ", ".join(f"#{p.id} {_name(p)}" for p in found)
        echo(
            t.gettext("{name} fits several people: {names}. Use the number.").format(
                name=query, names=names
            )
        )
        return None
    return found[0]


async def _reader(
    runtime: Runtime, client: PersonInfo, coach_query: str | None, t: Translator, echo: Echo
) -> PersonInfo | None:
    """The coach who reads: the one named, or the client's only coach."""
    if coach_query is not None:
        return await _one(runtime, coach_query, t, echo)
    coaches = await runtime.relations.coaches_of(client.id)
    if len(coaches) == 1:
        return coaches[0]
    if not coaches:
        echo(t.gettext("{name} works with no coach in Hemmaplan.").format(name=_name(client)))
    else:
        names = ", ".join(f"#{c.id} {_name(c)}" for c in coaches)
        echo(
            t.gettext("{name} works with several coaches ({names}); choose one with --coach.")
            .format(name=_name(client), names=names)
        )  # fmt: skip
    return None


def _nothing_shared(status: SummaryStatus, name: str, t: Translator) -> str:
    if status is SummaryStatus.DECLINED:
        return t.gettext(
            "{name} chose not to share a summary before the next meeting, and has shared none "
            "before."
        ).format(name=name)
    return t.gettext(
        "{name} has not approved a summary for the next meeting yet, and has shared none before."
    ).format(name=name)


async def show_summary(
    runtime: Runtime,
    client_query: str,
    coach_query: str | None,
    lang: str | None,
    out: Path | None,
    echo: Echo,
    now: datetime,
) -> int:
    """Prints the summary the client's coach gets (or writes it as a PDF); every view is
    recorded in the client's audit log like a view in Telegram."""
    settings = runtime.settings
    operator = get_translator(
        lang or settings.default_locale, settings.timezone, settings.locales_dir
    )
    client = await _one(runtime, client_query, operator, echo)
    if client is None:
        return 1
    coach = await _reader(runtime, client, coach_query, operator, echo)
    if coach is None:
        return 1
    # The reader's language and time zone, as the coach would get it in Telegram.
    t = get_translator(
        choose_locale(lang or coach.locale, None, settings.default_locale),
        coach.timezone or settings.timezone,
        settings.locales_dir,
    )
    channel = Channel.PDF if out is not None else Channel.CLI
    try:
        result = await runtime.summaries.coach_summary(coach.id, client.id, t, now, channel)
    except NotAllowed:
        echo(
            t.gettext("{coach} is not {client}'s coach, so there is no summary to show.").format(
                coach=_name(coach), client=_name(client)
            )
        )
        return 1
    if result.summary is None:
        echo(_nothing_shared(result.status, result.client_name, t))
        return 1
    if out is None:
        from bot.summary.text import render_text

        echo(render_text(result.summary).rstrip("\n"))
        return 0
    from bot.summary.pdf import render_pdf

    pdf = await asyncio.to_thread(render_pdf, result.summary)
    try:
        await asyncio.to_thread(out.write_bytes, pdf)
    except OSError as exc:
        echo(t.gettext("Could not write {path}: {reason}").format(path=out, reason=exc.strerror))
        return 1
    echo(
        t.gettext("Wrote {client}'s summary for {coach} to {path}.").format(
            client=result.client_name, coach=_name(coach), path=out
        )
    )
    return 0
