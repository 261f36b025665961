"""The pure dialogue engine: model, loader and step function (no Telegram, no SQLAlchemy)."""
