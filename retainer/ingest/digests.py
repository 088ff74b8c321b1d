"""The digests an import's audit entry covers, computed the same way by import and verify."""

from __future__ import annotations

import datetime as dt
import hashlib

from retainer.archive.audit import RowDigest
from retainer.ingest.identity import content_digest


def utc_key(value: dt.datetime) -> str:
    """An instant as text for digests: UTC, seconds precision, no zone suffix."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


def message_digest(identity: str, sent_at: dt.datetime, sent_at_local: str, stamp: str,
                   timezone: str, time_flag: str | None, author: str | None, kind: str,
                   edited: bool, text: str, attachment: str | None) -> str:
    """``Message.content_digest``: every stored field of a message."""
    return content_digest(identity, utc_key(sent_at), sent_at_local, stamp, timezone,
                          time_flag, author, kind, int(bool(edited)), text, attachment)


class ImportDigest:
    """The rows one import added: messages, captures and events, each in id order."""

    def __init__(self) -> None:
        self.messages = RowDigest()
        self.captures = RowDigest()
        self.events = RowDigest()

    def add_message(self, identity: str, digest: str) -> None:
        self.messages.add(identity, digest)

    def add_capture(self, message_id: int, export_id: int | None, mail_id: int | None,
                    line: int, channel: str, captured_at: dt.datetime, author: str | None,
                    text: str | None, complete: bool) -> None:
        self.captures.add(message_id, export_id, mail_id, line, channel, utc_key(captured_at),
                          author, text, int(bool(complete)))

    def add_event(self, message_id: int, kind: str, export_id: int,
                  related: int | None) -> None:
        self.events.add(message_id, kind, export_id, related)

    @property
    def count(self) -> int:
        return self.messages.count

    def hexdigest(self) -> str:
        parts = (self.messages.hexdigest(), self.captures.hexdigest(), self.events.hexdigest())
        return hashlib.sha256("|".join(parts).encode()).hexdigest()
