"""The nightly run over the bundled sample folders: twice, at once, and moving files."""

from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from retainer.archive import Archive
from retainer.archive.models import Mail, Message
from retainer.archive.people import sync_people
from retainer.archive.verify import verify
from retainer.cli import cli
from retainer.config import load_settings
from retainer.ingest.sources import run_sources

SAMPLES = Path(__file__).resolve().parents[2] / "sample_exports"
SAMPLE_MESSAGES = 262  # 260 in the device exports, 2 more only in forwarded mail


@pytest.fixture
def sample(tmp_path) -> Path:
    """A private copy of sample_exports/ (its database and vault land in the copy)."""
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLES, copy, ignore=shutil.ignore_patterns("*.db*", "sample-vault"))
    return copy / "retainer.toml"


def run_in_process(config: str, url: str) -> list[str]:
    settings = load_settings(config, database_url=url)
    archive = Archive.open(settings.database_url, settings.vault)
    try:
        with archive.begin() as session:
            sync_people(session, settings.people)
        return [r.status for r in run_sources(archive, settings)]
    finally:
        archive.close()


def counts(archive) -> tuple[int, int]:
    with archive.read() as session:
        return (session.scalar(select(func.count()).select_from(Message)),
                session.scalar(select(func.count()).select_from(Mail)))


def open_sample(config: Path, url: str) -> tuple[Archive, object]:
    settings = load_settings(config, database_url=url)
    return Archive.open(settings.database_url, settings.vault), settings


def test_run_imports_every_source_then_changes_nothing(sample, archive_url):
    archive, settings = open_sample(sample, archive_url)
    first = run_sources(archive, settings)
    assert [r.status for r in first] == ["imported"] * 5
    assert counts(archive) == (SAMPLE_MESSAGES, 6)
    second = run_sources(archive, settings)
    assert [r.status for r in second] == ["already"] * 5
    assert counts(archive) == (SAMPLE_MESSAGES, 6)
    assert verify(archive).ok
    archive.close()


def test_two_runs_at_once(sample, archive_url):
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [pool.submit(run_in_process, str(sample), archive_url) for _ in range(2)]
        statuses = [status for f in futures for status in f.result(timeout=300)]
    assert sorted(statuses) == ["already"] * 5 + ["imported"] * 5
    archive, _ = open_sample(sample, archive_url)
    assert counts(archive) == (SAMPLE_MESSAGES, 6)
    assert verify(archive).ok
    archive.close()


def test_move_done_and_a_missing_source(sample, tmp_path):
    archive, settings = open_sample(sample, f"sqlite:///{tmp_path / 'a.db'}")
    shutil.rmtree(sample.parent / "drop" / "elena")
    results = run_sources(archive, settings, move_done=tmp_path / "done")
    statuses = {Path(r.path).name: r.status for r in results}
    assert statuses["elena"] == "failed"
    assert sorted(p.name for p in (tmp_path / "done").rglob("*") if p.is_file()) == [
        "WhatsApp Chat - Liaison Bridge Crossing.zip", "WhatsApp Chat with Luis Ortega.zip",
        "WhatsApp Chat with Port Ops Night Shift.txt", "official.mbox"]
    assert not any((sample.parent / "drop").rglob("*.txt"))
    archive.close()


def test_run_command_logs_a_line_per_file_and_exits_1_on_a_failure(runner, sample, tmp_path):
    args = ["--config", str(sample), "--db", f"sqlite:///{tmp_path / 'a.db'}", "run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("imported  ") == 5 and "5 imported" in result.stdout
    (sample.parent / "drop" / "dana" / "WhatsApp Chat with Broken.txt").write_text("prose\n")
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    assert again.stdout.count("already   ") == 5 and "FAILED" in again.stdout
