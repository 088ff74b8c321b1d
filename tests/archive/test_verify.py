"""`verify` catches every kind of tampering behind retainer's back."""

from __future__ import annotations

import os
import stat

from sqlalchemy import delete, select, text, update

from retainer.archive.models import AuditEntry, Capture, Message, StoredFile
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
