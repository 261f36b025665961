"""Encryption at rest, key rotation, the key file, UTC timestamps and erasure."""

from __future__ import annotations

import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from storage_helpers import NOW, add_person, add_run

from bot.config import Settings, SettingsError
from bot.storage.column_types import MissingKeyringError
from bot.storage.crypto import KEY_FILE_NAME, Keyring, KeyringError
from bot.storage.db import Database
from bot.storage.models import Commitment, DialogueRun, Person
from bot.storage.rotation import rotate_keys
from bot.storage.uow import UnitOfWorkFactory, make_uow_factory

MARKER = "Jag sover dåligt och tänker på sjukskrivning"


async def _write_marker_everywhere(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        person = await add_person(uow, display_name=MARKER + " (namn)")
        run = await add_run(uow, person, state={"answers": {"issue": {"value": MARKER}}})
        answer = await uow.answers.upsert(run, "issue", "text", MARKER + " 1", "coach", NOW)
        await uow.answers.edit(answer, MARKER + " 2", NOW + timedelta(minutes=1))
        await uow.commitments.add(
            Commitment(
                person_id=person.id,
                run_id=run.id,
                text=MARKER + " åtagande",
                done_when=MARKER + " klart",
                due_date=date(2026, 12, 1),
            )
        )
        await uow.commit()
    return person.id


async def _raw_dump(database: Database) -> bytes:
    """Every stored byte of the database: the SQLite files, or all encrypted columns."""
    if database.dialect_name == "sqlite":
        await database.dispose()
        path = Path(database.engine.url.database or "")
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert path in files
        return b"".join(p.read_bytes() for p in files)
    chunks: list[bytes] = []
    async with database.engine.connect() as connection:
        for query in (
            "SELECT display_name FROM people",
            "SELECT state FROM dialogue_runs",
            "SELECT value FROM answers",
            "SELECT value FROM answer_revisions",
            "SELECT text FROM commitments",
            "SELECT done_when FROM commitments",
        ):
            chunks.extend(
                bytes(value) for value in (await connection.scalars(text(query))) if value
            )
    assert len(chunks) == 6
    return b"\n".join(chunks)


async def test_personal_text_is_not_readable_in_the_stored_bytes(
    database: Database, uow_factory: UnitOfWorkFactory
) -> None:
    person_id = await _write_marker_everywhere(uow_factory)

    dump = await _raw_dump(database)

    for needle in (MARKER, "sjukskrivning", "sover dåligt"):
        assert needle.encode("utf-8") not in dump
    # ...and yet the application reads it back.
    async with uow_factory() as uow:
        person = await uow.people.get(person_id)
        assert person is not None and person.display_name == MARKER + " (namn)"
        commitments = await uow.commitments.list_for(person_id)
        assert commitments[0].text == MARKER + " åtagande"


async def test_key_rotation_keeps_data_readable_without_the_old_key(
    database: Database, uow_factory: UnitOfWorkFactory, test_secret_key: str
) -> None:
    person_id = await _write_marker_everywhere(uow_factory)
    new_key = Keyring.generate_key()

    rotating = Database(database.url, Keyring([new_key, test_secret_key]))
    try:
        # people, dialogue_runs, answers, answer_revisions, commitments: one row each.
        assert await rotate_keys(rotating) == 5
    finally:
        await rotating.dispose()

    new_only = Database(database.url, Keyring([new_key]))
    old_only = Database(database.url, Keyring([test_secret_key]))
    try:
        async with make_uow_factory(new_only)() as uow:
            person = await uow.people.get(person_id)
            assert person is not None and person.display_name == MARKER + " (namn)"
            answers = await uow.answers.for_person(person_id)
            assert answers[0].value == MARKER + " 2"
            revisions = await uow.answers.revisions(answers[0].id)
            assert revisions[0].value == MARKER + " 1"
            run = (await uow.runs.list_for(person_id))[0]
            assert run.state["answers"]["issue"]["value"] == MARKER
            commitment = (await uow.commitments.list_for(person_id))[0]
            assert commitment.done_when == MARKER + " klart"
        async with make_uow_factory(old_only)() as uow:
            with pytest.raises(KeyringError):
                await uow.people.get(person_id)
    finally:
        await new_only.dispose()
        await old_only.dispose()


async def test_a_database_without_keyring_refuses_encrypted_columns(database: Database) -> None:
    bare = Database(database.url)
    try:
        async with make_uow_factory(bare)() as uow:
            with pytest.raises(StatementError) as raised:
                await add_person(uow, display_name="x")
            assert isinstance(raised.value.orig, MissingKeyringError)
            await uow.rollback()
            # Plain columns still work.
            await add_person(uow, console_name="plain")
    finally:
        await bare.dispose()


def test_keyring_first_key_encrypts_every_key_decrypts() -> None:
    old, new = Keyring.generate_key(), Keyring.generate_key()
    token = Keyring([old]).encrypt(b"hemligt")
    both = Keyring([new, old])
    assert both.decrypt(token) == b"hemligt"
    assert Keyring([new]).decrypt(both.rotate(token)) == b"hemligt"
    assert Keyring([new]).decrypt(both.encrypt(b"ny")) == b"ny"
    with pytest.raises(KeyringError):
        Keyring([new]).decrypt(token)
    with pytest.raises(ValueError):
        Keyring([])


def test_key_file_is_created_with_mode_0600_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="", database_url="")
    first = Keyring.from_settings(settings)
    key_file = tmp_path / "data" / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = Keyring.from_settings(settings)
    assert second.decrypt(first.encrypt(b"samma")) == b"samma"


def test_secret_key_setting_wins_and_no_key_file_is_written(tmp_path: Path) -> None:
    primary, older = Keyring.generate_key(), Keyring.generate_key()
    settings = Settings(data_dir=tmp_path, secret_key=f"{primary}, {older}", database_url="")
    keyring = Keyring.from_settings(settings)
    assert keyring.key_count == 2
    assert Keyring([primary]).decrypt(keyring.encrypt(b"x")) == b"x"
    assert keyring.decrypt(Keyring([older]).encrypt(b"y")) == b"y"
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_postgresql_without_secret_key_is_a_settings_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="", database_url="postgresql://u@h/db")
    with pytest.raises(SettingsError, match=r"^HEMMAPLAN_SECRET_KEY: required with PostgreSQL"):
        Keyring.from_settings(settings)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_malformed_secret_key_is_a_settings_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="not-a-key", database_url="")
    with pytest.raises(SettingsError, match=r"^HEMMAPLAN_SECRET_KEY:"):
        Keyring.from_settings(settings)


async def test_timestamps_come_back_aware_in_utc(
    uow_factory: UnitOfWorkFactory,
) -> None:
    stockholm_evening = datetime(2026, 6, 1, 23, 30, tzinfo=timezone(timedelta(hours=2)))
    async with uow_factory() as uow:
        person = await add_person(uow, consent_at=stockholm_evening)
        early = await add_run(
            uow, person, started_at=datetime(2026, 6, 1, 21, 0, tzinfo=NOW.tzinfo)
        )
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.people.get(person.id)
        assert loaded is not None and loaded.consent_at is not None
        assert loaded.consent_at.utcoffset() == timedelta(0)
        assert loaded.consent_at == stockholm_evening
        assert loaded.consent_at.hour == 21 and loaded.consent_at.minute == 30
        # 21:30 UTC sorts after 21:00 UTC even though the local clock said 23:30.
        later = await add_run(uow, loaded, started_at=stockholm_evening)
        runs = await uow.runs.list_for(person.id)
        assert [r.id for r in runs] == [later.id, early.id]


async def test_naive_timestamps_are_refused(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(StatementError, match="naive datetime"):
            await add_person(uow, consent_at=datetime(2026, 1, 1, 12, 0))


async def test_erasing_a_person_leaves_no_row_that_refers_to_them(
    database: Database, uow_factory: UnitOfWorkFactory
) -> None:
    from bot.storage.models import (
        Base,
        Group,
        GroupMeeting,
        GroupMember,
        Invite,
        Meeting,
        PlannedPrompt,
        SummaryView,
    )

    async def populate(coach_id: int | None) -> int:
        async with uow_factory() as uow:
            person = await add_person(uow, display_name="Erik")
            if coach_id is not None:
                await uow.relations.link(coach_id, person.id, NOW)
                await uow.invites.add(
                    Invite(
                        token_hash=f"h{person.id}",
                        kind="client",
                        created_by_id=coach_id,
                        expires_at=NOW,
                        used_at=NOW,
                        used_by_id=person.id,
                    )
                )
            await uow.invites.add(
                Invite(
                    token_hash=f"own{person.id}",
                    kind="coach",
                    created_by_id=person.id,
                    expires_at=NOW,
                )
            )
            meeting = await uow.meetings.add(
                Meeting(client_id=person.id, coach_id=coach_id, starts_at=NOW)
            )
            run = await add_run(uow, person, meeting_id=meeting.id)
            answer = await uow.answers.upsert(run, "s", "text", "x", "coach", NOW)
            await uow.answers.edit(answer, "y", NOW)
            await uow.commitments.add(
                Commitment(person_id=person.id, run_id=run.id, text="t", due_date=date(2026, 12, 1))
            )
            await uow.prompts.add(PlannedPrompt(person_id=person.id, kind="checkin", due_at=NOW))
            if coach_id is not None:
                consent = await uow.summaries.open_consent(person.id, coach_id, meeting.id, NOW)
                consent.note = "a note for the coach"
                await uow.summaries.add_view(
                    SummaryView(
                        client_id=person.id,
                        viewer_id=coach_id,
                        meeting_id=meeting.id,
                        channel="telegram",
                        status="approved",
                        viewed_at=NOW,
                    )
                )
            # A Backstage group the person leads (it goes, with its plan) ...
            own = await uow.groups.add(
                Group(facilitator_id=person.id, name="Norr", size=4, interval_days=35)
            )
            await uow.groups.add_meeting(GroupMeeting(group_id=own.id, number=0, starts_at=NOW))
            if coach_id is not None:
                # ... and one they are a member of (it stays, without them).
                other = await uow.groups.add(
                    Group(facilitator_id=coach_id, name="Syd", size=4, interval_days=35)
                )
                held = await uow.groups.add_meeting(
                    GroupMeeting(
                        group_id=other.id, number=1, starts_at=NOW, case_owner_id=person.id
                    )
                )
                await uow.groups.add_member(GroupMember(group_id=other.id, person_id=person.id))
                await uow.meetings.add(
                    Meeting(
                        client_id=person.id,
                        coach_id=coach_id,
                        starts_at=NOW,
                        kind="backstage",
                        group_meeting_id=held.id,
                    )
                )
            await uow.commit()
        return person.id

    async with uow_factory() as uow:
        coach = await add_person(uow, role="coach")
        await uow.commit()
    await populate(None)  # someone else, who must keep every row
    target = await populate(coach.id)
    counts_before = await _row_counts(database)

    async with uow_factory() as uow:
        assert await uow.people.delete(target) is True
        await uow.commit()

    async with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name != "people":
                    continue
                column = fk.parent
                left = await connection.scalar(
                    text(f"SELECT COUNT(*) FROM {table.name} WHERE {column.name} = :id"),
                    {"id": target},
                )
                assert left == 0, f"{table.name}.{column.name} still refers to the person"
    counts_after = await _row_counts(database)
    # Each of the target's own rows went away (incl. revisions that only point at answers).
    expected_gone = {
        "people": 1,
        "coach_clients": 1,
        "invites": 1,  # their own invite; the invite they used stays but forgets them
        "meetings": 2,  # their coaching meeting and their row of the group's meeting
        "dialogue_runs": 1,
        "answers": 1,
        "answer_revisions": 1,
        "commitments": 1,
        "commitment_events": 1,
        "planned_prompts": 1,
        "send_pacers": 0,
        "key_check": 0,
        "summary_consents": 1,
        "summary_views": 1,
        "groups": 1,  # the group they led; the group they were in stays
        "group_meetings": 1,  # the plan of the group they led
        "group_members": 0,  # their membership stays as "someone left" (no person)
        "group_chat_posts": 0,
    }
    assert {t: counts_before[t] - counts_after[t] for t in counts_before} == expected_gone
    async with uow_factory() as uow:
        used = await uow.invites.by_token_hash(f"h{target}")
        assert used is not None and used.used_by_id is None
        assert await uow.people.get(coach.id) is not None


async def _row_counts(database: Database) -> dict[str, int]:
    from bot.storage.models import Base

    counts: dict[str, int] = {}
    async with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            value = await connection.scalar(text(f"SELECT COUNT(*) FROM {table.name}"))
            counts[table.name] = int(value or 0)
    return counts


async def test_erasing_a_coach_keeps_the_clients_meetings(
    uow_factory: UnitOfWorkFactory,
) -> None:
    from bot.storage.models import Meeting

    async with uow_factory() as uow:
        coach = await add_person(uow, role="coach")
        client = await add_person(uow)
        meeting = await uow.meetings.add(
            Meeting(client_id=client.id, coach_id=coach.id, starts_at=NOW)
        )
        await uow.commit()
    async with uow_factory() as uow:
        await uow.people.delete(coach.id)
        await uow.commit()
    async with uow_factory() as uow:
        kept = await uow.meetings.get(meeting.id)
        assert kept is not None and kept.coach_id is None


def test_models_are_plain_objects() -> None:
    run = DialogueRun(dialogue_id="x", state={"v": 1})
    assert run.state == {"v": 1}
    assert Person(role="coach").role == "coach"
