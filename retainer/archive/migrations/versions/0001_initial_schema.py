"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 12:19:58.760454
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import retainer.archive.types


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('operator', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('added_count', sa.Integer(), nullable=False),
    sa.Column('added_digest', sa.String(length=64), nullable=True),
    sa.Column('prev_digest', sa.String(length=64), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    sa.UniqueConstraint('digest', name=op.f('uq_audit_entries_digest'))
    )
    op.create_table('person_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('person', sa.String(length=200), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_accounts')),
    sa.UniqueConstraint('key', 'official', name=op.f('uq_person_accounts_key_official'))
    )
    op.create_table('chats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_chats_audit_id_audit_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chats')),
    sa.UniqueConstraint('title', name=op.f('uq_chats_title'))
    )
    op.create_table('files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.Column('mime', sa.String(length=200), nullable=False),
    sa.Column('stored_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_files_audit_id_audit_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_files')),
    sa.UniqueConstraint('sha256', name=op.f('uq_files_sha256'))
    )
    op.create_table('holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('placed_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('placed_by', sa.String(length=200), nullable=False),
    sa.Column('released_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('released_by', sa.String(length=200), nullable=True),
    sa.Column('release_reason', sa.Text(), nullable=True),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_holds_audit_id_audit_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holds'))
    )
    op.create_table('mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('container_file_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=1000), nullable=False),
    sa.Column('message_id', sa.String(length=1000), nullable=True),
    sa.Column('date', retainer.archive.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_first', retainer.archive.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('captured_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('from_addresses', sa.JSON(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('defects', sa.JSON(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_mails_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['container_file_id'], ['files.id'], name=op.f('fk_mails_container_file_id_files')),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_mails_file_id_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mails'))
    )
    op.create_table('exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('device', 'official', name='channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('custodian', sa.String(length=200), nullable=True),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('date_order', sa.String(length=3), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('container', sa.String(length=8), nullable=False),
    sa.Column('chat_member', sa.String(length=1000), nullable=True),
    sa.Column('encoding', sa.String(length=16), nullable=False),
    sa.Column('captured_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.Column('first_sent_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_sent_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('defects', sa.JSON(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_exports_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_exports_chat_id_chats')),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_exports_file_id_files')),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], name=op.f('fk_exports_mail_id_mails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exports'))
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index('ix_exports_chat_custodian', ['chat_id', 'custodian'], unique=False)

    op.create_table('mail_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], name=op.f('fk_mail_recipients_mail_id_mails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_recipients'))
    )
    with op.batch_alter_table('mail_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_recipients_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_recipients_mail_id'), ['mail_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=False),
    sa.Column('identity', sa.String(length=32), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('sent_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at_local', sa.String(length=19), nullable=False),
    sa.Column('stamp', sa.String(length=64), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('time_flag', sa.String(length=16), nullable=True),
    sa.Column('author', sa.String(length=500), nullable=True),
    sa.Column('author_key', sa.String(length=500), nullable=True),
    sa.Column('kind', sa.Enum('text', 'media', 'system', 'deleted', name='kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attachment', sa.String(length=1000), nullable=True),
    sa.Column('content_digest', sa.String(length=64), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_messages_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_messages_chat_id_chats')),
    sa.ForeignKeyConstraint(['export_id'], ['exports.id'], name=op.f('fk_messages_export_id_exports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('chat_id', 'identity', name=op.f('uq_messages_chat_id_identity'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_chat_sent_at', ['chat_id', 'sent_at'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=True),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mime', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_attachments_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['export_id'], ['exports.id'], name=op.f('fk_attachments_export_id_exports')),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], name=op.f('fk_attachments_mail_id_mails')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_attachments_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_export_id'), ['export_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_mail_id'), ['mail_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_message_id'), ['message_id'], unique=False)

    op.create_table('captures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=True),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('device', 'official', name='channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('captured_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(length=500), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(export_id IS NULL) <> (mail_id IS NULL)', name=op.f('ck_captures_one_source')),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_captures_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['export_id'], ['exports.id'], name=op.f('fk_captures_export_id_exports')),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], name=op.f('fk_captures_mail_id_mails')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_captures_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_captures'))
    )
    with op.batch_alter_table('captures', schema=None) as batch_op:
        batch_op.create_index('ix_captures_mail', ['mail_id'], unique=False, sqlite_where=sa.text('mail_id IS NOT NULL'), postgresql_where=sa.text('mail_id IS NOT NULL'))
        batch_op.create_index('ix_captures_message_export', ['message_id', 'export_id'], unique=False)

    op.create_table('filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.String(length=64), nullable=False),
    sa.Column('schedule_version', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('filed_at', retainer.archive.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_filings_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_filings_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filings'))
    )
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.create_index('ix_filings_message_newest', ['message_id', 'id'], unique=False)

    op.create_table('message_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('missing_from_later_export', 'deleted_after_capture', 'edited_after_capture', name='event', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('related_message_id', sa.Integer(), nullable=True),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_entries.id'], name=op.f('fk_message_events_audit_id_audit_entries')),
    sa.ForeignKeyConstraint(['export_id'], ['exports.id'], name=op.f('fk_message_events_export_id_exports')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_events_message_id_messages')),
    sa.ForeignKeyConstraint(['related_message_id'], ['messages.id'], name=op.f('fk_message_events_related_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_events'))
    )
    with op.batch_alter_table('message_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_events_message_id'), ['message_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('message_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_events_message_id'))

    op.drop_table('message_events')
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index('ix_filings_message_newest')

    op.drop_table('filings')
    with op.batch_alter_table('captures', schema=None) as batch_op:
        batch_op.drop_index('ix_captures_message_export')
        batch_op.drop_index('ix_captures_mail', sqlite_where=sa.text('mail_id IS NOT NULL'), postgresql_where=sa.text('mail_id IS NOT NULL'))

    op.drop_table('captures')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_message_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_mail_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_export_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_chat_sent_at')

    op.drop_table('messages')
    with op.batch_alter_table('mail_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_recipients_mail_id'))
        batch_op.drop_index(batch_op.f('ix_mail_recipients_address'))

    op.drop_table('mail_recipients')
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index('ix_exports_chat_custodian')

    op.drop_table('exports')
    op.drop_table('mails')
    op.drop_table('holds')
    op.drop_table('files')
    op.drop_table('chats')
    op.drop_table('person_accounts')
    op.drop_table('audit_entries')

