"""Use cases: the only layer transports call; each receives a unit of work."""
