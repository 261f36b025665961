"""Planned prompts: the schedule of record, claimed safely by concurrent senders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import case, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.models import Commitment, Meeting, Person, PlannedPrompt

# A claimed prompt that was never marked sent (the sender crashed) may be claimed again after this.
DEFAULT_LEASE = timedelta(minutes=10)


def _upsert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT that can say ON CONFLICT."""
    # Imported here: PostgreSQL's dialect package costs ~20 ms at every start of an SQLite
    # process (the console), and on PostgreSQL the engine has imported it already.
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql as chosen
    else:
        from sqlalchemy.dialects import sqlite as chosen  # type: ignore[no-redef]
    return chosen.insert(PlannedPrompt)


class PromptRepository:
    """Plans, claims and closes prompts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, prompt: PlannedPrompt) -> PlannedPrompt:
        """Store a new planned prompt and assign its id."""
        self.session.add(prompt)
        await self.session.flush()
        return prompt

    async def get(self, prompt_id: int) -> PlannedPrompt | None:
        """The prompt with this id, or None."""
        return await self.session.get(PlannedPrompt, prompt_id)

    async def claim_due(
        self,
        now: datetime,
        limit: int = 50,
        *,
        lease: timedelta = DEFAULT_LEASE,
        telegram_only: bool = False,
    ) -> Sequence[PlannedPrompt]:
        """Claim planned prompts due by `now` (not claimed by someone else) and return them;
        `telegram_only` leaves alone people who can only be reached in the console."""
        # The inner SELECT skips rows another transaction has locked (PostgreSQL), so
        # concurrent schedulers claim disjoint rows; SQLite ignores FOR UPDATE and
        # serialises the single UPDATE statement instead.
        due_ids = (
            select(PlannedPrompt.id)
            .where(
                PlannedPrompt.status == "planned",
                PlannedPrompt.due_at <= now,
                or_(PlannedPrompt.claimed_at.is_(None), PlannedPrompt.claimed_at < now - lease),
            )
            .order_by(PlannedPrompt.due_at, PlannedPrompt.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if telegram_only:
            due_ids = due_ids.where(
                PlannedPrompt.person_id.in_(
                    select(Person.id).where(Person.telegram_id.is_not(None))
                )
            )
        due_ids_subquery = due_ids.scalar_subquery()
        result = await self.session.scalars(
            update(PlannedPrompt)
            .where(PlannedPrompt.id.in_(due_ids_subquery))
            .values(claimed_at=now, attempts=PlannedPrompt.attempts + 1)
            .returning(PlannedPrompt)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        claimed = list(result.all())
        claimed.sort(key=lambda prompt: (prompt.due_at, prompt.id))
        return claimed

    async def mark_sent(self, prompt: PlannedPrompt, now: datetime) -> None:
        """Record that the prompt went out."""
        prompt.status = "sent"
        prompt.sent_at = now
        await self.session.flush()

    async def release(self, prompt: PlannedPrompt) -> None:
        """Give a claimed prompt back (sending failed) so a later tick retries it."""
        prompt.claimed_at = None
        await self.session.flush()

    async def set_status(self, prompt: PlannedPrompt, status: str) -> None:
        """Set the prompt's status (answered, ignored, cancelled ...)."""
        prompt.status = status
        await self.session.flush()

    async def list_for(
        self, person_id: int, *, status: str | None = None, kind: str | None = None
    ) -> Sequence[PlannedPrompt]:
        """The person's prompts, earliest due first, optionally filtered."""
        statement = select(PlannedPrompt).where(PlannedPrompt.person_id == person_id)
        if status is not None:
            statement = statement.where(PlannedPrompt.status == status)
        if kind is not None:
            statement = statement.where(PlannedPrompt.kind == kind)
        result = await self.session.scalars(
            statement.order_by(PlannedPrompt.due_at, PlannedPrompt.id)
        )
        return result.all()

    async def cancel_planned(self, person_id: int, *, kind: str | None = None) -> int:
        """Cancel the person's not yet sent prompts (optionally of one kind); return how many."""
        statement = (
            update(PlannedPrompt)
            .where(PlannedPrompt.person_id == person_id, PlannedPrompt.status == "planned")
            .values(status="cancelled")
            .execution_options(synchronize_session="fetch")
        )
        if kind is not None:
            statement = statement.where(PlannedPrompt.kind == kind)
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0))

    # -- planning: the planner's rows are identified by (person_id, plan_key) ---------------------
    async def upsert_planned(
        self, person_id: int, prompts: Iterable[tuple[str, int | None, str, datetime]]
    ) -> None:
        """Plan (kind, ref_id, plan_key, due_at) rows: insert new keys, move planned ones, revive
        cancelled ones; a row already sent (or acted on) is never touched."""
        rows = [
            {
                "person_id": person_id,
                "kind": kind,
                "ref_id": ref_id,
                "plan_key": key,
                "due_at": due_at,
                "status": "planned",
                "attempts": 0,
                "variant": 0,
            }
            for kind, ref_id, key, due_at in sorted(prompts, key=lambda row: row[2])
        ]
        if not rows:
            return
        # Both dialects speak INSERT ... ON CONFLICT; two processes re-planning the same person
        # therefore meet at the unique (person_id, plan_key) instead of adding a second row.
        statement = _upsert(self._dialect()).values(rows)
        table = PlannedPrompt.__table__
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.person_id, table.c.plan_key],
            set_={
                "due_at": statement.excluded.due_at,
                "status": "planned",
                "claimed_at": None,
            },
            where=or_(
                table.c.status == "cancelled",
                (table.c.status == "planned") & (table.c.due_at != statement.excluded.due_at),
            ),
        )
        await self.session.execute(statement, execution_options={"synchronize_session": False})

    async def cancel_planned_except(
        self, person_id: int, kinds: Sequence[str], keep_keys: Iterable[str]
    ) -> int:
        """Cancel the person's planned rows of the planner's `kinds` (keys `<kind>:...`) whose key
        is not in `keep_keys`; other rows (a snooze, a notice) are left alone. Returns how many."""
        keep = sorted(set(keep_keys))
        statement = (
            update(PlannedPrompt)
            .where(
                PlannedPrompt.person_id == person_id,
                PlannedPrompt.status == "planned",
                or_(*(PlannedPrompt.plan_key.startswith(f"{kind}:") for kind in kinds)),
            )
            .values(status="cancelled", claimed_at=None)
            .execution_options(synchronize_session="fetch")
        )
        if keep:
            statement = statement.where(PlannedPrompt.plan_key.not_in(keep))
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0))

    async def closed_keys(self, person_id: int, kinds: Sequence[str]) -> list[str]:
        """Plan keys of the planner's `kinds` that are past planning (sent, acted on, failed)."""
        result = await self.session.scalars(
            select(PlannedPrompt.plan_key).where(
                PlannedPrompt.person_id == person_id,
                PlannedPrompt.status.not_in(("planned", "cancelled")),
                or_(*(PlannedPrompt.plan_key.startswith(f"{kind}:") for kind in kinds)),
            )
        )
        return [key for key in result.all() if key is not None]

    async def sent_times_since(
        self, person_id: int, since: datetime, *, uncounted: Sequence[str] = ()
    ) -> list[datetime]:
        """When the person was sent prompts since `since` (what the cap counts: every kind
        but the `uncounted` ones)."""
        result = await self.session.scalars(
            select(PlannedPrompt.sent_at)
            .where(
                PlannedPrompt.person_id == person_id,
                PlannedPrompt.sent_at >= since,
                PlannedPrompt.kind.not_in(tuple(uncounted) or ("",)),
            )
            .order_by(PlannedPrompt.sent_at)
        )
        return [sent_at for sent_at in result.all() if sent_at is not None]

    async def upcoming_for(
        self, person_id: int, *, due_before: datetime | None = None, limit: int = 20
    ) -> Sequence[PlannedPrompt]:
        """The person's planned (not yet sent) prompts, earliest first."""
        statement = select(PlannedPrompt).where(
            PlannedPrompt.person_id == person_id, PlannedPrompt.status == "planned"
        )
        if due_before is not None:
            statement = statement.where(PlannedPrompt.due_at <= due_before)
        result = await self.session.scalars(
            statement.order_by(PlannedPrompt.due_at, PlannedPrompt.id).limit(limit)
        )
        return result.all()

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def count_sent_since(self, person_id: int, since: datetime) -> int:
        """How many prompts were sent to the person since `since` (for the weekly cap)."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(PlannedPrompt)
            .where(PlannedPrompt.person_id == person_id, PlannedPrompt.sent_at >= since)
        )
        return int(count or 0)

    # -- delivery: what the sender needs after a claim ------------------------------------------
    async def get_many(self, prompt_ids: Sequence[int]) -> Sequence[PlannedPrompt]:
        """The prompts with these ids (any order)."""
        if not prompt_ids:
            return []
        result = await self.session.scalars(
            select(PlannedPrompt).where(PlannedPrompt.id.in_(list(prompt_ids)))
        )
        return result.all()

    async def preload_batch(
        self, prompts: Sequence[PlannedPrompt], *, checkin_kind: str
    ) -> list[object]:
        """Load the people, commitments and meetings a claimed batch refers to in three queries,
        so that the session's `get` finds them without one query per prompt. Keep the returned
        list while deciding: the session only holds rows weakly."""
        people = sorted({p.person_id for p in prompts})
        commitments = sorted({p.ref_id for p in prompts if p.kind == checkin_kind and p.ref_id})
        meetings = sorted({p.ref_id for p in prompts if p.kind != checkin_kind and p.ref_id})
        loaded: list[object] = []
        for model, ids in ((Person, people), (Commitment, commitments), (Meeting, meetings)):
            if ids:
                loaded.extend(
                    (await self.session.scalars(select(model).where(model.id.in_(ids)))).all()
                )
        return loaded

    async def unacted_sent_of(self, person_ids: Sequence[int]) -> Sequence[PlannedPrompt]:
        """These people's delivered prompts nobody acted on yet (candidates for `ignored`)."""
        if not person_ids:
            return []
        result = await self.session.scalars(
            select(PlannedPrompt)
            .where(
                PlannedPrompt.person_id.in_(list(person_ids)),
                PlannedPrompt.status == "sent",
                PlannedPrompt.sent_at.is_not(None),
                PlannedPrompt.acted_at.is_(None),
            )
            .order_by(PlannedPrompt.sent_at, PlannedPrompt.id)
        )
        return result.all()

    async def sent_counts_since(
        self, person_ids: Sequence[int], since: datetime, *, uncounted: Sequence[str] = ()
    ) -> dict[int, int]:
        """Per person, how many prompts they were sent since `since` (the weekly cap; the
        `uncounted` kinds are left out)."""
        if not person_ids:
            return {}
        rows = await self.session.execute(
            select(PlannedPrompt.person_id, func.count())
            .where(
                PlannedPrompt.person_id.in_(list(person_ids)),
                PlannedPrompt.sent_at >= since,
                PlannedPrompt.kind.not_in(tuple(uncounted) or ("",)),
            )
            .group_by(PlannedPrompt.person_id)
        )
        return {int(person_id): int(count) for person_id, count in rows.all()}

    async def kind_counts(self, person_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        """Per person and kind, how many prompts were sent before (picks the next wording)."""
        if not person_ids:
            return {}
        rows = await self.session.execute(
            select(PlannedPrompt.person_id, PlannedPrompt.kind, func.count())
            .where(
                PlannedPrompt.person_id.in_(list(person_ids)), PlannedPrompt.sent_at.is_not(None)
            )
            .group_by(PlannedPrompt.person_id, PlannedPrompt.kind)
        )
        return {(int(pid), str(kind)): int(count) for pid, kind, count in rows.all()}

    async def by_key(self, person_id: int, plan_key: str) -> PlannedPrompt | None:
        """The person's prompt with this plan key, or None."""
        result = await self.session.scalars(
            select(PlannedPrompt).where(
                PlannedPrompt.person_id == person_id, PlannedPrompt.plan_key == plan_key
            )
        )
        return result.one_or_none()

    async def record_delivered(self, delivered: dict[int, int], now: datetime) -> None:
        """Record the send time and Telegram message id of prompts that went out (one statement)."""
        if not delivered:
            return
        await self.session.execute(
            update(PlannedPrompt)
            .where(PlannedPrompt.id.in_(list(delivered)))
            .values(
                sent_at=now,
                message_id=case(delivered, value=PlannedPrompt.id),
            )
            .execution_options(synchronize_session=False)
        )

    async def start_sending(self, claims: Sequence[tuple[int, int]]) -> set[int]:
        """Turn claimed prompts (id, claim attempt) into `sent` (no `sent_at` yet) where that
        claim still holds them; returns the ids taken. A lease that ran out and was claimed
        again, or a row re-planned meanwhile (its lease dropped), is left alone."""
        if not claims:
            return set()
        result = await self.session.scalars(
            update(PlannedPrompt)
            .where(
                tuple_(PlannedPrompt.id, PlannedPrompt.attempts).in_(list(claims)),
                PlannedPrompt.status == "planned",
                PlannedPrompt.claimed_at.is_not(None),
            )
            .values(status="sent")
            .returning(PlannedPrompt.id)
            .execution_options(synchronize_session=False)
        )
        return set(result.all())

    async def return_to_plan(self, prompt_ids: Sequence[int]) -> None:
        """Put in-flight prompts that certainly did not go out back into the plan."""
        if not prompt_ids:
            return
        await self.session.execute(
            update(PlannedPrompt)
            .where(PlannedPrompt.id.in_(list(prompt_ids)), PlannedPrompt.sent_at.is_(None))
            .values(status="planned", claimed_at=None)
            .execution_options(synchronize_session=False)
        )

    async def set_status_many(self, prompt_ids: Sequence[int], status: str) -> None:
        """Set the status of several prompts at once."""
        if not prompt_ids:
            return
        await self.session.execute(
            update(PlannedPrompt)
            .where(PlannedPrompt.id.in_(list(prompt_ids)))
            .values(status=status)
            .execution_options(synchronize_session=False)
        )
