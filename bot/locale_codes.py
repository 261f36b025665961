"""The languages Hemmaplan speaks; a module of its own so the CLI can name them without settings."""

SUPPORTED_LOCALES = ("sv", "en")
