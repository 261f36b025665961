"""Dialogue runs get a version: a write based on an outdated read of the run is refused.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 17:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add dialogue_runs.version (existing runs start at 1)."""
    with op.batch_alter_table("dialogue_runs") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    """Drop dialogue_runs.version."""
    with op.batch_alter_table("dialogue_runs") as batch:
        batch.drop_column("version")
