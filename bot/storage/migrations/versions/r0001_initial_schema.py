"""Initial schema: people, relations, invites, meetings, runs, answers, commitments, prompts.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 22:10:07.751146
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table (encrypted columns are plain binary here)."""
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("console_name", sa.String(length=64), nullable=True),
        sa.Column("display_name", sa.LargeBinary(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("checkin_time", sa.Time(), nullable=True),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("onboarding", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'coach', 'client')", name=op.f("ck_people_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("console_name", name=op.f("uq_people_console_name")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_people_telegram_id")),
    )
    op.create_table(
        "coach_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["people.id"],
            name=op.f("fk_coach_clients_client_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["people.id"],
            name=op.f("fk_coach_clients_coach_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_clients")),
        sa.UniqueConstraint(
            "coach_id", "client_id", name=op.f("uq_coach_clients_coach_id_client_id")
        ),
    )
    op.create_index(
        op.f("ix_coach_clients_client_id"), "coach_clients", ["client_id"], unique=False
    )

    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('coach', 'client')", name=op.f("ck_invites_kind")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_invites_created_by_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["used_by_id"],
            ["people.id"],
            name=op.f("fk_invites_used_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invites_token_hash")),
    )
    op.create_index(op.f("ix_invites_created_by_id"), "invites", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_invites_used_by_id"), "invites", ["used_by_id"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('coaching', 'backstage')", name=op.f("ck_meetings_kind")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["people.id"],
            name=op.f("fk_meetings_client_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["people.id"],
            name=op.f("fk_meetings_coach_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(
        op.f("ix_meetings_client_id_starts_at"),
        "meetings",
        ["client_id", "starts_at"],
        unique=False,
    )
    op.create_index(op.f("ix_meetings_coach_id"), "meetings", ["coach_id"], unique=False)

    op.create_table(
        "planned_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'sent', 'answered', 'ignored', 'cancelled')",
            name=op.f("ck_planned_prompts_status"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_planned_prompts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_prompts")),
    )
    op.create_index(
        op.f("ix_planned_prompts_person_id"), "planned_prompts", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_planned_prompts_status_due_at"),
        "planned_prompts",
        ["status", "due_at"],
        unique=False,
    )

    op.create_table(
        "dialogue_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.String(length=64), nullable=False),
        sa.Column("dialogue_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("phrasings", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'paused', 'finished', 'cancelled')",
            name=op.f("ck_dialogue_runs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_dialogue_runs_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_dialogue_runs_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_runs")),
    )
    op.create_index(
        op.f("ix_dialogue_runs_meeting_id"), "dialogue_runs", ["meeting_id"], unique=False
    )
    op.create_index(
        op.f("ix_dialogue_runs_person_id_dialogue_id_started_at"),
        "dialogue_runs",
        ["person_id", "dialogue_id", "started_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_dialogue_runs_person_id_status"),
        "dialogue_runs",
        ["person_id", "status"],
        unique=False,
    )

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.String(length=64), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'coach', 'group')", name=op.f("ck_answers_visibility")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_answers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["dialogue_runs.id"],
            name=op.f("fk_answers_run_id_dialogue_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint("run_id", "step_id", name=op.f("uq_answers_run_id_step_id")),
    )
    op.create_index(
        op.f("ix_answers_person_id_dialogue_id"),
        "answers",
        ["person_id", "dialogue_id"],
        unique=False,
    )

    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("done_when", sa.LargeBinary(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'partly', 'not_yet', 'dropped')",
            name=op.f("ck_commitments_status"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_commitments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["dialogue_runs.id"],
            name=op.f("fk_commitments_run_id_dialogue_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    op.create_index(
        op.f("ix_commitments_person_id_status_due_date"),
        "commitments",
        ["person_id", "status", "due_date"],
        unique=False,
    )
    op.create_index(op.f("ix_commitments_run_id"), "commitments", ["run_id"], unique=False)

    op.create_table(
        "answer_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'coach', 'group')",
            name=op.f("ck_answer_revisions_visibility"),
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_answer_revisions_answer_id_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_revisions")),
    )
    op.create_index(
        op.f("ix_answer_revisions_answer_id"), "answer_revisions", ["answer_id"], unique=False
    )


def downgrade() -> None:
    """Drop every table, children first."""
    op.drop_table("answer_revisions")
    op.drop_table("commitments")
    op.drop_table("answers")
    op.drop_table("dialogue_runs")
    op.drop_table("planned_prompts")
    op.drop_table("meetings")
    op.drop_table("invites")
    op.drop_table("coach_clients")
    op.drop_table("people")
