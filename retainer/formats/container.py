"""Export containers: a bare chat ``.txt`` or a ``.zip`` holding the chat text and its media.

python-magic decides what a file is before anything parses it. Zip members are read in memory
(streamed), with caps on size and compression ratio, and their paths are never written to disk.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import errno
import io
import lzma
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO, Literal, Protocol

import magic

from retainer.errors import InputError
from retainer.formats import phrases
from retainer.formats.model import Defect, MediaFile

SNIFF_BYTES = 64 * 1024
"""How much of a file python-magic looks at."""
MAX_CHAT_BYTES = 4 * 1024**3
"""Largest zip member accepted (declared, uncompressed): the chat text or one media file.
Also the most that all the media members compressed beyond ``MAX_RATIO`` may unpack to."""
MAX_RATIO = 100
"""Largest compression ratio accepted for the chat text when it is over ``RATIO_FLOOR``
bytes; chat text compresses about 5–10×, so anything far beyond this is a zip bomb, not an
export. A media member beyond it is recorded as a defect, not refused: the reader only ever
decompresses its first ``MEDIA_SNIFF_BYTES``."""
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 200_000
"""Most members a zip may hold."""
MEDIA_SNIFF_BYTES = 2048
"""How much of a media member python-magic looks at."""
DECODE_CHUNK_BYTES = 1 << 18
"""Bytes decoded at a time when looking for the line a decoding error is on."""
READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                              zipfile.ZIP_LZMA})
"""Zip compression methods Python can decompress (phones write stored and deflate only)."""

_DAMAGE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError)
"""What zipfile and its decompressors raise on damaged data or a feature they lack."""
_METHOD_NAMES = {6: "implode", 9: "Deflate64", 93: "Zstandard", 95: "xz", 97: "WavPack",
                 98: "PPMd", 99: "AES"}

_ZIP_MIMES = frozenset({"application/zip", "application/x-zip-compressed"})
_COPY_SUFFIX_RE = re.compile(r" \(\d+\)$")  # "WhatsApp Chat with X (1).txt" after a second download

Opener = Callable[[], BinaryIO]


class _Hash(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def hexdigest(self) -> str: ...


@contextlib.contextmanager
def damage_is_input_error(path: str, member: str | None = None) -> Iterator[None]:
    """Turn what zipfile raises on damaged or unsupported data into one ``InputError``
    naming the file (and the member, when the error does not)."""
    try:
        yield
    except UnicodeError:
        raise  # the text inside, which the reader reports with its line
    except (*_DAMAGE, ValueError, OSError) as exc:
        # ValueError and EINVAL: offsets pointing before the start of the file ("negative
        # seek value"); bz2 reports corrupt data as an OSError without an errno. Any other
        # errno is the disk's, not the zip's.
        if isinstance(exc, OSError) and exc.errno not in (None, errno.EINVAL):
            raise
        detail = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) \
            or type(exc).__name__
        if member and member not in detail:
            detail = f"member {member}: {detail}"
        raise InputError(f"is a damaged zip file ({detail})", path=path) from None


@dataclasses.dataclass(frozen=True)
class Container:
    """Where an export's chat text is and what travels with it."""

    path: str
    """The name shown in messages (a file path, or ``mail.eml!attachment.zip``)."""
    kind: Literal["txt", "zip"]
    chat_member: str | None
    chat_title: str | None
    media: tuple[MediaFile, ...]
    open_binary: Opener
    """Opens the whole file (the ``.txt`` or the ``.zip``) for reading."""
    defects: tuple[Defect, ...] = ()
    """What the inspection tolerated (e.g. a media member compressed like a zip bomb)."""

    @contextlib.contextmanager
    def chat_bytes(self) -> Iterator[BinaryIO]:
        """The chat text's bytes as a stream (decompressed on the fly for a zip).

        Raises:
            InputError: the zip turns out damaged while it is read (a bad CRC at the end of
                the chat text, corrupt deflate data), also when it shows in the caller's
                reading.
        """
        with self.open_binary() as raw:
            if self.kind == "txt":
                yield raw
                return
            member_name = self.chat_member or ""
            with damage_is_input_error(self.path, member_name), zipfile.ZipFile(raw) as zf, \
                    zf.open(member_name) as member:
                yield member  # type: ignore[misc]

    def media_digests(self, new_hash: Callable[[], _Hash]) -> Iterator[tuple[MediaFile, str]]:
        """(media file, hex digest of its bytes) for each media member, streamed.

        ``new_hash`` makes an empty ``hashlib`` object (e.g. ``hashlib.sha256``).

        Raises:
            InputError: a member turns out damaged while it is read.
        """
        if self.kind != "zip" or not self.media:
            return
        with self.open_binary() as raw, damage_is_input_error(self.path), \
                zipfile.ZipFile(raw) as zf:
            for media in self.media:
                digest = new_hash()
                with damage_is_input_error(self.path, media.name), zf.open(media.name) as member:
                    # zipfile stops at the declared size, which _check_member capped.
                    while block := member.read(1 << 20):
                        digest.update(block)
                yield media, digest.hexdigest()

    @contextlib.contextmanager
    def chat_text(self) -> Iterator[tuple[str, io.TextIOWrapper]]:
        """(encoding, text stream) with universal newlines; the BOM decides UTF-8 or UTF-16."""
        with self.chat_bytes() as raw:
            buffered = io.BufferedReader(raw) if not isinstance(raw, io.BufferedReader) else raw
            head = buffered.peek(4)[:4]
            encoding = detect_encoding(head)
            stream = io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline=None)
            try:
                yield encoding, stream
            finally:
                stream.detach()


def detect_encoding(head: bytes) -> str:
    """UTF-16 when a UTF-16 byte-order mark says so; otherwise UTF-8 (BOM or not)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return "utf-8"


def decode_error_line(raw: BinaryIO, encoding: str, *, final: bool = True) -> int | None:
    """The line holding the first byte of ``raw`` that does not decode as ``encoding`` (as
    ``detect_encoding`` names it), or None when every byte decodes.

    Lines are counted as the reader counts them: 1-based, with universal newlines (a line
    ends at ``\\r\\n``, ``\\r`` or ``\\n``). Decodes ``DECODE_CHUNK_BYTES`` at a time, so
    memory stays bounded whatever the file. ``final=False`` is for a head cut off anywhere:
    a character left incomplete at its end is not an error.
    """
    codec = encoding
    first = raw.read(max(DECODE_CHUNK_BYTES, 4))  # the BOM, if any, is in this
    # Strip the byte-order mark here and decode with the codec it names: the BOM-handling
    # codecs do not agree on whether UnicodeDecodeError.start counts the BOM.
    if encoding == "utf-16" and first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if first.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        first = first[2:]
    elif encoding == "utf-8-sig":
        codec = "utf-8"
        if first.startswith(codecs.BOM_UTF8):
            first = first[3:]
    decoder = codecs.getincrementaldecoder(codec)()
    ends = 0  # line ends decoded so far
    after_cr = False  # the text decoded so far ends with CR (an LF next ends no line)

    def count(text: str) -> None:
        nonlocal ends, after_cr
        if not text:
            return
        ends += text.count("\n") + text.count("\r") - text.count("\r\n")
        if after_cr and text[0] == "\n":
            ends -= 1
        after_cr = text[-1] == "\r"

    while True:
        chunk, first = first or raw.read(DECODE_CHUNK_BYTES), b""
        try:
            count(decoder.decode(chunk, final=final and not chunk))
        except UnicodeDecodeError as exc:
            # exc.object is what the decoder held over from earlier chunks and this chunk;
            # everything before exc.start decodes.
            count(exc.object[:exc.start].decode(codec, "replace"))
            return ends + 1
        if not chunk:
            return None


def title_from_name(name: str) -> str | None:
    """The chat title a file name carries (``WhatsApp Chat with X.txt`` → ``X``), else None.

    ``mail.eml!WhatsApp Chat with X.zip`` (a file inside another) is named by its last part.
    """
    stem = os.path.basename(name).rpartition("!")[2]
    stem, _ = os.path.splitext(stem)
    stem = _COPY_SUFFIX_RE.sub("", stem)
    for prefix in phrases.CHAT_FILE_PREFIXES:
        if stem.startswith(prefix) and len(stem) > len(prefix):
            return stem[len(prefix):].strip() or None
    return None


def sniff(head: bytes) -> str:
    """MIME type python-magic gives the first bytes of a file."""
    if len(head) == SNIFF_BYTES:
        # Cut at the last newline so a multi-byte character split by the cut does not make
        # valid UTF-8 look binary.
        cut = head.rfind(b"\n")
        if cut > 0:
            head = head[: cut + 1]
    return magic.from_buffer(head, mime=True)


def open_container(path: str | os.PathLike[str]) -> Container:
    """Inspect a ``.txt`` or ``.zip`` export on disk.

    Raises:
        InputError: the file is missing, empty, not text or zip, or a zip without a chat file,
            with an encrypted member or with a member that looks like a zip bomb.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an export file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path=path) from None
    return _inspect(path, head, lambda: open(path, "rb"))


def open_container_bytes(data: bytes, name: str) -> Container:
    """Inspect an export held in memory (e.g. a mail attachment) shown as ``name``."""
    return _inspect(name, data[:SNIFF_BYTES], lambda: io.BytesIO(data))


def _inspect(path: str, head: bytes, opener: Opener) -> Container:
    if not head:
        raise InputError("is empty", path=path)
    mime = sniff(head)
    if mime in _ZIP_MIMES:
        return _inspect_zip(path, opener)
    if mime.startswith("text/") and _decodes(head, path):
        return Container(path, "txt", None, title_from_name(path), (), opener)
    raise InputError(f"is not a chat export (libmagic identifies it as {mime})", path=path)


def _decodes(head: bytes, path: str) -> bool:
    encoding = detect_encoding(head)
    if encoding == "utf-16":
        return True
    line = decode_error_line(io.BytesIO(head), encoding, final=False)
    if line is not None:
        raise InputError("is not UTF-8 or UTF-16 text", path=path, line=line) from None
    return True


def _is_chat_member(name: str) -> bool:
    base = os.path.basename(name)
    if base == "_chat.txt":
        return True
    return base.endswith(".txt") and title_from_name(base) is not None


def _inspect_zip(path: str, opener: Opener) -> Container:
    with damage_is_input_error(path), opener() as raw, zipfile.ZipFile(raw) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"zip holds {len(infos)} members, more than {MAX_MEMBERS}",
                             path=path)
        for info in infos:
            _check_member(path, info)
        chats = [i for i in infos if not i.is_dir() and _is_chat_member(i.filename)]
        if not chats:
            raise InputError("zip holds no chat file (_chat.txt or "
                             "'WhatsApp Chat with NAME.txt')", path=path)
        if len(chats) > 1:
            names = ", ".join(i.filename for i in chats)
            raise InputError(f"zip holds several chat files ({names})", path=path)
        chat = chats[0]
        ratio = _ratio(chat)
        if ratio > MAX_RATIO:
            raise InputError(f"zip member {chat.filename} is compressed {ratio:.0f}:1, "
                             "which looks like a zip bomb, not an export", path=path)
        with damage_is_input_error(path, chat.filename), zf.open(chat) as member:
            head = member.read(SNIFF_BYTES)
        if not head:
            raise InputError(f"chat file {chat.filename} inside the zip is empty", path=path)
        mime = sniff(head)
        if not mime.startswith("text/"):
            raise InputError(f"chat file {chat.filename} inside the zip is not text "
                             f"(libmagic identifies it as {mime})", path=path)
        _decodes(head, path)
        media, defects = _media(path, zf, [i for i in infos if i is not chat and not i.is_dir()])
    title = title_from_name(chat.filename) or title_from_name(path)
    return Container(path, "zip", chat.filename, title, media, opener, defects)


def _media(path: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
           ) -> tuple[tuple[MediaFile, ...], tuple[Defect, ...]]:
    """The media members, sniffed from their first bytes; a member compressed beyond
    ``MAX_RATIO`` is a defect (a genuine export may carry a very compressible file), but all
    of those together may not unpack to more than ``MAX_CHAT_BYTES``."""
    media, defects = [], []
    packed = 0
    for info in infos:
        ratio = _ratio(info)
        if ratio > MAX_RATIO:
            packed += info.file_size
            defects.append(Defect(0, "compressed_media",
                                  f"zip member {info.filename} is compressed {ratio:.0f}:1"))
        with damage_is_input_error(path, info.filename), zf.open(info) as member:
            media_mime = magic.from_buffer(member.read(MEDIA_SNIFF_BYTES), mime=True)
        media.append(MediaFile(info.filename, info.file_size, media_mime))
    if packed > MAX_CHAT_BYTES:
        raise InputError(f"zip members compressed over {MAX_RATIO}:1 would unpack to {packed} "
                         f"bytes, more than the {MAX_CHAT_BYTES} allowed: a zip bomb, not an "
                         "export", path=path)
    return tuple(media), tuple(defects)


def _ratio(info: zipfile.ZipInfo) -> float:
    """How many times a member's declared size exceeds its compressed size (0 when the
    member is too small to matter)."""
    if info.file_size <= RATIO_FLOOR:
        return 0.0
    return info.file_size / max(info.compress_size, 1)


def _check_member(path: str, info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x41:  # bit 0: encrypted; bit 6: "strong" (PKWARE) encryption
        raise InputError(f"zip member {info.filename} is encrypted", path=path)
    if info.compress_type not in READABLE_METHODS:
        names = getattr(zipfile, "compressor_names", {})  # not documented: may go away
        method = _METHOD_NAMES.get(info.compress_type) or names.get(
            info.compress_type, f"method {info.compress_type}")
        raise InputError(f"zip member {info.filename} uses {method} compression, which "
                         "retainer cannot read (re-create the zip with ordinary deflate "
                         "compression)", path=path)
    if info.file_size > MAX_CHAT_BYTES:
        raise InputError(f"zip member {info.filename} would unpack to {info.file_size} bytes, "
                         f"more than the {MAX_CHAT_BYTES} allowed", path=path)
