"""Dialogue runs remember the chat message that shows their live screen (its buttons).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 20:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add dialogue_runs.screen_message_id (unknown for existing runs)."""
    with op.batch_alter_table("dialogue_runs") as batch:
        batch.add_column(sa.Column("screen_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop dialogue_runs.screen_message_id."""
    with op.batch_alter_table("dialogue_runs") as batch:
        batch.drop_column("screen_message_id")
