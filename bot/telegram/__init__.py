"""Thin python-telegram-bot adapter: handlers and rendering of screens."""
