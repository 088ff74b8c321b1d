"""The nightly run over the bundled sample folders: twice, at once, and moving files."""

from __future__ import annotations

import json
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


# --- moving files out of the drop folders (retainer.ingest.moves) --------------------------

def test_a_failed_move_is_a_problem_on_that_files_line_and_the_run_goes_on(runner, sample,
                                                                           tmp_path):
    done = tmp_path / "done"
    done.mkdir()
    (done / "dana").write_text("in the way")  # so nothing of Dana's can be moved there
    result = runner.invoke(cli, ["--config", str(sample), "--db",
                                 f"sqlite:///{tmp_path / 'a.db'}", "run", "--move-done",
                                 str(done)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    dana = [line for line in lines if "/drop/dana/" in line]
    assert len(dana) == 2 and all(line.startswith("imported  ") for line in dana)
    assert all(f"; FAILED: not moved to {done / 'dana'}/" in line for line in dana)
    others = [line for line in lines if line.startswith("imported  ") and line not in dana]
    assert len(others) == 3 and all(f"; moved to {done}/" in line for line in others)
    assert "total: 5 files — 5 imported" in result.stdout
    assert "2 files with problems" in result.stdout and "§ 2911 compliance" in result.stdout
    assert len(list((sample.parent / "drop" / "dana").iterdir())) == 2  # left in place


def test_every_line_says_where_its_file_went(runner, sample, tmp_path):
    args = ["--config", str(sample), "--db", f"sqlite:///{tmp_path / 'a.db'}", "run",
            "--move-done", str(tmp_path / "done"), "--move-failed", str(tmp_path / "failed")]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    zip_name = "WhatsApp Chat - Liaison Bridge Crossing.zip"
    assert (f"; moved to {tmp_path / 'done' / 'marcus' / zip_name}" in first.stdout)
    # The same file handed over again, and a broken one.
    shutil.copy(tmp_path / "done" / "marcus" / zip_name, sample.parent / "drop" / "marcus")
    (sample.parent / "drop" / "marcus" / "WhatsApp Chat with Broken.txt").write_text("prose\n")
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    assert (f"already   {sample.parent / 'drop' / 'marcus' / zip_name}: archived before "
            f"(same SHA-256); moved to {tmp_path / 'done' / 'marcus'}/"
            "WhatsApp Chat - Liaison Bridge Crossing.1.zip") in again.stdout
    assert any(line.startswith("FAILED    ") and line.endswith(
        f"; moved to {tmp_path / 'failed' / 'marcus' / 'WhatsApp Chat with Broken.txt'}")
        for line in again.stdout.splitlines())


def test_two_sources_never_share_a_done_folder_and_nothing_is_overwritten(tmp_path):
    config = tmp_path / "retainer.toml"
    config.write_text('[[people]]\nname = "Dana Reyes"\ncustodian = true\n'
                      '[[people]]\nname = "Marcus Bell"\ncustodian = true\n'
                      '[[sources]]\npath = "a/drop"\ncustodian = "Dana Reyes"\n'
                      'channel = "device"\n'
                      '[[sources]]\npath = "b/drop"\ncustodian = "Marcus Bell"\n'
                      'channel = "device"\n')
    name = "WhatsApp Chat with Port Ops.txt"
    for folder, who in (("a", "Dana Reyes"), ("b", "Marcus Bell")):
        (tmp_path / folder / "drop").mkdir(parents=True)
        (tmp_path / folder / "drop" / name).write_text(f"3/14/24, 10:02 PM - {who}: hi\n")
    done = tmp_path / "done"
    (done / "1-drop").mkdir(parents=True)
    (done / "1-drop" / name).write_text("an earlier night's file\n")
    (done / "1-drop" / "WhatsApp Chat with Port Ops.1.txt").write_text("and another\n")
    archive, settings = open_sample(config, f"sqlite:///{tmp_path / 'a.db'}")
    results = run_sources(archive, settings, move_done=done)
    archive.close()
    assert [r.moved_to for r in results] == [
        str(done / "1-drop" / "WhatsApp Chat with Port Ops.2.txt"), str(done / "2-drop" / name)]
    assert (done / "1-drop" / name).read_text() == "an earlier night's file\n"
    assert "Marcus Bell" in (done / "2-drop" / name).read_text()


def test_files_move_only_after_their_transaction_committed(sample, tmp_path, monkeypatch):
    from retainer.archive.models import StoredFile
    from retainer.archive.vault import sha256_file
    from retainer.ingest import sources

    url = f"sqlite:///{tmp_path / 'a.db'}"
    (sample.parent / "drop" / "dana" / "WhatsApp Chat with Broken.txt").write_text("prose\n")
    seen = []
    real = sources.move_file

    def checking(path, destination):
        # Another connection must already see the file's import (committed), or not at all
        # for a failed one, at the moment it is moved.
        sha = sha256_file(path)
        other = Archive.open(url, tmp_path / "vault-check")
        with other.read() as session:
            stored = session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha))
            messages = session.scalar(select(func.count()).select_from(Message))
        other.close()
        seen.append((path.name, destination.parts[-3], stored is not None, messages > 0))
        return real(path, destination)

    monkeypatch.setattr(sources, "move_file", checking)
    archive, settings = open_sample(sample, url)
    run_sources(archive, settings, move_done=tmp_path / "done",
                move_failed=tmp_path / "failed")
    archive.close()
    assert ("WhatsApp Chat with Broken.txt", "failed", False, False) == seen[0]
    assert all(where == "done" and stored and messages for _, where, stored, messages
               in seen[1:]) and len(seen) == 6
    assert (tmp_path / "failed" / "dana" / "WhatsApp Chat with Broken.txt").exists()


def test_move_file_never_overwrites_and_leaves_one_copy(tmp_path):
    from retainer.ingest.moves import move_file

    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / "a.txt").write_text("there before")
    assert move_file(tmp_path / "a.txt", tmp_path / "done" / "a.txt") == \
        tmp_path / "done" / "a.1.txt"
    assert (tmp_path / "done" / "a.txt").read_text() == "there before"
    assert not (tmp_path / "a.txt").exists()
    assert move_file(tmp_path / "a.txt", tmp_path / "done" / "a.txt") is None  # gone already


def test_late_matches_are_reported_on_their_own_line_not_as_a_file(runner, tmp_path):
    config = tmp_path / "retainer.toml"
    config.write_text('[[people]]\nname = "Dana Reyes"\ncustodian = true\n'
                      'official_accounts = ["dana.reyes@agency.example.gov"]\n'
                      '[[sources]]\npath = "mailbox"\nchannel = "official"\n'
                      '[[sources]]\npath = "drop"\ncustodian = "Dana Reyes"\n'
                      'channel = "device"\n')
    (tmp_path / "mailbox").mkdir()
    (tmp_path / "mailbox" / "paste.eml").write_bytes(
        b"To: dana.reyes@agency.example.gov\nDate: Fri, 15 Mar 2024 05:30:00 +0000\n\n"
        b"[10:02 PM, 3/14/2024] Dana Reyes: Lane 3 is closed.\n")
    (tmp_path / "drop").mkdir()
    (tmp_path / "drop" / "WhatsApp Chat with Port Ops.txt").write_text(
        "3/14/24, 10:02 PM - Dana Reyes: Lane 3 is closed.\n")
    result = runner.invoke(cli, ["--config", str(config), "--db",
                                 f"sqlite:///{tmp_path / 'a.db'}", "run"])
    assert result.exit_code == 0, result.output
    assert "total: 2 files — 2 imported" in result.stdout
    assert ("matched   1 pasted messages matched to messages archived since their mail\n"
            in result.stdout)
    data = json.loads(runner.invoke(cli, ["--config", str(config), "--db",
                                          f"sqlite:///{tmp_path / 'a.db'}", "run",
                                          "--json"]).stdout)
    assert data["totals"]["files"] == 2 and data["late_matches"] is None


def test_a_mail_with_ambiguous_dates_fails_alone_and_its_file_goes_with_the_failures(
        runner, sample, tmp_path):
    import mailbox as mailboxes

    box = mailboxes.mbox(sample.parent / "mailbox" / "late.mbox", create=True)
    box.add(b"To: marcus.bell@agency.example.gov\nDate: Fri, 15 Mar 2024 05:30:00 +0000\n"
            b"Message-ID: <late-1@mail.example.com>\n\n"
            b"[10:02 PM, 3/4/2024] Marcus Bell: which day?\n")
    box.add(b"To: marcus.bell@agency.example.gov\nDate: Fri, 15 Mar 2024 05:30:00 +0000\n"
            b"Message-ID: <late-2@mail.example.com>\n\nnothing pasted\n")
    box.close()
    url = f"sqlite:///{tmp_path / 'a.db'}"
    result = runner.invoke(cli, ["--config", str(sample), "--db", url, "run",
                                 "--move-done", str(tmp_path / "done"),
                                 "--move-failed", str(tmp_path / "failed")])
    assert result.exit_code == 1
    (line,) = [x for x in result.stdout.splitlines() if "late.mbox" in x]
    assert line.startswith("imported  ") and "2 mails" in line
    assert "FAILED: " in line and "late.mbox#1:" in line and "--date-order" in line
    assert line.endswith(f"moved to {tmp_path / 'failed' / 'mailbox' / 'late.mbox'}")
    assert "total: 6 files — 6 imported" in result.stdout
    archive, _ = open_sample(sample, url)
    assert counts(archive) == (SAMPLE_MESSAGES, 8)
    archive.close()
