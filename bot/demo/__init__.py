"""Demo data: a coach and a client with a term of history, written through the services."""
