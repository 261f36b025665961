"""Answers of finished runs and the revisions kept when they are edited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage.models import Answer, AnswerRevision, DialogueRun
from bot.storage.repositories.steps import RunRow


class AnswerRepository:
    """Reads, writes and edits answers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, answer_id: int, *, with_revisions: bool = False) -> Answer | None:
        """The answer with this id (revisions loaded if asked), or None."""
        statement = select(Answer).where(Answer.id == answer_id)
        if with_revisions:
            statement = statement.options(selectinload(Answer.revisions))
        result = await self.session.scalars(statement)
        return result.one_or_none()

    async def for_run(self, run_id: int, *, with_revisions: bool = False) -> Sequence[Answer]:
        """The answers of one run in the order they were stored (revisions loaded if asked)."""
        statement = select(Answer).where(Answer.run_id == run_id).order_by(Answer.id)
        if with_revisions:
            statement = statement.options(selectinload(Answer.revisions))
        result = await self.session.scalars(statement)
        return result.all()

    async def for_person(
        self,
        person_id: int,
        dialogue_id: str | None = None,
        *,
        step_id: str | None = None,
        with_revisions: bool = False,
        since: datetime | None = None,
        shared_only: bool = False,
    ) -> Sequence[Answer]:
        """The person's answers, oldest first, optionally for one dialogue (and step).

        `since` keeps answers given at or after that time; `shared_only` leaves out answers
        marked only for me.
        """
        statement = select(Answer).where(Answer.person_id == person_id)
        if since is not None:
            statement = statement.where(Answer.created_at >= since)
        if shared_only:
            statement = statement.where(Answer.visibility != "private")
        if with_revisions:
            statement = statement.options(selectinload(Answer.revisions))
        if dialogue_id is not None:
            statement = statement.where(Answer.dialogue_id == dialogue_id)
        if step_id is not None:
            statement = statement.where(Answer.step_id == step_id)
        result = await self.session.scalars(statement.order_by(Answer.created_at, Answer.id))
        return result.all()

    async def upsert(
        self,
        run: DialogueRun,
        step_id: str,
        kind: str,
        value: Any,
        visibility: str,
        now: datetime,
    ) -> Answer:
        """Store the answer to a step of the run, replacing an earlier one without a revision."""
        result = await self.session.scalars(
            select(Answer).where(Answer.run_id == run.id, Answer.step_id == step_id)
        )
        answer = result.one_or_none()
        if answer is None:
            answer = Answer(
                run_id=run.id,
                person_id=run.person_id,
                dialogue_id=run.dialogue_id,
                step_id=step_id,
                kind=kind,
                value=value,
                visibility=visibility,
                created_at=now,
                updated_at=now,
            )
            self.session.add(answer)
        else:
            answer.kind = kind
            answer.value = value
            answer.visibility = visibility
            answer.updated_at = now
        await self.session.flush()
        return answer

    async def add_for_finished_run(
        self, run: DialogueRun | RunRow, answers: Sequence[tuple[str, str, Any, str]], now: datetime
    ) -> None:
        """Store a finishing run's answers, (step id, kind, value, visibility) each, in ONE
        statement; a run finishes once, so none of them exists yet."""
        if not answers:
            return
        rows = [
            {
                "run_id": run.id,
                "person_id": run.person_id,
                "dialogue_id": run.dialogue_id,
                "step_id": step_id,
                "kind": kind,
                "value": value,
                "visibility": visibility,
                "created_at": now,
                "updated_at": now,
            }
            for step_id, kind, value, visibility in answers
        ]
        # A Core insert with a list of rows: one executemany (or one multi-row VALUES), where
        # the ORM would select and insert per answer. Column types (encryption) apply as usual.
        await self.session.execute(insert(Answer), rows)

    async def edit(
        self, answer: Answer, value: Any, now: datetime, *, visibility: str | None = None
    ) -> AnswerRevision:
        """Change an answer, keeping its previous value and visibility as a revision."""
        revision = AnswerRevision(
            answer_id=answer.id,
            value=answer.value,
            visibility=answer.visibility,
            changed_at=now,
        )
        self.session.add(revision)
        answer.value = value
        if visibility is not None:
            answer.visibility = visibility
        answer.updated_at = now
        await self.session.flush()
        return revision

    async def set_visibility(self, answer: Answer, visibility: str, now: datetime) -> None:
        """Change who may see an answer (no revision: the value is unchanged)."""
        answer.visibility = visibility
        answer.updated_at = now
        await self.session.flush()

    async def revisions(self, answer_id: int) -> Sequence[AnswerRevision]:
        """Earlier values of an answer, oldest first."""
        result = await self.session.scalars(
            select(AnswerRevision)
            .where(AnswerRevision.answer_id == answer_id)
            .order_by(AnswerRevision.changed_at, AnswerRevision.id)
        )
        return result.all()
