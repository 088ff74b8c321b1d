"""Official-mailbox captures through the importer (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import mailbox
import shutil

import pytest
from sqlalchemy import func, select

from retainer.archive import Archive
from retainer.archive.models import (
    AuditEntry,
    Capture,
    Export,
    Mail,
    MailRecipient,
    Message,
    PastedCopy,
)
from retainer.archive.people import sync_people
from retainer.archive.verify import verify
from retainer.config import load_settings
from retainer.ingest.export import ImportOptions
from retainer.ingest.official import import_mail_file
from retainer.ingest.pipeline import import_file
from retainer.ingest.sources import match_waiting_copies

CONFIG = """
[archive]
timezone = "America/Los_Angeles"
[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["Dana Reyes"]
official_accounts = ["dana.reyes@agency.example.gov"]
timezone = "America/Los_Angeles"
[[people]]
name = "Marcus Bell"
custodian = true
aliases = ["Marcus Bell"]
official_accounts = ["marcus.bell@agency.example.gov"]
timezone = "America/Los_Angeles"
"""
CHAT = ("3/14/24, 10:02 PM - Dana Reyes: Lane 3 is closed until further notice.\n"
        "3/14/24, 10:03 PM - Marcus Bell: Copy.\n"
        "3/14/24, 10:05 PM - Dana Reyes: IMG-20240314-WA0003.jpg (file attached)\n"
        "Queue at lane 2\n")


@pytest.fixture
def settings(tmp_path):
    path = tmp_path / "retainer.toml"
    path.write_text(CONFIG)
    return load_settings(path)


@pytest.fixture
def device(archive, settings, tmp_path):
    """Dana's own export of the chat, imported from her phone."""
    with archive.begin() as session:
        sync_people(session, settings.people)
    path = tmp_path / "WhatsApp Chat with Port Ops.txt"
    path.write_text(CHAT)
    result = import_file(archive, path, ImportOptions(custodian="Dana Reyes",
                                                      timezone="America/Los_Angeles"))
    assert result.new == 3
    return archive


def official_captures(archive):
    with archive.read() as session:
        return session.execute(
            select(Message.text, Capture.complete, Capture.captured_at, Capture.line)
            .join(Capture, Capture.message_id == Message.id)
            .where(Capture.channel == "official").order_by(Capture.id)).all()


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_export_attached_as_zip_with_its_media_is_a_complete_copy(device, settings, data):
    result = import_mail_file(device, data / "mail" / "export_zip.eml", settings)
    assert result.status == "imported" and result.seen_again == 3 and result.new == 0
    assert official_captures(device) == [
        ("Lane 3 is closed until further notice.", True, utc(2024, 3, 15, 5, 30), 1),
        ("Copy.", True, utc(2024, 3, 15, 5, 30), 2),
        ("IMG-20240314-WA0003.jpg (file attached)\nQueue at lane 2", True,
         utc(2024, 3, 15, 5, 30), 3),
    ]
    with device.read() as session:
        mail = session.scalar(select(Mail))
        assert mail.message_id == "<fixture-1@mail.example.com>"
        assert mail.date == utc(2024, 3, 15, 5, 30)
        recipients = set(session.execute(select(MailRecipient.field, MailRecipient.address)))
        assert ("to", "dana.reyes@agency.example.gov") in recipients
        export = session.scalar(select(Export).where(Export.channel == "official"))
        assert (export.custodian, export.mail_id, export.captured_at) == (
            "Dana Reyes", mail.id, mail.captured_at)
    assert verify(device).ok


def test_export_without_its_media_is_an_incomplete_copy(device, settings, data):
    import_mail_file(device, data / "mail" / "export_txt.eml", settings)
    complete = {(text.split("\n")[0], done) for text, done, *_ in official_captures(device)}
    assert ("IMG-20240314-WA0003.jpg (file attached)", False) in complete
    assert ("Copy.", True) in complete


def test_export_inside_a_forwarded_message_counts_at_the_outer_mail_time(device, settings,
                                                                        data):
    import_mail_file(device, data / "mail" / "forwarded.eml", settings)
    times = {at for _, _, at, _ in official_captures(device)}
    assert times == {utc(2024, 3, 26, 15, 0)}


@pytest.mark.parametrize("fixture", ["pasted_copy.eml", "pasted_html.eml"])
def test_messages_pasted_in_copy_format_are_matched(device, settings, data, fixture):
    result = import_mail_file(device, data / "mail" / fixture, settings)
    matched = {text for text, *_ in official_captures(device)}
    assert "Lane 3 is closed until further notice." in matched or fixture == "pasted_html.eml"
    assert "Copy." in matched
    with device.read() as session:
        assert session.scalar(select(func.count()).select_from(PastedCopy)) == 3
    assert "pasted" in result.notes[0]


def test_messages_pasted_as_export_lines_are_matched_and_media_without_file_incomplete(
        device, settings, data):
    import_mail_file(device, data / "mail" / "pasted_export_lines.eml", settings)
    captures = {text: done for text, done, *_ in official_captures(device)}
    assert captures == {
        "Lane 3 is closed until further notice.": True,
        "Copy.": True,
        # "10:05 PM - Dana Reyes: <Media omitted>": the photo's copy, without the photo.
        "IMG-20240314-WA0003.jpg (file attached)\nQueue at lane 2": False,
    }
    with device.read() as session:
        media = session.scalar(select(PastedCopy).where(PastedCopy.kind == "media",
                                                        PastedCopy.attachment.is_(None)))
        assert (media.sent_at_local, media.complete) == ("2024-03-14T22:05", False)


@pytest.mark.parametrize("fixture, when", [
    ("no_date.eml", utc(2024, 3, 15, 5, 30, 5)),          # earliest Received
    ("implausible_date.eml", utc(2024, 3, 15, 5, 30, 5)),  # 1970: not believed
])
def test_capture_time_falls_back_to_the_earliest_received(device, settings, data, fixture,
                                                          when):
    import_mail_file(device, data / "mail" / fixture, settings)
    assert {at for _, _, at, _ in official_captures(device)} == {when}


def test_a_mail_to_no_official_account_is_recorded_and_reported(device, settings, data):
    result = import_mail_file(device, data / "mail" / "non_official.eml", settings)
    assert any("reaches no official account" in note for note in result.notes)
    with device.read() as session:
        addresses = set(session.scalars(select(MailRecipient.address)))
    assert addresses == {"priya.nair@tri-county.example.com",
                         "portops-nightdesk@agency.example.gov"}


def test_mbox_and_maildir(device, settings, data, tmp_path):
    result = import_mail_file(device, data / "mail" / "two.mbox", settings)
    assert result.status == "imported" and "2 mails" in result.notes[0]
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add((data / "mail" / "export_zip.eml").read_bytes())
    (message,) = (tmp_path / "Maildir" / "new").iterdir()
    assert import_mail_file(device, message, settings).seen_again == 3
    with device.read() as session:
        assert session.scalar(select(func.count()).select_from(Mail)) == 3
    assert import_mail_file(device, data / "mail" / "two.mbox", settings).status == "already"


def test_a_mail_already_archived_through_another_file_is_not_counted_twice(device, settings,
                                                                          data, tmp_path):
    import_mail_file(device, data / "mail" / "two.mbox", settings)
    copy = tmp_path / "copy.mbox"
    shutil.copy(data / "mail" / "two.mbox", copy)
    box = mailbox.mbox(copy)  # a bigger snapshot of the same mailbox
    box.add(b"From: x@example.com\nSubject: hi\n\nhello\n")
    box.flush()
    box.close()
    result = import_mail_file(device, copy, settings)
    assert result.notes[0].startswith("1 mails (2 archived before)")


def test_pasted_copies_wait_for_their_messages(archive, settings, data, tmp_path):
    with archive.begin() as session:
        sync_people(session, settings.people)
    import_mail_file(archive, data / "mail" / "pasted_copy.eml", settings)
    assert official_captures(archive) == []
    path = tmp_path / "WhatsApp Chat with Port Ops.txt"
    path.write_text(CHAT)
    import_file(archive, path, ImportOptions(custodian="Dana Reyes",
                                             timezone="America/Los_Angeles"))
    assert match_waiting_copies(archive).captures == 2
    assert {text for text, *_ in official_captures(archive)} == {
        "Lane 3 is closed until further notice.", "Copy."}
    assert match_waiting_copies(archive).captures == 0
    assert verify(archive).ok


def test_a_date_in_the_future_is_a_defect_and_never_an_early_capture(device, settings,
                                                                     tmp_path):
    path = tmp_path / "future.eml"
    path.write_bytes(b"Date: Fri, 01 Jan 2100 00:00:00 +0000\n"
                     b"To: dana.reyes@agency.example.gov\nFrom: dana.personal@mail.example.com\n"
                     b"Message-ID: <future@mail.example.com>\n\n"
                     b"[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n")
    before = dt.datetime.now(dt.UTC)
    result = import_mail_file(device, path, settings)
    assert result.status == "imported"
    ((text, _, at, _),) = official_captures(device)
    assert text == "Copy." and before <= at <= dt.datetime.now(dt.UTC)  # the import time
    with device.read() as session:
        mail = session.scalar(select(Mail))
        assert mail.date == utc(2100, 1, 1)  # what the header states, for a report to cite
        assert mail.captured_at == at
        assert ("Date implausible (in the future): 'Fri, 01 Jan 2100 00:00:00 +0000'"
                in mail.defects)


def test_an_implausible_date_is_kept_as_written(device, settings, data):
    import_mail_file(device, data / "mail" / "implausible_date.eml", settings)
    with device.read() as session:
        mail = session.scalar(select(Mail))
        assert (mail.date, mail.captured_at) == (utc(1970, 1, 1), utc(2024, 3, 15, 5, 30, 5))
        assert mail.defects == [
            "Date implausible (before 2009): 'Thu, 01 Jan 1970 00:00:00 +0000'"]


PASTED_COPY = "[10:03 PM, 3/14/2024] Marcus Bell: Copy.\n"


def maildir_with_odd_first_headers(folder):
    """A Maildir whose messages libmagic calls text/plain (Subject:, X-Mozilla-Status: or
    MIME-Version: first), a delivery still in tmp/, a server's index file, and a Maildir++
    subfolder."""
    for part in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
        (folder / part).mkdir(parents=True)
    tail = (b"To: dana.reyes@agency.example.gov\nDate: Thu, 14 Mar 2024 22:30:00 -0700\n\n"
            + PASTED_COPY.encode())
    (folder / "new" / "1710480600.M1P1.host").write_bytes(
        b"Subject: lane 3\nMessage-ID: <md-1@mail.example.com>\n" + tail)
    (folder / "cur" / "1710480601.M2P1.host:2,S").write_bytes(
        b"X-Mozilla-Status: 0001\nMessage-ID: <md-2@mail.example.com>\n" + tail)
    (folder / ".Sent" / "cur" / "1710480602.M3P1.host:2,S").write_bytes(
        b"MIME-Version: 1.0\nMessage-ID: <md-3@mail.example.com>\n" + tail)
    (folder / "tmp" / "1710480603.M4P1.host").write_bytes(b"Subject: half-writ")
    (folder / "dovecot-uidlist").write_bytes(b"3 V1710480600 N4\n")
    return folder


def test_walk_sources_reads_a_maildir_as_a_mailbox(tmp_path):
    from retainer.ingest.sources import walk_sources

    box = maildir_with_odd_first_headers(tmp_path / "drop" / "Maildir")
    (tmp_path / "drop" / "tmp").mkdir()  # an ordinary folder named tmp is no Maildir's
    (tmp_path / "drop" / "tmp" / "note.eml").write_bytes(b"Subject: x\n\nx\n")
    assert [p.relative_to(tmp_path / "drop").as_posix()
            for p in walk_sources([tmp_path / "drop"])] == [
        "Maildir/.Sent/cur/1710480602.M3P1.host:2,S",
        "Maildir/cur/1710480601.M2P1.host:2,S",
        "Maildir/new/1710480600.M1P1.host",
        "tmp/note.eml"]
    assert list(walk_sources([box / "tmp"])) == []


@pytest.mark.parametrize("command", ["run", "import"])
def test_a_maildir_through_run_and_import(runner, archive_url, tmp_path, command):
    from retainer.cli import cli

    box = maildir_with_odd_first_headers(tmp_path / "mailbox" / "Maildir")
    chat = tmp_path / "WhatsApp Chat with Port Ops.txt"
    chat.write_text(CHAT)
    config = tmp_path / "retainer.toml"
    config.write_text(CONFIG + '[[sources]]\npath = "mailbox"\nchannel = "official"\n')
    base = ["--config", str(config), "--db", archive_url]
    assert runner.invoke(cli, [*base, "import", "--custodian", "Dana Reyes",
                               str(chat)]).exit_code == 0
    args = ["run"] if command == "run" else ["import", "--channel", "official", str(box)]
    result = runner.invoke(cli, [*base, *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("imported  ") == 3, result.stdout
    assert "skipped   " not in result.stdout and "Maildir/tmp" not in result.stdout
    assert "dovecot" not in result.stdout and "0 skipped" in result.stdout
    archive = Archive.open(archive_url, tmp_path / "vault")
    with archive.read() as session:
        assert sorted(session.scalars(select(Mail.message_id))) == [
            "<md-1@mail.example.com>", "<md-2@mail.example.com>", "<md-3@mail.example.com>"]
    archive.close()


def test_a_file_in_a_maildirs_tmp_is_never_read(device, settings, tmp_path):
    from retainer.ingest.options import import_options
    from retainer.ingest.sources import import_any

    box = maildir_with_odd_first_headers(tmp_path / "Maildir")
    (delivery,) = (box / "tmp").iterdir()
    result = import_any(device, settings, delivery, import_options(settings,
                                                                   channel="official"))
    assert result.status == "skipped" and "tmp/" in result.reason


def mail_bytes(n, body, *, attach=None, subject="lines"):
    from email import policy
    from email.message import EmailMessage

    msg = EmailMessage(policy=policy.default)
    msg["To"] = "dana.reyes@agency.example.gov"
    msg["From"] = "dana.personal@mail.example.com"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 15 Mar 2024 05:30:00 +0000"
    msg["Message-ID"] = f"<amb-{n}@mail.example.com>"
    msg.set_content(body)
    if attach is not None:
        msg.add_attachment(attach[1], maintype="text", subtype="plain", filename=attach[0])
    return msg.as_bytes()


def write_mbox(path, *messages):
    box = mailbox.mbox(path, create=True)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


AMBIGUOUS_PASTE = "Lines:\n[10:02 PM, 3/4/2024] Dana Reyes: Lane 3 is closed for now.\n"
AMBIGUOUS_EXPORT = ("WhatsApp Chat with Lane Crew.txt",
                    b"3/4/24, 10:02 PM - Dana Reyes: Cones out.\n")


def test_one_mail_with_ambiguous_dates_does_not_block_the_others(device, settings, tmp_path):
    path = write_mbox(tmp_path / "amb.mbox", mail_bytes(1, PASTED_COPY),
                      mail_bytes(2, AMBIGUOUS_PASTE, attach=AMBIGUOUS_EXPORT),
                      mail_bytes(3, "[10:02 PM, 3/14/2024] Dana Reyes: Lane 3 is closed until "
                                    "further notice.\n"))
    result = import_mail_file(device, path, settings)
    assert result.status == "imported" and result.notes[0].startswith("3 mails")
    assert len(result.problems) == 2 and all(f"{path}#2" in p for p in result.problems)
    assert any("pasted messages whose dates fit both" in p for p in result.problems)
    assert any("amb.mbox#2!WhatsApp Chat with Lane Crew.txt" in p for p in result.problems)
    assert "Lane 3" not in " ".join(result.problems)  # never message text
    assert {text for text, *_ in official_captures(device)} == {
        "Copy.", "Lane 3 is closed until further notice."}
    with device.read() as session:
        second = session.scalar(select(Mail).where(Mail.source == f"{path}#2"))
        assert any(d.startswith("date order ambiguous: pasted messages not read (body line 2)")
                   for d in second.defects)
        assert any(d.startswith('date order ambiguous: attachment not imported: '
                                '"WhatsApp Chat with Lane Crew.txt" (SHA-256 ')
                   for d in second.defects)
        assert session.scalar(select(func.count()).select_from(PastedCopy)
                              .where(PastedCopy.mail_id == second.id)) == 0
        second_id = second.id
    # Again without a date order: archived, and still reported (the operator must choose).
    again = import_mail_file(device, path, settings)
    assert again.status == "already" and len(again.problems) == 1
    assert "--date-order" in again.problems[0] and f"{path}#2" in again.problems[0]
    # With one, the refused parts are read, the rest is not imported twice.
    read = import_mail_file(device, path, settings, date_order="MDY")
    assert read.status == "imported" and read.problems == []
    assert read.notes[0].startswith("0 mails (2 archived before, 1 read again), 1 attached "
                                    "exports, 1 pasted messages")
    with device.read() as session:
        assert session.scalar(select(func.count()).select_from(PastedCopy)
                              .where(PastedCopy.mail_id == second_id)) == 1
        assert session.scalar(select(func.count()).select_from(Export)
                              .where(Export.mail_id == second_id)) == 1
        assert session.scalar(select(func.count()).select_from(Mail)) == 3
    done = import_mail_file(device, path, settings, date_order="MDY")
    assert (done.status, done.problems) == ("already", [])
    assert verify(device).ok


def cli_base(archive_url, tmp_path) -> list[str]:
    """The command line's global options for this module's configuration and archive."""
    config = tmp_path / "retainer.toml"
    config.write_text(CONFIG)
    return ["--config", str(config), "--db", archive_url]


def test_a_mail_with_ambiguous_dates_makes_import_exit_1(runner, archive_url, tmp_path):
    from retainer.cli import cli

    path = write_mbox(tmp_path / "amb.mbox", mail_bytes(1, PASTED_COPY),
                      mail_bytes(2, AMBIGUOUS_PASTE))
    base = cli_base(archive_url, tmp_path)
    result = runner.invoke(cli, [*base, "import", "--channel", "official", str(path)])
    assert result.exit_code == 1, result.output
    assert f"imported  {path}: " in result.stdout and "2 mails" in result.stdout
    assert f"FAILED: {path}#2:2: pasted messages whose dates fit both" in result.stdout
    fixed = runner.invoke(cli, [*base, "import", "--channel", "official", "--date-order",
                                "MDY", str(path)])
    assert fixed.exit_code == 0, fixed.output
    assert "1 read again" in fixed.stdout


BAD_LINE_EXPORT = ("WhatsApp Chat with Lane Crew.txt", (
    "".join(f"3/15/24, 9:{n:02} AM - Dana Reyes: Cones out, lane {n}.\n" for n in range(40))
    + "13/45/24, 9:50 AM - Dana Reyes: Cones in.\n").encode())
"""An export whose 41st line has an invalid date: it shows only once 40 messages streamed."""


def vault_files(archive):
    """SHA-256s of the files in the vault folder, and of the archive's file rows."""
    from retainer.archive.models import StoredFile

    kept = {p.name for p in archive.vault.root.glob("*/*") if len(p.name) == 64}
    with archive.read() as session:
        return kept, set(session.scalars(select(StoredFile.sha256)))


def test_an_attachment_with_a_bad_line_refuses_that_part_only(device, settings, tmp_path,
                                                               monkeypatch):
    import retainer.formats.reader

    # Small chunks: the bad line arrives after the first messages are written, so refusing
    # the attachment must take those back (a SAVEPOINT), not commit them or fail the file.
    monkeypatch.setattr(retainer.formats.reader, "CHUNK_CHARS", 64)
    path = write_mbox(tmp_path / "bad.mbox",
                      mail_bytes(1, "see attached", attach=(
                          "WhatsApp Chat with Port Ops.txt", CHAT.encode())),
                      mail_bytes(2, "and this", attach=BAD_LINE_EXPORT))
    result = import_mail_file(device, path, settings)
    assert result.status == "imported" and result.notes[0].startswith(
        "2 mails (0 archived before), 1 attached exports")
    (problem,) = result.problems
    assert problem.startswith(f"{path}#2!WhatsApp Chat with Lane Crew.txt:41: date "
                              "'13/45/24' is not a valid date")
    assert "Cones" not in problem  # never message text
    assert {text.split("\n")[0] for text, *_ in official_captures(device)} == {
        "Lane 3 is closed until further notice.", "Copy.",
        "IMG-20240314-WA0003.jpg (file attached)"}
    with device.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)
                              .where(Message.text.like("Cones%"))) == 0
        assert session.scalar(select(func.count()).select_from(Export)
                              .where(Export.channel == "official")) == 1
        second = session.scalar(select(Mail).where(Mail.source == f"{path}#2"))
        assert second.defects == [
            "attachment 'WhatsApp Chat with Lane Crew.txt' not imported: it cannot be read "
            f"(SHA-256 {hashlib.sha256(BAD_LINE_EXPORT[1]).hexdigest()})"]
    kept, rows = vault_files(device)
    assert kept == rows and hashlib.sha256(BAD_LINE_EXPORT[1]).hexdigest() not in kept
    report = verify(device)
    assert report.ok and report.notes == [], report.notes
    # Read again, the file is archived: the attachment cannot be read any better.
    assert import_mail_file(device, path, settings).status == "already"


def test_a_mail_file_that_fails_leaves_nothing_in_the_vault(device, settings, tmp_path,
                                                            monkeypatch):
    import retainer.ingest.official
    from retainer.errors import ArchiveError

    before = vault_files(device)

    def fail(*args, **kwargs):
        raise ArchiveError("the database went away")

    # Fails after every mail and attachment was read and recorded, before the commit.
    monkeypatch.setattr(retainer.ingest.official, "rematch_pasted", fail)
    path = write_mbox(tmp_path / "fails.mbox",
                      mail_bytes(1, PASTED_COPY),
                      mail_bytes(2, "see attached", attach=(
                          "WhatsApp Chat with Lane Crew.txt",
                          b"3/15/24, 9:00 AM - Dana Reyes: Cones out.\n")))
    result = import_mail_file(device, path, settings)
    assert result.status == "failed" and "the database went away" in result.reason
    assert vault_files(device) == before
    report = verify(device)
    assert report.ok and report.notes == [], report.notes


def test_a_bad_line_in_an_attachment_through_the_command_line(runner, archive_url, tmp_path):
    from retainer.cli import cli

    path = write_mbox(tmp_path / "bad.mbox", mail_bytes(1, PASTED_COPY),
                      mail_bytes(2, "and this", attach=BAD_LINE_EXPORT))
    base = cli_base(archive_url, tmp_path)
    result = runner.invoke(cli, [*base, "import", "--channel", "official", str(path)])
    assert result.exit_code == 1, result.output
    assert f"imported  {path}: " in result.stdout and "2 mails" in result.stdout
    assert (f"FAILED: {path}#2!WhatsApp Chat with Lane Crew.txt:41: date '13/45/24' is not "
            "a valid date") in result.stdout
    assert "Traceback" not in result.output


# --- which archived message a pasted line copies (retainer.ingest.matching) ---------------

NIGHT = ("3/14/24, 10:05 PM - Dana Reyes: IMG-20240314-WA0003.jpg (file attached)\n"
         "3/14/24, 10:05 PM - Dana Reyes: IMG-20240314-WA0004.jpg (file attached)\n"
         "3/14/24, 10:06 PM - Marcus Bell: ok\n"
         "3/14/24, 10:06 PM - Marcus Bell: ok\n"
         "3/14/24, 10:07 PM - Dana Reyes: This message was deleted\n")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def export(archive, tmp_path, title, text, custodian="Dana Reyes"):
    path = tmp_path / custodian / f"WhatsApp Chat with {title}.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    result = import_file(archive, path, ImportOptions(custodian=custodian,
                                                      timezone="America/Los_Angeles"))
    assert result.status == "imported"


@pytest.fixture
def night(archive, settings, tmp_path):
    with archive.begin() as session:
        sync_people(session, settings.people)
    export(archive, tmp_path, "Night Desk", NIGHT)
    return archive


def paste(tmp_path, body, *, name="paste.eml", subject="lines", to=None, media=()):
    from email import policy
    from email.message import EmailMessage

    msg = EmailMessage(policy=policy.default)
    msg["To"] = to or "dana.reyes@agency.example.gov"
    msg["From"] = "dana.personal@mail.example.com"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 15 Mar 2024 05:30:00 +0000"
    msg["Message-ID"] = f"<{name}@mail.example.com>"
    msg.set_content(body)
    for filename in media:
        msg.add_attachment(JPEG, maintype="image", subtype="jpeg", filename=filename)
    path = tmp_path / name
    path.write_bytes(msg.as_bytes())
    return path


def captured(archive):
    """(chat, message text, complete, pasted line) of every official capture."""
    from retainer.archive.models import Chat

    with archive.read() as session:
        return sorted(session.execute(
            select(Chat.title, Message.text, Capture.complete, Capture.line)
            .join(Message, Message.chat_id == Chat.id)
            .join(Capture, Capture.message_id == Message.id)
            .where(Capture.channel == "official")).all())


def test_a_pasted_file_copies_that_file_and_no_other_media_of_the_minute(night, settings,
                                                                        tmp_path):
    mail = paste(tmp_path, "3/14/24, 10:05 PM - Dana Reyes: IMG-20240314-WA0003.jpg "
                           "(file attached)\n", media=["IMG-20240314-WA0003.jpg"])
    import_mail_file(night, mail, settings)
    assert captured(night) == [
        ("Night Desk", "IMG-20240314-WA0003.jpg (file attached)", True, 1)]


def test_media_omitted_copies_one_media_message_and_is_incomplete(night, settings, tmp_path):
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:05 PM - Dana Reyes: <Media omitted>\n"),
                     settings)
    assert captured(night) == [
        ("Night Desk", "IMG-20240314-WA0003.jpg (file attached)", False, 1)]


def test_one_pasted_line_captures_one_message_and_the_nth_the_nth(night, settings, tmp_path):
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n"), settings)
    assert len(captured(night)) == 1
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n"
                                            "3/14/24, 10:06 PM - Marcus Bell: ok\n"
                                            "3/14/24, 10:06 PM - Marcus Bell: ok\n",
                                  name="three.eml"), settings)
    with night.read() as session:
        rows = session.execute(select(Capture.mail_id, Capture.line, Capture.message_id)
                               .where(Capture.channel == "official")
                               .order_by(Capture.mail_id, Capture.line)).all()
    first, second, third = rows  # the third pasted "ok" has no third message to copy
    assert first[0] != second[0] == third[0] and (second[1], third[1]) == (1, 2)
    assert second[2] < third[2]  # in message order
    assert verify(night).ok


def test_a_pasted_deletion_notice_is_never_a_complete_copy(night, settings, tmp_path):
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:07 PM - Dana Reyes: This message "
                                            "was deleted\n"), settings)
    assert captured(night) == [("Night Desk", "This message was deleted", False, 1)]
    with night.read() as session:
        assert session.scalar(select(PastedCopy.complete)) is False


def test_only_the_custodians_chats_and_several_candidate_chats_prove_nothing(
        night, settings, tmp_path):
    # Marcus's own chat has an "ok" at the same minute: Dana's mail says nothing about it.
    export(night, tmp_path, "Bridge", "3/14/24, 10:06 PM - Marcus Bell: ok\n",
           custodian="Marcus Bell")
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n"), settings)
    assert [chat for chat, *_ in captured(night)] == ["Night Desk"]
    # Once Dana has an export of that chat too, a copy could be of either: it proves nothing.
    export(night, tmp_path, "Bridge", "3/14/24, 10:06 PM - Marcus Bell: ok\n"
                                      "3/14/24, 10:08 PM - Marcus Bell: later\n")
    result = import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n",
                                           name="either.eml"), settings)
    assert len(captured(night)) == 1
    assert any("pasted line 1 matches messages in 2 chats" in n for n in result.notes)
    with night.read() as session:
        defects = session.scalar(select(Mail.defects).where(Mail.source == str(
            tmp_path / "either.eml")))
    assert "pasted line 1 matches messages in 2 chats: proves nothing" in defects
    # ...unless the mail names the chat.
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n",
                                  name="named.eml", subject="WhatsApp Chat with Bridge"),
                     settings)
    assert [chat for chat, *_ in captured(night)] == ["Bridge", "Night Desk"]
    # The nightly match records the ambiguity once, not every night.
    assert match_waiting_copies(night, settings=settings).captures == 0
    with night.read() as session:
        entries = session.scalars(select(AuditEntry.details)
                                  .where(AuditEntry.action == "match")).all()
    assert match_waiting_copies(night, settings=settings).ambiguous
    with night.read() as session:
        assert session.scalars(select(AuditEntry.details)
                               .where(AuditEntry.action == "match")).all() == entries
    assert len(entries) == 1 and entries[0]["pasted_ambiguous"]
    assert verify(night).ok


def test_a_mail_reaching_no_official_account_captures_nothing(night, settings, tmp_path):
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n",
                                  to="priya.nair@tri-county.example.com"), settings)
    assert captured(night) == []


def test_a_subject_naming_the_chat_in_nfd_finds_it_in_nfc(night, settings, tmp_path):
    import unicodedata

    title = unicodedata.normalize("NFC", "Coordinación Garita")
    export(night, tmp_path, title, "3/14/24, 10:06 PM - Marcus Bell: ok\n")
    subject = "WhatsApp Chat with " + unicodedata.normalize("NFD", title)
    import_mail_file(night, paste(tmp_path, "3/14/24, 10:06 PM - Marcus Bell: ok\n",
                                  name="named.eml", subject=subject), settings)
    assert [chat for chat, *_ in captured(night)] == [title]


AMBIGUOUS_AND_BAD = ("WhatsApp Chat with Lane Crew.txt", (
    "".join(f"3/4/24, 9:{n:02} AM - Dana Reyes: Cones out, lane {n}.\n" for n in range(40))
    + "3/4/24, 25:50 AM - Dana Reyes: Cones in.\n").encode())
"""Dates that fit both orders (refused until a date order is given), then a bad time."""


def test_an_attachment_unreadable_once_its_date_order_is_known_is_said_not_recorded_again(
        device, settings, tmp_path):
    """Refused for its date order, the attachment is read again with one and proves
    unreadable: the problem is said each time, but no empty audit entry is written for it."""
    from retainer.archive.models import AuditEntry

    path = write_mbox(tmp_path / "r.mbox", mail_bytes(1, "x", attach=AMBIGUOUS_AND_BAD),
                      mail_bytes(2, PASTED_COPY))
    first = import_mail_file(device, path, settings)
    assert first.status == "imported" and first.problems
    with device.read() as session:
        entries = session.scalar(select(func.count()).select_from(AuditEntry))
    for _ in range(2):
        again = import_mail_file(device, path, settings, date_order="MDY")
        assert again.status == "already"
        assert any("not imported" in p for p in again.problems)
    with device.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    assert verify(device).ok
