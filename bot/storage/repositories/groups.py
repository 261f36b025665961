"""Backstage groups: the group, its members, its meeting plan and the members' copies of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Answer,
    Commitment,
    DialogueRun,
    Group,
    GroupChatPost,
    GroupMeeting,
    GroupMember,
    Meeting,
    Person,
    PlannedPrompt,
)

CASE_DIALOGUE = "case_forberedelse"


class GroupRepository:
    """Stores groups, memberships and group meetings, and finds a member's group data."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- groups -------------------------------------------------------------------------------

    async def add(self, group: Group) -> Group:
        """Store a new group and assign its id."""
        self.session.add(group)
        await self.session.flush()
        return group

    async def get(self, group_id: int) -> Group | None:
        """The group with this id, or None."""
        return await self.session.get(Group, group_id)

    async def led_by(self, facilitator_id: int) -> Sequence[Group]:
        """The groups this person leads, oldest first."""
        result = await self.session.scalars(
            select(Group).where(Group.facilitator_id == facilitator_id).order_by(Group.id)
        )
        return result.all()

    async def by_chat(self, chat_id: int) -> Group | None:
        """The group whose Telegram chat this is, or None."""
        result = await self.session.scalars(select(Group).where(Group.chat_id == chat_id))
        return result.one_or_none()

    # -- members ------------------------------------------------------------------------------

    async def add_member(self, member: GroupMember) -> GroupMember:
        """Store a membership."""
        self.session.add(member)
        await self.session.flush()
        return member

    async def membership(self, group_id: int, person_id: int) -> GroupMember | None:
        """The person's current membership of the group, or None (never joined, or left)."""
        result = await self.session.scalars(
            select(GroupMember).where(
                GroupMember.group_id == group_id,
                GroupMember.person_id == person_id,
                GroupMember.left_at.is_(None),
            )
        )
        return result.one_or_none()

    async def members(self, group_id: int) -> Sequence[tuple[GroupMember, Person]]:
        """The current members with their people, in the order they joined."""
        result = await self.session.execute(
            select(GroupMember, Person)
            .join(Person, Person.id == GroupMember.person_id)
            .where(GroupMember.group_id == group_id, GroupMember.left_at.is_(None))
            .order_by(GroupMember.joined_at, GroupMember.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def departures(self, group_id: int) -> Sequence[GroupMember]:
        """The rows of members who left, or whose data was erased (who it was is no longer
        stored)."""
        result = await self.session.scalars(
            select(GroupMember)
            .where(
                GroupMember.group_id == group_id,
                or_(GroupMember.left_at.is_not(None), GroupMember.person_id.is_(None)),
            )
            .order_by(GroupMember.left_at, GroupMember.id)
        )
        return result.all()

    async def count_members(self, group_id: int) -> int:
        """How many current members the group has."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(GroupMember)
            .where(
                GroupMember.group_id == group_id,
                GroupMember.left_at.is_(None),
                GroupMember.person_id.is_not(None),
            )
        )
        return int(count or 0)

    async def groups_of(self, person_id: int) -> Sequence[Group]:
        """The groups the person is a current member of."""
        result = await self.session.scalars(
            select(Group)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.person_id == person_id, GroupMember.left_at.is_(None))
            .order_by(Group.id)
        )
        return result.all()

    async def is_member(self, person_id: int) -> bool:
        """Whether the person is a current member of any group."""
        found = await self.session.scalar(
            select(GroupMember.id)
            .where(GroupMember.person_id == person_id, GroupMember.left_at.is_(None))
            .limit(1)
        )
        return found is not None

    async def memberships_of(self, person_id: int) -> Sequence[GroupMember]:
        """Every membership row of the person (for an export)."""
        result = await self.session.scalars(
            select(GroupMember).where(GroupMember.person_id == person_id).order_by(GroupMember.id)
        )
        return result.all()

    # -- meetings -----------------------------------------------------------------------------

    async def add_meeting(self, meeting: GroupMeeting) -> GroupMeeting:
        """Store a group meeting."""
        self.session.add(meeting)
        await self.session.flush()
        return meeting

    async def meeting(self, group_meeting_id: int) -> GroupMeeting | None:
        """The group meeting with this id, or None."""
        return await self.session.get(GroupMeeting, group_meeting_id)

    async def meetings(self, group_id: int) -> Sequence[GroupMeeting]:
        """The group's meetings in plan order (start-up first), cancelled ones included."""
        result = await self.session.scalars(
            select(GroupMeeting)
            .where(GroupMeeting.group_id == group_id)
            .order_by(GroupMeeting.number)
        )
        return result.all()

    async def copies(self, group_meeting_id: int) -> Sequence[Meeting]:
        """The members' own rows of a group meeting."""
        result = await self.session.scalars(
            select(Meeting).where(Meeting.group_meeting_id == group_meeting_id).order_by(Meeting.id)
        )
        return result.all()

    async def copy_of(self, group_meeting_id: int, person_id: int) -> Meeting | None:
        """The person's own row of a group meeting, or None."""
        result = await self.session.scalars(
            select(Meeting).where(
                Meeting.group_meeting_id == group_meeting_id, Meeting.client_id == person_id
            )
        )
        return result.first()

    async def member_meetings(
        self, person_id: int
    ) -> Sequence[tuple[Meeting, GroupMeeting, Group]]:
        """The person's rows of group meetings with the group meeting and group, by time."""
        result = await self.session.execute(
            select(Meeting, GroupMeeting, Group)
            .join(GroupMeeting, GroupMeeting.id == Meeting.group_meeting_id)
            .join(Group, Group.id == GroupMeeting.group_id)
            .where(Meeting.client_id == person_id)
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return [(row[0], row[1], row[2]) for row in result.all()]

    async def of_member_meeting(self, meeting_id: int) -> tuple[GroupMeeting, Group] | None:
        """The group meeting and group a member's meeting row is a copy of (None: coaching)."""
        result = await self.session.execute(
            select(GroupMeeting, Group)
            .join(Meeting, Meeting.group_meeting_id == GroupMeeting.id)
            .join(Group, Group.id == GroupMeeting.group_id)
            .where(Meeting.id == meeting_id)
        )
        row = result.first()
        return (row[0], row[1]) if row is not None else None

    # -- group answers --------------------------------------------------------------------

    async def case_run(self, owner_id: int, group_meeting_id: int) -> DialogueRun | None:
        """The owner's latest finished case preparation for a group meeting, or None."""
        copy = await self.copy_of(group_meeting_id, owner_id)
        if copy is None:
            return None
        result = await self.session.scalars(
            select(DialogueRun)
            .where(
                DialogueRun.person_id == owner_id,
                DialogueRun.dialogue_id == CASE_DIALOGUE,
                DialogueRun.context == "group",
                DialogueRun.meeting_id == copy.id,
                DialogueRun.status == "finished",
            )
            .order_by(DialogueRun.finished_at.desc(), DialogueRun.id.desc())
            .limit(1)
        )
        return result.first()

    async def answers_of(self, run_id: int, visibilities: Sequence[str]) -> Sequence[Answer]:
        """A run's answers with one of these visibilities, in step order."""
        result = await self.session.scalars(
            select(Answer)
            .where(Answer.run_id == run_id, Answer.visibility.in_(tuple(visibilities)))
            .order_by(Answer.id)
        )
        return result.all()

    async def group_runs(self, person_id: int, group_id: int) -> Sequence[DialogueRun]:
        """The person's group-context runs tied to this group's meetings, oldest first."""
        copies = (
            select(Meeting.id)
            .join(GroupMeeting, GroupMeeting.id == Meeting.group_meeting_id)
            .where(Meeting.client_id == person_id, GroupMeeting.group_id == group_id)
        )
        result = await self.session.scalars(
            select(DialogueRun)
            .where(
                DialogueRun.person_id == person_id,
                DialogueRun.context == "group",
                DialogueRun.meeting_id.in_(copies),
            )
            .order_by(DialogueRun.started_at, DialogueRun.id)
        )
        return result.all()

    async def group_commitments(self, person_id: int, group_id: int) -> Sequence[Commitment]:
        """The person's commitments made in this group's context, oldest first."""
        run_ids = [run.id for run in await self.group_runs(person_id, group_id)]
        if not run_ids:
            return []
        result = await self.session.scalars(
            select(Commitment)
            .where(Commitment.person_id == person_id, Commitment.run_id.in_(run_ids))
            .order_by(Commitment.created_at, Commitment.id)
        )
        return result.all()

    # -- leaving --------------------------------------------------------------------------

    async def erase_member(self, group_id: int, person_id: int, now: datetime) -> bool:
        """Erase the person's data in this group and keep only that someone left, and when.

        Their group-context runs (with answers), the commitments made there, their copies of
        the group's meetings and every prompt about those go; their individual coaching is not
        touched. False if they were not a member.
        """
        member = await self.membership(group_id, person_id)
        if member is None:
            return False
        runs = await self.group_runs(person_id, group_id)
        run_ids = [run.id for run in runs]
        commitment_ids: list[int] = []
        if run_ids:
            commitment_ids = list(
                (
                    await self.session.scalars(
                        select(Commitment.id).where(
                            Commitment.person_id == person_id, Commitment.run_id.in_(run_ids)
                        )
                    )
                ).all()
            )
        copy_ids = list(
            (
                await self.session.scalars(
                    select(Meeting.id)
                    .join(GroupMeeting, GroupMeeting.id == Meeting.group_meeting_id)
                    .where(Meeting.client_id == person_id, GroupMeeting.group_id == group_id)
                )
            ).all()
        )
        if commitment_ids:
            await self.session.execute(
                delete(PlannedPrompt).where(
                    PlannedPrompt.person_id == person_id,
                    PlannedPrompt.kind == "checkin",
                    PlannedPrompt.ref_id.in_(commitment_ids),
                )
            )
            await self.session.execute(delete(Commitment).where(Commitment.id.in_(commitment_ids)))
        if run_ids:
            await self.session.execute(delete(DialogueRun).where(DialogueRun.id.in_(run_ids)))
        if copy_ids:
            await self.session.execute(
                delete(PlannedPrompt).where(
                    PlannedPrompt.person_id == person_id,
                    PlannedPrompt.kind != "checkin",
                    PlannedPrompt.ref_id.in_(copy_ids),
                )
            )
            await self.session.execute(delete(Meeting).where(Meeting.id.in_(copy_ids)))
        # Meetings still ahead that were theirs to bring a case to lose their owner.
        await self.session.execute(
            update(GroupMeeting)
            .where(
                GroupMeeting.group_id == group_id,
                GroupMeeting.case_owner_id == person_id,
                GroupMeeting.starts_at > now,
            )
            .values(case_owner_id=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        member.person_id = None
        member.left_at = now
        await self.session.flush()
        return True

    # -- the group's chat -----------------------------------------------------------------

    async def chat_posts_since(self, chat_id: int, since: datetime) -> int:
        """How many posts to the chat went out (or were reserved) at or after `since`."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(GroupChatPost)
            .where(GroupChatPost.chat_id == chat_id, GroupChatPost.sent_at >= since)
        )
        return int(count or 0)

    async def reserve_chat_post(
        self, chat_id: int, now: datetime, per_minute: int
    ) -> datetime | None:
        """Reserve a post in the chat's rate (at most `per_minute` in any minute); None if the
        minute is full. Old rows are pruned as it goes."""
        await self.session.execute(
            delete(GroupChatPost).where(
                GroupChatPost.chat_id == chat_id, GroupChatPost.sent_at < now - timedelta(hours=1)
            )
        )
        if await self.chat_posts_since(chat_id, now - timedelta(minutes=1)) >= per_minute:
            return None
        self.session.add(GroupChatPost(chat_id=chat_id, sent_at=now))
        await self.session.flush()
        return now

    # -- what a run belongs to ------------------------------------------------------------

    async def commitment_contexts(self, commitment_ids: Sequence[int]) -> dict[int, str]:
        """For each commitment, the context of the run that made it ("coaching" without one)."""
        if not commitment_ids:
            return {}
        result = await self.session.execute(
            select(Commitment.id, DialogueRun.context)
            .outerjoin(DialogueRun, DialogueRun.id == Commitment.run_id)
            .where(Commitment.id.in_(tuple(commitment_ids)))
        )
        return {row[0]: row[1] or "coaching" for row in result.all()}

    async def co_member_ids(self, meeting_id: int) -> list[int]:
        """The other members holding a row of the same group meeting as this member's row."""
        meeting = await self.session.get(Meeting, meeting_id)
        if meeting is None or meeting.group_meeting_id is None:
            return []
        return [
            copy.client_id
            for copy in await self.copies(meeting.group_meeting_id)
            if copy.client_id != meeting.client_id
        ]

    async def tie_for_menu(self, person_id: int, dialogue_id: str, now: datetime) -> int | None:
        """The member's meeting row a group dialogue started from the menu belongs to: for the
        case preparation their next meeting as case owner, else the last one held (then the
        next one); None if they have no group meeting."""
        rows = [
            (copy, gm)
            for copy, gm, _ in await self.member_meetings(person_id)
            if copy.cancelled_at is None and gm.cancelled_at is None
        ]
        ahead = [(c, gm) for c, gm in rows if c.starts_at > now]
        held = [(c, gm) for c, gm in rows if c.starts_at <= now]
        if dialogue_id == CASE_DIALOGUE:
            owned = [c for c, gm in ahead if gm.case_owner_id == person_id]
            return owned[0].id if owned else None
        if held:
            return held[-1][0].id
        return ahead[0][0].id if ahead else None
