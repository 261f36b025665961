"""`hemmaplan history` and `hemmaplan edit`: past reflections, commitments and trends as text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.console.person import person_and_translator
from bot.i18n import Translator
from bot.runtime import Runtime
from bot.services.commitments import check_result_label
from bot.services.history import EditError, RunDetail, Trend

Echo = Callable[[str], None]

ARROWS = {1: "↑", -1: "↓", 0: "→"}


def _status_text(status: str, t: Translator) -> str:
    labels = {
        "active": t.gettext("in progress"),
        "paused": t.gettext("paused"),
        "finished": t.gettext("finished"),
        "cancelled": t.gettext("cancelled"),
    }
    return labels.get(status, status)


def _visibility_text(visibility: str, t: Translator, context: str = "coaching") -> str:
    labels = {
        "private": t.gettext("only for me"),
        # In a Backstage group the reader of shared answers is the facilitator.
        "coach": t.gettext("shared with the facilitator")
        if context == "group"
        else t.gettext("shared with the coach"),
        "group": t.gettext("shared with the group"),
    }
    return labels.get(visibility, visibility)


def format_trend(trend: Trend) -> str:
    """One line: the question, its values over time and the direction."""
    values = " → ".join(point.value_text for point in trend.points)
    arrow = ARROWS[trend.direction]
    return f"  {trend.dialogue_title}: {trend.label}: {values} {arrow}".rstrip()


def format_run(detail: RunDetail, t: Translator) -> str:
    """A whole run with its answers and earlier versions."""
    summary = detail.summary
    lines = [
        f"#{summary.run_id} {summary.title} — {_status_text(summary.status, t)}",
        t.gettext("Started {when}").format(when=t.format_when(summary.started_at)),
    ]
    if not detail.answers:
        lines.append(
            t.gettext("No saved answers yet (answers are saved when a reflection is finished).")
        )
    for answer in detail.answers:
        lines.append(
            f"- {answer.label} [{answer.step_id}] "
            f"({_visibility_text(answer.visibility, t, summary.context)})"
        )
        lines.append(f"    {answer.value_text}")
        for changed_at, old in answer.revisions:
            lines.append(
                "    "
                + t.gettext("earlier answer, replaced {when}: {value}").format(
                    when=t.format_when(changed_at), value=old
                )
            )
    return "\n".join(lines)


async def show_history(
    runtime: Runtime,
    user: str,
    lang: str | None,
    run_id: int | None,
    echo: Echo,
    now: datetime,
) -> int:
    """Prints the person's runs, open commitments and trends, or one run in full."""
    person, t = await person_and_translator(runtime, user, lang, now)
    history = runtime.history
    if run_id is not None:
        detail = await history.read_run(person.id, run_id, t)
        if detail is None:
            echo(t.gettext("There is no reflection #{number}.").format(number=run_id))
            return 1
        echo(format_run(detail, t))
        return 0

    runs = await history.list_runs(person.id, t)
    echo(t.gettext("Reflections"))
    if not runs:
        echo("  " + t.gettext("None yet. Start one with `hemmaplan chat`."))
    for run in runs:
        when = t.format_when(run.finished_at or run.started_at)
        echo(f"  #{run.run_id:<4} {when}  {run.title} — {_status_text(run.status, t)}")

    commitments = await runtime.commitments.open_for(person.id)
    echo("")
    echo(t.gettext("Open commitments"))
    if not commitments:
        echo("  " + t.gettext("No open commitments."))
    for commitment in commitments:
        line = t.gettext("{text} — by {date}").format(
            text=commitment.text, date=t.format_date(commitment.due_date)
        )
        if commitment.last_check is not None and commitment.checked_at is not None:
            line += " · " + t.gettext("last check-in {date}: {status}").format(
                date=t.format_date(commitment.checked_at.astimezone(t.tz).date()),
                status=check_result_label(commitment.last_check, t),
            )
        echo("  • " + line)

    trends = await history.trends(person.id, t)
    echo("")
    echo(t.gettext("Trends"))
    if not trends:
        echo("  " + t.gettext("Trends appear when you have done a reflection at least twice."))
    for trend in trends:
        echo(format_trend(trend))
    return 0


async def write_history_chart(
    runtime: Runtime,
    user: str,
    lang: str | None,
    path: Path,
    echo: Echo,
    now: datetime,
    *,
    with_run: bool = False,
) -> int:
    """Writes the person's own scales over time (all their answers) as a PNG file."""
    person, t = await person_and_translator(runtime, user, lang, now)
    if with_run:
        echo(t.gettext("--chart draws all your reflections; leave out --run."))
        return 2
    trends = await runtime.history.trends(person.id, t)
    from bot.summary.trends import own_chart  # the chart's modules only when drawing one

    png = await asyncio.to_thread(own_chart, trends, t)
    if png is None:
        echo(t.gettext("No chart yet: it appears when you have answered a scale at least twice."))
        return 1
    try:
        await asyncio.to_thread(path.write_bytes, png)
    except OSError as exc:
        echo(t.gettext("Could not write {path}: {reason}").format(path=path, reason=exc.strerror))
        return 1
    echo(t.gettext("Wrote the chart of your scales over time to {path}.").format(path=path))
    return 0


async def edit_answer(
    runtime: Runtime,
    user: str,
    lang: str | None,
    run_id: int,
    step_id: str,
    value: str,
    visibility: str | None,
    echo: Echo,
    now: datetime,
) -> int:
    """Changes one answer of a finished run and prints it with its earlier versions."""
    person, t = await person_and_translator(runtime, user, lang, now)
    try:
        view = await runtime.history.edit_answer(
            person.id, run_id, step_id, value, t, now, visibility=visibility
        )
    except EditError as exc:
        echo(str(exc))
        return 1
    echo(t.gettext("Saved. The earlier answer is kept in the history."))
    echo(f"- {view.label}: {view.value_text} ({_visibility_text(view.visibility, t)})")
    return 0
