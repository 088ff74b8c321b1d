"""The chain's anchors: each committed audit entry's id and digest, also written outside the
database, in the vault (``vault/audit-chain.log``).

The hash chain proves that no entry *inside* the chain was changed or removed, but not that
the newest entries are all still there: whoever deletes the last imports together with their
audit entries leaves a shorter chain that is still whole. The anchor file is appended to after
each commit (one line ``<entry id> <digest>``, fsynced) and never rewritten, so ``retainer
verify`` can check that every entry ever committed is still in the archive with the same
digest (36 C.F.R. § 1236.10: no unauthorised deletion). Each digest covers every entry before
it, so one line proves the whole chain up to it.

An entry committed just before a crash may lack its line; the next entry's line covers it.
"""

from __future__ import annotations

import logging
import os
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


def append(vault_root: str | os.PathLike[str], entries: Iterable[tuple[int, str]]) -> None:
    """Append committed entries to the anchor file (created owner-only). Never raises: the
    entries are committed already, and a missing line is reported by ``verify``, not lost."""
    lines = "".join(f"{entry_id} {digest}\n" for entry_id, digest in entries)
    if not lines:
        return
    path = anchor_file(vault_root)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, lines.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        log.warning("could not append to %s (%s); retainer verify will say which entries "
                    "are not anchored", path, exc.strerror)


def read(vault_root: str | os.PathLike[str]) -> tuple[list[tuple[int, int, str]], list[str]]:
    """The anchors as (line number, entry id, digest), and the lines that are not anchors."""
    path = anchor_file(vault_root)
    anchors: list[tuple[int, int, str]] = []
    bad: list[str] = []
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return anchors, bad
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit() and len(parts[1]) == 64:
            anchors.append((number, int(parts[0]), parts[1]))
        elif line.strip():
            bad.append(f"{path}:{number}: not an anchor line")
    return anchors, bad
