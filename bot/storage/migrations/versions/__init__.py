"""Alembic revisions, oldest first by revision id."""
