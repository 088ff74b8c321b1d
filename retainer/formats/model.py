"""What the readers produce: parsed messages, defects and the description of one export."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Literal, NamedTuple

Kind = Literal["text", "media", "system", "deleted"]
KINDS: tuple[Kind, ...] = ("text", "media", "system", "deleted")

DateOrder = Literal["DMY", "MDY", "YMD"]
DATE_ORDERS: tuple[DateOrder, ...] = ("DMY", "MDY", "YMD")


class ParsedMessage(NamedTuple):
    """One message as the export shows it; nothing here is resolved or converted to UTC.

    A named view of a ``Row``: the reader's hot loop builds plain tuples in this field order
    (``ParsedExport.batches``) and ``ParsedExport.messages`` names them.
    """

    line: int
    """1-based line of the file where the message's header is."""
    sent_at: str
    """Local wall-clock time as written, ISO 8601 ``YYYY-MM-DDTHH:MM`` plus ``:SS`` when the
    export has seconds. No zone: the importer decides the zone (DESIGN §4)."""
    stamp: str
    """The header's date and time exactly as written (invisible marks stripped)."""
    author: str | None
    """The author slot, normalised (see ``text.normalise_header``); None for system notices."""
    text: str
    """The body exactly as exported, invisible marks stripped, lines joined with ``\\n``."""
    kind: Kind
    edited: bool = False
    attachment: str | None = None
    """File name of the attached media, when the export names one that travels with it."""

    def as_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "sent_at": self.sent_at,
            "author": self.author,
            "text": self.text,
            "kind": self.kind,
            "edited": self.edited,
            "attachment": self.attachment,
        }


Row = tuple[int, str, str, "str | None", str, str, bool, "str | None"]
"""A ``ParsedMessage`` as a plain tuple, in the same field order."""


@dataclasses.dataclass(frozen=True, slots=True)
class Defect:
    """Something odd the reader met and tolerated (the policy decides what is fatal)."""

    line: int
    kind: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        what = self.kind.replace("_", " ")
        return f"{where}{what} ({self.detail})" if self.detail else where + what


@dataclasses.dataclass(frozen=True, slots=True)
class ParsePolicy:
    """What the reader does with problems.

    ``strict`` (the default) raises for anything that would make a stored message or a verdict
    wrong: an ambiguous date order, text before the first message header, an invalid date.
    Non-strict reading records a ``Defect`` instead and keeps going where it can.
    """

    strict: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class MediaFile:
    """A media file that travels inside a ``.zip`` export."""

    name: str
    size: int
    mime: str


@dataclasses.dataclass
class ParsedExport:
    """One export file, described and ready to stream its messages.

    ``messages()`` reads the chat text again each time it is called and never holds the whole
    file or the message list in memory.
    """

    path: str
    container: Literal["txt", "zip"]
    chat_member: str | None
    chat_title: str | None
    encoding: str
    family: str
    date_order: DateOrder
    date_order_source: Literal["inferred", "given"]
    media: tuple[MediaFile, ...]
    defects: list[Defect]
    """Filled while the messages are read (a later read starts it afresh)."""
    _batches: Callable[..., Iterator[list[Row]]] = dataclasses.field(repr=False)

    def batches(self) -> Iterator[list[Row]]:
        """Message rows in file order, a list at a time: the fast way to read an export."""
        return self._batches(self)

    def messages(self) -> Iterator[ParsedMessage]:
        """Every message in file order."""
        make = ParsedMessage._make
        for rows in self._batches(self):
            yield from map(make, rows)
