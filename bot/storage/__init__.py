"""Persistence: the only package that imports SQLAlchemy.

Import from the modules (kept separate so importing models does not load Alembic):
`db.Database`, `crypto.Keyring`, `uow.UnitOfWork`/`uow.make_uow_factory`,
`migrate.upgrade_database` (also `db.upgrade_database`), `rotation.rotate_keys`,
`models` for the ORM classes and `repositories` for the per-aggregate repositories.
"""
