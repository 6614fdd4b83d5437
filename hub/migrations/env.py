"""Alembic's environment for the hub: always given a connection by ``hub.schema``."""

from __future__ import annotations

from alembic import context

from hub.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: batch mode copies the table, so a migration can still
    # make a column NOT NULL or change an index on the embedded database.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
