"""`verify` catches every kind of tampering behind retainer's back."""

from __future__ import annotations

import os
import sqlite3
import stat

from sqlalchemy import delete, func, select, text, update

from retainer.archive import anchors
from retainer.archive.audit import entry_digest
from retainer.archive.models import Attachment, AuditEntry, Capture, Chat, Message, StoredFile
from retainer.archive.vault import sha256_file
from retainer.archive.verify import verify
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from tests.ingest.chats import ANDROID, write_export

MESSAGES = [("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
            ("2026-12-14T22:03", "Marcus Bell", "Copy."),
            ("2026-12-14T22:04", "Elena Vargas", "Secondary has 4 vehicles")]


def filled(archive, tmp_path):
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, MESSAGES)
    result = import_file(archive, path, ImportOptions(timezone="America/Los_Angeles"))
    assert result.status == "imported" and verify(archive).ok
    return result


def tamper(archive, statement) -> None:
    """Change the database directly, as someone bypassing retainer would."""
    with archive.engine.begin() as conn:
        conn.execute(statement)


def test_clean_archive_verifies(archive, tmp_path):
    filled(archive, tmp_path)
    report = verify(archive)
    assert report.ok and (report.messages, report.files, report.entries) == (3, 1, 1)


def test_a_changed_text_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    tamper(archive, update(Message).where(Message.text == "Copy.").values(text="Negative."))
    problems = verify(archive).problems
    assert any("message 2" in p and "identity" in p for p in problems)
    assert not any("Negative" in p or "Copy." in p for p in problems)  # no message text shown


def test_a_changed_author_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    tamper(archive, update(Message).where(Message.id == 1).values(author="Somebody Else"))
    assert any("message 1" in p and "fields were changed" in p for p in verify(archive).problems)


def test_a_changed_author_key_is_caught(archive, tmp_path):
    """The key decides who the author is (and so who owes a § 2911 copy): changing it alone
    would take a custodian's messages out of their report."""
    filled(archive, tmp_path)
    tamper(archive, update(Message).where(Message.id == 3).values(author_key="Elena V."))
    assert any("message 3" in p and "author key" in p for p in verify(archive).problems)


def test_a_removed_message_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    tamper(archive, delete(Capture).where(Capture.message_id == 3))
    tamper(archive, delete(Message).where(Message.id == 3))
    problems = verify(archive).problems
    assert any("added 3 messages, 2 are left" in p for p in problems)


def test_a_removed_capture_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    tamper(archive, delete(Capture).where(Capture.message_id == 2))
    assert any("no longer match" in p for p in verify(archive).problems)


def test_an_altered_audit_entry_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    tamper(archive, update(AuditEntry).values(operator="nobody"))
    assert any("audit entry 1" in p and "altered" in p for p in verify(archive).problems)


def test_a_removed_audit_entry_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    second = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
    import_file(archive, second, ImportOptions(timezone="America/Los_Angeles"))
    with archive.engine.begin() as conn:
        # Remove the first import wholesale, rows and entry, keeping foreign keys happy.
        for table in ("captures", "message_events", "attachments", "messages", "exports",
                      "files", "chats"):
            conn.execute(text(f"DELETE FROM {table} WHERE audit_id = 1"))
        conn.execute(text("DELETE FROM audit_entries WHERE id = 1"))
    problems = verify(archive).problems
    assert any("removed or reordered" in p for p in problems)


def test_a_corrupted_or_missing_vault_file_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    with archive.read() as session:
        sha = session.scalar(select(StoredFile.sha256))
    path = archive.vault.path(sha)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    assert any(sha in p and "altered" in p for p in verify(archive).problems)
    path.unlink()
    assert any(sha in p and "missing" in p for p in verify(archive).problems)


def test_a_renamed_chat_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    tamper(archive, update(Chat).values(title="Innocuous chat"))
    assert any("import 1" in p and "no longer match" in p for p in verify(archive).problems)


def test_a_message_moved_to_another_chat_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    other = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID,
                         [("2026-12-15T08:00", "Dana Reyes", "Morning.")])
    import_file(archive, other, ImportOptions(timezone="America/Los_Angeles"))
    tamper(archive, update(Message).where(Message.id == 2).values(chat_id=2))
    assert any("import 1" in p and "no longer match" in p for p in verify(archive).problems)


def test_a_vault_file_swapped_together_with_its_row_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    forged = tmp_path / "forged.txt"
    forged.write_bytes(b"12/14/26, 10:02\xe2\x80\xafPM - Dana Reyes: Nothing to see.\n")
    sha = sha256_file(forged)
    archive.vault.store_file(forged, sha)
    tamper(archive, update(StoredFile).values(sha256=sha, size=forged.stat().st_size))
    problems = verify(archive).problems
    assert any("import 1" in p and "no longer match" in p for p in problems)


def test_an_unlinked_or_altered_attachment_is_caught(archive, data):
    result = import_file(archive, data / "formats" / "WhatsApp Chat with Port Ops.zip",
                         ImportOptions(timezone="America/Los_Angeles"))
    assert result.status == "imported" and verify(archive).ok
    tamper(archive, update(Attachment).values(message_id=None, sha256="0" * 64))
    assert any("import 1" in p and "no longer match" in p for p in verify(archive).problems)


def test_removing_the_newest_imports_wholesale_is_caught(archive, tmp_path):
    filled(archive, tmp_path)
    second = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
    assert import_file(archive, second, ImportOptions(timezone="America/Los_Angeles")).status \
        == "imported"
    last = anchors.anchor_file(archive.vault.root).read_text().splitlines()[-1]
    assert last.split()[0] == "2"  # the second import's entry, anchored
    with archive.engine.begin() as conn:
        # The last import, rows and entry: the chain that is left is whole.
        for table in ("captures", "message_events", "attachments", "messages", "exports",
                      "files", "chats"):
            conn.execute(text(f"DELETE FROM {table} WHERE audit_id = 2"))
        conn.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    report = verify(archive)
    assert any("audit entry 2" in p and "missing from the archive" in p
               for p in report.problems)
    assert any("not in the archive" in n for n in report.notes)  # its file is still kept


def test_a_rewritten_chain_is_caught_by_its_anchor(archive, tmp_path):
    filled(archive, tmp_path)
    with archive.read() as session:
        entry = session.get(AuditEntry, 1)
        prev, at, details, added = entry.prev_digest, entry.at, entry.details, \
            entry.added_digest
    forged = entry_digest(prev, at, "nobody", "import", details, 3, added)
    tamper(archive, update(AuditEntry).values(operator="nobody", digest=forged))
    problems = verify(archive).problems
    # Rewriting the first entry renames the archive its anchors name: either way it shows.
    assert any("no audit-chain anchors of this archive" in p for p in problems)
    assert any("anchors of another archive" in p for p in problems)


def test_a_rewritten_later_entry_is_caught_by_its_anchor(archive, tmp_path):
    filled(archive, tmp_path)
    second = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
    import_file(archive, second, ImportOptions(timezone="America/Los_Angeles"))
    with archive.read() as session:
        entry = session.get(AuditEntry, 2)
        forged = entry_digest(entry.prev_digest, entry.at, "nobody", "import", entry.details,
                              entry.added_count, entry.added_digest)
    tamper(archive, update(AuditEntry).where(AuditEntry.id == 2).values(
        operator="nobody", digest=forged))
    assert any("audit entry 2 no longer has the digest anchored" in p
               for p in verify(archive).problems)


def test_a_removed_row_is_named_by_what_still_points_at_it(archive, tmp_path):
    filled(archive, tmp_path)
    if archive.dialect == "sqlite":
        conn = sqlite3.connect(archive.engine.url.database)  # foreign keys off by default
        with conn:
            conn.execute("DELETE FROM messages WHERE id = 3")
        conn.close()
    else:
        with archive.engine.begin() as conn:
            conn.exec_driver_sql("SET session_replication_role = replica")  # FKs off
            conn.exec_driver_sql("DELETE FROM messages WHERE id = 3")
    problems = verify(archive).problems
    assert any("message 3 is gone, though export 1 line 3 captured it" in p for p in problems)


def test_an_entry_left_unanchored_by_a_crash_is_a_note_not_a_problem(archive, tmp_path):
    filled(archive, tmp_path)
    second = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
    import_file(archive, second, ImportOptions(timezone="America/Los_Angeles"))
    path = anchors.anchor_file(archive.vault.root)
    lines = path.read_text().splitlines(keepends=True)
    os.chmod(path, 0o600)
    path.write_text("".join(lines[:-1]))  # the crash came between the commit and its line
    report = verify(archive)
    assert report.ok and any("1 audit entries after entry 1 are not anchored" in n
                             for n in report.notes)


def test_a_removed_anchor_file_is_a_problem_once_the_archive_wrote_anchors(archive, tmp_path):
    filled(archive, tmp_path)
    anchors.anchor_file(archive.vault.root).unlink()
    assert any("no audit-chain anchors of this archive" in p for p in verify(archive).problems)


def test_a_torn_anchor_line_is_a_note_and_the_next_anchor_stands_alone(archive, tmp_path):
    filled(archive, tmp_path)
    path = anchors.anchor_file(archive.vault.root)
    with open(path, "ab") as fh:
        fh.write(b"2 12ab")  # power lost half-way through writing an anchor
    report = verify(archive)
    assert report.ok and any("unfinished anchor line" in n for n in report.notes)
    second = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
    import_file(archive, second, ImportOptions(timezone="America/Los_Angeles"))
    assert path.read_text().splitlines()[-2] == "2 12ab"  # the new line stands alone
    report = verify(archive)
    assert report.ok and any("unfinished anchor line" in n for n in report.notes)
    with open(path, "ab") as fh:
        fh.write(b"forged line\n")
    assert any("not an anchor line" in p for p in verify(archive).problems)


def test_a_second_archive_may_not_use_the_vault_of_another(archive, tmp_path):
    """A vault is one archive's: otherwise a rewritten chain could pass for a neighbour."""
    from retainer.archive import Archive

    filled(archive, tmp_path)
    before = anchors.anchor_file(archive.vault.root).read_bytes()
    trial = Archive.open(f"sqlite:///{tmp_path / 'trial.db'}", archive.vault.root)
    try:
        other = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:2])
        result = import_file(trial, other, ImportOptions(timezone="America/Los_Angeles"))
        assert result.status == "failed"
        assert "anchors of another archive" in result.reason
        with trial.read() as session:  # rolled back, whole
            assert session.scalar(select(func.count()).select_from(Message)) == 0
    finally:
        trial.close()
    assert anchors.anchor_file(archive.vault.root).read_bytes() == before
    assert verify(archive).ok


def test_a_chain_rewritten_from_its_first_entry_stays_caught(archive, tmp_path):
    """Delete a message, re-seal every entry from the first (which renames the archive its
    anchors name): verify says so, and the next write is refused rather than anchored under
    the new name (which would make the old anchors look like a neighbour's)."""
    filled(archive, tmp_path)
    tamper(archive, delete(Capture).where(Capture.message_id == 3))
    tamper(archive, delete(Message).where(Message.id == 3))
    with archive.read() as session:
        entry = session.get(AuditEntry, 1)
        prev, at, details, added = entry.prev_digest, entry.at, entry.details, \
            entry.added_digest
        operator = entry.operator
    forged = entry_digest(prev, at, operator, "import", details, 2, added)
    tamper(archive, update(AuditEntry).values(added_count=2, digest=forged))
    assert not verify(archive).ok
    second = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
    result = import_file(archive, second, ImportOptions(timezone="America/Los_Angeles"))
    assert result.status == "failed" and "anchors of another archive" in result.reason
    problems = verify(archive).problems
    assert any("anchors of another archive" in p for p in problems)


def test_an_archive_used_with_another_vault_folder_refuses_to_start_a_second(archive,
                                                                             tmp_path):
    from retainer.archive import Archive

    filled(archive, tmp_path)
    elsewhere = Archive.open(str(archive.engine.url.render_as_string(hide_password=False)),
                             tmp_path / "somewhere" / "vault")
    try:
        other = write_export(tmp_path / "WhatsApp Chat with Other.txt", ANDROID, MESSAGES[:1])
        result = import_file(elsewhere, other, ImportOptions(timezone="America/Los_Angeles"))
        assert result.status == "failed" and "[archive] vault" in result.reason
        assert not (tmp_path / "somewhere").exists()
        assert any("does not exist" in p for p in verify(elsewhere).problems)
    finally:
        elsewhere.close()


def test_an_in_memory_archive_imports_and_leaves_no_anchors(tmp_path):
    from retainer.archive import Archive

    memory = Archive.open("sqlite://", tmp_path / "vault")
    try:
        path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, MESSAGES)
        assert import_file(memory, path, ImportOptions(timezone="America/Los_Angeles")).new == 3
        assert not anchors.anchor_file(tmp_path / "vault").exists()
    finally:
        memory.close()


def test_verify_on_a_mistyped_path_creates_nothing(runner, tmp_path):
    from retainer.cli import cli

    missing = tmp_path / "typo.db"
    result = runner.invoke(cli, ["--db", f"sqlite:///{missing}", "verify"])
    assert result.exit_code == 1 and "no archive here yet" in result.output
    assert not missing.exists()
