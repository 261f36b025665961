"""Backstage groups on SQLite and PostgreSQL with an injected clock: a full cycle of a six-member
group (start-up + six case meetings, rotation, case preparation with and without consent,
briefs, after-meeting commitments), who may see what, and a member leaving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from group_helpers import EN, NOW, Clock, add_person, deliver_due, finish_run

from bot.config import PROJECT_ROOT, Settings
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.dialogue.screens import ScreenKind
from bot.runtime import Runtime, build_runtime
from bot.scheduling.plan import (
    AFTER_MEETING,
    BEFORE_MEETING,
    CASE_PREP,
    GROUP_BRIEF,
    GROUP_CHAT,
    GROUP_VIEW,
)
from bot.services.delivery import AUTO_PAUSED, SKIP, START
from bot.services.groups import GroupDraft, GroupInfo, GroupOutcome
from bot.storage.db import Database
from bot.summary.model import SectionCode
from bot.telegram.prompts import prompt_text

# The start-up meeting: Thursday 3 December 2026, 13:00 in Stockholm.
START_UP = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rt(database: Database, catalog: DialogueCatalog, tmp_path: Path, clock: Clock) -> Runtime:
    return build_runtime(Settings(data_dir=tmp_path), database, catalog, clock=clock)


async def _group(
    rt: Runtime, facilitator: int, members: list[int], name: str = "Norr"
) -> GroupInfo:
    outcome, info = await rt.groups.create(
        facilitator, GroupDraft(name, len(members), 35, START_UP, "Tuesdays, room Ek"), NOW
    )
    assert outcome is GroupOutcome.OK and info is not None
    for member in members:
        outcome, token = await rt.groups.invite(facilitator, info.id, NOW)
        assert outcome is GroupOutcome.OK and token is not None
        joined = await rt.groups.accept_invite(member, token, NOW)
        assert joined.outcome is GroupOutcome.OK, joined
    view = await rt.groups.view(facilitator, info.id)
    assert view is not None
    return view


async def _start_from_prompt(
    rt: Runtime, person: int, prompt_ref: int, kind: str
) -> tuple[str, int]:
    """What pressing "start now" on a group prompt opens: the dialogue id and its run."""
    tie = await rt.groups.tie(person, prompt_ref, kind)
    assert tie is not None and tie.dialogue_id is not None
    started = await rt.dialogues.start(
        person, tie.dialogue_id, EN, rt.now(), meeting_id=tie.meeting_id
    )
    assert started.run_id, started.screen.text
    return tie.dialogue_id, started.run_id


async def test_a_six_member_group_runs_a_full_cycle_with_rotation_and_consent(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 7)]
    info = await _group(rt, facilitator, members)
    assert [m.number for m in info.meetings] == [0, 1, 2, 3, 4, 5, 6]
    assert info.meetings[0].owner_id is None
    # Rotation in the order the members joined; the facilitator swaps meetings 2 and 3.
    assert [m.owner_id for m in info.meetings[1:]] == members
    swapped = await rt.groups.swap(facilitator, info.id, 2, 3, NOW)
    assert swapped.outcome is GroupOutcome.OK and swapped.group is not None
    owners = {m.number: m.owner_id for m in swapped.group.meetings}
    assert owners[2] == members[2] and owners[3] == members[1]
    # Meetings every 35 days at 13:00 Stockholm time, across the change to summer time.
    local_times = {m.starts_at.astimezone(EN.tz).strftime("%H:%M") for m in info.meetings}
    assert local_times == {"13:00"}
    by_gm = {m.id: m.number for m in info.meetings}
    shares = {number: number % 2 == 1 for number in range(1, 7)}  # consent on odd meetings

    prepared: dict[int, int] = {}
    briefed: dict[int, set[int]] = {n: set() for n in range(1, 7)}
    before: dict[int, set[int]] = {n: set() for n in range(7)}
    after_dialogues: dict[int, dict[int, str]] = {n: {} for n in range(7)}
    overviews: dict[int, int] = {}
    last = info.meetings[-1].starts_at + timedelta(days=3)
    while clock.now < last:
        clock.now += timedelta(days=1)
        delivered = await deliver_due(rt)
        for outgoing in delivered.outgoing:
            person, ref, kind = outgoing.person_id, outgoing.ref_id, outgoing.kind
            if kind == GROUP_VIEW:
                # The facilitator's overview, the day before each meeting.
                assert person == facilitator and ref is not None
                number = by_gm[ref]
                starts = info.meetings[number].starts_at
                assert timedelta(0) < starts - clock.now <= timedelta(days=2)
                overviews[number] = overviews.get(number, 0) + 1
                summary = await rt.group_view.compose(person, info.id, EN, clock.now, number=number)
                assert summary is not None
                await rt.delivery.act(person, outgoing.prompt_id, START, clock.now)
                continue
            assert ref is not None or kind not in (CASE_PREP, GROUP_BRIEF)
            tie = await rt.groups.tie(person, ref, kind) if ref is not None else None
            number = by_gm[tie.group_meeting_id] if tie is not None else None
            if kind == CASE_PREP:
                assert number is not None and owners[number] == person
                days = (info.meeting(number).starts_at - clock.now).days  # type: ignore[union-attr]
                assert 4 <= days <= 5
                act = await rt.delivery.act(person, outgoing.prompt_id, START, clock.now)
                assert act.dialogue_id == "case_forberedelse"
                dialogue, run = await _start_from_prompt(rt, person, ref, kind)  # type: ignore[arg-type]
                assert dialogue == "case_forberedelse"
                screen = (await rt.dialogues.current(person, EN, clock.now)).screen  # type: ignore[union-attr]
                await finish_run(rt, person, run, screen, share=shares[number])
                prepared[number] = person
            elif kind == GROUP_BRIEF:
                assert number is not None
                await rt.delivery.act(person, outgoing.prompt_id, START, clock.now)
                brief = await rt.groups.brief(person, ref, EN)  # type: ignore[arg-type]
                assert brief is not None and brief.shared_with_group
                briefed[number].add(person)
            elif kind == AFTER_MEETING and number is not None:
                dialogue_id = tie.dialogue_id  # type: ignore[union-attr]
                after_dialogues[number][person] = dialogue_id or ""
                await rt.delivery.act(person, outgoing.prompt_id, START, clock.now)
                if person == owners.get(number):
                    _, run = await _start_from_prompt(rt, person, ref, kind)  # type: ignore[arg-type]
                    screen = (await rt.dialogues.current(person, EN, clock.now)).screen  # type: ignore[union-attr]
                    done = await finish_run(rt, person, run, screen, share=True)
                    assert done.kind is ScreenKind.FINISHED
            else:
                if kind == BEFORE_MEETING and number is not None:
                    before[number].add(person)
                await rt.delivery.act(person, outgoing.prompt_id, SKIP, clock.now)

    everyone = set(members)
    assert overviews == {n: 1 for n in range(7)}
    assert prepared == {n: owners[n] for n in range(1, 7)}
    for number in range(1, 7):
        expected = everyone - {owners[number]} if shares[number] else set()
        assert briefed[number] == expected, number
        facilitator_brief = await rt.groups.facilitator_brief(
            facilitator, info.meetings[number].id, EN
        )
        assert facilitator_brief is not None and facilitator_brief.lines
        assert facilitator_brief.shared_with_group is shares[number]
        assert after_dialogues[number][owners[number]] == "backstage_efter_case"
        others = {p: d for p, d in after_dialogues[number].items() if p != owners[number]}
        assert set(others) == everyone - {owners[number]}
        assert set(others.values()) == {"backstage_efter"}
    # Every member was reminded before every meeting (the check-in scheduler, per member).
    assert all(before[n] == everyone for n in range(7)), before
    # Each case owner's commitment feeds the next opening round (shared with the group).
    round_lines = await rt.group_view.opening_round(members[0], info.id)
    assert round_lines is not None
    assert {line.name for line in round_lines if line.commitment is not None} == {
        f"Member{i}" for i in range(1, 7)
    }


async def test_the_facilitator_view_is_a_summary_with_case_and_members(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    first_case = info.meeting(1)
    assert first_case is not None
    copy = await rt.groups.calendar(members[0], info.id, 1)
    assert copy is not None
    started = await rt.dialogues.start(members[0], "case_forberedelse", EN, NOW)
    assert started.run_id  # tied to the member's own case meeting from the menu
    await finish_run(rt, members[0], started.run_id, started.screen, share=False)
    clock.now = START_UP + timedelta(days=1)
    summary = await rt.group_view.compose(facilitator, info.id, EN, clock.now)
    assert summary is not None
    case, people = summary.section(SectionCode.CASE), summary.section(SectionCode.MEMBERS)
    assert case is not None and people is not None
    texts = [item.text for item in case.items]
    assert texts[0] == "Case owner: Member1"
    assert any("Not shared with the group" in text for text in texts)
    assert len(people.items) == 4
    # Nobody else gets the facilitator's view, and members do not get an unshared brief.
    assert await rt.group_view.compose(members[1], info.id, EN, clock.now) is None
    calendar = await rt.groups.calendar(members[1], info.id, 1)
    assert calendar is not None
    assert await rt.groups.brief(members[1], calendar[1][0].uid_id, EN) is None
    # /export carries the group data of members and facilitators.
    exported = await rt.privacy.export(members[0], EN)
    assert exported.data["groups"]["member_of"][0]["name"] == "Norr"
    assert exported.data["groups"]["case_meetings"][0]["number"] == 1
    assert {r["context"] for r in exported.data["dialogue_runs"]} == {"group"}
    assert "Member of Norr since" in exported.markdown
    led = await rt.privacy.export(facilitator, EN)
    assert led.data["groups"]["led"][0]["name"] == "Norr"


async def test_who_may_see_and_change_what(rt: Runtime) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    other_facilitator = await add_person(rt, 300, "Other facilitator", role="coach")
    outsiders = [await add_person(rt, 400 + i, f"Outsider{i}") for i in range(1, 5)]
    other = await _group(rt, other_facilitator, outsiders, "Syd")
    coach = await add_person(rt, 500, "Coach", role="coach")
    member, former, outsider = members[1], members[3], outsiders[0]
    async with rt.uow_factory() as uow:
        await uow.relations.link(coach, member, NOW)
        await uow.commit()
    # The case owner of meeting 1 prepares and shares with the group.
    owner = members[0]
    started = await rt.dialogues.start(owner, "case_forberedelse", EN, NOW)
    await finish_run(rt, owner, started.run_id, started.screen, share=True)
    left = await rt.groups.leave(former, info.id, NOW)
    assert left.outcome is GroupOutcome.OK

    copy_of_member = (await rt.groups.calendar(member, info.id, 1))[1][0].uid_id  # type: ignore[index]
    copy_of_outsider = (await rt.groups.calendar(outsider, other.id, 1))[1][0].uid_id  # type: ignore[index]
    matrix = {
        "member": member,
        "facilitator": facilitator,
        "other group": outsider,
        "former member": former,
        "individual coach": coach,
    }
    sees_group = {
        name: await rt.groups.view(who, info.id) is not None for name, who in matrix.items()
    }
    assert sees_group == {
        "member": True,
        "facilitator": True,
        "other group": False,
        "former member": False,
        "individual coach": False,
    }
    reads_brief = {
        name: await rt.groups.brief(who, copy_of_member, EN) is not None
        for name, who in matrix.items()
    }
    assert reads_brief == {
        "member": True,  # their own meeting row, and the owner shared
        "facilitator": False,  # not their row: the facilitator reads through their own view
        "other group": False,
        "former member": False,
        "individual coach": False,
    }
    assert await rt.groups.brief(outsider, copy_of_outsider, EN) is None  # nothing prepared there
    views = {
        name: await rt.group_view.compose(who, info.id, EN, NOW) is not None
        for name, who in matrix.items()
    }
    assert views == {
        "member": False,
        "facilitator": True,
        "other group": False,
        "former member": False,
        "individual coach": False,
    }
    facilitator_briefs = {
        name: await rt.groups.facilitator_brief(who, info.meetings[1].id, EN) is not None
        for name, who in matrix.items()
    }
    assert facilitator_briefs["facilitator"] and facilitator_briefs["member"]
    assert not facilitator_briefs["other group"] and not facilitator_briefs["individual coach"]
    assert not facilitator_briefs["former member"]
    for name, who in matrix.items():
        if name == "facilitator":
            continue
        assert (await rt.groups.swap(who, info.id, 2, 3, NOW)).outcome is GroupOutcome.NOT_ALLOWED
        moved = await rt.groups.move(who, info.id, 2, NOW + timedelta(days=90), NOW)
        assert moved.outcome is GroupOutcome.NOT_ALLOWED
        assert (await rt.groups.invite(who, info.id, NOW))[0] is GroupOutcome.NOT_ALLOWED
    # The member's individual coach sees none of the group-context runs.
    async with rt.uow_factory() as uow:
        await uow.relations.link(coach, owner, NOW - timedelta(days=1))
        await uow.commit()
    coach_view = await rt.privacy.coach_view(coach, owner, EN)
    assert coach_view.runs == ()
    # Nor does the coach's summary (the owner's /preview shows exactly what it would hold),
    # even once the group meeting the case was tied to is gone.
    own = await rt.dialogues.start(owner, "nasta_steg", EN, NOW)
    await finish_run(rt, owner, own.run_id, own.screen, share=True)
    # "Before the meeting" serves coaching too: tied to the group's meeting, it is the group's.
    owner_copy = (await rt.groups.calendar(owner, info.id, 1))[1][0].uid_id  # type: ignore[index]
    before = await rt.dialogues.start(owner, "infor_motet", EN, NOW, meeting_id=owner_copy)
    await finish_run(rt, owner, before.run_id, before.screen, share=True)

    async def preview_texts() -> str:
        preview = await rt.summaries.preview(owner, owner, NOW)
        return "\n".join(
            item.text + (item.detail or "")
            for section in preview.summary.sections
            for item in section.items
        )

    assert "About action" in await preview_texts()  # the individual reflection is there
    assert "About dilemma" not in await preview_texts()
    assert "About since" not in await preview_texts()
    async with rt.uow_factory() as uow:
        for copy in await uow.groups.copies(info.meetings[1].id):
            await uow.meetings.delete(copy.id)
        await uow.commit()
    assert "About since" not in await preview_texts()


async def test_a_member_leaving_erases_their_group_data_and_keeps_the_others(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    leaver, stayer = members[0], members[1]
    clock.now = START_UP + timedelta(days=1)
    for person in (leaver, stayer):
        # A group run of each (after the start-up meeting), and an individual reflection.
        started = await rt.dialogues.start(person, "backstage_efter", EN, clock.now)
        assert started.run_id
        await finish_run(rt, person, started.run_id, started.screen, share=True)
    own = await rt.dialogues.start(leaver, "nasta_steg", EN, clock.now)
    await finish_run(rt, leaver, own.run_id, own.screen, share=False)

    async def counts(person: int) -> tuple[int, int, int]:
        async with rt.uow_factory() as uow:
            runs = await uow.groups.group_runs(person, info.id)
            commitments = await uow.groups.group_commitments(person, info.id)
            copies = await uow.groups.member_meetings(person)
            return len(runs), len(commitments), len(copies)

    assert await counts(leaver) == (1, 1, 5)  # start-up + 4 case meetings
    before_stayer = await counts(stayer)
    left = await rt.groups.leave(leaver, info.id, clock.now)
    assert left.outcome is GroupOutcome.OK and left.facilitator is not None
    assert await counts(leaver) == (0, 0, 0)
    assert await counts(stayer) == before_stayer
    async with rt.uow_factory() as uow:
        runs = await uow.runs.list_for(leaver)
        assert [r.dialogue_id for r in runs] == ["nasta_steg"]  # individual work is kept
        assert len(await uow.commitments.list_for(leaver)) == 1
    view = await rt.groups.view(facilitator, info.id)
    assert view is not None and len(view.members) == 3 and len(view.departures) == 1
    assert view.meeting(1) is not None and view.meeting(1).owner_id is None  # type: ignore[union-attr]
    summary = await rt.group_view.compose(facilitator, info.id, EN, clock.now)
    assert summary is not None
    members_section = summary.section(SectionCode.MEMBERS)
    assert members_section is not None
    assert any(item.text.startswith("A member left the group") for item in members_section.items)
    assert (await rt.groups.leave(leaver, info.id, clock.now)).outcome is GroupOutcome.NOT_ALLOWED


async def test_a_full_group_takes_no_more_members_and_links_are_used_once(rt: Runtime) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    assert (await rt.groups.invite(facilitator, info.id, NOW))[0] is GroupOutcome.FULL
    late = await add_person(rt, 300, "Late")
    assert (await rt.groups.leave(members[0], info.id, NOW)).outcome is GroupOutcome.OK
    outcome, token = await rt.groups.invite(facilitator, info.id, NOW)
    assert outcome is GroupOutcome.OK and token is not None
    joined = await rt.groups.accept_invite(late, token, NOW)
    assert joined.outcome is GroupOutcome.OK
    again = await rt.groups.accept_invite(members[0], token, NOW)
    assert again.outcome is GroupOutcome.NOT_FOUND
    view = await rt.groups.view(late, info.id)
    assert view is not None and view.meeting(1).owner_id == late  # type: ignore[union-attr]
    # The start-up is in the past for nobody here; a group's limits come from the settings.
    outcome, _ = await rt.groups.create(
        facilitator, GroupDraft("Too big", 9, 35, START_UP, None), NOW
    )
    assert outcome is GroupOutcome.INVALID
    outcome, _ = await rt.groups.create(
        facilitator, GroupDraft("Past", 6, 35, NOW - timedelta(days=1), None), NOW
    )
    assert outcome is GroupOutcome.PASSED


async def test_the_group_chat_gets_a_reminder_before_each_meeting(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    outcome, linked, _ = await rt.groups.link_chat(facilitator, -100555)
    assert outcome is GroupOutcome.OK and linked is not None
    reminders: list[tuple[int, str | None]] = []
    while clock.now < info.meetings[-1].starts_at:
        clock.now += timedelta(days=1)
        for outgoing in (await deliver_due(rt)).outgoing:
            if outgoing.kind == GROUP_CHAT:
                # Sent to the chat, not to the facilitator; logistics only.
                assert outgoing.telegram_id == -100555
                assert outgoing.group_name == "Norr" and outgoing.place == "Tuesdays, room Ek"
                reminders.append((outgoing.ref_id or 0, outgoing.case_owner))
            await rt.delivery.act(outgoing.person_id, outgoing.prompt_id, SKIP, clock.now)
    assert [owner for _, owner in reminders] == [None, "Member1", "Member2", "Member3", "Member4"]
    # Without the chat there is nothing to remind there.
    assert await rt.groups.unlink_chat(-100555)


async def test_before_a_group_meeting_a_member_walks_their_group_commitments_only(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    member = members[1]
    clock.now = START_UP + timedelta(days=1)
    # A commitment from the group (after the start-up) and one from individual work.
    after = await rt.dialogues.start(member, "backstage_efter", EN, clock.now)
    await finish_run(rt, member, after.run_id, after.screen, share=True)
    own = await rt.dialogues.start(member, "nasta_steg", EN, clock.now)
    await finish_run(rt, member, own.run_id, own.screen, share=True)
    calendar = await rt.groups.calendar(member, info.id, 1)
    assert calendar is not None
    copy = calendar[1][0].uid_id
    async with rt.uow_factory() as uow:
        contexts = await uow.groups.commitment_contexts(
            [c.id for c in await uow.commitments.open_for(member)]
        )
    assert sorted(contexts.values()) == ["coaching", "group"]
    by_context = {context: cid for cid, context in contexts.items()}

    async def walked(run_id: int) -> tuple[str, list[int]]:
        async with rt.uow_factory() as uow:
            run = await uow.runs.get(run_id)
            assert run is not None
            return run.context, [c["id"] for c in run.state["material"]["commitments"]]

    # Tied to the group's meeting: only the group's commitment; otherwise only the other one.
    in_group = await rt.dialogues.start(member, "infor_motet", EN, clock.now, meeting_id=copy)
    assert await walked(in_group.run_id) == ("group", [by_context["group"]])
    await finish_run(rt, member, in_group.run_id, in_group.screen, share=True)
    coaching = await rt.dialogues.start(member, "infor_motet", EN, clock.now)
    assert await walked(coaching.run_id) == ("coaching", [by_context["coaching"]])


async def test_ignoring_the_group_prompts_does_not_pause_and_the_owner_prepares(
    rt: Runtime, clock: Clock
) -> None:
    """The before/after prompts of group meetings are the group's rhythm: leaving them all
    unanswered does not auto-pause anyone, so the owner of meeting 1 gets the case preparation."""
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    group_prompts: dict[int, int] = {}
    case_prep: list[int] = []
    paused: list[int] = []
    while clock.now < info.meetings[1].starts_at:
        clock.now += timedelta(days=1)
        for outgoing in (await deliver_due(rt)).outgoing:
            if outgoing.kind in (BEFORE_MEETING, AFTER_MEETING):
                group_prompts[outgoing.person_id] = group_prompts.get(outgoing.person_id, 0) + 1
            elif outgoing.kind == CASE_PREP:
                case_prep.append(outgoing.person_id)
            elif outgoing.kind == AUTO_PAUSED:
                paused.append(outgoing.person_id)
            # Nobody answers anything.
    assert all(group_prompts.get(m, 0) >= 2 for m in members), group_prompts
    assert paused == []
    assert case_prep == [members[0]]


async def test_case_work_goes_through_the_automatic_pause_but_not_a_chosen_one(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    owner, resting, tired_reader, reader = members
    # The product paused the owner of meeting 1 and a reader; the owner of meeting 2 chose a
    # pause.
    async with rt.uow_factory() as uow:
        for person_id in (owner, tired_reader):
            person = await uow.people.get(person_id)
            assert person is not None
            person.paused, person.auto_paused_at = True, NOW
            await uow.people.mark_replan(person_id, NOW)
        await uow.commit()
    await rt.people.pause(resting, None, NOW)
    got: dict[int, list[str]] = {m: [] for m in members}
    while clock.now < info.meetings[2].starts_at:
        clock.now += timedelta(days=1)
        for outgoing in (await deliver_due(rt)).outgoing:
            if outgoing.person_id not in got:
                continue
            got[outgoing.person_id].append(outgoing.kind)
            if outgoing.kind == CASE_PREP:
                assert outgoing.ref_id is not None
                await rt.delivery.act(outgoing.person_id, outgoing.prompt_id, START, clock.now)
                _, run = await _start_from_prompt(
                    rt, outgoing.person_id, outgoing.ref_id, CASE_PREP
                )
                screen = (await rt.dialogues.current(outgoing.person_id, EN, clock.now)).screen  # type: ignore[union-attr]
                await finish_run(rt, outgoing.person_id, run, screen, share=True)
    # The auto-paused owner prepares meeting 1, the auto-paused reader gets its brief; nothing
    # else reaches them (no reminders before or after the meetings).
    assert got[owner] == [CASE_PREP]
    assert got[tired_reader] == [GROUP_BRIEF]
    # A pause the person chose holds everything back, their own case preparation too.
    assert got[resting] == []
    assert got[reader].count(GROUP_BRIEF) == 1 and BEFORE_MEETING in got[reader]


async def test_the_automatic_pause_notice_says_what_still_comes_for_a_group_member(
    rt: Runtime, clock: Clock
) -> None:
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    await _group(rt, facilitator, members)
    outsider = await add_person(rt, 300, "Outsider")
    notices: dict[int, str] = {}
    for person_id in (members[0], outsider):
        async with rt.uow_factory() as uow:
            person = await uow.people.get(person_id)
            assert person is not None
            notice = await rt.delivery._auto_pause(uow, person, clock.now)
            await uow.commit()
        assert notice is not None
        notices[person_id] = prompt_text(notice, EN)
    for text in notices.values():
        assert "no check-ins and no reminders before or after your meetings" in text
        assert "Resume check-ins" in text
    assert "What your group Norr counts on still comes" in notices[members[0]]
    assert "your case" in notices[members[0]]
    assert "group" not in notices[outsider]


async def test_the_facilitators_reminders_go_through_their_automatic_pause(
    rt: Runtime, clock: Clock
) -> None:
    """The group counts on its facilitator's overview and on the reminder in its chat: the
    product's fatigue pause of the facilitator stops their own check-ins, not those, and its
    notice says so. A pause the facilitator chose stops everything."""
    facilitator = await add_person(rt, 100, "Facilitator", role="coach")
    members = [await add_person(rt, 200 + i, f"Member{i}") for i in range(1, 5)]
    info = await _group(rt, facilitator, members)
    outcome, linked, _ = await rt.groups.link_chat(facilitator, -100555)
    assert outcome is GroupOutcome.OK and linked is not None
    async with rt.uow_factory() as uow:
        person = await uow.people.get(facilitator)
        assert person is not None
        notice = await rt.delivery._auto_pause(uow, person, clock.now)
        await uow.commit()
    assert notice is not None
    text = prompt_text(notice, EN)
    assert "The group Norr that you lead still gets what it counts on" in text, text
    assert "your overview before each meeting" in text
    got = await _kinds_until(rt, clock, info.meetings[1].starts_at, facilitator)
    assert got.count(GROUP_VIEW) == 2 and got.count(GROUP_CHAT) == 2, got
    await rt.people.pause(facilitator, None, clock.now)
    chosen = await _kinds_until(rt, clock, info.meetings[2].starts_at, facilitator)
    assert chosen == []


async def _kinds_until(rt: Runtime, clock: Clock, until: datetime, person_id: int) -> list[str]:
    """Day by day until `until`: deliver what is due (everyone skips it); the kinds that
    reached `person_id`."""
    kinds: list[str] = []
    while clock.now < until:
        clock.now += timedelta(days=1)
        for outgoing in (await deliver_due(rt)).outgoing:
            if outgoing.person_id == person_id:
                kinds.append(outgoing.kind)
            await rt.delivery.act(outgoing.person_id, outgoing.prompt_id, SKIP, clock.now)
    return kinds
