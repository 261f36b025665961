"""The coach's pre-meeting summary: who may see what, the client's preview and decision, what
the coach gets (on demand and before the meeting), and the audit log of every view.

Access rules live in `RULES` and `role_of`: every entry point here asks them first, so the
authorization matrix is tested in one place. A coach sees a summary only as the client released
it: approved (as previewed, minus what was held back), or shared automatically; otherwise only
what an earlier meeting's summary already shared, and the coach is told so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog
from bot.i18n import Translator, get_translator
from bot.scheduling.summary_plan import SUMMARY_DELIVERY
from bot.services.history import run_material
from bot.storage.models import Meeting, Person, SummaryConsent, SummaryView
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from bot.summary.compose import compose, meeting_when, shared_keys
from bot.summary.facts import (
    BACKSTAGE,
    AnswerFact,
    CommitmentFact,
    EventFact,
    MeetingFact,
    Relation,
    RunFact,
    SummaryFacts,
)
from bot.summary.model import Summary, SummaryStatus

# A note for the coach is a few sentences, not a letter.
NOTE_MAX = 1000


class Role(StrEnum):
    """Who is asking about a client."""

    CLIENT = "client"
    OWN_COACH = "own_coach"  # an active relation with the client
    FORMER_COACH = "former_coach"  # the relation ended
    OTHER_COACH = "other_coach"  # a coach (or admin) who never worked with the client
    ADMIN = "admin"  # an admin without a relation to the client
    STRANGER = "stranger"  # anyone else, or nobody we know


class Resource(StrEnum):
    """What one may ask to see about a client."""

    SUMMARY = "summary"  # the coach's summary as the client released it
    PDF = "pdf"  # the same as an A4 document
    PREVIEW = "preview"  # the client's own preview with the decision buttons
    ANSWERS = "answers"  # single answers, outside a summary
    COMMITMENTS = "commitments"  # the commitments list and their history, outside a summary
    AUDIT_LOG = "audit_log"  # who opened the client's summaries


# The whole access policy. A coach reads a client only through the summary the client
# released; an admin administers roles and reads nobody's reflections.
RULES: dict[Resource, frozenset[Role]] = {
    Resource.SUMMARY: frozenset({Role.OWN_COACH}),
    Resource.PDF: frozenset({Role.OWN_COACH}),
    Resource.PREVIEW: frozenset({Role.CLIENT}),
    Resource.ANSWERS: frozenset({Role.CLIENT}),
    Resource.COMMITMENTS: frozenset({Role.CLIENT}),
    Resource.AUDIT_LOG: frozenset({Role.CLIENT}),
}


def may(role: Role, resource: Resource) -> bool:
    """True if someone in `role` may see `resource` of the client."""
    return role in RULES[resource]


class NotAllowed(Exception):
    """The viewer may not see this resource of the client."""

    def __init__(self, role: Role, resource: Resource) -> None:
        super().__init__(f"{role} may not see {resource}")
        self.role = role
        self.resource = resource


class Channel(StrEnum):
    """Where a coach opened a summary (the audit log says it)."""

    TELEGRAM = "telegram"
    PDF = "pdf"
    CLI = "cli"


class Decision(StrEnum):
    """What the client can do with a preview."""

    APPROVE = "approve"
    DECLINE = "decline"
    UNDO = "undo"  # back to not decided (approved or declined by mistake)
    TOGGLE = "toggle"  # hold an item back, or let it go again
    NOTE = "note"  # set (or clear) the note for the coach


@dataclass(frozen=True)
class PreviewItem:
    """One item the client can hold back, and whether it is held back now."""

    key: str
    text: str
    held: bool


@dataclass(frozen=True)
class Preview:
    """The client's preview: exactly what the coach would get, and the choices made so far."""

    summary: Summary  # held-back items removed, the note included, in the client's language
    items: tuple[PreviewItem, ...]  # everything that could go, for the hold-back list
    consent_id: int | None  # None: no upcoming meeting with a coach to decide for
    coach_name: str | None
    meeting_starts_at: datetime | None
    delivery_at: datetime | None
    decision: str  # pending, approved, declined
    auto_share: bool
    delivered: bool
    note: str | None


@dataclass(frozen=True)
class CoachSummary:
    """What a coach gets on demand: the released summary (or None) and why it is what it is."""

    client_id: int
    client_name: str
    summary: Summary | None
    status: SummaryStatus
    meeting_starts_at: datetime | None
    # The meeting whose summary is shown (an earlier one when the next is not released).
    shown_meeting_id: int | None = None


@dataclass(frozen=True)
class ViewEntry:
    """One line of the client's audit log."""

    viewer_name: str | None  # None: the viewer has since erased their account
    channel: str
    status: str
    meeting_starts_at: datetime | None
    at: datetime


@dataclass(frozen=True)
class Delivery:
    """What goes to the coach before a meeting (see `SummaryService.delivery`)."""

    kind: str  # "summary", "declined", "pending", "gone"
    coach_telegram_id: int | None = None
    coach_t: Translator | None = None
    client_name: str = ""
    meeting_starts_at: datetime | None = None
    summary: Summary | None = None


@dataclass(frozen=True)
class PreviewPrompt:
    """What the client gets as the scheduled preview (see `SummaryService.preview_prompt`)."""

    preview: Preview | None
    t: Translator


class SummaryService:
    """Composes summaries through the unit of work and keeps the client's decisions and the
    audit log of views."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, settings: Settings
    ) -> None:
        self._uow_factory = uow_factory
        self._catalog = catalog
        self._settings = settings

    # -- access ----------------------------------------------------------------------------------

    async def role_of(self, viewer_id: int | None, client_id: int) -> Role:
        """The viewer's role towards the client."""
        async with self._uow_factory() as uow:
            return await self._role(uow, viewer_id, client_id)

    async def _role(self, uow: UnitOfWork, viewer_id: int | None, client_id: int) -> Role:
        viewer = await uow.people.get(viewer_id) if viewer_id is not None else None
        client = await uow.people.get(client_id)
        if viewer is None or client is None:
            return Role.STRANGER
        if viewer.id == client.id:
            return Role.CLIENT
        relation = await uow.relations.get(viewer.id, client.id)
        if relation is not None:
            return Role.OWN_COACH if relation.ended_at is None else Role.FORMER_COACH
        if self._is_admin(viewer):
            return Role.ADMIN
        if viewer.role == "coach":
            return Role.OTHER_COACH
        return Role.STRANGER

    def _is_admin(self, person: Person) -> bool:
        return person.role == "admin" or (
            person.telegram_id is not None
            and person.telegram_id in self._settings.admin_telegram_ids
        )

    async def _require(
        self, uow: UnitOfWork, viewer_id: int | None, client_id: int, resource: Resource
    ) -> Role:
        role = await self._role(uow, viewer_id, client_id)
        if not may(role, resource):
            raise NotAllowed(role, resource)
        return role

    # -- the client's side -----------------------------------------------------------------------

    async def preview(self, viewer_id: int, client_id: int, now: datetime) -> Preview:
        """The client's preview for their next meeting with a coach (NotAllowed for anyone
        else); showing it fixes what an approval covers to what it shows now."""
        async with self._uow_factory() as uow:
            await self._require(uow, viewer_id, client_id, Resource.PREVIEW)
            client = await self._person(uow, client_id)
            preview = await self._preview(uow, client, now, fix_content=True)
            await uow.commit()
            return preview

    async def previews(self, viewer_id: int, client_id: int, now: datetime) -> list[Preview]:
        """One preview per current coach (NotAllowed for anyone but the client): for the next
        meeting with them, fixing what an approval covers to what it shows now; with no meeting
        planned, what that coach would get (nothing goes then). Empty without a coach."""
        async with self._uow_factory() as uow:
            await self._require(uow, viewer_id, client_id, Resource.PREVIEW)
            client = await self._person(uow, client_id)
            previews = []
            for coach in await uow.relations.coaches_of(client.id):
                meeting = await self._next_meeting(uow, client.id, coach.id, now)
                previews.append(
                    await self._preview(
                        uow, client, now, fix_content=True, meeting=meeting, coach=coach
                    )
                )
            await uow.commit()
            return previews

    async def decide(
        self,
        viewer_id: int,
        consent_id: int,
        decision: Decision,
        now: datetime,
        *,
        key: str | None = None,
        note: str | None = None,
    ) -> Preview | None:
        """Records the client's choice on their preview and returns the preview as it now is;
        None when the choice can no longer be made (delivered, meeting passed, not theirs)."""
        async with self._uow_factory() as uow:
            consent = await uow.summaries.consent_by_id(consent_id)
            if consent is None or consent.client_id != viewer_id:
                return None
            await self._require(uow, viewer_id, consent.client_id, Resource.PREVIEW)
            meeting = await uow.meetings.get(consent.meeting_id)
            if (
                meeting is None
                or meeting.cancelled_at is not None
                or meeting.starts_at <= now
                or consent.delivered_at is not None
                or await uow.relations.active(consent.coach_id, consent.client_id) is None
            ):
                return None
            self._apply(consent, decision, now, key=key, note=note)
            consent.updated_at = now
            # What the coach gets, and when, depends on the decision.
            await uow.people.mark_replan(consent.client_id, now)
            client = await self._person(uow, consent.client_id)
            preview = await self._preview(uow, client, now, fix_content=False, consent=consent)
            await uow.commit()
            return preview

    async def preview_of(
        self, viewer_id: int, consent_id: int, now: datetime, *, fix_content: bool = False
    ) -> Preview | None:
        """The client's preview for one of their consent records (None if not theirs)."""
        async with self._uow_factory() as uow:
            consent = await uow.summaries.consent_by_id(consent_id)
            if consent is None or consent.client_id != viewer_id:
                return None
            await self._require(uow, viewer_id, consent.client_id, Resource.PREVIEW)
            client = await self._person(uow, consent.client_id)
            preview = await self._preview(
                uow, client, now, fix_content=fix_content, consent=consent
            )
            await uow.commit()
            return preview

    async def set_note(self, client_id: int, text: str, now: datetime) -> Preview | None:
        """Sets (empty: removes) the note for the coach in the next meeting's summary; None
        when there is no upcoming meeting with a coach or its summary went already."""
        async with self._uow_factory() as uow:
            meeting = await self._next_meeting(uow, client_id, None, now)
            if meeting is None or meeting.coach_id is None:
                return None
            consent = await uow.summaries.open_consent(client_id, meeting.coach_id, meeting.id, now)
            await uow.commit()
            consent_id = consent.id
        return await self.decide(client_id, consent_id, Decision.NOTE, now, note=text)

    @staticmethod
    def _apply(
        consent: SummaryConsent,
        decision: Decision,
        now: datetime,
        *,
        key: str | None,
        note: str | None,
    ) -> None:
        if decision is Decision.APPROVE:
            consent.status, consent.decided_at = "approved", now
        elif decision is Decision.DECLINE:
            consent.status, consent.decided_at = "declined", now
        elif decision is Decision.UNDO:
            consent.status, consent.decided_at = "pending", None
        elif decision is Decision.TOGGLE and key:
            held = list(consent.held_back or [])
            consent.held_back = [k for k in held if k != key] if key in held else [*held, key]
        elif decision is Decision.NOTE:
            text = (note or "").strip()
            consent.note = text[:NOTE_MAX] or None

    async def set_auto_share(self, client_id: int, on: bool, now: datetime) -> bool:
        """Turns automatic sharing on or off for the client; returns the new setting."""
        async with self._uow_factory() as uow:
            client = await self._person(uow, client_id)
            client.summary_auto_share = on
            await uow.people.mark_replan(client_id, now)
            await uow.commit()
            return on

    async def audit_log(self, viewer_id: int, client_id: int, limit: int = 20) -> list[ViewEntry]:
        """Who opened the client's summaries, newest first (the client only)."""
        async with self._uow_factory() as uow:
            await self._require(uow, viewer_id, client_id, Resource.AUDIT_LOG)
            entries = []
            for view in await uow.summaries.views_of(client_id, limit=limit):
                viewer = await uow.people.get(view.viewer_id) if view.viewer_id else None
                meeting = await uow.meetings.get(view.meeting_id) if view.meeting_id else None
                entries.append(
                    ViewEntry(
                        viewer_name=_name(viewer) if viewer is not None else None,
                        channel=view.channel,
                        status=view.status,
                        meeting_starts_at=meeting.starts_at if meeting else None,
                        at=view.viewed_at,
                    )
                )
            return entries

    # -- the coach's side ------------------------------------------------------------------------

    async def coach_summary(
        self,
        viewer_id: int,
        client_id: int,
        t: Translator,
        now: datetime,
        channel: Channel = Channel.TELEGRAM,
    ) -> CoachSummary:
        """What the coach may see now, composed for `t`; every view is audited. NotAllowed for
        anyone but the client's current coach."""
        resource = Resource.PDF if channel is Channel.PDF else Resource.SUMMARY
        async with self._uow_factory() as uow:
            await self._require(uow, viewer_id, client_id, resource)
            client = await self._person(uow, client_id)
            result = await self._released(uow, client, viewer_id, t, now)
            if result.summary is not None:
                await self._audit(uow, client.id, viewer_id, result, channel, now)
            await uow.commit()
            return result

    async def _released(
        self, uow: UnitOfWork, client: Person, coach_id: int, t: Translator, now: datetime
    ) -> CoachSummary:
        """The summary as released for the coach's next meeting with the client, else what an
        earlier meeting's summary shared."""
        meeting = await self._next_meeting(uow, client.id, coach_id, now)
        consent = await uow.summaries.consent(client.id, coach_id, meeting.id) if meeting else None
        decision = _decision(consent, client)
        name = _name(client)
        if meeting is not None and decision in ("approved", "auto"):
            status = SummaryStatus.APPROVED if decision == "approved" else SummaryStatus.AUTO
            assert consent is not None or decision == "auto"
            until = consent.content_until if consent and consent.status == "approved" else None
            summary = await self._compose(
                uow, client, coach_id, meeting, t, until or now, consent, status,
                self._status_text(t, name, status, consent, meeting, None),
            )  # fmt: skip
            return CoachSummary(client.id, name, summary, status, meeting.starts_at, meeting.id)
        status = SummaryStatus.DECLINED if decision == "declined" else SummaryStatus.PENDING
        earlier = await self._last_shared(uow, client.id, coach_id, now)
        if earlier is None:
            return CoachSummary(
                client.id, name, None, status, meeting.starts_at if meeting else None
            )
        old_consent, old_meeting = earlier
        text = self._status_text(t, name, status, consent, meeting, old_meeting)
        summary = await self._compose(
            uow, client, coach_id, old_meeting, t,
            old_consent.content_until or old_consent.delivered_at or now, old_consent, status, text,
            reshown=True,
        )  # fmt: skip
        return CoachSummary(
            client.id, name, summary, status, meeting.starts_at if meeting else None, old_meeting.id
        )

    async def delivery(self, client_id: int, meeting_id: int, now: datetime) -> Delivery:
        """What the coach gets before the meeting: the released summary, or a word that the
        client chose not to share (or has not decided). A delivered summary is audited and
        closes the client's decision."""
        async with self._uow_factory() as uow:
            client = await uow.people.get(client_id)
            meeting = await uow.meetings.get(meeting_id)
            if (
                client is None
                or meeting is None
                or meeting.coach_id is None
                or meeting.cancelled_at is not None
                or meeting.starts_at <= now
                or await uow.relations.active(meeting.coach_id, client_id) is None
            ):
                return Delivery("gone")
            coach = await self._person(uow, meeting.coach_id)
            t = self._translator(coach)
            consent = await uow.summaries.consent(client.id, coach.id, meeting.id)
            decision = _decision(consent, client)
            base = Delivery(
                decision if decision in ("declined", "pending") else "summary",
                coach.telegram_id if coach.active else None,
                t,
                _name(client),
                meeting.starts_at,
            )
            if decision not in ("approved", "auto"):
                return base
            if consent is None:
                consent = await uow.summaries.open_consent(client.id, coach.id, meeting.id, now)
            status = SummaryStatus.APPROVED if decision == "approved" else SummaryStatus.AUTO
            until = consent.content_until if decision == "approved" else now
            summary = await self._compose(
                uow, client, coach.id, meeting, t, until or now, consent, status,
                self._status_text(t, _name(client), status, consent, meeting, None),
            )  # fmt: skip
            return Delivery(
                "summary", base.coach_telegram_id, t, base.client_name, meeting.starts_at, summary
            )

    async def mark_delivered(
        self, client_id: int, meeting_id: int, channels: Sequence[Channel], now: datetime
    ) -> None:
        """Record that the summary reached the coach (once per channel in the audit log)."""
        async with self._uow_factory() as uow:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None or meeting.coach_id is None:
                return
            consent = await uow.summaries.open_consent(client_id, meeting.coach_id, meeting_id, now)
            client = await self._person(uow, client_id)
            status = _decision(consent, client)
            if consent.delivered_at is None:
                consent.delivered_at = now
                if consent.content_until is None or status == "auto":
                    consent.content_until = now
            for channel in channels:
                await uow.summaries.add_view(
                    SummaryView(
                        client_id=client_id,
                        viewer_id=meeting.coach_id,
                        meeting_id=meeting_id,
                        channel=channel.value,
                        status=status,
                        viewed_at=now,
                    )
                )
            await uow.people.mark_replan(client_id, now)
            await uow.commit()

    async def preview_prompt(self, client_id: int, meeting_id: int, now: datetime) -> PreviewPrompt:
        """The scheduled preview for the client (None inside when the meeting is gone)."""
        async with self._uow_factory() as uow:
            client = await self._person(uow, client_id)
            t = self._translator(client)
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None or meeting.cancelled_at is not None or meeting.starts_at <= now:
                return PreviewPrompt(None, t)
            preview = await self._preview(uow, client, now, fix_content=True, meeting=meeting)
            if preview.consent_id is not None:
                consent = await uow.summaries.consent_by_id(preview.consent_id)
                if consent is not None:
                    consent.preview_sent_at = now
            await uow.commit()
            return PreviewPrompt(preview, t)

    # -- composing -------------------------------------------------------------------------------

    def _translator(self, person: Person) -> Translator:
        settings = self._settings
        return get_translator(
            person.locale or settings.default_locale,
            person.timezone or settings.timezone,
            settings.locales_dir,
        )

    async def _delivery_time(
        self, uow: UnitOfWork, client_id: int, meeting: Meeting | None
    ) -> datetime | None:
        """When the coach's copy is planned to go (the scheduler's row, moved out of the
        coach's quiet hours), else the setting's time before the meeting."""
        if meeting is None:
            return None
        planned = [
            row.due_at
            for row in await uow.prompts.list_for(
                client_id, status="planned", kind=SUMMARY_DELIVERY
            )
            if row.ref_id == meeting.id
        ]
        return min(planned) if planned else self.delivery_at(meeting.starts_at)

    def delivery_at(self, meeting_starts_at: datetime) -> datetime:
        """When the coach gets the summary of a meeting (before quiet hours are considered)."""
        return meeting_starts_at - timedelta(hours=self._settings.summary_delivery_hours)

    async def _preview(
        self,
        uow: UnitOfWork,
        client: Person,
        now: datetime,
        *,
        fix_content: bool,
        consent: SummaryConsent | None = None,
        meeting: Meeting | None = None,
        coach: Person | None = None,
    ) -> Preview:
        t = self._translator(client)
        if consent is None and meeting is None and coach is None:
            meeting = await self._next_meeting(uow, client.id, None, now)
        if consent is None and meeting is not None and meeting.coach_id is not None:
            consent = await uow.summaries.open_consent(client.id, meeting.coach_id, meeting.id, now)
        elif consent is not None and meeting is None:
            meeting = await uow.meetings.get(consent.meeting_id)
        if consent is not None:
            coach = await uow.people.get(consent.coach_id)
        delivered = consent is not None and consent.delivered_at is not None
        if consent is not None and fix_content and not delivered:
            consent.content_until = now
        until = consent.content_until if consent is not None and consent.content_until else now
        coach_id = coach.id if coach is not None else None
        full = await self._compose(
            uow, client, coach_id, meeting, t, until, None, SummaryStatus.PREVIEW, None
        )
        held = frozenset(consent.held_back or []) if consent is not None else frozenset()
        shown = await self._compose(
            uow, client, coach_id, meeting, t, until, consent, SummaryStatus.PREVIEW, None
        )
        items = tuple(PreviewItem(key, text, key in held) for key, text in shared_keys(full))
        return Preview(
            summary=shown,
            items=items,
            consent_id=consent.id if consent is not None else None,
            coach_name=_name(coach) if coach is not None else None,
            meeting_starts_at=meeting.starts_at if meeting is not None else None,
            delivery_at=await self._delivery_time(uow, client.id, meeting),
            decision=consent.status if consent is not None else "pending",
            auto_share=client.summary_auto_share,
            delivered=delivered,
            note=consent.note if consent is not None else None,
        )

    async def _compose(
        self,
        uow: UnitOfWork,
        client: Person,
        coach_id: int | None,
        meeting: Meeting | None,
        t: Translator,
        until: datetime,
        consent: SummaryConsent | None,
        status: SummaryStatus,
        status_text: str | None,
        *,
        reshown: bool = False,
    ) -> Summary:
        facts = await self.facts(uow, client, coach_id, meeting, until, consent)
        if reshown:
            facts = replace(facts, reshown=True)
        return compose(facts, self._catalog, t, status=status, status_text=status_text)

    async def facts(
        self,
        uow: UnitOfWork,
        client: Person,
        coach_id: int | None,
        meeting: Meeting | None,
        until: datetime,
        consent: SummaryConsent | None = None,
    ) -> SummaryFacts:
        """Read what a summary of the client for this coach and meeting is composed from."""
        relation = await uow.relations.get(coach_id, client.id) if coach_id is not None else None
        # Without a coach (a client's own preview with none yet) the whole history counts.
        start = relation.created_at if relation is not None else client.created_at
        end = relation.ended_at if relation is not None else None
        meetings = await uow.meetings.list_for_client(client.id)
        kinds = {m.id: m.kind for m in meetings}
        runs = await uow.runs.list_for(client.id, statuses=("finished",))
        answers = await uow.answers.for_person(client.id, since=start, shared_only=True)
        by_run: dict[int, list[AnswerFact]] = {}
        for answer in answers:
            by_run.setdefault(answer.run_id, []).append(
                AnswerFact(
                    answer.id, answer.step_id, answer.value, answer.visibility, answer.created_at
                )
            )
        run_facts = tuple(
            RunFact(
                id=run.id,
                dialogue_id=run.dialogue_id,
                status=run.status,
                finished_at=run.finished_at,
                answers=tuple(by_run[run.id]),
                # A group-context run stays the group's even if its meeting row is gone.
                meeting_kind=BACKSTAGE
                if run.context == "group"
                else (kinds.get(run.meeting_id) if run.meeting_id else None),
                material=run_material(run),
            )
            for run in runs
            if run.id in by_run
        )
        events: dict[int, list[EventFact]] = {}
        for event in await uow.commitments.events_of_person(client.id):
            events.setdefault(event.commitment_id, []).append(
                EventFact(event.kind, event.created_at, event.due_date, event.note, event.run_id)
            )
        commitments = tuple(
            CommitmentFact(
                id=c.id,
                text=c.text,
                due_date=c.due_date,
                status=c.status,
                created_at=c.created_at,
                run_id=c.run_id,
                done_when=c.done_when,
                events=tuple(events.get(c.id, ())),
                parent_id=c.parent_id,
            )
            for c in await uow.commitments.list_for(client.id)
        )
        target = meeting.starts_at if meeting is not None else until
        held_before = [
            m
            for m in meetings
            if m.cancelled_at is None
            and m.kind != "backstage"
            and m.starts_at <= min(until, target)
            and (meeting is None or m.id != meeting.id)
        ]
        last_held = max(held_before, key=lambda m: (m.starts_at, m.id), default=None)
        return SummaryFacts(
            client_name=_name(client),
            relation=Relation(start, end),
            until=until,
            runs=run_facts,
            commitments=commitments,
            meeting=_meeting_fact(meeting) if meeting is not None else None,
            last_held=_meeting_fact(last_held) if last_held is not None else None,
            auto_paused_at=client.auto_paused_at if client.paused else None,
            care_threshold=self._settings.care_threshold,
            held_back=frozenset(consent.held_back or []) if consent is not None else frozenset(),
            note=consent.note if consent is not None else None,
        )

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    async def _person(uow: UnitOfWork, person_id: int) -> Person:
        person = await uow.people.get(person_id)
        if person is None:
            raise LookupError(person_id)
        return person

    @staticmethod
    async def _next_meeting(
        uow: UnitOfWork, client_id: int, coach_id: int | None, now: datetime
    ) -> Meeting | None:
        """The client's next coaching meeting with a coach they work with now (this one)."""
        for meeting in await uow.meetings.upcoming_for_client(client_id, now):
            if meeting.kind == "backstage" or meeting.coach_id is None:
                continue
            if coach_id is not None and meeting.coach_id != coach_id:
                continue
            if await uow.relations.active(meeting.coach_id, client_id) is not None:
                return meeting
        return None

    @staticmethod
    async def _last_shared(
        uow: UnitOfWork, client_id: int, coach_id: int, now: datetime
    ) -> tuple[SummaryConsent, Meeting] | None:
        """The latest summary delivered to this coach since their relation (re)started."""
        relation = await uow.relations.get(coach_id, client_id)
        start = relation.created_at if relation is not None else now
        for consent in await uow.summaries.consents_for(client_id, coach_id=coach_id):
            if consent.delivered_at is None or consent.delivered_at < start:
                continue
            meeting = await uow.meetings.get(consent.meeting_id)
            if meeting is not None:
                return consent, meeting
        return None

    @staticmethod
    async def _audit(
        uow: UnitOfWork,
        client_id: int,
        viewer_id: int,
        result: CoachSummary,
        channel: Channel,
        now: datetime,
    ) -> None:
        await uow.summaries.add_view(
            SummaryView(
                client_id=client_id,
                viewer_id=viewer_id,
                meeting_id=result.shown_meeting_id,
                channel=channel.value,
                status=result.status.value,
                viewed_at=now,
            )
        )

    @staticmethod
    def _status_text(
        t: Translator,
        name: str,
        status: SummaryStatus,
        consent: SummaryConsent | None,
        meeting: Meeting | None,
        earlier: Meeting | None,
    ) -> str:
        if status is SummaryStatus.APPROVED and consent is not None and consent.decided_at:
            return t.gettext("{name} approved this summary on {date}.").format(
                name=name, date=t.format_date(consent.decided_at)
            )
        if status is SummaryStatus.AUTO:
            return t.gettext(
                "{name} shares summaries automatically; this is what they have shared so far."
            ).format(name=name)
        shown = ""
        if earlier is not None:
            shown = " " + t.gettext(
                "Shown is what they shared before the meeting on {date}."
            ).format(date=t.format_date(earlier.starts_at))
        if meeting is None:
            return (
                t.gettext("No meeting with {name} is planned.").format(name=name) + shown
            ).strip()
        when = meeting_when(t, meeting.starts_at)
        if status is SummaryStatus.DECLINED:
            text = t.gettext("{name} chose not to share a summary before the meeting {when}.")
        else:
            text = t.gettext("{name} has not approved the summary for the meeting {when} yet.")
        return text.format(name=name, when=when) + shown


def _decision(consent: SummaryConsent | None, client: Person) -> str:
    """pending, approved, declined, or auto (automatic sharing and nothing decided)."""
    status = consent.status if consent is not None else "pending"
    if status == "pending" and client.summary_auto_share:
        return "auto"
    return status


def _name(person: Person) -> str:
    return person.display_name or f"#{person.id}"


def _meeting_fact(meeting: Meeting) -> MeetingFact:
    return MeetingFact(
        id=meeting.id,
        starts_at=meeting.starts_at,
        kind=meeting.kind,
        coach_id=meeting.coach_id,
        cancelled=meeting.cancelled_at is not None,
    )
