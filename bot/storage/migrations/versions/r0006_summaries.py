"""Summaries: the client's consent per coach and meeting, the audit log of views, auto-share.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create summary_consents and summary_views; add people.summary_auto_share (off)."""
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("summary_auto_share", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "summary_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("held_back", sa.JSON(), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=True),
        sa.Column("content_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("preview_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'declined')",
            name=op.f("ck_summary_consents_status"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["people.id"],
            name=op.f("fk_summary_consents_client_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["people.id"],
            name=op.f("fk_summary_consents_coach_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_summary_consents_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_consents")),
        sa.UniqueConstraint(
            "client_id",
            "coach_id",
            "meeting_id",
            name=op.f("uq_summary_consents_client_id_coach_id_meeting_id"),
        ),
    )
    with op.batch_alter_table("summary_consents") as batch:
        batch.create_index(op.f("ix_summary_consents_client_id"), ["client_id"], unique=False)
        batch.create_index(op.f("ix_summary_consents_coach_id"), ["coach_id"], unique=False)
        batch.create_index(op.f("ix_summary_consents_meeting_id"), ["meeting_id"], unique=False)
    op.create_table(
        "summary_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("viewer_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('telegram', 'pdf', 'cli')", name=op.f("ck_summary_views_channel")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["people.id"],
            name=op.f("fk_summary_views_client_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"],
            ["people.id"],
            name=op.f("fk_summary_views_viewer_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_summary_views_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_views")),
    )
    with op.batch_alter_table("summary_views") as batch:
        batch.create_index(
            op.f("ix_summary_views_client_id_viewed_at"), ["client_id", "viewed_at"], unique=False
        )
        batch.create_index(op.f("ix_summary_views_viewer_id"), ["viewer_id"], unique=False)
        batch.create_index(op.f("ix_summary_views_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    """Drop the tables and the setting."""
    op.drop_table("summary_views")
    op.drop_table("summary_consents")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("summary_auto_share")
