"""`hemmaplan preview`: the client's view of what each coach gets before the next meeting, and
the same choices as in Telegram (approve, don't share, undo, hold back items, a note, automatic
sharing)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.console.person import person_and_translator
from bot.i18n import Translator
from bot.runtime import Runtime
from bot.services.summaries import Decision, Preview
from bot.services.summary_wording import no_coach_wording, preview_wording
from bot.summary.text import render_text

Echo = Callable[[str], None]


@dataclass(frozen=True)
class PreviewChoices:
    """What the person asked to change (all optional)."""

    decision: Decision | None = None  # APPROVE, DECLINE or UNDO
    hold: Sequence[str] = ()  # item keys to hold back, or to let go again
    note: str | None = None  # "" removes the note
    auto: bool | None = None


def _show(preview: Preview, t: Translator, echo: Echo) -> None:
    wording = preview_wording(preview, t)
    for line in [wording.heading, *wording.lines, wording.state, *wording.after]:
        if line:
            echo(line)
    echo("")
    echo(render_text(preview.summary, details=True))
    if preview.consent_id is None or preview.delivered:
        return
    echo(t.gettext("Items you can hold back (--hold KEY; again to let it go):"))
    for item in preview.items:
        mark = "🚫" if item.held else "✅"
        echo(f"  {mark} {item.key:22} {item.text[:70]}")
    echo(
        t.gettext(
            "Choose with --approve, --decline or --undo; --note TEXT writes a line to your coach "
            '(--note "" removes it); --auto on|off turns automatic sharing on or off.'
        )
    )


async def show_preview(
    runtime: Runtime,
    user: str,
    lang: str | None,
    choices: PreviewChoices,
    echo: Echo,
    now: datetime,
) -> int:
    """Applies the choices to the next meeting's summary, then prints every coach's preview."""
    person, t = await person_and_translator(runtime, user, lang, now)
    summaries = runtime.summaries
    if choices.auto is not None:
        await summaries.set_auto_share(person.id, choices.auto, now)
    previews = await summaries.previews(person.id, person.id, now)
    if not previews:
        groups = await runtime.groups.member_of(person.id)
        echo(no_coach_wording(t, [(g.name, g.facilitator_name) for g in groups]))
        return 0
    wants_change = choices.decision is not None or choices.hold or choices.note is not None
    target = next((p for p in previews if p.consent_id is not None and not p.delivered), None)
    if wants_change and target is None:
        echo(
            t.gettext(
                "There is no summary to change: no meeting with a coach is planned, or its "
                "summary has already been sent."
            )
        )
        return 1
    if target is not None and target.consent_id is not None:
        known = {item.key for item in target.items}
        unknown = [key for key in choices.hold if key not in known]
        if unknown:  # nothing is changed when one of the keys is wrong
            echo(t.gettext("There is no item {key} in the summary.").format(key=unknown[0]))
            return 1
        for key in choices.hold:
            await summaries.decide(person.id, target.consent_id, Decision.TOGGLE, now, key=key)
        if choices.note is not None:
            await summaries.decide(
                person.id, target.consent_id, Decision.NOTE, now, note=choices.note
            )
        if choices.decision is not None:
            await summaries.decide(person.id, target.consent_id, choices.decision, now)
        if wants_change:
            previews = await summaries.previews(person.id, person.id, now)
    for index, preview in enumerate(previews):
        if index:
            echo("")
            echo("—" * 40)
        _show(preview, t, echo)
    return 0
