"""Hemmaplan: a Telegram self-coaching companion for managers."""
