"""The client's consent over the coach's summary (both databases): the preview shows exactly
what would go, holding an item back keeps it out of what the coach gets, declining sends
nothing, automatic sharing sends without a decision, and every view is in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from summary_seed import NEVER_SHOWN_KEYS, NOW, Engagement, at, seed_engagement
from summary_text import summary_text

from bot.config import Settings
from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.services.summaries import (
    Channel,
    Decision,
    NotAllowed,
    SummaryService,
)
from bot.storage.models import DialogueRun, Meeting
from bot.storage.uow import UnitOfWorkFactory
from bot.summary.model import SectionCode, SummaryStatus

EN = get_translator("en", "Europe/Stockholm")


@pytest.fixture
async def world(
    uow_factory: UnitOfWorkFactory, catalog: DialogueCatalog, settings: Settings
) -> tuple[Engagement, SummaryService]:
    seeded = await seed_engagement(uow_factory, "en")
    return seeded, SummaryService(uow_factory, catalog, settings)


def _never_shown(text: str, seeded: Engagement) -> None:
    for key in NEVER_SHOWN_KEYS:
        assert seeded.words[key] not in text, key


async def test_preview_shows_what_would_go_and_a_held_back_item_never_reaches_the_coach(
    world: tuple[Engagement, SummaryService],
) -> None:
    seeded, service = world
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.consent_id is not None and preview.coach_name == "Maria Lind"
    assert preview.decision == "pending" and not preview.delivered
    _never_shown(summary_text(preview.summary), seeded)
    bring = preview.summary.section(SectionCode.BRING)
    assert bring is not None
    held = next(item for item in bring.items if seeded.words["bring"] in item.text)
    assert any(i.key == held.key and not i.held for i in preview.items)

    toggled = await service.decide(
        seeded.client_id, preview.consent_id, Decision.TOGGLE, NOW, key=held.key
    )
    assert toggled is not None
    assert seeded.words["bring"] not in summary_text(toggled.summary)
    assert any(i.key == held.key and i.held for i in toggled.items)
    noted = await service.decide(
        seeded.client_id, preview.consent_id, Decision.NOTE, NOW, note="  Short on time today "
    )
    assert noted is not None and noted.note == "Short on time today"
    approved = await service.decide(seeded.client_id, preview.consent_id, Decision.APPROVE, NOW)
    assert approved is not None and approved.decision == "approved"

    delivery = await service.delivery(seeded.client_id, seeded.next_meeting_id, NOW)
    assert delivery.kind == "summary" and delivery.summary is not None
    assert delivery.coach_telegram_id == 5002 - 1
    text = summary_text(delivery.summary)
    assert seeded.words["bring"] not in text  # held back: not in any section, nor in details
    assert seeded.words["want_3"] in text
    assert "Short on time today" in text
    assert delivery.summary.status is SummaryStatus.APPROVED
    _never_shown(text, seeded)


async def test_what_is_approved_is_what_was_previewed(
    world: tuple[Engagement, SummaryService], uow_factory: UnitOfWorkFactory
) -> None:
    seeded, service = world
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.consent_id is not None
    await service.decide(seeded.client_id, preview.consent_id, Decision.APPROVE, NOW)
    async with uow_factory() as uow:  # a reflection finished after the approval
        run = await uow.runs.add(
            DialogueRun(
                person_id=seeded.client_id,
                dialogue_id="nulage",
                status="finished",
                state={"v": 1},
                phrasings={},
                started_at=NOW + timedelta(hours=1),
                updated_at=NOW + timedelta(hours=1),
                finished_at=NOW + timedelta(hours=1),
            )
        )
        await uow.answers.add_for_finished_run(
            run, [("occupies", "text", "Written after approving", "coach")], run.finished_at
        )
        await uow.commit()
    delivery = await service.delivery(
        seeded.client_id, seeded.next_meeting_id, NOW + timedelta(hours=2)
    )
    assert delivery.summary is not None
    assert "Written after approving" not in summary_text(delivery.summary)


async def test_declined_sends_nothing_and_the_coach_sees_only_what_was_shared_before(
    world: tuple[Engagement, SummaryService],
) -> None:
    seeded, service = world
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.consent_id is not None
    await service.decide(seeded.client_id, preview.consent_id, Decision.DECLINE, NOW)
    delivery = await service.delivery(seeded.client_id, seeded.next_meeting_id, NOW)
    assert delivery.kind == "declined" and delivery.summary is None
    assert delivery.client_name == "Klara Berg"
    shown = await service.coach_summary(seeded.coach_id, seeded.client_id, EN, NOW)
    assert shown.summary is None and shown.status is SummaryStatus.DECLINED
    # Nothing was shown, so nothing is in the audit log.
    assert await service.audit_log(seeded.client_id, seeded.client_id) == []


async def test_pending_at_delivery_time_tells_the_coach_without_content(
    world: tuple[Engagement, SummaryService],
) -> None:
    seeded, service = world
    delivery = await service.delivery(seeded.client_id, seeded.next_meeting_id, NOW)
    assert delivery.kind == "pending" and delivery.summary is None
    shown = await service.coach_summary(seeded.coach_id, seeded.client_id, EN, NOW)
    assert shown.summary is None and shown.status is SummaryStatus.PENDING


async def test_automatic_sharing_goes_without_a_decision_but_never_against_a_decline(
    world: tuple[Engagement, SummaryService],
) -> None:
    seeded, service = world
    await service.set_auto_share(seeded.client_id, True, NOW)
    delivery = await service.delivery(seeded.client_id, seeded.next_meeting_id, NOW)
    assert delivery.kind == "summary" and delivery.summary is not None
    assert delivery.summary.status is SummaryStatus.AUTO
    _never_shown(summary_text(delivery.summary), seeded)
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.auto_share and preview.consent_id is not None
    await service.decide(seeded.client_id, preview.consent_id, Decision.DECLINE, NOW)
    declined = await service.delivery(seeded.client_id, seeded.next_meeting_id, NOW)
    assert declined.kind == "declined" and declined.summary is None


async def test_every_coach_view_is_audited_and_only_the_client_reads_the_log(
    world: tuple[Engagement, SummaryService],
) -> None:
    seeded, service = world
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.consent_id is not None
    await service.decide(seeded.client_id, preview.consent_id, Decision.APPROVE, NOW)
    first = await service.coach_summary(seeded.coach_id, seeded.client_id, EN, NOW)
    assert first.summary is not None and first.status is SummaryStatus.APPROVED
    assert first.summary.status_text is not None and "approved" in first.summary.status_text
    _never_shown(summary_text(first.summary), seeded)
    later = NOW + timedelta(minutes=5)
    await service.coach_summary(seeded.coach_id, seeded.client_id, EN, later, Channel.PDF)
    log = await service.audit_log(seeded.client_id, seeded.client_id)
    assert [(e.viewer_name, e.channel, e.status) for e in log] == [
        ("Maria Lind", "pdf", "approved"),
        ("Maria Lind", "telegram", "approved"),
    ]
    assert log[0].meeting_starts_at is not None
    with pytest.raises(NotAllowed):
        await service.audit_log(seeded.coach_id, seeded.client_id)


async def test_after_delivery_the_decision_is_closed_and_the_next_summary_starts_pending(
    world: tuple[Engagement, SummaryService],
) -> None:
    seeded, service = world
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.consent_id is not None
    await service.decide(seeded.client_id, preview.consent_id, Decision.APPROVE, NOW)
    await service.mark_delivered(
        seeded.client_id, seeded.next_meeting_id, (Channel.TELEGRAM, Channel.PDF), NOW
    )
    assert await service.decide(seeded.client_id, preview.consent_id, Decision.DECLINE, NOW) is None
    again = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert again.delivered and again.decision == "approved"
    assert len(await service.audit_log(seeded.client_id, seeded.client_id)) == 2


async def test_a_former_coach_and_other_people_see_no_summary(
    world: tuple[Engagement, SummaryService], uow_factory: UnitOfWorkFactory
) -> None:
    seeded, service = world
    for viewer in (seeded.other_coach_id, seeded.client_id, None):
        with pytest.raises(NotAllowed):
            await service.coach_summary(viewer or 0, seeded.client_id, EN, NOW)
    async with uow_factory() as uow:
        await uow.relations.end(seeded.coach_id, seeded.client_id, at(12, 6, 10))
        await uow.commit()
    with pytest.raises(NotAllowed):
        await service.coach_summary(seeded.coach_id, seeded.client_id, EN, NOW)
    assert (await service.delivery(seeded.client_id, seeded.next_meeting_id, NOW)).kind == "gone"


async def test_erasing_the_coach_keeps_the_clients_audit_log_without_them(
    world: tuple[Engagement, SummaryService], uow_factory: UnitOfWorkFactory
) -> None:
    seeded, service = world
    await service.set_auto_share(seeded.client_id, True, NOW)
    await service.coach_summary(seeded.coach_id, seeded.client_id, EN, NOW)
    async with uow_factory() as uow:
        assert await uow.people.delete(seeded.coach_id)
        await uow.commit()
    log = await service.audit_log(seeded.client_id, seeded.client_id)
    assert [(e.viewer_name, e.status) for e in log] == [(None, "auto")]


async def test_until_the_next_summary_is_released_the_coach_sees_the_last_one_said_so(
    world: tuple[Engagement, SummaryService], uow_factory: UnitOfWorkFactory
) -> None:
    seeded, service = world
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.consent_id is not None
    await service.decide(seeded.client_id, preview.consent_id, Decision.APPROVE, NOW)
    await service.mark_delivered(seeded.client_id, seeded.next_meeting_id, (Channel.TELEGRAM,), NOW)
    later = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    async with uow_factory() as uow:
        await uow.meetings.add(
            Meeting(
                client_id=seeded.client_id,
                coach_id=seeded.coach_id,
                starts_at=datetime(2027, 1, 12, 13, 0, tzinfo=UTC),
                created_at=later,
                updated_at=later,
            )
        )
        await uow.commit()
    shown = await service.coach_summary(seeded.coach_id, seeded.client_id, EN, later)
    assert shown.status is SummaryStatus.PENDING and shown.summary is not None
    assert "For the meeting Tuesday 8 Dec 2026 14:00 (Stockholm)" in shown.summary.header.lines[0]
    assert shown.summary.status_text == (
        "Klara Berg has not approved the summary for the meeting Tuesday 12 Jan 2027 14:00 "
        "(Stockholm) yet. Shown is what they shared before the meeting on 8 Dec 2026."
    )
    assert seeded.words["want_3"] in summary_text(shown.summary)
    newest = (await service.audit_log(seeded.client_id, seeded.client_id))[0]
    assert newest.status == "pending" and newest.meeting_starts_at == datetime(
        2026, 12, 8, 13, 0, tzinfo=UTC
    )


async def test_the_preview_names_the_time_the_coach_really_gets_it(
    world: tuple[Engagement, SummaryService],
    uow_factory: UnitOfWorkFactory,
    settings: Settings,
) -> None:
    """24 hours before the meeting is 14:00 in Stockholm, inside this coach's quiet hours
    (13–16): the scheduler moves the delivery to 16:00, and the preview says so."""
    from datetime import time

    from bot.services.schedule import ScheduleService

    seeded, service = world
    async with uow_factory() as uow:
        coach = await uow.people.get(seeded.coach_id)
        assert coach is not None
        coach.quiet_start, coach.quiet_end = time(13, 0), time(16, 0)
        await uow.commit()
    await ScheduleService(uow_factory, settings).replan(seeded.client_id, NOW)
    preview = await service.preview(seeded.client_id, seeded.client_id, NOW)
    assert preview.delivery_at == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
