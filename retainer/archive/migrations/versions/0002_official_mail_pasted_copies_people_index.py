"""official mail: pasted copies, people index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:24:21.617175
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import retainer.archive.types


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('pasted_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('sent_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at_local', sa.String(length=19), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('author', sa.String(length=500), nullable=True),
    sa.Column('author_key', sa.String(length=500), nullable=True),
    sa.Column('kind', sa.Enum('text', 'media', 'system', 'deleted', name='kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attachment', sa.String(length=1000), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_pasted_copies_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], name=op.f('fk_pasted_copies_mail_id_mails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pasted_copies'))
    )
    with op.batch_alter_table('pasted_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pasted_copies_mail_id'), ['mail_id'], unique=False)

    with op.batch_alter_table('person_accounts', schema=None) as batch_op:
        batch_op.create_index('ix_person_accounts_person', ['person'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('person_accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_person_accounts_person')

    with op.batch_alter_table('pasted_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pasted_copies_mail_id'))

    op.drop_table('pasted_copies')

