"""The chain's anchors: each committed audit entry's id and digest, also written outside the
database, in the vault (``vault/audit-chain.log``).

The hash chain proves that no entry *inside* the chain was changed or removed, but not that
the newest entries are all still there: whoever deletes the last imports together with their
audit entries leaves a shorter chain that is still whole. The anchor file is appended to
after each commit (one line ``<entry id> <digest> <archive id>``, fsynced) and never
rewritten, so ``retainer verify`` can check that every entry ever committed is still in the
archive with the same digest (36 C.F.R. § 1236.10: no unauthorised deletion). Each digest
covers every entry before it, so one line proves the whole chain up to it. An archive that
wrote anchors and has none any more is a problem too: deleting the file with the entries
must not pass.

An entry committed just before a crash may lack its line (or have half of one); the next
entry's line covers it.

A vault belongs to one archive. Anchors name their archive by its first entry's digest, and
that digest is in the database: whoever rewrites the whole chain from its first entry renames
the archive, and its old anchors would look like those of another archive sharing the vault.
So a write that would anchor into a vault holding another archive's anchors is refused
(``foreign``), and ``verify`` reports such anchors as a problem, not as a neighbour's.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

ANCHOR_FILE = "audit-chain.log"
SEALED = "retainer_sealed_entries"
"""``Session.info`` key: the (id, digest) of the entries sealed in the session's transaction,
anchored once it commits."""

log = logging.getLogger(__name__)


def remember(info: dict, entry_id: int, digest: str) -> None:
    """Note an entry sealed in the transaction of the session whose ``info`` this is."""
    info.setdefault(SEALED, []).append((entry_id, digest))


def anchor_file(vault_root: str | os.PathLike[str]) -> Path:
    return Path(vault_root) / ANCHOR_FILE


def archive_id(first_digest: str) -> str:
    """The name anchors give an archive: the start of its first audit entry's digest (which
    no other archive shares), so that two archives sharing a vault never mix anchors."""
    return first_digest[:16]


def append(vault_root: str | os.PathLike[str], archive: str,
           entries: Iterable[tuple[int, str]]) -> None:
    """Append committed entries to the anchor file (created owner-only) of an existing vault
    folder. Never raises: the entries are committed already, and a missing line is reported
    by ``verify``, not lost. A vault folder that does not exist is not created here (it would
    hide that the archive's vault is elsewhere: see ``Vault``)."""
    lines = "".join(f"{entry_id} {digest} {archive}\n" for entry_id, digest in entries)
    if not lines:
        return
    path = anchor_file(vault_root)
    if not path.parent.is_dir():
        log.warning("the vault %s does not exist: audit entries not anchored", path.parent)
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                lines = "\n" + lines  # a line torn by a crash stays alone, never joined
            os.write(fd, lines.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        log.warning("could not append to %s (%s); retainer verify will say which entries "
                    "are not anchored", path, exc.strerror)


@dataclasses.dataclass
class Anchors:
    """What the anchor file says of one archive."""

    lines: list[tuple[int, int, str]]
    """(line number, entry id, digest) of this archive's anchors."""
    bad: list[str]
    """Lines that are no anchor, with where (tampering, or damage)."""
    torn: str | None
    """An unfinished last line (a crash while it was written): worth a note only."""
    others: int
    """Anchors of other archives sharing the vault."""
    exists: bool


def load(vault_root: str | os.PathLike[str]) -> bytes | None:
    """The anchor file's bytes, or None when there is none. ``verify`` reads them before it
    takes its snapshot of the archive: every line then belongs to a commit the snapshot
    shows, however many imports commit while it runs."""
    try:
        return anchor_file(vault_root).read_bytes()
    except FileNotFoundError:
        return None


def foreign(vault_root: str | os.PathLike[str], archive: str) -> str | None:
    """The name of another archive whose anchor is the vault's newest, if any (see the module
    docstring); None when it is ``archive``'s (or unnamed, or there is none). Only the end of
    the file is read: every write checks this, and ``verify`` reads the whole file."""
    try:
        with open(anchor_file(vault_root), "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - _TAIL))
            tail = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:  # unreadable by this user: append() will say so; verify checks
        log.warning("could not read %s (%s); retainer verify will check the anchors",
                    anchor_file(vault_root), exc.strerror)
        return None
    for line in reversed(tail.decode("ascii", errors="replace").split("\n")):
        if _ANCHOR.fullmatch(line):
            parts = line.split(" ")
            return parts[2] if len(parts) == 3 and parts[2] != archive else None
    return None


_TAIL = 4096
"""Bytes read from the end of the anchor file by ``foreign``: dozens of lines."""


def read(vault_root: str | os.PathLike[str], archive: str | None,
         data: bytes | None) -> Anchors:
    """The anchors of ``archive`` in ``data`` (from ``load``); lines written before archives
    were named count as its."""
    path = anchor_file(vault_root)
    found = Anchors([], [], None, 0, data is not None)
    if data is None:
        return found
    for number, line in enumerate(data.decode("ascii", errors="replace").split("\n"), 1):
        parts = line.split(" ")
        if len(parts) in (2, 3) and _ANCHOR.fullmatch(line):
            if len(parts) == 3 and parts[2] != archive:
                found.others += 1
            else:
                found.lines.append((number, int(parts[0]), parts[1]))
        elif _TORN.fullmatch(line.rstrip("\x00")) and line.strip("\x00"):
            found.torn = f"{path}:{number}: an unfinished anchor line (a crash while it was " \
                         "written?)"
        elif line.strip("\x00"):
            found.bad.append(f"{path}:{number}: not an anchor line")
    return found


_ANCHOR = re.compile(r"[0-9]+ [0-9a-f]{64}( [0-9a-f]{16})?")
_TORN = re.compile(r"[0-9]+( [0-9a-f]{0,64}( [0-9a-f]{0,16})?)?")
"""What is left of an anchor line a crash cut short (the start of one, maybe NULs after)."""
