"""Check-ins: commitment lifecycle and events, meeting changes, schedule and pacing columns.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 17:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_PROMPT_STATUSES = "status IN ('planned', 'sent', 'answered', 'ignored', 'cancelled')"
_NEW_PROMPT_STATUSES = (
    "status IN ('planned', 'sent', 'answered', 'snoozed', 'skipped', 'ignored', "
    "'cancelled', 'failed')"
)
_OLD_COMMITMENT_STATUSES = "status IN ('open', 'done', 'partly', 'not_yet', 'dropped')"
_NEW_COMMITMENT_STATUSES = "status IN ('open', 'done', 'dropped')"


def upgrade() -> None:
    """Add the columns and tables; "partly"/"not yet" commitments become open again."""
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("pause_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("auto_paused_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("ignored_streak", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("weekly_prompt_cap", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prompt_offsets", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("replan_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(op.f("ix_people_replan_at"), ["replan_at"], unique=False)

    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column("duration_minutes", sa.Integer(), nullable=False, server_default="60")
        )
        batch.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_meetings_created_by_id_people"),
            "people",
            ["created_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_meetings_created_by_id"), ["created_by_id"], unique=False)
    op.execute("UPDATE meetings SET updated_at = created_at")
    with op.batch_alter_table("meetings") as batch:
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    op.execute("UPDATE commitments SET status = 'open' WHERE status IN ('partly', 'not_yet')")
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("last_check", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_commitments_parent_id_commitments"),
            "commitments",
            ["parent_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_commitments_parent_id"), ["parent_id"], unique=False)
        batch.drop_constraint(op.f("ck_commitments_status"), type_="check")
        batch.create_check_constraint(op.f("ck_commitments_status"), _NEW_COMMITMENT_STATUSES)

    op.create_table(
        "commitment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("note", sa.LargeBinary(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('created', 'done', 'partly', 'not_yet', 'dropped', 'moved', 'reopened')",
            name=op.f("ck_commitment_events_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_events_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_commitment_events_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["dialogue_runs.id"],
            name=op.f("fk_commitment_events_run_id_dialogue_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_events")),
    )
    op.create_index(
        op.f("ix_commitment_events_commitment_id_created_at"),
        "commitment_events",
        ["commitment_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_commitment_events_person_id"), "commitment_events", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_commitment_events_run_id"), "commitment_events", ["run_id"], unique=False
    )

    with op.batch_alter_table("planned_prompts") as batch:
        batch.add_column(sa.Column("plan_key", sa.String(length=96), nullable=True))
        batch.add_column(sa.Column("variant", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("message_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint(
            op.f("uq_planned_prompts_person_id_plan_key"), ["person_id", "plan_key"]
        )
        batch.drop_constraint(op.f("ck_planned_prompts_status"), type_="check")
        batch.create_check_constraint(op.f("ck_planned_prompts_status"), _NEW_PROMPT_STATUSES)

    op.create_table(
        "send_pacers",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_send_pacers")),
    )


def downgrade() -> None:
    """Drop what upgrade added (check-in answers collapse back into the status)."""
    op.drop_table("send_pacers")
    op.execute(
        "UPDATE planned_prompts SET status = 'cancelled' "
        "WHERE status IN ('snoozed', 'skipped', 'failed')"
    )
    with op.batch_alter_table("planned_prompts") as batch:
        batch.drop_constraint(op.f("ck_planned_prompts_status"), type_="check")
        batch.create_check_constraint(op.f("ck_planned_prompts_status"), _OLD_PROMPT_STATUSES)
        batch.drop_constraint(op.f("uq_planned_prompts_person_id_plan_key"), type_="unique")
        batch.drop_column("acted_at")
        batch.drop_column("message_id")
        batch.drop_column("variant")
        batch.drop_column("plan_key")

    op.drop_index(op.f("ix_commitment_events_run_id"), table_name="commitment_events")
    op.drop_index(op.f("ix_commitment_events_person_id"), table_name="commitment_events")
    op.drop_index(
        op.f("ix_commitment_events_commitment_id_created_at"), table_name="commitment_events"
    )
    op.drop_table("commitment_events")

    op.execute(
        "UPDATE commitments SET status = last_check "
        "WHERE status = 'open' AND last_check IN ('partly', 'not_yet')"
    )
    with op.batch_alter_table("commitments") as batch:
        batch.drop_constraint(op.f("ck_commitments_status"), type_="check")
        batch.create_check_constraint(op.f("ck_commitments_status"), _OLD_COMMITMENT_STATUSES)
        batch.drop_index(op.f("ix_commitments_parent_id"))
        batch.drop_constraint(op.f("fk_commitments_parent_id_commitments"), type_="foreignkey")
        batch.drop_column("parent_id")
        batch.drop_column("last_check")

    with op.batch_alter_table("meetings") as batch:
        batch.drop_index(op.f("ix_meetings_created_by_id"))
        batch.drop_constraint(op.f("fk_meetings_created_by_id_people"), type_="foreignkey")
        batch.drop_column("updated_at")
        batch.drop_column("cancelled_at")
        batch.drop_column("created_by_id")
        batch.drop_column("duration_minutes")

    with op.batch_alter_table("people") as batch:
        batch.drop_index(op.f("ix_people_replan_at"))
        batch.drop_column("replan_at")
        batch.drop_column("prompt_offsets")
        batch.drop_column("weekly_prompt_cap")
        batch.drop_column("ignored_streak")
        batch.drop_column("auto_paused_at")
        batch.drop_column("pause_until")
