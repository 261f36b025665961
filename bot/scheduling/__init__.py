"""Pure planning rules: local time, quiet hours, offsets, the desired prompts of one person."""
