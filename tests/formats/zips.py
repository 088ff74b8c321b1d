"""Builds damaged, unsupported and suspicious zip exports for the container tests.

Each function writes one zip to ``path`` and returns it. They start from a real chat fixture
and then break exactly one thing, byte by byte, the way a bad download or a foreign zip tool
would. Deliberately independent of the reader's code.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "formats"
CHAT = (DATA / "ios_en.txt").read_bytes()
PDF = b"%PDF-1.4\n" + random.Random(7).randbytes(200_000)
"""An attachment that does not compress (so its deflate data is long enough to damage)."""

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return bytearray(buf.getvalue())


def _data_start(raw: bytearray, name: str) -> int:
    """Offset of a member's (compressed) data, just after its local header."""
    at = raw.find(_LOCAL)
    while at >= 0:
        name_len, extra_len = struct.unpack_from("<HH", raw, at + 26)
        if raw[at + 30:at + 30 + name_len] == name.encode():
            return at + 30 + name_len + extra_len
        at = raw.find(_LOCAL, at + 4)
    raise LookupError(name)


def _write(path: Path, raw: bytearray) -> Path:
    path.write_bytes(bytes(raw))
    return path


def bad_crc_late(path: Path) -> Path:
    """A stored chat text of ~1.6 MB with one byte changed near its end: the CRC check fails
    only once the reader has streamed past the part it sniffs."""
    chat = CHAT * 1000
    raw = _zip({"_chat.txt": chat}, zipfile.ZIP_STORED)
    at = _data_start(raw, "_chat.txt") + len(chat) - 40
    raw[at] ^= 0x20  # a letter changes case: still text, still UTF-8
    return _write(path, raw)


def bad_deflate(path: Path) -> Path:
    """Corrupt deflate data in the chat text."""
    raw = _zip({"_chat.txt": CHAT * 50})
    at = _data_start(raw, "_chat.txt") + 200
    for i in range(at, at + 60):
        raw[i] ^= 0xFF
    return _write(path, raw)


def deflate64(path: Path) -> Path:
    """A chat text whose headers say Deflate64 (method 9), as Windows writes large zips."""
    raw = _zip({"_chat.txt": CHAT})
    struct.pack_into("<H", raw, 8, 9)
    central = raw.find(_CENTRAL)
    struct.pack_into("<H", raw, central + 10, 9)
    return _write(path, raw)


def encrypted(path: Path, bits: int = 0x01) -> Path:
    """A member flagged as encrypted (bit 0; bit 6 for "strong" encryption), in both its
    headers."""
    raw = _zip({"_chat.txt": CHAT})
    raw[6] |= bits
    central = raw.find(_CENTRAL)
    raw[central + 8] |= bits
    return _write(path, raw)


def bad_media_head(path: Path) -> Path:
    """A media member whose deflate data is corrupt from its first bytes (seen when the
    reader sniffs the member's type)."""
    raw = _zip({"_chat.txt": CHAT, "00000013-Report.pdf": b"%PDF-1.4 " * 3000})
    at = _data_start(raw, "00000013-Report.pdf")
    for i in range(at + 10, at + 40):
        raw[i] ^= 0xFF
    return _write(path, raw)


def bad_media_tail(path: Path) -> Path:
    """A media member damaged near its end: reading the chat never notices, importing the
    export (which hashes every member) does."""
    raw = _zip({"_chat.txt": CHAT, "00000013-Report.pdf": PDF})
    end = raw.find(_CENTRAL)
    for i in range(end - 5000, end - 4970):
        raw[i] ^= 0xFF
    return _write(path, raw)


def chat_bomb(path: Path) -> Path:
    """A chat text that unpacks from ~16 KB to 16 MB."""
    raw = _zip({"_chat.txt": b"3/14/24, 10:22 PM - A: b\n" + b"\0" * (16 * 1024 * 1024)})
    return _write(path, raw)


def compressible_media(path: Path, size: int = 3 * 1024 * 1024, count: int = 1) -> Path:
    """A genuine-looking export whose attachments (blank scans) compress about 1000:1."""
    scan = b"%PDF-1.4\n" + b" " * size
    names = ["00000013-Report.pdf"] + [f"000000{14 + i}-Scan.pdf" for i in range(count - 1)]
    raw = _zip({"_chat.txt": CHAT, **dict.fromkeys(names, scan)})
    return _write(path, raw)
