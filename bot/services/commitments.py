"""Commitments (åtaganden) over their life: the open ones, one's history, a quick check-in.

A commitment is open until it is done or dropped; "partly" and "not yet" keep it open (with a
new date when one is given). Every change is kept as an event with its time. Whatever changes a
commitment marks the person for re-planning in the same unit of work (the scheduler's seam).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.i18n import Translator
from bot.storage.models import CHECK_RESULTS, Commitment
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "CHECK_RESULTS",
    "CommitmentEventInfo",
    "CommitmentInfo",
    "CommitmentNotFound",
    "CommitmentService",
    "check_result_label",
    "commitment_info",
    "own_commitment",
]


class CommitmentNotFound(LookupError):
    """The commitment does not exist, is not the person's, or is no longer open."""


@dataclass(frozen=True)
class CommitmentInfo:
    """A commitment as shown in lists: what, by when, its status and the last check-in."""

    id: int
    text: str
    due_date: date
    status: str  # open, done, dropped
    last_check: str | None  # done, partly, not_yet, dropped; None before the first check-in
    checked_at: datetime | None
    done_when: str | None
    parent_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class CommitmentEventInfo:
    """One change of a commitment: created, a check-in answer, or a moved date."""

    kind: str
    at: datetime
    due_date: date | None
    note: str | None


def check_result_label(result: str, t: Translator) -> str:
    """A check-in result (done, partly, not_yet, dropped) as the person reads it."""
    # Own context: "Done" as a commitment's status reads differently in Swedish from the
    # button that finishes a multiple choice.
    labels = {
        "done": t.pgettext("commitment status", "Done"),
        "partly": t.pgettext("commitment status", "Partly"),
        "not_yet": t.pgettext("commitment status", "Not yet"),
        "dropped": t.pgettext("commitment status", "No longer relevant"),
    }
    return labels.get(result, result)


def commitment_info(commitment: Commitment) -> CommitmentInfo:
    """Snapshot an ORM commitment."""
    return CommitmentInfo(
        id=commitment.id,
        text=commitment.text,
        due_date=commitment.due_date,
        status=commitment.status,
        last_check=commitment.last_check,
        checked_at=commitment.checked_at,
        done_when=commitment.done_when,
        parent_id=commitment.parent_id,
        created_at=commitment.created_at,
    )


async def own_commitment(
    uow: UnitOfWork, person_id: int, commitment_id: int, *, open_only: bool = True
) -> Commitment:
    """The person's commitment (open, unless `open_only` is False), or CommitmentNotFound."""
    commitment = await uow.commitments.get(commitment_id)
    if commitment is None or commitment.person_id != person_id:
        raise CommitmentNotFound(commitment_id)
    if open_only and commitment.status != "open":
        raise CommitmentNotFound(commitment_id)
    return commitment


class CommitmentService:
    """Lists a person's commitments, tells one's history and records quick check-ins."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def open_for(self, person_id: int) -> list[CommitmentInfo]:
        """The person's open commitments, soonest due first, with their last check-in."""
        async with self._uow_factory() as uow:
            return [commitment_info(c) for c in await uow.commitments.open_for(person_id)]

    async def get(self, person_id: int, commitment_id: int) -> CommitmentInfo | None:
        """One of the person's commitments (any status), or None."""
        async with self._uow_factory() as uow:
            try:
                found = await own_commitment(uow, person_id, commitment_id, open_only=False)
            except CommitmentNotFound:
                return None
            return commitment_info(found)

    async def history(self, person_id: int, commitment_id: int) -> list[CommitmentEventInfo]:
        """Every change of the person's commitment, oldest first (CommitmentNotFound if not
        theirs)."""
        async with self._uow_factory() as uow:
            await own_commitment(uow, person_id, commitment_id, open_only=False)
            return [
                CommitmentEventInfo(e.kind, e.created_at, e.due_date, e.note)
                for e in await uow.commitments.events_for(commitment_id)
            ]

    async def record_check(
        self,
        person_id: int,
        commitment_id: int,
        result: str,
        now: datetime,
        *,
        new_due: date | None = None,
        note: str | None = None,
    ) -> CommitmentInfo:
        """Records how an open commitment went without a dialogue (e.g. a /commitments button).

        Done and dropped close it; partly and not yet keep it open, at `new_due` when given.
        Raises CommitmentNotFound when it is not the person's or no longer open (an old
        button), ValueError for an unknown result.
        """
        if result not in CHECK_RESULTS:
            raise ValueError(f"unknown check-in result {result!r}")
        async with self._uow_factory() as uow:
            commitment = await own_commitment(uow, person_id, commitment_id)
            await uow.commitments.record_check(commitment, result, now, new_due=new_due, note=note)
            await uow.people.mark_replan(person_id, now)
            await uow.commit()
            return commitment_info(commitment)

    async def move_due(
        self, person_id: int, commitment_id: int, new_due: date, now: datetime
    ) -> CommitmentInfo:
        """Gives an open commitment a new date (CommitmentNotFound if not theirs or closed)."""
        async with self._uow_factory() as uow:
            commitment = await own_commitment(uow, person_id, commitment_id)
            await uow.commitments.move_due(commitment, new_due, now)
            await uow.people.mark_replan(person_id, now)
            await uow.commit()
            return commitment_info(commitment)
