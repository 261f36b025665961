"""The desired prompts of one person: pure, from their meetings, commitments and sent prompts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.scheduling.localtime import LocalTiming
from bot.scheduling.offsets import PromptOffsets

AFTER_MEETING = "after_meeting"
CHECKIN = "checkin"
NUDGE = "nudge"
BEFORE_MEETING = "before_meeting"
# Backstage: the case owner prepares the case; the other members get the owner's brief.
CASE_PREP = "case_prep"
GROUP_BRIEF = "group_brief"
# The facilitator: the overview before each meeting, and a reminder in the group's own chat.
GROUP_VIEW = "group_view"
GROUP_CHAT = "group_chat"
# The kinds the planner owns: re-planning cancels a planned row of these kinds it no longer wants.
PLANNED_KINDS = (
    BEFORE_MEETING,
    CHECKIN,
    AFTER_MEETING,
    NUDGE,
    CASE_PREP,
    GROUP_BRIEF,
    GROUP_VIEW,
    GROUP_CHAT,
)
# Who wins when the weekly cap or a busy day leaves room for fewer: preparation first, then the
# follow-up that must come within a day or two of the meeting; a commitment's check-in can wait
# some days (and *inför mötet* goes through the open commitments anyway); the nudge is a bonus.
PRIORITY = {
    CASE_PREP: 0,
    BEFORE_MEETING: 0,
    AFTER_MEETING: 1,
    CHECKIN: 2,
    NUDGE: 3,
    GROUP_BRIEF: 4,
    GROUP_VIEW: 4,
    GROUP_CHAT: 4,
}
# Kinds that only inform (nothing to answer): they come on their day whatever else is planned,
# and take no room from the prompts that ask something.
INFORMING_KINDS = frozenset({GROUP_BRIEF, GROUP_VIEW, GROUP_CHAT})
# Backstage's own prompts do not use up the weekly cap: otherwise a case owner's preparation
# would crowd out the follow-up after their meeting.
UNCOUNTED_KINDS = (CASE_PREP, GROUP_BRIEF, GROUP_VIEW, GROUP_CHAT)
# What a group counts on goes out through the product's own fatigue pause (the others count on
# the owner's preparation, and on the facilitator's overview and the reminder in the group's
# chat), but not through a pause the person chose themself.
THROUGH_AUTO_PAUSE = frozenset({CASE_PREP, GROUP_BRIEF, GROUP_VIEW, GROUP_CHAT})

WEEK = timedelta(days=7)
# How late a prompt may still come (after its planned time) before it is not worth sending.
AFTER_MEETING_GRACE = timedelta(days=1)
CHECKIN_GRACE = timedelta(days=10)
# *Inför mötet* must arrive at least this long before the meeting starts.
BEFORE_MEETING_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class MeetingFact:
    """A meeting as the planner sees it."""

    id: int
    starts_at: datetime
    cancelled: bool = False
    # A member's row of a Backstage group meeting: no mid-interval nudge (its menu offers
    # reflections outside the group, which the group context would not hold).
    group: bool = False


@dataclass(frozen=True)
class CommitmentFact:
    """An open commitment as the planner sees it."""

    id: int
    due_date: date


@dataclass(frozen=True)
class GroupMeetingFact:
    """A member's own row of a Backstage group meeting, as the planner sees it."""

    id: int
    starts_at: datetime
    # The person brings the case to this meeting.
    case_owner: bool = False
    # Someone else brings the case and agreed to share their preparation with the group.
    brief_shared: bool = False
    # The person has finished preparing their case for it.
    case_prepared: bool = False


@dataclass(frozen=True)
class LedMeetingFact:
    """A meeting of a group the person leads as facilitator."""

    id: int  # the group meeting
    starts_at: datetime
    # The bot is in the group's own Telegram chat (a reminder goes there).
    chat: bool = False


@dataclass(frozen=True)
class GroupTiming:
    """Days before a group meeting for the case preparation and for the brief."""

    case_prep_days: int = 5
    brief_days: int = 2
    # The facilitator's overview and the chat's reminder come this many days before.
    view_days: int = 1


@dataclass(frozen=True)
class PlanInput:
    """Everything the schedule of one person depends on."""

    now: datetime
    timing: LocalTiming
    offsets: PromptOffsets = field(default_factory=PromptOffsets)
    weekly_cap: int = 2
    active: bool = True
    paused: bool = False
    pause_until: date | None = None
    # The pause is the product's own (ignored prompts), not one the person chose.
    auto_paused: bool = False
    meetings: Sequence[MeetingFact] = ()
    commitments: Sequence[CommitmentFact] = ()
    # Keys of prompts past planning (sent, acted on ...): never planned a second time.
    closed_keys: frozenset[str] = frozenset()
    # When prompts were sent in the last week: they fill the cap.
    recent_sends: Sequence[datetime] = ()
    # When the person last finished a reflection (a nudge is only for those who have not since
    # the meeting).
    last_reflection_at: datetime | None = None
    group_meetings: Sequence[GroupMeetingFact] = ()
    led_meetings: Sequence[LedMeetingFact] = ()
    group_timing: GroupTiming = field(default_factory=GroupTiming)


@dataclass(frozen=True)
class DesiredPrompt:
    """A prompt the planner wants at `due_at` (UTC)."""

    kind: str
    ref_id: int | None
    plan_key: str
    due_at: datetime


@dataclass
class _Candidate:
    kind: str
    ref_id: int
    plan_key: str
    due_at: datetime
    # The latest time it is still worth sending.
    deadline: datetime


def after_meeting_key(meeting_id: int) -> str:
    """The plan key of *efter mötet* for a meeting."""
    return f"{AFTER_MEETING}:{meeting_id}"


def before_meeting_key(meeting_id: int, day: date) -> str:
    """The plan key of *inför mötet*; a meeting moved to another day gets a fresh one."""
    return f"{BEFORE_MEETING}:{meeting_id}:{day.isoformat()}"


def nudge_key(meeting_id: int) -> str:
    """The plan key of the mid-interval nudge after a meeting."""
    return f"{NUDGE}:{meeting_id}"


def case_prep_key(meeting_id: int) -> str:
    """The plan key of a case owner's preparation prompt for a group meeting."""
    return f"{CASE_PREP}:{meeting_id}"


def group_brief_key(meeting_id: int) -> str:
    """The plan key of the case owner's brief to a member before a group meeting."""
    return f"{GROUP_BRIEF}:{meeting_id}"


def group_view_key(group_meeting_id: int) -> str:
    """The plan key of the facilitator's overview before a group meeting."""
    return f"{GROUP_VIEW}:{group_meeting_id}"


def group_chat_key(group_meeting_id: int) -> str:
    """The plan key of the reminder in a group's chat before a meeting."""
    return f"{GROUP_CHAT}:{group_meeting_id}"


def checkin_key(commitment_id: int, due: date) -> str:
    """The plan key of a commitment's check-in; a new due date gets a new check-in."""
    return f"{CHECKIN}:{commitment_id}:{due.isoformat()}"


def nudge_wanted(meeting_start: datetime, last_reflection_at: datetime | None) -> bool:
    """A nudge after a meeting is wanted only if no reflection was finished since it began."""
    return last_reflection_at is None or last_reflection_at < meeting_start


def desired_prompts(plan: PlanInput) -> list[DesiredPrompt]:
    """The prompts the person should get from now on, each at a permitted local time."""
    if not plan.active:
        return []
    kinds: frozenset[str] | None = None  # None: every kind
    if plan.paused and plan.pause_until is None:
        if not plan.auto_paused:
            return []
        kinds = THROUGH_AUTO_PAUSE
    candidates = [
        c
        for c in _candidates(plan)
        if c.plan_key not in plan.closed_keys and (kinds is None or c.kind in kinds)
    ]
    resume = _resume_at(plan)
    earliest = plan.timing.leave_quiet(plan.now)
    taken = list(plan.recent_sends)
    wanted: list[DesiredPrompt] = []
    for candidate in sorted(candidates, key=lambda c: (PRIORITY[c.kind], c.due_at, c.ref_id)):
        due, deadline = candidate.due_at, candidate.deadline
        if resume is not None and due < resume:
            due = resume
            if candidate.kind == CHECKIN:
                # A commitment stays open through a pause: ask about it once check-ins resume.
                deadline = max(deadline, resume + CHECKIN_GRACE)
        if due < plan.now:
            # Planned late (the meeting or commitment was recorded after the fact): as soon as
            # quiet hours allow.
            due = earliest
        if candidate.kind in INFORMING_KINDS:
            if due <= deadline:
                wanted.append(
                    DesiredPrompt(candidate.kind, candidate.ref_id, candidate.plan_key, due)
                )
            continue
        placed = _place(plan, due, deadline, taken)
        if placed is None:
            continue
        taken.append(placed)
        wanted.append(DesiredPrompt(candidate.kind, candidate.ref_id, candidate.plan_key, placed))
    wanted.sort(key=lambda p: (p.due_at, PRIORITY[p.kind]))
    return wanted


def fits(timing: LocalTiming, at: datetime, taken: Sequence[datetime], weekly_cap: int) -> bool:
    """True if one more prompt at `at` keeps one a local day and `weekly_cap` in any 7 days."""
    day = timing.local_date(at)
    if any(timing.local_date(other) == day for other in taken):
        return False
    near = sorted([other for other in taken if abs(other - at) < WEEK] + [at])
    # Every 7-day window holding `at` starts at one of these times (or earlier, holding fewer).
    for start in near:
        if start > at:
            break
        if sum(1 for other in near if start <= other < start + WEEK) > weekly_cap:
            return False
    return True


def _place(
    plan: PlanInput, due: datetime, deadline: datetime, taken: Sequence[datetime]
) -> datetime | None:
    """`due`, or the check-in time of the first later day with room, if before the deadline."""
    at = due
    while at <= deadline:
        if fits(plan.timing, at, taken, plan.weekly_cap):
            return at
        at = plan.timing.on_day(plan.timing.local_date(at) + timedelta(days=1))
    return None


def _resume_at(plan: PlanInput) -> datetime | None:
    """When a pause with an end date ends (the check-in time that day), if still ahead."""
    if not plan.paused or plan.pause_until is None:
        return None
    resume = plan.timing.on_day(plan.pause_until)
    return resume if resume > plan.now else None


def _candidates(plan: PlanInput) -> list[_Candidate]:
    timing, offsets = plan.timing, plan.offsets
    meetings = sorted((m for m in plan.meetings if not m.cancelled), key=lambda m: m.starts_at)
    result: list[_Candidate] = []
    for index, meeting in enumerate(meetings):
        day = timing.local_date(meeting.starts_at)
        held = meeting.starts_at <= plan.now
        after_due = timing.on_day(day + timedelta(days=offsets.after_meeting_days))
        if after_due <= meeting.starts_at:
            after_due = timing.next_at(meeting.starts_at)
        result.append(
            _Candidate(
                AFTER_MEETING,
                meeting.id,
                after_meeting_key(meeting.id),
                after_due,
                after_due + AFTER_MEETING_GRACE,
            )
        )
        if not held:
            before_due = timing.on_day(day - timedelta(days=offsets.before_meeting_days))
            result.append(
                _Candidate(
                    BEFORE_MEETING,
                    meeting.id,
                    before_meeting_key(meeting.id, day),
                    before_due,
                    meeting.starts_at - BEFORE_MEETING_MARGIN,
                )
            )
        following = meetings[index + 1] if index + 1 < len(meetings) else None
        if (
            following is None
            or meeting.group
            or (held and not nudge_wanted(meeting.starts_at, plan.last_reflection_at))
        ):
            continue
        next_day = timing.local_date(following.starts_at)
        gap = (next_day - day).days
        nudge_day = day + timedelta(days=round(gap * offsets.nudge_percent / 100))
        first_free = day + timedelta(days=offsets.after_meeting_days + 1)
        last_free = next_day - timedelta(days=offsets.before_meeting_days + 1)
        if not first_free <= nudge_day <= last_free:
            continue  # meetings too close together for a nudge of its own
        result.append(
            _Candidate(
                NUDGE,
                meeting.id,
                nudge_key(meeting.id),
                timing.on_day(nudge_day),
                timing.on_day(last_free),
            )
        )
    result.extend(_group_candidates(plan))
    result.extend(_facilitator_candidates(plan))
    for commitment in plan.commitments:
        due = timing.on_day(commitment.due_date)
        result.append(
            _Candidate(
                CHECKIN,
                commitment.id,
                checkin_key(commitment.id, commitment.due_date),
                due,
                due + CHECKIN_GRACE,
            )
        )
    return result


def _group_candidates(plan: PlanInput) -> list[_Candidate]:
    """Backstage: the case owner's preparation and the other members' brief."""
    timing, days = plan.timing, plan.group_timing
    result: list[_Candidate] = []
    for meeting in plan.group_meetings:
        if meeting.starts_at <= plan.now:
            continue
        day = timing.local_date(meeting.starts_at)
        deadline = meeting.starts_at - BEFORE_MEETING_MARGIN
        if meeting.case_owner and not meeting.case_prepared:
            due = timing.on_day(day - timedelta(days=days.case_prep_days))
            result.append(
                _Candidate(CASE_PREP, meeting.id, case_prep_key(meeting.id), due, deadline)
            )
        if meeting.brief_shared and not meeting.case_owner:
            due = timing.on_day(day - timedelta(days=days.brief_days))
            result.append(
                _Candidate(GROUP_BRIEF, meeting.id, group_brief_key(meeting.id), due, deadline)
            )
    return result


def _facilitator_candidates(plan: PlanInput) -> list[_Candidate]:
    """Backstage, for a facilitator: the overview before each meeting, and the reminder in the
    group's chat (if the bot is there)."""
    timing, days = plan.timing, plan.group_timing
    result: list[_Candidate] = []
    for meeting in plan.led_meetings:
        if meeting.starts_at <= plan.now:
            continue
        day = timing.local_date(meeting.starts_at)
        due = timing.on_day(day - timedelta(days=days.view_days))
        deadline = meeting.starts_at - BEFORE_MEETING_MARGIN
        result.append(_Candidate(GROUP_VIEW, meeting.id, group_view_key(meeting.id), due, deadline))
        if meeting.chat:
            result.append(
                _Candidate(GROUP_CHAT, meeting.id, group_chat_key(meeting.id), due, deadline)
            )
    return result
