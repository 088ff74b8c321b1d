"""Alembic environment: runs on the connection retainer hands over (see archive/schema.py)."""

from alembic import context

from retainer.archive.models import Base
from retainer.search.index import is_index_object

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - retainer always passes its connection
    raise RuntimeError("retainer's migrations run through `retainer db upgrade`")


def include_name(name, type_, parent_names) -> bool:
    """Leave the full-text index out of comparisons: it is derived data kept outside the
    models (retainer.search.index), so `retainer db check` must not call it drift."""
    return not (type_ in ("table", "index") and is_index_object(name))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
