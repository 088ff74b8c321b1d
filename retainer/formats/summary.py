"""A running summary of an export's messages: counts, kinds and time span."""

from __future__ import annotations

import dataclasses
from collections import Counter

from retainer.formats.model import KINDS, ParsedExport, ParsedMessage


@dataclasses.dataclass
class Summary:
    """Fed one message at a time, so the reader can keep streaming."""

    messages: int = 0
    kinds: Counter[str] = dataclasses.field(default_factory=Counter)
    first: str | None = None
    last: str | None = None

    def add(self, message: ParsedMessage) -> None:
        self.messages += 1
        self.kinds[message.kind] += 1
        sent = message.sent_at[:16]
        if self.first is None or sent < self.first:
            self.first = sent
        if self.last is None or sent > self.last:
            self.last = sent

    def describe(self, export: ParsedExport) -> str:
        """One line for a terminal: counts, family, date order and time span."""
        kinds = ", ".join(f"{self.kinds[k]} {k}" for k in KINDS if self.kinds[k])
        span = f"{self.first} → {self.last}" if self.first else "no messages"
        media = f", {len(export.media)} media files" if export.container == "zip" else ""
        return (f"{export.path}: {self.messages} messages ({kinds or 'none'}); "
                f"{export.family} format, {export.date_order} dates ({export.date_order_source})"
                f"; {span}{media}")
