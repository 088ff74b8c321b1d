"""What a new export says about messages archived before it (DESIGN §3).

Nothing archived is changed: a message an earlier export of the same device had and this one
lacks gets a ``missing_from_later_export`` event; an earlier message this export shows as
deleted (or edited) gets a ``deleted_after_capture`` (``edited_after_capture``) event pointing
at the notice (or new text) that took its place. All set-based SQL except the per-deletion
lookups, which are few.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import Capture, Export, Message, MessageEvent


def _not_in(export_id: int):
    return ~exists().where(Capture.message_id == Message.id, Capture.export_id == export_id)


def record_missing(session: Session, export: Export, audit_id: int) -> int:
    """Flag messages that an earlier device export of the same custodian showed, within this
    export's time span, and this export lacks. Returns how many."""
    if export.channel != "device" or export.first_sent_at is None:
        return 0
    earlier = aliased(Export)
    seen_before = exists().where(
        Capture.message_id == Message.id, Capture.export_id == earlier.id,
        earlier.id != export.id, earlier.channel == "device",
        earlier.chat_id == export.chat_id,
        earlier.custodian.is_not_distinct_from(export.custodian))
    already = exists().where(MessageEvent.message_id == Message.id,
                             MessageEvent.export_id == export.id)
    query = select(Message.id, literal("missing_from_later_export"), literal(export.id),
                   literal(audit_id)).where(
        Message.chat_id == export.chat_id,
        Message.sent_at >= export.first_sent_at, Message.sent_at <= export.last_sent_at,
        seen_before, _not_in(export.id), ~already)
    session.execute(insert(MessageEvent).from_select(
        ["message_id", "kind", "export_id", "audit_id"], query))
    return session.scalar(select(func.count()).select_from(MessageEvent).where(
        MessageEvent.export_id == export.id,
        MessageEvent.kind == "missing_from_later_export")) or 0


def record_replacements(session: Session, export: Export, audit_id: int,
                        notices: list[tuple[int, dt.datetime, str | None, str]]) -> int:
    """Link earlier messages to the deletion notices and edited texts that replace them.

    ``notices``: (message id, UTC instant, author key, "deleted" | "edited") for messages of
    this export. An earlier message of the same author and minute that this export lacks is
    the one replaced. Returns the number of events recorded.
    """
    count = 0
    for message_id, sent_at, author_key, what in notices:
        minute = sent_at.replace(second=0, microsecond=0)
        original = select(Message.id).where(
            Message.chat_id == export.chat_id, Message.id != message_id,
            Message.sent_at >= minute, Message.sent_at < minute + dt.timedelta(minutes=1),
            Message.author_key == author_key, Message.kind != "deleted",
            _not_in(export.id))
        if what == "edited":
            original = original.where(Message.kind == "text")
        kind = "deleted_after_capture" if what == "deleted" else "edited_after_capture"
        for (original_id,) in session.execute(original).all():
            duplicate = session.scalar(select(MessageEvent.id).where(and_(
                MessageEvent.message_id == original_id, MessageEvent.kind == kind,
                MessageEvent.related_message_id == message_id)))
            if duplicate is None:
                session.add(MessageEvent(message_id=original_id, kind=kind,
                                         export_id=export.id, related_message_id=message_id,
                                         audit_id=audit_id))
                count += 1
    session.flush()
    return count
