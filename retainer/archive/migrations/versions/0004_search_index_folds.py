"""search index: letters with strokes and ligatures folded, emoji names by their aliases

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-16 09:00:00.000000

The search text now folds letters Unicode does not decompose (``Łódź`` → ``lodz``, ``Æsir`` →
``aesir``: ``retainer.formats.text.SEARCH_FOLDS``), and an emoji name typed with an ASCII
apostrophe or touching punctuation (``(:one_o'clock:)``) is the emoji. The index holds words
computed from the text, so every message is indexed again (``retainer.search.index.rebuild``,
the import's own code); the schema does not change.
"""
from collections.abc import Sequence

from alembic import op

from retainer.search import index

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index.rebuild(op.get_bind())


def downgrade() -> None:
    # Nothing to undo in the schema. The words stay as this version computed them (the older
    # code cannot be run from here): under 0003, only queries for the folded letters, such as
    # "łodz", miss what they found before; everything else is unchanged.
    pass
