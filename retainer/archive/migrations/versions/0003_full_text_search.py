"""full-text search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:00:00.000000

The index is derived data outside the models (``retainer.search.index``): a contentless FTS5
table on SQLite, a tsvector table with a GIN index on PostgreSQL. An archive that already holds
messages gets them indexed here, in batches, through the same code the import uses (SQL cannot
compute the normalised words).
"""
from collections.abc import Sequence

from alembic import op

from retainer.search import index

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # rowid: (UTC epoch second << 31) | message id, so rowid order is time order.
        # ascii tokenizer: every non-ASCII character is part of a word, ASCII letters, digits
        # and "_" too, so the words retainer writes are kept whole (tokens.py).
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5("
                   "words, content='', tokenize=\"ascii tokenchars '_'\")")
        index.rebuild(bind)
        return
    # key: (UTC epoch second << 31) | message id, so key order is time order (index.py).
    op.execute("CREATE TABLE search_index (key BIGINT NOT NULL, message_id BIGINT NOT NULL, "
               "words TSVECTOR NOT NULL, CONSTRAINT pk_search_index PRIMARY KEY (key))")
    index.rebuild(bind)
    # Built after the rows are in: one bulk build instead of row-by-row insertion.
    op.execute("CREATE INDEX ix_search_index_words ON search_index USING gin (words)")


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
