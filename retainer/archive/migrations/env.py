"""Alembic environment: runs on the connection retainer hands over (see archive/schema.py)."""

from alembic import context

from retainer.archive.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - retainer always passes its connection
    raise RuntimeError("retainer's migrations run through `retainer db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
