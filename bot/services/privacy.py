"""Data rights: export everything stored about a person, and erase all of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.dialogue.loader import DialogueCatalog
from bot.i18n import Translator
from bot.services.export_document import export_document
from bot.services.history import HistoryService, RunDetail
from bot.services.relations import Access
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class PersonExport:
    """Everything stored about a person: machine-readable JSON and a readable Markdown document."""

    data: dict[str, Any]
    json_bytes: bytes
    markdown: str


@dataclass(frozen=True)
class CoachView:
    """What one coach may see of one client: nothing unless their relation is active."""

    access: Access
    runs: tuple[RunDetail, ...] = ()


@dataclass(frozen=True)
class CoachPreview:
    """For the client: what one of their current coaches sees."""

    coach_name: str | None
    runs: tuple[RunDetail, ...]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _jsonable(getattr(obj, name)) for name in fields}


_PERSON = (
    "id", "telegram_id", "display_name", "role", "locale", "timezone", "checkin_time",
    "quiet_start", "quiet_end", "paused", "active", "consent_at", "created_at",
)  # fmt: skip
_RUN = ("id", "dialogue_id", "dialogue_version", "status", "state", "started_at", "updated_at",
        "finished_at", "context", "meeting_id")  # fmt: skip
_ANSWER = ("id", "run_id", "dialogue_id", "step_id", "kind", "value", "visibility", "created_at",
           "updated_at")  # fmt: skip
_COMMITMENT = ("id", "run_id", "text", "done_when", "due_date", "status", "created_at",
               "updated_at", "checked_at")  # fmt: skip
_MEETING = ("id", "coach_id", "starts_at", "kind", "created_at", "group_meeting_id")
_GROUP = ("id", "name", "size", "interval_days", "duration_minutes", "place", "created_at")
_MEMBERSHIP = ("group_id", "joined_at", "left_at")
_PROMPT = ("id", "kind", "ref_id", "due_at", "status", "sent_at")
_RELATION = ("coach_id", "client_id", "created_at", "ended_at")
_CONSENT = ("id", "coach_id", "meeting_id", "status", "held_back", "note", "content_until",
            "decided_at", "preview_sent_at", "delivered_at", "created_at")  # fmt: skip
_VIEW = ("viewer_id", "meeting_id", "channel", "status", "viewed_at")


class PrivacyService:
    """Builds data exports and erases people completely."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, history: HistoryService
    ) -> None:
        self._uow_factory = uow_factory
        self._catalog = catalog
        self._history = history

    async def coach_view(self, coach_id: int, client_id: int, t: Translator) -> CoachView:
        """Exactly what this coach may see of the client: shared answers of finished runs,
        given since their relation (re)started, and nothing at all unless it is active now."""
        async with self._uow_factory() as uow:
            relation = await uow.relations.get(coach_id, client_id)
        if relation is None:
            return CoachView(Access.NONE)
        if relation.ended_at is not None:
            return CoachView(Access.ENDED)
        runs = await self._history.shared_runs(client_id, relation.created_at, t)
        return CoachView(Access.ACTIVE, tuple(runs))

    async def previews(self, client_id: int, t: Translator) -> list[CoachPreview]:
        """For /preview: what each of the client's current coaches sees (empty without one)."""
        async with self._uow_factory() as uow:
            coaches = [(c.id, c.display_name) for c in await uow.relations.coaches_of(client_id)]
        previews = []
        for coach_id, name in coaches:
            view = await self.coach_view(coach_id, client_id, t)
            previews.append(CoachPreview(name, view.runs))
        return previews

    async def export(self, person_id: int, t: Translator) -> PersonExport:
        """Collect every row about the person into JSON and a readable document."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                raise LookupError(person_id)
            answers = await uow.answers.for_person(person_id, with_revisions=True)
            answer_rows = []
            for answer in answers:
                row = _row(answer, _ANSWER)
                row["revisions"] = [
                    _row(rev, ("value", "visibility", "changed_at")) for rev in answer.revisions
                ]
                answer_rows.append(row)
            data: dict[str, Any] = {
                "person": _row(person, _PERSON),
                "coaches": [c.id for c in await uow.relations.coaches_of(person_id)],
                "clients": [c.id for c in await uow.relations.clients_of(person_id)],
                "relations": [_row(r, _RELATION) for r in await uow.relations.involving(person_id)],
                "meetings": [
                    _row(m, _MEETING) for m in await uow.meetings.list_for_client(person_id)
                ],
                "dialogue_runs": [_row(r, _RUN) for r in await uow.runs.list_for(person_id)],
                "answers": answer_rows,
                "commitments": [
                    _row(c, _COMMITMENT) for c in await uow.commitments.list_for(person_id)
                ],
                "planned_prompts": [
                    _row(p, _PROMPT) for p in await uow.prompts.list_for(person_id)
                ],
                "summary_auto_share": person.summary_auto_share,
                "summary_consents": [
                    _row(c, _CONSENT) for c in await uow.summaries.consents_for(person_id)
                ],
                "summary_views": [_row(v, _VIEW) for v in await uow.summaries.views_of(person_id)],
                "groups": await _groups(uow, person_id),
            }
        json_bytes = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return PersonExport(
            data=data, json_bytes=json_bytes, markdown=export_document(data, t, self._catalog)
        )

    async def erase(self, person_id: int) -> bool:
        """Delete the person and, by cascade, every row that refers to them; False if unknown.

        The deleted rows are then scrubbed from the database's files (see bot.storage.erasure).
        """
        async with self._uow_factory() as uow:
            erased = await uow.people.delete(person_id)
            await uow.commit()
            if erased:
                await uow.scrub_deleted()
            return erased


async def _groups(uow: UnitOfWork, person_id: int) -> dict[str, Any]:
    """The person's Backstage groups: memberships (with the group), groups led, case meetings."""
    member_of = []
    for membership in await uow.groups.memberships_of(person_id):
        group = await uow.groups.get(membership.group_id)
        if group is not None:
            member_of.append({**_row(membership, _MEMBERSHIP), "name": group.name})
    led = [_row(g, _GROUP) for g in await uow.groups.led_by(person_id)]
    cases = [
        {"group_id": gm.group_id, "number": gm.number, "starts_at": gm.starts_at.isoformat()}
        for _, gm, _ in await uow.groups.member_meetings(person_id)
        if gm.case_owner_id == person_id
    ]
    return {"member_of": member_of, "led": led, "case_meetings": cases}
