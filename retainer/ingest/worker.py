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
import multiprocessing
import os
import time
from collections.abc import Iterator

from retainer.errors import ArchiveError, RetainerError
from retainer.ingest.prepare import Outcome, Plan, Prepared, prepared

MIN_BYTES = 4 << 20
"""Exports smaller than this are prepared in the importing process (starting the worker
takes longer than preparing them)."""
ENV = "RETAINER_IMPORT_WORKER"
log = logging.getLogger(__name__)


def wanted(path: str | None, url: str) -> bool:
    """Whether to prepare the export at ``path`` (a file on disk, or None) in the worker."""
    choice = os.environ.get(ENV, "auto").lower()
    if path is None or choice == "never" or ":memory:" in url or url in ("sqlite://",):
        return False
    if choice == "always":
        return True
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return size >= MIN_BYTES and (os.cpu_count() or 1) > 1


@dataclasses.dataclass(frozen=True)
class Job:
    url: str
    """The archive's database URL (with its password: it stays in memory, never logged)."""
    path: str
    date_order: str
    plan: Plan


@dataclasses.dataclass(frozen=True)
class _Failure:
    error: RetainerError


def _work(job: Job, conn) -> None:
    """The worker's main: every ``Prepared`` batch, then the ``Outcome``, or a ``_Failure``."""
    try:
        for item in _items(job):
            if isinstance(item, Outcome):
                item.worker_cpu = time.process_time()
            conn.send(item)
    except RetainerError as exc:
        conn.send(_Failure(exc))
    except Exception as exc:  # noqa: BLE001 - its text may quote rows: send its kind only
        conn.send(_Failure(ArchiveError(f"the import worker failed ({type(exc).__name__})",
                                        path=job.path)))
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
    """The worker for one export: iterate to get its batches, then its ``Outcome``."""

    def __init__(self, job: Job) -> None:
        # "spawn": a fresh interpreter inherits no open database connection of this process.
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_work, args=(job, child), daemon=True,
                                        name="retainer-import-worker")
        self._process.start()
        child.close()
        self._path = job.path

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
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
