"""Readers for chat exports: bytes in, ``ParsedMessage`` stream out; no SQL, no click."""

from retainer.formats.container import Container, open_container, open_container_bytes
from retainer.formats.model import (
    DATE_ORDERS,
    KINDS,
    Defect,
    MediaFile,
    ParsedExport,
    ParsedMessage,
    ParsePolicy,
)
from retainer.formats.reader import FAMILIES, read_export

__all__ = [
    "DATE_ORDERS",
    "FAMILIES",
    "KINDS",
    "Container",
    "Defect",
    "MediaFile",
    "ParsePolicy",
    "ParsedExport",
    "ParsedMessage",
    "open_container",
    "open_container_bytes",
    "read_export",
]
