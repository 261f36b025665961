"""The dialogues in a terminal, through the same engine and services."""
