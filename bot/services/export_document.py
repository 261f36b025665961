"""The readable /export document: the export's data in the person's language, with labels
instead of codes and every time in the person's time zone (the JSON beside it keeps the codes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.dialogue.answer_views import step_label
from bot.dialogue.loader import DialogueCatalog
from bot.dialogue.rendering import value_text
from bot.i18n import N_, Translator
from bot.services.commitments import check_result_label

_PERSON_FIELDS: tuple[tuple[str, str], ...] = (
    ("display_name", N_("Name")),
    ("role", N_("Role")),
    ("locale", N_("Language")),
    ("timezone", N_("Time zone")),
    ("checkin_time", N_("Check-ins at")),
    ("quiet_start", N_("Quiet hours from")),
    ("quiet_end", N_("Quiet hours until")),
    ("paused", N_("Check-ins paused")),
    ("consent_at", N_("Consent given")),
    ("created_at", N_("Started using Hemmaplan")),
    ("telegram_id", N_("Telegram id")),
)
_ROLES = {"client": N_("Client"), "coach": N_("Coach"), "admin": N_("Admin")}
_LANGUAGES = {"sv": "Svenska", "en": "English"}
_RUN_STATUSES = {
    "active": N_("in progress"),
    "paused": N_("paused"),
    "finished": N_("saved"),
    "cancelled": N_("cancelled"),
}
_COMMITMENT_STATUSES = {"open": N_("open"), "done": N_("done"), "dropped": N_("dropped")}
_CONSENT_STATUSES = {
    "pending": N_("not decided yet"),
    "approved": N_("approved"),
    "declined": N_("not shared"),
}
_MEETING_KINDS = {"coaching": N_("coaching meeting"), "backstage": N_("Backstage group meeting")}


def export_document(data: dict[str, Any], t: Translator, catalog: DialogueCatalog) -> str:
    """The export as a Markdown document the person can read."""
    lines = ["# " + t.gettext("Everything Hemmaplan stores about you"), ""]
    lines.append("## " + t.gettext("You"))
    person = data["person"]
    for key, label in _PERSON_FIELDS:
        value = person.get(key)
        if value is not None:
            lines.append(f"- {t.gettext(label)}: {_person_value(key, value, t)}")
    lines += ["", "## " + t.gettext("Your answers")]
    if not data["answers"]:
        lines.append(t.gettext("No answers yet."))
    for answer in data["answers"]:
        title, label, shown = _answer_texts(answer, t, catalog)
        private = " 🔒 " + t.gettext("only for me") if answer["visibility"] == "private" else ""
        when = _when(answer["created_at"], t)
        lines.append(f"- {when} · {title} · {label}: {shown}{private}")
    lines += ["", "## " + t.gettext("Your commitments")]
    if not data["commitments"]:
        lines.append(t.gettext("No commitments yet."))
    for commitment in data["commitments"]:
        status = t.gettext(_COMMITMENT_STATUSES.get(commitment["status"], commitment["status"]))
        due = _day(commitment["due_date"], t)
        lines.append(
            f"- {commitment['text']} — " + t.gettext("by {date}").format(date=due) + f" ({status})"
        )
    lines += ["", "## " + t.gettext("Meetings")]
    if not data["meetings"]:
        lines.append(t.gettext("No meetings yet."))
    for meeting in data["meetings"]:
        kind = t.gettext(_MEETING_KINDS.get(meeting["kind"], meeting["kind"]))
        lines.append(f"- {_when(meeting['starts_at'], t)} · {kind}")
    lines += ["", "## " + t.gettext("Summaries for your coach")]
    if not data["summary_consents"] and not data["summary_views"]:
        lines.append(t.gettext("No summaries yet."))
    for consent in data["summary_consents"]:
        held = len(consent["held_back"] or [])
        status = t.gettext(_CONSENT_STATUSES.get(consent["status"], consent["status"]))
        delivered = _when(consent["delivered_at"], t) if consent["delivered_at"] else "–"
        lines.append(
            "- "
            + t.ngettext(
                "Before a meeting: {status}, {held} item held back, delivered {delivered}",
                "Before a meeting: {status}, {held} items held back, delivered {delivered}",
                held,
            ).format(status=status, held=held, delivered=delivered)
        )
    for view in data["summary_views"]:
        lines.append(
            "- "
            + t.gettext("Opened {at} ({channel})").format(
                at=_when(view["viewed_at"], t), channel=view["channel"]
            )
        )
    groups = data.get("groups") or {}
    if groups.get("member_of") or groups.get("led"):
        lines += ["", "## " + t.gettext("Backstage groups")]
        for group in groups.get("member_of", []):
            lines.append(
                "- "
                + t.gettext("Member of {name} since {day}").format(
                    name=group["name"], day=_day(str(group["joined_at"]), t)
                )
            )
        for group in groups.get("led", []):
            lines.append("- " + t.gettext("Facilitator of {name}").format(name=group["name"]))
    lines += ["", "## " + t.gettext("Reflections you started")]
    for run in data["dialogue_runs"]:
        status = t.gettext(_RUN_STATUSES.get(run["status"], run["status"]))
        lines.append(f"- {_when(run['started_at'], t)} · {_title(run['dialogue_id'], t, catalog)}"
                     f" ({status})")  # fmt: skip
    lines += [
        "",
        t.gettext("Times are in your time zone ({zone}).").format(zone=t.tz.key),
        t.gettext("The attached JSON file contains the same data in machine-readable form."),
        "",
    ]
    return "\n".join(lines)


def _title(dialogue_id: str, t: Translator, catalog: DialogueCatalog) -> str:
    if dialogue_id in catalog:
        return t.pgettext(dialogue_id, catalog.get(dialogue_id).title)
    return dialogue_id


def _answer_texts(
    answer: dict[str, Any], t: Translator, catalog: DialogueCatalog
) -> tuple[str, str, str]:
    """The dialogue's title, the question's label and the answer as the person gave it."""
    dialogue_id, step_id, value = answer["dialogue_id"], answer["step_id"], answer["value"]
    if dialogue_id not in catalog:
        return dialogue_id, step_id, _plain(value, t)
    dialogue = catalog.get(dialogue_id)
    try:
        step = dialogue.step(step_id)
    except KeyError:
        return _title(dialogue_id, t, catalog), step_id, _plain(value, t)
    if step_id.startswith("status") and isinstance(value, str):
        shown = check_result_label(value, t)
    else:
        shown = value_text(dialogue, step, value, t)
    return _title(dialogue_id, t, catalog), step_label(dialogue, step, t), shown


def _plain(value: Any, t: Translator) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return t.gettext("Yes") if value else t.gettext("No")
    return str(value)


def _person_value(key: str, value: Any, t: Translator) -> str:
    if key == "role":
        return t.gettext(_ROLES.get(str(value), str(value)))
    if key == "locale":
        return _LANGUAGES.get(str(value), str(value))
    if isinstance(value, bool):
        return t.gettext("Yes") if value else t.gettext("No")
    if key in ("consent_at", "created_at"):
        return _when(str(value), t)
    if key in ("checkin_time", "quiet_start", "quiet_end"):
        return str(value)[:5]
    return str(value)


def _when(iso: str | None, t: Translator) -> str:
    """A stored UTC time (ISO text) as a date and time in the person's time zone."""
    if not iso:
        return "–"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return t.format_when(moment)


def _day(iso: str | None, t: Translator) -> str:
    if not iso:
        return "–"
    try:
        return t.format_date(date.fromisoformat(iso[:10]))
    except ValueError:
        return iso
