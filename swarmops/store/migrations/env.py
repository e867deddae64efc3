"""Alembic environment: always run on the connection swarmops hands over."""

from __future__ import annotations

from alembic import context

from swarmops.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
context.run_migrations()
