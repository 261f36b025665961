"""ORM models: the whole schema, every person-owned row cascading from Person for erasure.

No `from __future__ import annotations` here: with it, SQLAlchemy evaluates every column's
annotation from its text when the classes are mapped, a measurable part of `hemmaplan chat`'s
start; only annotations naming a class defined further down are quoted.
"""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.storage.column_types import EncryptedJSON, EncryptedText, UTCDateTime

# Explicit constraint names so migrations (SQLite batch mode, PostgreSQL) can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "coach", "client")
INVITE_KINDS = ("coach", "client", "group")
MEETING_KINDS = ("coaching", "backstage")
RUN_STATUSES = ("active", "paused", "finished", "cancelled")
VISIBILITIES = ("private", "coach", "group")
# Which relation a run belongs to: individual coaching (the coach reads what is shared) or a
# Backstage group (the facilitator, and with the author's yes the group, read what is shared).
# In a group-context run, visibility "coach" means the group's facilitator, never a coach.
RUN_CONTEXTS = ("coaching", "group")
# A commitment is open until it is done or dropped; "partly" and "not yet" are check-in answers
# that keep it open (kept as `last_check` and as events, never as the status).
COMMITMENT_STATUSES = ("open", "done", "dropped")
CHECK_RESULTS = ("done", "partly", "not_yet", "dropped")
# What happened to a commitment, in `commitment_events.kind`.
COMMITMENT_EVENT_KINDS = ("created", "done", "partly", "not_yet", "dropped", "moved", "reopened")
# A client's decision about the summary their coach gets before a meeting.
CONSENT_STATUSES = ("pending", "approved", "declined")
# Where a coach opened a client's summary (the audit log the client sees in /privacy).
VIEW_CHANNELS = ("telegram", "pdf", "cli")
PROMPT_STATUSES = (
    "planned",  # waiting for its due time
    "sent",  # delivered; waiting for the person to act on it
    "answered",  # the person started it (start now)
    "snoozed",  # the person asked for it later (a new prompt carries it)
    "skipped",  # the person said skip
    "ignored",  # sent, and the next prompt came without any action on this one
    "cancelled",  # no longer wanted (re-planned, paused, blocked, person erased ...)
    "failed",  # could not be delivered (see the delivery code for which way it errs)
)


def utcnow() -> datetime:
    """The current time in UTC (fallback default; services pass their own `now`)."""
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def _person_fk(ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey("people.id", ondelete=ondelete)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Person(Base):
    """A user of the bot (manager, coach or admin), or a console user."""

    __tablename__ = "people"
    __table_args__ = (_one_of("role", ROLES, "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    console_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(EncryptedText)
    role: Mapped[str] = mapped_column(String(16), default="client")
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    checkin_time: Mapped[time | None] = mapped_column(Time)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    paused: Mapped[bool] = mapped_column(default=False)
    # Check-ins resume on this (local) date; None = no end date (or not paused).
    pause_until: Mapped[date | None] = mapped_column(Date)
    # Set when the product paused check-ins itself (prompt fatigue); the coach's /clients shows it.
    auto_paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Prompts sent in a row that got no reaction at all (start, snooze or skip resets it).
    ignored_streak: Mapped[int] = mapped_column(Integer, default=0)
    # At most this many unsolicited prompts a week; None = the default setting.
    weekly_prompt_cap: Mapped[int | None] = mapped_column(Integer)
    # A coach's own prompt offsets for their clients ({"after_meeting_hours": 24, ...}).
    prompt_offsets: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set whenever something the schedule depends on changed (a meeting, a due date, the time
    # zone, pausing ...); the scheduler re-plans these people and clears it.
    replan_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # The client lets their summary go to their coach without approving each preview.
    summary_auto_share: Mapped[bool] = mapped_column(default=False, server_default=false())
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    onboarding: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"Person(id={self.id!r}, role={self.role!r})"


class CoachClient(Base):
    """A coach works with a client from `created_at` until `ended_at` (None while active).

    A coach sees only answers the client gave while the relation is active; ending it keeps the
    row (so a later invitation reopens it with a new start) but hides everything from the coach.
    """

    __tablename__ = "coach_clients"
    __table_args__ = (UniqueConstraint("coach_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(_person_fk())
    client_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach: Mapped[Person] = relationship(foreign_keys=[coach_id], lazy="raise")
    client: Mapped[Person] = relationship(foreign_keys=[client_id], lazy="raise")


class Invite(Base):
    """A one-time invitation link; only the hash of its token is stored."""

    __tablename__ = "invites"
    __table_args__ = (_one_of("kind", INVITE_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The invite outlives the person who used it, but no longer points at them.
    used_by_id: Mapped[int | None] = mapped_column(_person_fk("SET NULL"), index=True)
    # For kind "group": the Backstage group the link lets its user join.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )


class Meeting(Base):
    """A coaching or Backstage meeting of a client."""

    __tablename__ = "meetings"
    __table_args__ = (
        _one_of("kind", MEETING_KINDS, "kind"),
        Index(None, "client_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(_person_fk())
    # The meeting belongs to the client: erasing the coach only forgets who the coach was.
    coach_id: Mapped[int | None] = mapped_column(_person_fk("SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16), default="coaching")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    # Who put it in the calendar (the coach, or the client recording their own next meeting).
    created_by_id: Mapped[int | None] = mapped_column(_person_fk("SET NULL"), index=True)
    # A cancelled meeting stays for the record but anchors nothing; a past one counts as held.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kind "backstage": the group meeting this is the member's own copy of (so the scheduler's
    # before/after prompts, reminders and .ics work per member as for a coaching meeting).
    group_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_meetings.id", ondelete="CASCADE"), index=True
    )


class DialogueRun(Base):
    """One pass of a person through a dialogue; `state` is the engine's JSON state."""

    __tablename__ = "dialogue_runs"
    __table_args__ = (
        _one_of("status", RUN_STATUSES, "status"),
        _one_of("context", RUN_CONTEXTS, "context"),
        Index(None, "person_id", "status"),
        Index(None, "person_id", "dialogue_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(_person_fk())
    dialogue_id: Mapped[str] = mapped_column(String(64))
    dialogue_version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="active")
    state: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    phrasings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    # Optimistic concurrency: every UPDATE of a run says `WHERE version = <the version read>`
    # and increments it, so two processes stepping the same run cannot both write; the loser's
    # unit of work fails (ConcurrentUpdate) and is retried on the fresh row.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The Telegram message showing this run's live screen (its buttons): when the screen moves
    # to another message, the buttons of this one are removed, so one run never has two live
    # screens. Written with a step that edits the pressed message; a screen sent as a new
    # message after a step is remembered by the process (DialogueService.screen_shown) and
    # written only for a start or resume (RunRepository.set_screen_message, no version bump).
    screen_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # "group" when the run belongs to a Backstage group (tied to a group meeting through
    # `meeting_id`, or a check-in on a commitment made there): an individual coach never sees
    # it, and a facilitator never sees a "coaching" run. Kept even if the meeting goes away.
    context: Mapped[str] = mapped_column(String(16), default="coaching", server_default="coaching")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read once by the mapper)

    answers: Mapped[list["Answer"]] = relationship(
        back_populates="run",
        lazy="raise",
        order_by="Answer.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Answer(Base):
    """The answer to one step of a finished run."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("run_id", "step_id"),
        _one_of("visibility", VISIBILITIES, "visibility"),
        Index(None, "person_id", "dialogue_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("dialogue_runs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(_person_fk())
    dialogue_id: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Any] = mapped_column(EncryptedJSON, nullable=True)
    visibility: Mapped[str] = mapped_column(String(16), default="coach")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    run: Mapped["DialogueRun"] = relationship(back_populates="answers", lazy="raise")
    revisions: Mapped[list["AnswerRevision"]] = relationship(
        lazy="raise",
        order_by="AnswerRevision.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class AnswerRevision(Base):
    """A previous value of an answer, kept when the answer is edited."""

    __tablename__ = "answer_revisions"
    __table_args__ = (_one_of("visibility", VISIBILITIES, "visibility"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    value: Mapped[Any] = mapped_column(EncryptedJSON, nullable=True)
    visibility: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Commitment(Base):
    """Something the person decided to do by a date (an åtagande)."""

    __tablename__ = "commitments"
    __table_args__ = (
        _one_of("status", COMMITMENT_STATUSES, "status"),
        Index(None, "person_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(_person_fk())
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("dialogue_runs.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(EncryptedText)
    done_when: Mapped[str | None] = mapped_column(EncryptedText)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    # The latest check-in answer (done, partly, not_yet, dropped), None before the first.
    last_check: Mapped[str | None] = mapped_column(String(16))
    # "Partly": the rest may become a new commitment that points back at this one.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CommitmentEvent(Base):
    """One change of a commitment (created, a check-in answer, a moved date), with its time."""

    __tablename__ = "commitment_events"
    __table_args__ = (
        _one_of("kind", COMMITMENT_EVENT_KINDS, "kind"),
        Index(None, "commitment_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    # The due date set by this event (created, moved, or a check-in that gave a new date).
    due_date: Mapped[date | None] = mapped_column(Date)
    # What helped or got in the way, in the person's words.
    note: Mapped[str | None] = mapped_column(EncryptedText)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("dialogue_runs.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlannedPrompt(Base):
    """A message the bot plans to send at `due_at` (check-in, commitment follow-up, ...)."""

    __tablename__ = "planned_prompts"
    __table_args__ = (
        _one_of("status", PROMPT_STATUSES, "status"),
        Index(None, "status", "due_at"),
        # The planner's identity of a prompt ("checkin:12", "before_meeting:5" ...): re-planning
        # updates the row instead of adding a second one, even from two processes at once.
        UniqueConstraint("person_id", "plan_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # What the prompt is about (a commitment id, a meeting id ...), interpreted per kind.
    ref_id: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    plan_key: Mapped[str | None] = mapped_column(String(96))
    # Which wording was used, so a repeated prompt can use another.
    variant: Mapped[int] = mapped_column(Integer, default=0)
    # The Telegram message that carried it (to take its buttons away once acted on).
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    # When the person started, snoozed or skipped it.
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SummaryConsent(Base):
    """A client's decision about the summary one coach gets before one meeting.

    `content_until` is the moment the client's preview was composed: what they approve is what
    they saw, so anything finished later waits for the next summary.
    """

    __tablename__ = "summary_consents"
    __table_args__ = (
        _one_of("status", CONSENT_STATUSES, "status"),
        UniqueConstraint("client_id", "coach_id", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    coach_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # Keys of the items the client held back ("run:12", "answer:40", "trend:nulage:role" ...).
    held_back: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    content_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    preview_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SummaryView(Base):
    """One time a coach opened (or was sent) a client's summary: the client's audit log."""

    __tablename__ = "summary_views"
    __table_args__ = (
        _one_of("channel", VIEW_CHANNELS, "channel"),
        Index(None, "client_id", "viewed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(_person_fk())
    # The row is the client's record: a viewer who erased themselves is forgotten, not the view.
    viewer_id: Mapped[int | None] = mapped_column(_person_fk("SET NULL"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    # What was shown: approved, auto, pending (earlier shared content only), declined.
    status: Mapped[str] = mapped_column(String(16))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Group(Base):
    """A Backstage peer group led by a facilitator (samtalsledare)."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The group is the facilitator's: erasing them ends the group and its meeting plan.
    facilitator_id: Mapped[int] = mapped_column(_person_fk(), index=True)
    name: Mapped[str] = mapped_column(EncryptedText)
    # How many members the group is planned for (one case meeting each).
    size: Mapped[int] = mapped_column(Integer)
    interval_days: Mapped[int] = mapped_column(Integer)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=180)
    # The usual time and place, in the facilitator's words ("Tisdagar 13-16, Konferens Ek").
    place: Mapped[str | None] = mapped_column(EncryptedText)
    # The group's own Telegram chat, if the facilitator added the bot there (logistics only).
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupMember(Base):
    """A member of a group; leaving erases the member's group data and forgets who it was."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # None once the member left (the row only says that someone left, and when).
    person_id: Mapped[int | None] = mapped_column(_person_fk("SET NULL"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GroupMeeting(Base):
    """One meeting of a group: number 0 is the start-up, then one per member as case owner."""

    __tablename__ = "group_meetings"
    __table_args__ = (
        UniqueConstraint("group_id", "number"),
        Index(None, "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    case_owner_id: Mapped[int | None] = mapped_column(_person_fk("SET NULL"), index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupChatPost(Base):
    """A logistics message posted (or reserved) in a group's Telegram chat: the per-chat rate
    (Telegram allows 20 messages a minute in a group) is counted from these rows."""

    __tablename__ = "group_chat_posts"
    __table_args__ = (Index(None, "chat_id", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SendPacer(Base):
    """A shared send schedule: processes reserve send slots here so that together they stay
    within Telegram's per-bot rate (one row per limit, e.g. "bot")."""

    __tablename__ = "send_pacers"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KeyCheck(Base):
    """A known text encrypted with the key: proves at start-up that the key fits the data."""

    __tablename__ = "key_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    marker: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Tables whose encrypted columns `rotate_keys` re-encrypts.
ENCRYPTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "key_check": ("marker",),
    "people": ("display_name",),
    "dialogue_runs": ("state",),
    "answers": ("value",),
    "answer_revisions": ("value",),
    "commitments": ("text", "done_when"),
    "commitment_events": ("note",),
    "summary_consents": ("note",),
    "groups": ("name", "place"),
}
