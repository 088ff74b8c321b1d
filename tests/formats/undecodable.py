"""Chat exports with one undecodable byte sequence on a known line, in each encoding the
reader supports.

The lines hold 上 (U+4E0A), whose UTF-16 code unit has a 0x0A byte: counting 0x0A bytes
does not count the lines of a UTF-16 file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HEAD = "14/03/2024, 22:05 - Dana Reyes: "
"""An Android header whose date decides day-first order (so every date is fine)."""

#: codec → (byte-order mark, an undecodable sequence). For UTF-16 a lone low surrogate.
CODECS = {
    "utf-8": (b"", b"\xff"),
    "utf-8-sig": (codecs.BOM_UTF8, b"\xff"),
    "utf-16-le": (codecs.BOM_UTF16_LE, b"\x00\xdc"),
    "utf-16-be": (codecs.BOM_UTF16_BE, b"\xdc\x00"),
}


def encode(codec: str, text: str) -> bytes:
    return text.encode("utf-8" if codec == "utf-8-sig" else codec)


def chat_bytes(codec: str, *, bad_line: int, lines: int, newline: str = "\n",
               width: int = 1) -> bytes:
    """``lines`` message lines ending in ``newline``, each with ``width`` times 上; line
    ``bad_line`` holds the bad bytes."""
    bom, bad = CODECS[codec]
    text = "上" * width
    before = "".join(f"{HEAD}{text} {i}{newline}" for i in range(1, bad_line)) + HEAD + "上 "
    after = " 上" + newline + "".join(f"{HEAD}{text} {i}{newline}"
                                     for i in range(bad_line + 1, lines + 1))
    return bom + encode(codec, before) + bad + encode(codec, after)


def write(path: Path, codec: str, *, bad_line: int, lines: int, newline: str = "\n",
          width: int = 1) -> Path:
    path.write_bytes(chat_bytes(codec, bad_line=bad_line, lines=lines, newline=newline,
                                width=width))
    return path
