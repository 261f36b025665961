"""Telegram handlers: each parses an update, calls a service and renders the answer."""
