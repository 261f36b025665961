"""Alembic migrations of the Hemmaplan schema (run through bot.storage.migrate)."""
