"""The facilitator's view before a group meeting, as a `Summary` (sections CASE and MEMBERS).

It holds only what members shared with the facilitator or the group: the case owner's
preparation (not what they marked "only for me"), each member's commitment from a group
meeting and how it stands, who has paused check-ins and how many have left. Nothing of a
member's individual coaching is read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.i18n import Translator
from bot.services.groups import GroupInfo, GroupMeetingInfo, GroupService, load_group
from bot.storage.models import Commitment
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from bot.summary.labels import renderer_labels
from bot.summary.model import (
    Section,
    SectionCode,
    Summary,
    SummaryHeader,
    SummaryItem,
    SummaryStatus,
)

# Which answers of a member's group run the facilitator and the group may read.
FOR_FACILITATOR = ("coach", "group")
FOR_GROUP = ("group",)


@dataclass(frozen=True)
class MemberCommitment:
    """A member's latest commitment from the group, as far as they shared it with the reader."""

    text: str
    due: date
    status: str
    last_check: str | None


@dataclass(frozen=True)
class RoundLine:
    """One member in the opening round: their commitment as shared with the group."""

    name: str
    commitment: MemberCommitment | None


class GroupViewService:
    """Composes the facilitator's view of the next (or a chosen) group meeting."""

    def __init__(self, uow_factory: UnitOfWorkFactory, groups: GroupService) -> None:
        self._uow_factory = uow_factory
        self._groups = groups

    async def compose(
        self,
        facilitator_id: int,
        group_id: int,
        t: Translator,
        now: datetime,
        *,
        number: int | None = None,
    ) -> Summary | None:
        """The view of meeting `number` (default: the next one); None if not their group."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None or group.facilitator_id != facilitator_id:
                return None
            info = await load_group(uow, group)
            meeting = info.meeting(number) if number is not None else info.next_meeting(now)
            members = await self._members(uow, info, t)
        case = await self._case(facilitator_id, info, meeting, t)
        return Summary(
            header=self._header(info, meeting, t),
            sections=(case, members),
            status=SummaryStatus.APPROVED,
            status_text=t.gettext(
                "Only what the members shared with you as facilitator, or with the group, is shown."
            ),
            language=t.locale,
            labels=renderer_labels(t),
        )

    async def opening_round(self, reader_id: int, group_id: int) -> list[RoundLine] | None:
        """Each member's latest group commitment and how it stands, as far as they shared it
        with the group (what the next meeting's check-in round starts from); None if the
        reader neither leads nor belongs to the group."""
        async with self._uow_factory() as uow:
            group = await uow.groups.get(group_id)
            if group is None:
                return None
            if (
                group.facilitator_id != reader_id
                and await uow.groups.membership(group.id, reader_id) is None
            ):
                return None
            info = await load_group(uow, group)
            return [
                RoundLine(m.name, await member_commitment(uow, m.person_id, group.id, FOR_GROUP))
                for m in info.members
            ]

    @staticmethod
    def _header(info: GroupInfo, meeting: GroupMeetingInfo | None, t: Translator) -> SummaryHeader:
        lines: list[str] = []
        if meeting is not None:
            local = t.localize(meeting.starts_at)
            when = t.gettext("{day} at {time}").format(
                day=t.format_date(local.date(), "EEEE d MMMM"), time=t.format_time(local)
            )
            if meeting.is_start_up:
                lines.append(t.gettext("Start-up meeting: {when}").format(when=when))
            else:
                lines.append(
                    t.gettext("Meeting {number} of {count}: {when}").format(
                        number=meeting.number, count=info.size, when=when
                    )
                )
        else:
            lines.append(t.gettext("No meeting of the group is ahead."))
        if info.place:
            lines.append(t.gettext("Time and place: {place}").format(place=info.place))
        lines.append(
            t.gettext("{count} of {size} members").format(count=len(info.members), size=info.size)
        )
        return SummaryHeader(
            title=t.gettext("Before the group meeting: {name}").format(name=info.name),
            client_name=info.name,
            lines=tuple(lines),
            next_meeting_at=meeting.starts_at if meeting is not None else None,
        )

    async def _case(
        self,
        facilitator_id: int,
        info: GroupInfo,
        meeting: GroupMeetingInfo | None,
        t: Translator,
    ) -> Section:
        title = t.gettext("The case")
        if meeting is None:
            return Section(SectionCode.CASE, title, empty_text=t.gettext("No meeting is ahead."))
        if meeting.is_start_up:
            return Section(
                SectionCode.CASE,
                title,
                empty_text=t.gettext("The start-up meeting has no case owner."),
            )
        if meeting.owner_id is None:
            return Section(
                SectionCode.CASE,
                title,
                empty_text=t.gettext(
                    "No case owner yet: the meeting goes to the next member who joins, or "
                    "swap case owners in /group."
                ),
            )
        items = [
            SummaryItem(
                key=f"owner:{meeting.id}",
                text=t.gettext("Case owner: {name}").format(name=meeting.owner_name or "?"),
            )
        ]
        brief = await self._groups.facilitator_brief(facilitator_id, meeting.id, t)
        if brief is None:
            items.append(
                SummaryItem(
                    key=f"brief:{meeting.id}:none",
                    text=t.gettext("{name} has not shared a case preparation with you yet.").format(
                        name=meeting.owner_name or "?"
                    ),
                )
            )
        else:
            items.extend(
                SummaryItem(key=f"brief:{meeting.id}:{index}", text=f"{line.label}: {line.text}")
                for index, line in enumerate(brief.lines)
            )
            items.append(
                SummaryItem(
                    key=f"brief:{meeting.id}:shared",
                    text=t.gettext("Shared with the group: the members received it as a brief.")
                    if brief.shared_with_group
                    else t.gettext("Not shared with the group: only you have read it."),
                )
            )
        return Section(SectionCode.CASE, title, tuple(items))

    async def _members(self, uow: UnitOfWork, info: GroupInfo, t: Translator) -> Section:
        items: list[SummaryItem] = []
        for member in info.members:
            commitment = await member_commitment(uow, member.person_id, info.id, FOR_FACILITATOR)
            if commitment is None:
                text = t.gettext("{name}: no commitment shared.").format(name=member.name)
            else:
                text = t.gettext("{name}: “{what}” — {status}").format(
                    name=member.name,
                    what=commitment.text,
                    status=status_text(commitment, t),
                )
            items.append(SummaryItem(key=f"member:{member.person_id}", text=text))
            if member.paused:
                items.append(
                    SummaryItem(
                        key=f"paused:{member.person_id}",
                        text=t.gettext("{name} has paused check-ins.").format(name=member.name),
                        attention=True,
                    )
                )
        for index, left_at in enumerate(info.departures):
            items.append(
                SummaryItem(
                    key=f"left:{index}",
                    text=t.gettext("A member left the group on {day}.").format(
                        day=t.format_date(t.localize(left_at).date(), "d MMMM")
                    ),
                    attention=True,
                )
            )
        return Section(
            SectionCode.MEMBERS,
            t.gettext("Members"),
            tuple(items),
            empty_text=t.gettext("No members have joined yet."),
        )


async def member_commitment(
    uow: UnitOfWork, person_id: int, group_id: int, visibilities: tuple[str, ...]
) -> MemberCommitment | None:
    """The member's latest commitment made in this group, if they shared it with the reader
    (the answer it was written in has one of `visibilities`)."""
    commitments = list(await uow.groups.group_commitments(person_id, group_id))
    for commitment in reversed(commitments):
        if await _shared(uow, commitment, visibilities):
            return MemberCommitment(
                text=commitment.text,
                due=commitment.due_date,
                status=commitment.status,
                last_check=commitment.last_check,
            )
    return None


async def _shared(uow: UnitOfWork, commitment: Commitment, visibilities: tuple[str, ...]) -> bool:
    """Whether the answer the commitment was written in may be read with these visibilities."""
    if commitment.run_id is None:
        return False
    answers = await uow.answers.for_run(commitment.run_id)
    written = [a for a in answers if a.value == commitment.text]
    return bool(written) and all(a.visibility in visibilities for a in written)


def status_text(commitment: MemberCommitment, t: Translator) -> str:
    """How a commitment stands, in words."""
    if commitment.status == "done":
        return t.gettext("done")
    if commitment.status == "dropped":
        return t.gettext("no longer relevant")
    if commitment.last_check == "partly":
        return t.gettext("partly done")
    if commitment.last_check == "not_yet":
        return t.gettext("not yet")
    return t.gettext("open, not checked in yet")
