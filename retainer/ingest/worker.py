"""The import worker: a second process that reads and prepares a large export while the
importing process writes it.

Reading, identities, digests and the full-text words of a message cost about as much CPU as
writing it, so on a machine with two cores or more a large export is prepared in a child
process (``prepare.prepared``) and handed over batch by batch through a pipe; the importing
process only writes, in its one transaction. The worker never writes: it looks up what the
archive already holds on a read connection of its own, which sees what was committed before
the import began — exactly what the importer would see, as the import holds the write lock.

The worker is a convenience for speed, never for correctness: it computes the same rows as
the importing process would (the tests check both ways), and any failure in it — a bad line,
a crash — fails the import, which rolls back. ``RETAINER_IMPORT_WORKER`` = ``never`` or
``always`` overrides the choice (default ``auto``: files of ``MIN_BYTES`` or more, on
machines with more than one CPU).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection

from retainer.errors import ArchiveError, RetainerError
from retainer.ingest.prepare import Outcome, Plan, Prepared, prepared

MIN_BYTES = 4 << 20
"""Exports smaller than this are prepared in the importing process (starting the worker
takes longer than preparing them)."""
ENV = "RETAINER_IMPORT_WORKER"
log = logging.getLogger(__name__)


def wanted(path: str | None, url: str) -> bool:
    """Whether to prepare the export at ``path`` (a file on disk, or None) in the worker."""
    from sqlalchemy.engine import make_url

    from retainer.archive.engine import sqlite_path

    choice = os.environ.get(ENV, "auto").lower()
    parsed = make_url(url)
    in_memory = parsed.get_backend_name() == "sqlite" and (
        sqlite_path(parsed) is None or "mode=memory" in str(parsed.query))
    if path is None or choice == "never" or in_memory or not sys.executable:
        return False
    if choice == "always":
        return True
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return size >= MIN_BYTES and _cpus() > 1


def _cpus() -> int:
    """CPUs this process may run on (affinity and cgroup sets, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


@dataclasses.dataclass(frozen=True)
class Job:
    url: str = dataclasses.field(repr=False)
    """The archive's database URL, with its password: passed through a pipe, never on a
    command line, and never shown (``repr=False``)."""
    path: str
    date_order: str
    plan: Plan


@dataclasses.dataclass(frozen=True)
class _Failure:
    error: RetainerError


def _work(job: Job, conn) -> None:
    """The worker's main: every ``Prepared`` batch, then the ``Outcome``, or a ``_Failure``."""
    try:
        try:
            for item in _items(job):
                if isinstance(item, Outcome):
                    item.worker_cpu = time.process_time()
                conn.send(item)
        except RetainerError as exc:
            conn.send(_Failure(exc))
        except (BrokenPipeError, ConnectionResetError):
            return  # the importer stopped reading (it failed, or was stopped): nothing to say
        except Exception as exc:  # noqa: BLE001 - its text may quote rows: send its kind only
            conn.send(_Failure(ArchiveError(f"the import worker failed ({type(exc).__name__})",
                                            path=job.path)))
    except (BrokenPipeError, ConnectionResetError):
        return
    finally:
        conn.close()


def _items(job: Job) -> Iterator[Prepared | Outcome]:
    from sqlalchemy.orm import sessionmaker

    from retainer.archive.engine import BEGIN_OPTION, create_archive_engine
    from retainer.formats import read_export
    from retainer.ingest.merge import Replacements
    from retainer.ingest.writer import existing

    parsed = read_export(job.path, date_order=job.date_order)
    if job.plan.chat_is_new:  # nothing to look up
        yield from prepared(job.plan, parsed.batches(), _never, None, lambda: parsed.defects)
        return
    engine = create_archive_engine(job.url)
    try:
        reads = sessionmaker(engine.execution_options(**{BEGIN_OPTION: "read"}))
        with reads() as session:
            replacements = Replacements()
            replacements.load(session, job.plan.chat_id)
            yield from prepared(job.plan, parsed.batches(),
                                lambda chat_id, minutes: existing(session, chat_id, minutes),
                                replacements, lambda: parsed.defects)
            session.rollback()
    finally:
        engine.dispose()


def _never(chat_id: int, identities: list[str]):  # pragma: no cover - a new chat looks nothing up
    raise AssertionError("a new chat has nothing to look up")


class Worker:
    """The worker for one export: iterate to get its batches, then its ``Outcome``.

    A fresh interpreter (``python -m retainer.ingest.worker``), not a fork: it inherits no
    open database connection, and it never runs the importing program's own main script
    again (as multiprocessing's spawn would, fatally, for a script without a main guard).
    The job goes in on its standard input, the batches come back on its standard output.
    """

    def __init__(self, job: Job) -> None:
        self._path = job.path
        debug = os.environ.get("RETAINER_DEBUG", "") not in ("", "0")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "retainer.ingest.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=None if debug else subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        try:
            pickle.dump(job, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.close()
        except OSError:
            self.close()
            raise ArchiveError("the import worker did not start", path=job.path) from None
        self._conn = Connection(os.dup(self._process.stdout.fileno()), writable=False)
        self._process.stdout.close()

    def __iter__(self) -> Iterator[Prepared | Outcome]:
        while True:
            try:
                item = self._conn.recv()
            except (EOFError, OSError):
                raise ArchiveError("the import worker stopped unexpectedly",
                                   path=self._path) from None
            if isinstance(item, _Failure):
                raise item.error
            if isinstance(item, Outcome):
                log.debug("import worker for %s: %.2f s of CPU", self._path, item.worker_cpu)
                yield item
                return
            yield item

    def close(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
        if self._process.poll() is None:
            self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main() -> None:
    """The worker process: a ``Job`` on standard input, the items on standard output."""
    job = pickle.load(sys.stdin.buffer)
    out = Connection(os.dup(sys.stdout.fileno()), readable=False)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print never corrupts the pipe
    _work(job, out)


if __name__ == "__main__":
    from retainer.ingest import worker as this  # the importable module, for pickling

    this.main()
