"""The vault: every imported file kept byte for byte, named by its SHA-256 (DESIGN §7).

``vault/ab/abcdef…``. A file is written to a temporary name, fsynced, then linked into place
and made read-only for its owner; the folder is fsynced too. Writing the same content twice is
harmless. Files are never readable by other users: chats are sensitive.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from retainer.errors import ArchiveError

CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


class Vault:
    def __init__(self, root: str | os.PathLike[str],
                 archive_has_files: Callable[[], bool] | None = None) -> None:
        self.root = Path(root)
        self._archive_has_files = archive_has_files
        """Asked before the vault folder is created: an archive that already keeps files
        must not start a second vault (a PostgreSQL archive used from another folder)."""

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def store_file(self, source: str | os.PathLike[str], sha256: str) -> Path:
        """Copy a file into the vault (if not already there) and check its hash."""
        with open(source, "rb") as fh:
            return self._store(iter(lambda: fh.read(CHUNK), b""), sha256)

    def store_bytes(self, data: bytes, sha256: str | None = None) -> tuple[str, Path]:
        """Keep bytes held in memory (a mail, an attachment); returns (sha256, path)."""
        sha256 = sha256 or hashlib.sha256(data).hexdigest()
        return sha256, self._store(iter([data]), sha256)

    def _store(self, blocks: Iterator[bytes], sha256: str) -> Path:
        final = self.path(sha256)
        if final.is_file():
            return final
        if not self.root.is_dir() and self._archive_has_files and self._archive_has_files():
            raise ArchiveError("this archive keeps its files in a vault elsewhere; set "
                               "[archive] vault to that folder", path=self.root)
        try:
            final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.root, 0o700)
            fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        except OSError as exc:
            raise ArchiveError(f"cannot write to the vault ({exc.strerror})",
                               path=self.root) from None
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                for block in blocks:
                    digest.update(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:
                raise ArchiveError("file changed while it was being archived", path=final)
            os.chmod(tmp, stat.S_IRUSR)
            try:
                os.link(tmp, final)
            except FileExistsError:
                pass  # stored meanwhile by someone else: same name, same bytes
            _fsync_dir(final.parent)
        finally:
            os.unlink(tmp)
        return final

    def hashes(self) -> Iterator[str]:
        """The SHA-256 of every file the vault holds (by name; ``check`` reads the bytes)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                for path in sorted(folder.iterdir()):
                    if len(path.name) == 64 and path.name.startswith(folder.name):
                        yield path.name

    def check(self, sha256: str) -> str | None:
        """None if the vault holds the file with that hash, else what is wrong."""
        path = self.path(sha256)
        if not path.is_file():
            return "missing from the vault"
        if sha256_file(path) != sha256:
            return "altered in the vault (its SHA-256 no longer matches)"
        return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
