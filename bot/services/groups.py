"""Backstage groups: create a group with its meeting plan, invite and admit members, swap case
owners, move meetings, leave; and which dialogue a group meeting's prompt opens.

Who sees what: the facilitator leads the group and reads what members share with the
facilitator (visibility "coach" in a group-context run) or with the group ("group"); members
see the plan, who owns which meeting, and a case owner's brief only when the owner said yes.
A member's individual coach sees none of it (group-context runs are left out there).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.dialogue.answer_views import format_answer, step_label
from bot.dialogue.loader import DialogueCatalog
from bot.i18n import Translator
from bot.scheduling.plan import AFTER_MEETING, BEFORE_MEETING, CASE_PREP
from bot.services.group_plan import START_UP, as_utc, meeting_dates
from bot.services.invites import InviteStatus, hash_token, invite_check, looks_like_token
from bot.services.meetings import Party
from bot.storage.models import Group, GroupMeeting, GroupMember, Invite, Meeting, Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

_TOKEN_BYTES = 24
MAX_NAME = 60
MAX_PLACE = 200
MIN_INTERVAL_DAYS = 7
MAX_INTERVAL_DAYS = 92

CASE_DIALOGUE = "case_forberedelse"
AFTER_DIALOGUE = "backstage_efter"
AFTER_CASE_DIALOGUE = "backstage_efter_case"
BEFORE_DIALOGUE = "infor_motet"


class GroupOutcome(StrEnum):
    """What a group action came to."""

    OK = "ok"
    NOT_ALLOWED = "not_allowed"  # not the facilitator (or not a member)
    NOT_FOUND = "not_found"  # no such group or meeting
    FULL = "full"  # the group has all its members
    ALREADY = "already"  # already a member
    PASSED = "passed"  # the time is not in the future, or the meeting was held
    INVALID = "invalid"  # size, interval, name or place out of range
    ORDER = "order"  # a move would put a meeting before the one before it (or after the next)


@dataclass(frozen=True)
class GroupDraft:
    """What a facilitator gives to create a group."""

    name: str
    size: int
    interval_days: int
    first_at: datetime
    place: str | None = None


@dataclass(frozen=True)
class MemberInfo:
    """A current member as the plan shows them."""

    person_id: int
    name: str
    paused: bool
    joined_at: datetime


@dataclass(frozen=True)
class GroupMeetingInfo:
    """One meeting of the plan."""

    id: int
    number: int
    starts_at: datetime
    duration_minutes: int
    owner_id: int | None
    owner_name: str | None
    cancelled: bool
    created_at: datetime
    updated_at: datetime

    @property
    def is_start_up(self) -> bool:
        """The start-up meeting has no case owner."""
        return self.number == START_UP


@dataclass(frozen=True)
class GroupInfo:
    """A group with its members and plan, as its facilitator or a member sees it."""

    id: int
    name: str
    size: int
    interval_days: int
    duration_minutes: int
    place: str | None
    facilitator_id: int
    facilitator_name: str
    chat_linked: bool
    members: tuple[MemberInfo, ...]
    meetings: tuple[GroupMeetingInfo, ...]
    departures: tuple[datetime, ...] = ()
    # The facilitator's language and time zone: what the group's own chat is written in.
    locale: str | None = None
    timezone: str | None = None

    def meeting(self, number: int) -> GroupMeetingInfo | None:
        """The meeting with this plan number, if any."""
        return next((m for m in self.meetings if m.number == number), None)

    def next_meeting(self, now: datetime) -> GroupMeetingInfo | None:
        """The first meeting ahead that is not cancelled."""
        return next((m for m in self.meetings if not m.cancelled and m.starts_at > now), None)


@dataclass(frozen=True)
class GroupChange:
    """The result of a change of the plan: whom to tell, and the group as it is now."""

    outcome: GroupOutcome
    group: GroupInfo | None = None
    meeting: GroupMeetingInfo | None = None
    previous_start: datetime | None = None
    tell: tuple[Party, ...] = ()


@dataclass(frozen=True)
class JoinedGroup:
    """What joining through a group link came to."""

    outcome: GroupOutcome
    group_id: int | None = None
    group_name: str | None = None


@dataclass(frozen=True)
class Leaving:
    """What leaving a group came to, and the facilitator to tell."""

    outcome: GroupOutcome
    group_name: str | None = None
    facilitator: Party | None = None


@dataclass(frozen=True)
class GroupEnding:
    """A group that an erasure touches: its name and whom to tell afterwards."""

    name: str
    tell: tuple[Party, ...]
    # The group's own Telegram chat (a group the person led), to say goodbye in and leave.
    chat_id: int | None = None
    chat_locale: str | None = None
    chat_timezone: str | None = None


@dataclass(frozen=True)
class ErasureGroups:
    """Before a person is erased: the groups they lead (whose plans go with them; tell the
    members) and the groups they are a member of (tell the facilitator someone left)."""

    led: tuple[GroupEnding, ...] = ()
    joined: tuple[GroupEnding, ...] = ()


@dataclass(frozen=True)
class BriefLine:
    """One answer of a case preparation, labelled in the reader's language."""

    label: str
    text: str


@dataclass(frozen=True)
class Brief:
    """A case owner's preparation as one reader may see it."""

    group_name: str
    owner_name: str
    starts_at: datetime
    lines: tuple[BriefLine, ...]
    shared_with_group: bool


@dataclass(frozen=True)
class CalendarRow:
    """One meeting as it goes into the reader's calendar file (their own row's identity, so
    a moved meeting updates the event imported before)."""

    uid_id: int
    uid_prefix: str
    created_at: datetime
    updated_at: datetime
    meeting: GroupMeetingInfo


@dataclass(frozen=True)
class GroupTie:
    """A member's meeting row tied to a group meeting: which dialogue its prompt opens."""

    meeting_id: int
    group_id: int
    group_meeting_id: int
    dialogue_id: str | None


def _name(person: Person | None) -> str:
    if person is None:
        return "?"
    return person.display_name or f"#{person.id}"


def _party(person: Person) -> Party:
    return Party(person.id, person.telegram_id, person.locale, person.timezone, _name(person))


def _reachable(person: Person) -> bool:
    return person.telegram_id is not None and person.active and person.consent_at is not None


async def load_group(uow: UnitOfWork, group: Group) -> GroupInfo:
    """A group's snapshot with members, plan and departures."""
    facilitator = await uow.people.get(group.facilitator_id)
    members = await uow.groups.members(group.id)
    names = {person.id: _name(person) for _, person in members}
    meetings = []
    for gm in await uow.groups.meetings(group.id):
        owner_name = None
        if gm.case_owner_id is not None:
            owner = names.get(gm.case_owner_id)
            owner_name = owner or _name(await uow.people.get(gm.case_owner_id))
        meetings.append(
            GroupMeetingInfo(
                id=gm.id,
                number=gm.number,
                starts_at=gm.starts_at,
                duration_minutes=group.duration_minutes,
                owner_id=gm.case_owner_id,
                owner_name=owner_name,
                cancelled=gm.cancelled_at is not None,
                created_at=gm.created_at,
                updated_at=gm.updated_at,
            )
        )
    return GroupInfo(
        id=group.id,
        name=group.name,
        size=group.size,
        interval_days=group.interval_days,
        duration_minutes=group.duration_minutes,
        place=group.place,
        facilitator_id=group.facilitator_id,
        facilitator_name=_name(facilitator),
        chat_linked=group.chat_id is not None,
        members=tuple(
            MemberInfo(person.id, _name(person), person.paused, member.joined_at)
            for member, person in members
        ),
        meetings=tuple(meetings),
        # Someone erased with /delete left no date: their joining stands in for it.
        departures=tuple(d.left_at or d.joined_at for d in await uow.groups.departures(group.id)),
        locale=facilitator.locale if facilitator is not None else None,
        timezone=facilitator.timezone if facilitator is not None else None,
    )


async def join_group(uow: UnitOfWork, person: Person, group_id: int, now: datetime) -> JoinedGroup:
    """Make the person a member (inside the caller's unit of work): they take the first case
    meeting ahead without an owner and get their own row of every meeting still ahead."""
    group = await uow.groups.get(group_id)
    if group is None:
        return JoinedGroup(GroupOutcome.NOT_FOUND)
    if group.facilitator_id == person.id:
        return JoinedGroup(GroupOutcome.NOT_ALLOWED, group.id, group.name)
    if await uow.groups.membership(group.id, person.id) is not None:
        return JoinedGroup(GroupOutcome.ALREADY, group.id, group.name)
    if await uow.groups.count_members(group.id) >= group.size:
        return JoinedGroup(GroupOutcome.FULL, group.id, group.name)
    await uow.groups.add_member(GroupMember(group_id=group.id, person_id=person.id, joined_at=now))
    meetings = await uow.groups.meetings(group.id)
    free = [
        gm
        for gm in meetings
        if gm.number != START_UP
        and gm.case_owner_id is None
        and gm.cancelled_at is None
        and gm.starts_at > now
    ]
    if free:
        free[0].case_owner_id = person.id
        free[0].updated_at = now
    for gm in meetings:
        if gm.cancelled_at is None and gm.starts_at > now:
            await uow.meetings.add(_copy(group, gm, person.id, now))
    await uow.people.mark_replan(person.id, now)
    return JoinedGroup(GroupOutcome.OK, group.id, group.name)


def _copy(group: Group, gm: GroupMeeting, person_id: int, now: datetime) -> Meeting:
    """A member's own row of a group meeting (the scheduler plans their prompts from it)."""
    return Meeting(
        client_id=person_id,
        coach_id=group.facilitator_id,
        starts_at=gm.starts_at,
        kind="backstage",
        duration_minutes=group.duration_minutes,
        created_by_id=group.facilitator_id,
        created_at=now,
        updated_at=now,
        group_meeting_id=gm.id,
    )


class GroupService:
    """Creates groups and their plans, invites members, changes the plan, lets members leave."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, settings: Settings, catalog: DialogueCatalog
    ) -> None:
        self._uow_factory = uow_factory
        self._settings = settings
        self._catalog = catalog

    def valid_draft(self, draft: GroupDraft, now: datetime) -> bool:
        """True if the draft is within the settings' limits and starts in the future."""
        settings = self._settings
        return (
            0 < len(draft.name.strip()) <= MAX_NAME
            and settings.group_min_size <= draft.size <= settings.group_max_size
            and MIN_INTERVAL_DAYS <= draft.interval_days <= MAX_INTERVAL_DAYS
            and (draft.place is None or len(draft.place) <= MAX_PLACE)
            and draft.first_at > now
        )

    async def create(
        self, facilitator_id: int, draft: GroupDraft, now: datetime
    ) -> tuple[GroupOutcome, GroupInfo | None]:
        """Create a group with its start-up meeting and one case meeting per planned member."""
        if draft.first_at <= now:
            return GroupOutcome.PASSED, None
        if not self.valid_draft(draft, now):
            return GroupOutcome.INVALID, None
        async with self._uow_factory() as uow:
            facilitator = await uow.people.get(facilitator_id)
            if facilitator is None or facilitator.role not in ("coach", "admin"):
                return GroupOutcome.NOT_ALLOWED, None
            group = await uow.groups.add(
                Group(
                    facilitator_id=facilitator_id,
                    name=draft.name.strip(),
                    size=draft.size,
                    interval_days=draft.interval_days,
                    duration_minutes=180,
                    place=(draft.place or "").strip() or None,
                    created_at=now,
                )
            )
            zone = ZoneInfo(facilitator.timezone or self._settings.timezone)
            for planned in meeting_dates(draft.first_at, draft.interval_days, draft.size, zone):
                await uow.groups.add_meeting(
                    GroupMeeting(
                        group_id=group.id,
                        number=planned.number,
                        starts_at=as_utc(planned),
                        created_at=now,
                        updated_at=now,
                    )
                )
            info = await load_group(uow, group)
            # The facilitator's overview (and chat reminder) before each meeting is planned.
            await uow.people.mark_replan(facilitator_id, now)
            await uow.commit()
            return GroupOutcome.OK, info

    async def led_by(self, facilitator_id: int) -> list[GroupInfo]:
        """The groups this person leads."""
        async with self._uow_factory() as uow:
            return [await load_group(uow, g) for g in await uow.groups.led_by(facilitator_id)]

    async def member_of(self, person_id: int) -> list[GroupInfo]:
        """The groups this person is a current member of."""
        async with self._uow_factory() as uow:
            return [await load_group(uow, g) for g in await uow.groups.groups_of(person_id)]

    async def before_erasure(self, person_id: int) -> ErasureGroups:
        """What erasing this person does to groups, read before the erasure (afterwards the
        groups they led are gone, and with them who to tell)."""
        async with self._uow_factory() as uow:
            led = []
            for group in await uow.groups.led_by(person_id):
                members = await uow.groups.members(group.id)
                tell = tuple(_party(p) for _, p in members if _reachable(p))
                me = await uow.people.get(person_id)
                led.append(
                    GroupEnding(
                        group.name,
                        tell,
                        group.chat_id,
                        me.locale if me is not None else None,
                        me.timezone if me is not None else None,
                    )
                )
            joined = []
            for group in await uow.groups.groups_of(person_id):
                facilitator = await uow.people.get(group.facilitator_id)
                reachable = facilitator is not None and _reachable(facilitator)
                joined.append(
                    GroupEnding(
                        group.name, (_party(facilitator),) if facilitator and reachable else ()
                    )
                )
            return ErasureGroups(tuple(led), tuple(joined))

    async def view(self, actor_id: int, group_id: int) -> GroupInfo | None:
        """The group if the actor leads it or is a current member; None otherwise."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None or not await self._sees(uow, actor_id, group):
                return None
            return await load_group(uow, group)

    async def invite(
        self, facilitator_id: int, group_id: int, now: datetime
    ) -> tuple[GroupOutcome, str | None]:
        """A one-time link to join the group (the invites machinery, kind "group")."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None:
                return GroupOutcome.NOT_FOUND, None
            if group.facilitator_id != facilitator_id:
                return GroupOutcome.NOT_ALLOWED, None
            if await uow.groups.count_members(group.id) >= group.size:
                return GroupOutcome.FULL, None
            token = secrets.token_urlsafe(_TOKEN_BYTES)
            await uow.invites.add(
                Invite(
                    token_hash=hash_token(token),
                    kind="group",
                    created_by_id=facilitator_id,
                    expires_at=now + timedelta(hours=self._settings.invite_ttl_hours),
                    group_id=group.id,
                )
            )
            await uow.commit()
            return GroupOutcome.OK, token

    async def accept_invite(self, person_id: int, token: str, now: datetime) -> JoinedGroup:
        """A registered person said yes to a group link: use it and join (the link stays
        unused if joining is refused, e.g. the group is full)."""
        async with self._uow_factory() as uow:
            invite = (
                await uow.invites.by_token_hash(hash_token(token))
                if looks_like_token(token)
                else None
            )
            person = await uow.people.get(person_id)
            check = invite_check(invite, now)
            if (
                invite is None
                or person is None
                or invite.kind != "group"
                or invite.group_id is None
                or check.status is not InviteStatus.VALID
            ):
                return JoinedGroup(GroupOutcome.NOT_FOUND)
            joined = await join_group(uow, person, invite.group_id, now)
            if joined.outcome is not GroupOutcome.OK:
                return joined
            if await uow.invites.use(invite.token_hash, person.id, now) is None:
                return JoinedGroup(GroupOutcome.NOT_FOUND)
            await uow.commit()
            return joined

    async def brief(self, reader_id: int, meeting_id: int, t: Translator) -> Brief | None:
        """The case owner's preparation for the group meeting of the reader's meeting row, as
        the reader may see it: the facilitator what was shared with them or the group, another
        member only what the owner shared with the group; None for anyone else."""
        async with self._uow_factory() as uow:
            copy = await uow.meetings.get(meeting_id)
            if copy is None or copy.client_id != reader_id or copy.group_meeting_id is None:
                return None
            return await self._brief(uow, reader_id, copy.group_meeting_id, t)

    async def led_meeting(
        self, facilitator_id: int, group_meeting_id: int, now: datetime
    ) -> tuple[int, int] | None:
        """(group id, meeting number) of a meeting still ahead in a group the person leads."""
        async with self._uow_factory() as uow:
            gm = await uow.groups.meeting(group_meeting_id)
            group = await uow.groups.get(gm.group_id) if gm is not None else None
            if gm is None or group is None or group.facilitator_id != facilitator_id:
                return None
            if gm.cancelled_at is not None or gm.starts_at <= now:
                return None
            return group.id, gm.number

    async def facilitator_brief(
        self, facilitator_id: int, group_meeting_id: int, t: Translator
    ) -> Brief | None:
        """The brief of a group meeting for its facilitator (None if not theirs)."""
        async with self._uow_factory() as uow:
            return await self._brief(uow, facilitator_id, group_meeting_id, t)

    async def _brief(
        self, uow: UnitOfWork, reader_id: int, group_meeting_id: int, t: Translator
    ) -> Brief | None:
        gm = await uow.groups.meeting(group_meeting_id)
        group = await uow.groups.get(gm.group_id) if gm is not None else None
        if gm is None or group is None or gm.case_owner_id is None:
            return None
        if group.facilitator_id == reader_id:
            visibilities: tuple[str, ...] = ("coach", "group")
        elif (
            reader_id != gm.case_owner_id
            and await uow.groups.membership(group.id, reader_id) is not None
        ):
            visibilities = ("group",)
        else:
            return None
        case = await uow.groups.case_run(gm.case_owner_id, gm.id)
        if case is None:
            return None
        answers = await uow.groups.answers_of(case.id, visibilities)
        if not answers:
            return None
        shared = any(a.visibility == "group" for a in answers)
        owner = await uow.people.get(gm.case_owner_id)
        return Brief(
            group_name=group.name,
            owner_name=_name(owner),
            starts_at=gm.starts_at,
            lines=tuple(
                self._line(a.dialogue_id, a.step_id, a.value, t)
                for a in answers
                # The consent answer itself is not part of the case.
                if not self._is_consent(a.dialogue_id, a.step_id)
            ),
            shared_with_group=shared,
        )

    def _is_consent(self, dialogue_id: str, step_id: str) -> bool:
        if dialogue_id not in self._catalog:
            return False
        dialogue = self._catalog.get(dialogue_id)
        return dialogue.has_step(step_id) and dialogue.step(step_id).share_with_group

    def _line(self, dialogue_id: str, step_id: str, value: object, t: Translator) -> BriefLine:
        if dialogue_id in self._catalog:
            dialogue = self._catalog.get(dialogue_id)
            if dialogue.has_step(step_id):
                step = dialogue.step(step_id)
                return BriefLine(
                    step_label(dialogue, step, t), format_answer(dialogue, step, value, t)
                )
        return BriefLine(step_id, str(value))

    async def swap(
        self, facilitator_id: int, group_id: int, first: int, second: int, now: datetime
    ) -> GroupChange:
        """Exchange the case owners of two case meetings that are still ahead."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None:
                return GroupChange(GroupOutcome.NOT_FOUND)
            if group.facilitator_id != facilitator_id:
                return GroupChange(GroupOutcome.NOT_ALLOWED)
            by_number = {gm.number: gm for gm in await uow.groups.meetings(group.id)}
            a, b = by_number.get(first), by_number.get(second)
            if a is None or b is None or START_UP in (first, second) or first == second:
                return GroupChange(GroupOutcome.NOT_FOUND)
            if a.starts_at <= now or b.starts_at <= now:
                return GroupChange(GroupOutcome.PASSED)
            a.case_owner_id, b.case_owner_id = b.case_owner_id, a.case_owner_id
            a.updated_at = b.updated_at = now
            tell = await self._replan_members(uow, group, now)
            info = await load_group(uow, group)
            await uow.commit()
            return GroupChange(GroupOutcome.OK, info, tell=tell)

    async def move(
        self, facilitator_id: int, group_id: int, number: int, starts_at: datetime, now: datetime
    ) -> GroupChange:
        """Give a meeting still ahead a new time; every member's row moves with it."""
        if starts_at <= now:
            return GroupChange(GroupOutcome.PASSED)
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None:
                return GroupChange(GroupOutcome.NOT_FOUND)
            if group.facilitator_id != facilitator_id:
                return GroupChange(GroupOutcome.NOT_ALLOWED)
            plan = [m for m in await uow.groups.meetings(group.id) if m.cancelled_at is None]
            gm = next((m for m in plan if m.number == number), None)
            if gm is None:
                return GroupChange(GroupOutcome.NOT_FOUND)
            if gm.starts_at <= now:
                return GroupChange(GroupOutcome.PASSED)
            # The numbers are the plan's order: a move keeps a meeting between its neighbours
            # (a different order is a swap of case owners).
            before = [m.starts_at for m in plan if m.number < number]
            after = [m.starts_at for m in plan if m.number > number]
            if (before and starts_at <= max(before)) or (after and starts_at >= min(after)):
                return GroupChange(GroupOutcome.ORDER)
            previous = gm.starts_at
            gm.starts_at = starts_at
            gm.updated_at = now
            for copy in await uow.groups.copies(gm.id):
                copy.starts_at = starts_at
                copy.updated_at = now
            tell = await self._replan_members(uow, group, now)
            await uow.people.mark_replan(group.facilitator_id, now)
            info = await load_group(uow, group)
            await uow.commit()
            return GroupChange(GroupOutcome.OK, info, info.meeting(number), previous, tell)

    async def leave(self, person_id: int, group_id: int, now: datetime) -> Leaving:
        """Leave a group: the member's group data is erased; the others' stays as it was."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None:
                return Leaving(GroupOutcome.NOT_FOUND)
            name = group.name
            if not await uow.groups.erase_member(group.id, person_id, now):
                return Leaving(GroupOutcome.NOT_ALLOWED)
            await uow.people.mark_replan(person_id, now)
            for _, other in await uow.groups.members(group.id):
                await uow.people.mark_replan(other.id, now)
            facilitator = await uow.people.get(group.facilitator_id)
            await uow.commit()
        # The erased rows must not stay readable in the database's files.
        async with self._uow_factory() as uow:
            await uow.scrub_deleted()
        party = _party(facilitator) if facilitator is not None and _reachable(facilitator) else None
        return Leaving(GroupOutcome.OK, name, party)

    async def tie(self, person_id: int, meeting_id: int, kind: str) -> GroupTie | None:
        """For a prompt about a meeting: the group tie and the dialogue it opens (None for a
        coaching meeting, or a meeting that is not the person's)."""
        async with self._uow_factory() as uow:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None or meeting.client_id != person_id:
                return None
            found = await uow.groups.of_member_meeting(meeting_id)
            if found is None:
                return None
            gm, group = found
            owner = gm.case_owner_id == person_id
            dialogue = {
                CASE_PREP: CASE_DIALOGUE,
                BEFORE_MEETING: BEFORE_DIALOGUE,
                AFTER_MEETING: AFTER_CASE_DIALOGUE if owner else AFTER_DIALOGUE,
            }.get(kind)
            return GroupTie(meeting.id, group.id, gm.id, dialogue)

    async def calendar(
        self, reader_id: int, group_id: int, number: int | None = None
    ) -> tuple[GroupInfo, list[CalendarRow]] | None:
        """The group's meetings for the reader's calendar (all, or the one with `number`):
        a member's own rows, or the group's plan for its facilitator; None for anyone else."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None or not await self._sees(uow, reader_id, group):
                return None
            info = await load_group(uow, group)
            rows: list[CalendarRow] = []
            for meeting in info.meetings:
                if number is not None and meeting.number != number:
                    continue
                if group.facilitator_id == reader_id:
                    rows.append(
                        CalendarRow(
                            meeting.id,
                            "group-meeting",
                            meeting.created_at,
                            meeting.updated_at,
                            meeting,
                        )
                    )
                    continue
                copy = await uow.groups.copy_of(meeting.id, reader_id)
                if copy is not None:
                    rows.append(
                        CalendarRow(copy.id, "meeting", copy.created_at, copy.updated_at, meeting)
                    )
            return info, rows

    # -- the group's own Telegram chat (logistics only) ---------------------------------------

    async def link_chat(
        self, person_id: int, chat_id: int, group_id: int | None = None
    ) -> tuple[GroupOutcome, GroupInfo | None, list[GroupInfo]]:
        """Make a Telegram group chat the group's: the person must lead the group. Without a
        group id, the one group they lead that has no chat yet; if several could be meant, the
        candidates come back (outcome NOT_FOUND) for them to choose."""
        async with self._uow_factory() as uow:
            led = [g for g in await uow.groups.led_by(person_id)]
            if group_id is not None:
                chosen = [g for g in led if g.id == group_id]
            else:
                chosen = [g for g in led if g.chat_id is None]
            if not led:
                return GroupOutcome.NOT_ALLOWED, None, []
            if len(chosen) != 1:
                return GroupOutcome.NOT_FOUND, None, [await load_group(uow, g) for g in led]
            group = chosen[0]
            other = await uow.groups.by_chat(chat_id)
            if other is not None and other.id != group.id:
                other.chat_id = None
                await uow.flush()
            group.chat_id = chat_id
            # Reminders before each meeting now go to the chat too.
            await uow.people.mark_replan(person_id, datetime.now(UTC))
            info = await load_group(uow, group)
            await uow.commit()
            return GroupOutcome.OK, info, []

    async def unlink_chat(self, chat_id: int) -> bool:
        """The bot left (or was removed from) a chat: it is no group's chat any more."""
        async with self._uow_factory() as uow:
            group = await uow.groups.by_chat(chat_id)
            if group is None:
                return False
            group.chat_id = None
            await uow.people.mark_replan(group.facilitator_id, datetime.now(UTC))
            await uow.commit()
            return True

    async def chat_of(self, group_id: int) -> int | None:
        """The group's Telegram chat, if the bot was added to one."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            return group.chat_id if group is not None else None

    async def reserve_chat_post(self, chat_id: int, now: datetime) -> bool:
        """Take one of the chat's posts this minute (Telegram allows 20 a minute in a group);
        False if the minute is full. Shared by every process through the database."""
        async with self._uow_factory() as uow:
            group = await uow.groups.by_chat(chat_id)
            if group is not None:
                await uow.people.lock(group.facilitator_id)  # serialises reservations
            taken = await uow.groups.reserve_chat_post(
                chat_id, now, self._settings.group_chat_per_minute
            )
            await uow.commit()
            return taken is not None

    @staticmethod
    async def _sees(uow: UnitOfWork, actor_id: int, group: Group) -> bool:
        if group.facilitator_id == actor_id:
            return True
        return await uow.groups.membership(group.id, actor_id) is not None

    @staticmethod
    async def _replan_members(uow: UnitOfWork, group: Group, now: datetime) -> tuple[Party, ...]:
        """Ask the scheduler to re-plan every member; return the reachable ones to tell."""
        tell: list[Party] = []
        for _, person in await uow.groups.members(group.id):
            await uow.people.mark_replan(person.id, now)
            if _reachable(person):
                tell.append(_party(person))
        return tuple(tell)
