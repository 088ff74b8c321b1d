"""Two imports at once never corrupt the archive or import a file twice (SQLite busy wait,
PostgreSQL advisory lock)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import func, select

from retainer.archive import Archive
from retainer.archive.models import Message
from retainer.archive.verify import verify
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from tests.ingest.chats import ANDROID, write_export


def import_in_another_process(url: str, vault: str, path: str) -> str:
    archive = Archive.open(url, vault)
    try:
        return import_file(archive, path, ImportOptions(timezone="America/Los_Angeles")).status
    finally:
        archive.close()


def night(n: int) -> list[tuple[str, str, str]]:
    start = dt.datetime(2026, 12, 14, 20, 0)
    return [((start + dt.timedelta(minutes=i)).isoformat(timespec="minutes"), "Dana Reyes",
             f"message {i}") for i in range(n)]


def run_together(archive_url, tmp_path, paths) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(paths), mp_context=context) as pool:
        futures = [pool.submit(import_in_another_process, archive_url, str(tmp_path / "vault"),
                               str(p)) for p in paths]
        return [f.result(timeout=120) for f in futures]


def test_the_same_file_imported_twice_at_once_lands_once(archive, archive_url, tmp_path):
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, night(3000))
    statuses = run_together(archive_url, tmp_path, [path, path])
    assert sorted(statuses) == ["already", "imported"]
    with archive.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 3000
    assert verify(archive).ok


def test_overlapping_exports_imported_at_once_merge(archive, archive_url, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write_export(tmp_path / "a" / "WhatsApp Chat with Port Ops.txt", ANDROID, night(2000))
    b = write_export(tmp_path / "b" / "WhatsApp Chat with Port Ops.txt", ANDROID, night(2500))
    assert run_together(archive_url, tmp_path, [a, b]) == ["imported", "imported"]
    with archive.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 2500
    assert verify(archive).ok
