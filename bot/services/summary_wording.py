"""The words around a client's preview (what it is, when it goes, what they chose), shared by
the Telegram screen and the console so both tell the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Translator
from bot.services.summaries import Preview
from bot.summary.compose import meeting_when


@dataclass(frozen=True)
class PreviewWording:
    """A heading (or None), explaining lines, the client's current choice, and what follows."""

    heading: str | None
    lines: tuple[str, ...]
    state: str | None = None
    after: tuple[str, ...] = ()


def preview_wording(preview: Preview, t: Translator) -> PreviewWording:
    """What the preview is, what happens next and what the client's choice is now."""
    coach = preview.coach_name or ""
    if preview.consent_id is None or preview.meeting_starts_at is None:
        return PreviewWording(
            None,
            (
                t.gettext(
                    "No meeting with {coach} is planned, so nothing goes to {coach} now. Before "
                    "a meeting, {coach} would get this — once you approve it. Answers marked "
                    "“only for me” are never included."
                ).format(coach=coach),
            ),
        )
    meeting = meeting_when(t, preview.meeting_starts_at)
    if preview.delivered:
        return PreviewWording(
            None,
            (
                t.gettext(
                    "This summary has gone to {coach} before your meeting {when}. Nothing more "
                    "is sent before that meeting."
                ).format(coach=coach, when=meeting),
            ),
        )
    assert preview.delivery_at is not None
    heading = t.gettext("Your meeting with {coach}: {when}").format(coach=coach, when=meeting)
    explain = t.gettext(
        "Below is exactly what {coach} gets {when}, if you let it go. Answers marked “only for "
        "me” are never included."
    ).format(coach=coach, when=meeting_when(t, preview.delivery_at))
    if preview.decision == "approved":
        state = t.gettext("You have approved it. You can change your mind until it is sent.")
    elif preview.decision == "declined":
        state = t.gettext(
            "You chose not to share it this time. {coach} is told that, and gets no content."
        )
    elif preview.auto_share:
        state = t.gettext(
            "Automatic sharing is on: this goes to {coach} as it is, unless you hold items back "
            "or choose not to share."
        )
    else:
        state = t.gettext("Nothing goes to {coach} until you approve it.")
    held = sum(1 for item in preview.items if item.held)
    after = (
        (t.ngettext("You hold back {n} item.", "You hold back {n} items.", held).format(n=held),)
        if held
        else ()
    )
    return PreviewWording(heading, (explain,), state.format(coach=coach), after)


def no_coach_wording(t: Translator, groups: Sequence[tuple[str, str]]) -> str:
    """What /preview says to someone without a coach: nobody sees their answers, unless they
    are in a Backstage group, whose facilitator (and group) reads what they share there.
    `groups` holds (group name, facilitator name) pairs."""
    if not groups:
        return t.gettext(
            "You work with no coach in Hemmaplan right now, so nobody sees your answers."
        )
    lines = [
        t.gettext(
            "You work with no coach in Hemmaplan right now, so no summary is made before a "
            "coaching meeting."
        )
    ]
    for group, facilitator in groups:
        lines.append(
            t.gettext(
                "In {group}, {facilitator} (the facilitator) reads what you share with them in the "
                "group's reflections, and the other members what you share with the group. /group "
                "shows your group and its meetings."
            ).format(group=group, facilitator=facilitator)
        )
    return "\n\n".join(lines)
