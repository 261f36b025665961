"""Pure views: data in, a rendered Telegram message (HTML text + buttons) out.

Handlers read who is asking and what they asked for, fetch the data from a service, and hand it
to a view here; nothing in this package talks to Telegram or the database, so each view is
tested on its own and the same data is always shown the same way.
"""
