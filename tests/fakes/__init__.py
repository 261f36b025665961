"""Test doubles that stand in for external services (the Telegram Bot API)."""
