"""Moving processed files out of the drop folders (``retainer run --move-done/--move-failed``).

Called only after a file's transaction has committed (or failed), never before. A file goes
to ``DIR/<source>/<its path in the source folder>``, ``<source>`` being the source folder's
name (with its 1-based position in ``[[sources]]`` in front, ``2-drop``, when two sources have
folders of the same name), so two custodians' exports of the same name never meet. Nothing
there is ever overwritten: a name already taken gets ``.1``, ``.2``… before its suffix, and
the move itself is a hard link made only if the name is free (``os.link`` fails on an existing
name), then the removal of the original — or, across file systems, an exclusive create and a
copy. Two runs moving the same file leave one copy.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from retainer.config import Source


def source_labels(sources: Sequence[Source]) -> list[str]:
    """The folder under a move target each source's files go to, in source order."""
    names = [source.path.name or f"source-{n}" for n, source in enumerate(sources, 1)]
    repeated = Counter(names)
    return [name if repeated[name] == 1 else f"{n}-{name}"
            for n, name in enumerate(names, 1)]


def move_file(path: Path, destination: Path) -> Path | None:
    """Move ``path`` to ``destination``, or to the first free ``NAME.N.SUFFIX`` beside it.

    Returns where it went; None when ``path`` was gone (another run moved it first).

    Raises:
        OSError: the destination folder cannot be made or written (the file stays put).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        target = destination if n == 0 else destination.with_name(
            f"{destination.stem}.{n}{destination.suffix}")
        try:
            placed = _place(path, target)
        except FileExistsError:
            continue
        if not placed:
            return None
        try:
            os.unlink(path)
        except FileNotFoundError:
            # Another run moved it between our link and our unlink: its copy is the one kept.
            os.unlink(target)
            return None
        return target
    raise AssertionError("unreachable")  # pragma: no cover


def _place(path: Path, target: Path) -> bool:
    """A second name (or copy) of ``path`` at ``target``; False when ``path`` is gone.

    Raises:
        FileExistsError: ``target`` exists (never overwritten).
    """
    try:
        os.link(path, target)
        return True
    except FileNotFoundError:
        return False
    except FileExistsError:
        raise
    except OSError:
        pass  # another file system, or one without hard links: copy instead
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed below, after the exclusive create
    except FileNotFoundError:
        return False
    with source, open(target, "xb") as copy:
        try:
            shutil.copyfileobj(source, copy)
            copy.flush()
            os.fsync(copy.fileno())
        except BaseException:
            os.unlink(target)
            raise
    try:
        shutil.copystat(path, target)
    except OSError:
        pass  # the times and mode are a courtesy; the bytes are what matter
    return True
