"""The coach's (or facilitator's) pre-meeting summary: a pure model, its composition and renderers.

`model` is the seam: the composer (from stored answers, commitments and meetings, through the
services) builds a `Summary` already translated into the reader's language and time zone; the
renderers (Telegram HTML split at section boundaries, an A4 PDF with a chart of the trends, the
console) only lay it out. Nothing in this package touches Telegram or the database.
"""
