"""`hemmaplan agenda`: the next meetings and planned prompts, in the person's time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.console.person import person_and_translator
from bot.i18n import Translator
from bot.runtime import Runtime

if TYPE_CHECKING:  # the chat imports describe_prompt: the scheduler's modules stay off its path
    from bot.services.schedule import AgendaPrompt

Echo = Callable[[str], None]


def describe_prompt(prompt: AgendaPrompt, t: Translator) -> str:
    """What a planned prompt is about, in one line."""
    if prompt.kind == "checkin" and prompt.commitment_text is not None:
        assert prompt.commitment_due is not None
        return t.gettext("Check-in on your commitment “{text}” (due {date})").format(
            text=prompt.commitment_text, date=t.format_date(prompt.commitment_due)
        )
    if prompt.meeting_starts_at is not None:
        meeting = t.format_date(prompt.meeting_starts_at)
        if prompt.kind == "before_meeting":
            return t.gettext("Prepare for the meeting on {date}").format(date=meeting)
        if prompt.kind == "after_meeting":
            return t.gettext("After the meeting on {date}: what you take with you").format(
                date=meeting
            )
        if prompt.kind == "nudge":
            return t.gettext("Halfway to the next meeting: a short reflection")
        if prompt.kind == "summary_preview":
            return t.gettext(
                "The summary for your coach before the meeting on {date}, to approve"
            ).format(date=meeting)
        if prompt.kind == "summary_delivery":
            return t.gettext("Your coach gets what you approved for the meeting on {date}").format(
                date=meeting
            )
    return t.gettext("A reminder ({kind})").format(kind=prompt.kind)


async def show_agenda(
    runtime: Runtime, user: str, lang: str | None, echo: Echo, now: datetime
) -> int:
    """Prints the person's next meetings and planned prompts (re-planned first)."""
    person, t = await person_and_translator(runtime, user, lang, now)
    schedule, person_id = runtime.schedule, person.id
    # Without a running bot nobody re-plans: do it now, so that what is shown is current.
    await schedule.replan(person_id, now)
    agenda = await schedule.agenda(person_id, now)
    if agenda is None:
        return 1
    echo(t.gettext("Times are in {zone}.").format(zone=agenda.timezone))
    echo("")
    echo(t.gettext("Next meetings"))
    if not agenda.meetings:
        echo("  " + t.gettext("No meeting booked."))
    for meeting in agenda.meetings:
        echo(
            "  • "
            + t.gettext("{when}, {minutes} min").format(
                when=t.format_when(meeting.starts_at), minutes=meeting.duration_minutes
            )
        )
    echo("")
    echo(t.gettext("Planned check-ins"))
    if not agenda.prompts:
        echo("  " + t.gettext("Nothing planned."))
    for prompt in agenda.prompts:
        when = t.format_when(prompt.due_at)
        echo(f"  • {when} — {describe_prompt(prompt, t)}")
    return 0
