"""Coach–client relations can end: coach_clients.ended_at.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 17:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable end of a relation (existing relations stay active)."""
    with op.batch_alter_table("coach_clients") as batch:
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the end; ended relations are deleted first so they do not come back as active."""
    op.execute("DELETE FROM coach_clients WHERE ended_at IS NOT NULL")
    with op.batch_alter_table("coach_clients") as batch:
        batch.drop_column("ended_at")
