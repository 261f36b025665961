"""Backstage groups: groups, members, group meetings, chat posts; group invites, members'
meeting copies and the context of a run.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the group tables and link invites, meetings and runs to them."""
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.LargeBinary(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["people.id"],
            name=op.f("fk_groups_facilitator_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_groups_chat_id")),
    )
    op.create_index(op.f("ix_groups_facilitator_id"), "groups", ["facilitator_id"], unique=False)
    op.create_table(
        "group_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_members_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_group_members_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_members")),
        sa.UniqueConstraint(
            "group_id", "person_id", name=op.f("uq_group_members_group_id_person_id")
        ),
    )
    op.create_index(
        op.f("ix_group_members_person_id"), "group_members", ["person_id"], unique=False
    )
    op.create_table(
        "group_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_owner_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_meetings_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_owner_id"],
            ["people.id"],
            name=op.f("fk_group_meetings_case_owner_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_meetings")),
        sa.UniqueConstraint("group_id", "number", name=op.f("uq_group_meetings_group_id_number")),
    )
    op.create_index(
        op.f("ix_group_meetings_case_owner_id"), "group_meetings", ["case_owner_id"], unique=False
    )
    op.create_index(
        op.f("ix_group_meetings_group_id_starts_at"),
        "group_meetings",
        ["group_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "group_chat_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_chat_posts")),
    )
    op.create_index(
        op.f("ix_group_chat_posts_chat_id_sent_at"),
        "group_chat_posts",
        ["chat_id", "sent_at"],
        unique=False,
    )
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch.drop_constraint(op.f("ck_invites_kind"), type_="check")
        batch.create_check_constraint(
            op.f("ck_invites_kind"), "kind IN ('coach', 'client', 'group')"
        )
        batch.create_foreign_key(
            op.f("fk_invites_group_id_groups"), "groups", ["group_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(op.f("ix_invites_group_id"), ["group_id"], unique=False)
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("group_meeting_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_meetings_group_meeting_id_group_meetings"),
            "group_meetings",
            ["group_meeting_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_meetings_group_meeting_id"), ["group_meeting_id"], unique=False)
    with op.batch_alter_table("dialogue_runs") as batch:
        batch.add_column(
            sa.Column("context", sa.String(length=16), nullable=False, server_default="coaching")
        )
        batch.create_check_constraint(
            op.f("ck_dialogue_runs_context"), "context IN ('coaching', 'group')"
        )


def downgrade() -> None:
    """Drop the group tables; group runs, group invites and members' group meetings go too."""
    op.execute("DELETE FROM dialogue_runs WHERE context = 'group'")
    op.execute("DELETE FROM meetings WHERE group_meeting_id IS NOT NULL")
    op.execute("DELETE FROM invites WHERE kind = 'group'")
    with op.batch_alter_table("dialogue_runs") as batch:
        batch.drop_constraint(op.f("ck_dialogue_runs_context"), type_="check")
        batch.drop_column("context")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_index(op.f("ix_meetings_group_meeting_id"))
        batch.drop_constraint(
            op.f("fk_meetings_group_meeting_id_group_meetings"), type_="foreignkey"
        )
        batch.drop_column("group_meeting_id")
    with op.batch_alter_table("invites") as batch:
        batch.drop_index(op.f("ix_invites_group_id"))
        batch.drop_constraint(op.f("fk_invites_group_id_groups"), type_="foreignkey")
        batch.drop_column("group_id")
        batch.drop_constraint(op.f("ck_invites_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_invites_kind"), "kind IN ('coach', 'client')")
    op.drop_index(op.f("ix_group_chat_posts_chat_id_sent_at"), table_name="group_chat_posts")
    op.drop_table("group_chat_posts")
    op.drop_index(op.f("ix_group_meetings_group_id_starts_at"), table_name="group_meetings")
    op.drop_index(op.f("ix_group_meetings_case_owner_id"), table_name="group_meetings")
    op.drop_table("group_meetings")
    op.drop_index(op.f("ix_group_members_person_id"), table_name="group_members")
    op.drop_table("group_members")
    op.drop_index(op.f("ix_groups_facilitator_id"), table_name="groups")
    op.drop_table("groups")
