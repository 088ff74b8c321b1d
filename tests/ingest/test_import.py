"""The importer against a real archive (SQLite and PostgreSQL): DESIGN §3 and §7."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

from sqlalchemy import func, select

from retainer.archive.models import (
    Capture,
    Chat,
    Export,
    Message,
    MessageEvent,
    StoredFile,
)
from retainer.archive.verify import verify
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file, import_paths
from tests.ingest.chats import ANDROID, IOS, write_export

LA = ImportOptions(custodian="Dana Reyes", timezone="America/Los_Angeles")
NIGHT = [
    ("2026-12-14T21:58", None, "Dana Reyes created group \"Port Ops\""),
    ("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
    ("2026-12-14T22:03", "Marcus Bell", "Copy."),
    ("2026-12-14T22:03", "Marcus Bell", "ok"),
    ("2026-12-14T22:03", "Marcus Bell", "ok"),  # same words twice in a minute: two messages
    ("2026-12-14T22:05", "Elena Vargas", "Secondary has 4 vehicles\nand a bus"),
]


def count(archive, model) -> int:
    with archive.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def chat_file(tmp_path, night, messages, style=ANDROID):
    """An export of chat "Port Ops" taken on some night (a folder per night)."""
    folder = tmp_path / (night.strip() or "first")
    folder.mkdir(exist_ok=True)
    return write_export(folder / "WhatsApp Chat with Port Ops.txt", style, messages)


def test_import_stores_every_message_once_with_its_capture(archive, tmp_path):
    result = import_file(archive, chat_file(tmp_path, "", NIGHT), LA)
    assert (result.status, result.messages, result.new, result.chat) == (
        "imported", 6, 6, "Port Ops")
    with archive.read() as session:
        rows = session.execute(select(Message.sent_at, Message.sent_at_local, Message.author,
                                      Message.text, Message.timezone)
                               .order_by(Message.id)).all()
        assert rows[1] == (dt.datetime(2026, 12, 15, 6, 2, tzinfo=dt.UTC), "2026-12-14T22:02",
                           "Dana Reyes", "Lane 3 is closed.", "America/Los_Angeles")
        assert [r.text for r in rows].count("ok") == 2
        assert session.scalar(select(func.count()).select_from(Capture)) == 6
        export = session.scalar(select(Export))
        assert (export.custodian, export.channel, export.message_count) == (
            "Dana Reyes", "device", 6)
    assert verify(archive).ok


def test_reimporting_the_same_file_changes_nothing(archive, tmp_path):
    path = chat_file(tmp_path, "", NIGHT)
    import_file(archive, path, LA)
    again = import_file(archive, path, LA)
    assert again.status == "already"
    assert count(archive, Message) == 6 and count(archive, Capture) == 6
    assert count(archive, Export) == 1 and count(archive, StoredFile) == 1


def test_overlapping_re_export_adds_only_the_new_messages(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    later = NIGHT + [("2026-12-15T00:10", "Dana Reyes", "Shift over."),
                     ("2026-12-15T00:11", "Dana Reyes", "ok")]
    result = import_file(archive, chat_file(tmp_path, " 2", later), LA)
    assert (result.new, result.seen_again, result.missing) == (2, 6, 0)
    assert count(archive, Message) == 8
    assert count(archive, Capture) == 14


def test_exports_from_two_phones_merge(archive, tmp_path):
    """Dana's Android (names in full, no seconds, Los Angeles) and Marcus's iPhone (Dana saved
    as "Dana R", seconds, Phoenix: an hour later than Los Angeles in winter) show one chat."""
    import_file(archive, chat_file(tmp_path, "", NIGHT), LA)
    phoenix = [("2026-12-14T22:58:10", None, "You added Marcus Bell"),
               ("2026-12-14T23:02:41", "Dana R", "Lane 3 is closed."),
               ("2026-12-14T23:03:05", "Marcus Bell", "Copy."),
               ("2026-12-14T23:03:30", "Marcus Bell", "ok"),
               ("2026-12-14T23:03:59", "Marcus Bell", "ok"),
               ("2026-12-14T23:05:02", "Elena Vargas", "Secondary has 4 vehicles\nand a bus")]
    path = write_export(tmp_path / "WhatsApp Chat - Port Ops.txt", IOS, phoenix)
    result = import_file(archive, path, ImportOptions(custodian="Marcus Bell",
                                                      timezone="America/Phoenix"))
    assert (result.seen_again, result.new) == (5, 1)  # only the two notices differ
    with archive.read() as session:
        lane = session.scalar(select(Message).where(Message.text == "Lane 3 is closed."))
        authors = session.scalars(select(Capture.author).where(Capture.message_id == lane.id)
                                  .order_by(Capture.id)).all()
        assert authors == ["Dana Reyes", "Dana R"]  # each capture keeps how it named her
        assert session.scalar(select(func.count()).select_from(Chat)) == 1


def test_media_seen_as_attached_and_as_omitted_is_one_message(archive, tmp_path):
    first = [("2026-12-14T21:06:01", "Marcus Bell", "<attached: 00000025-PHOTO.jpg>")]
    second = [("2026-12-14T21:06:01", "Marcus Bell", "image omitted")]
    import_file(archive, write_export(tmp_path / "WhatsApp Chat - A.txt", IOS, first),
                ImportOptions(chat="Bridge", timezone="America/Phoenix"))
    result = import_file(archive, write_export(tmp_path / "WhatsApp Chat - B.txt", IOS, second),
                         ImportOptions(chat="Bridge", timezone="America/Phoenix",
                                       channel="official"))
    assert result.seen_again == 1
    with archive.read() as session:
        captures = session.execute(select(Capture.channel, Capture.text, Capture.complete)
                                   .order_by(Capture.id)).all()
    # Neither the first .txt (no zip, so no file) nor the "image omitted" copy carries the photo.
    assert captures == [("device", None, False), ("official", "image omitted", False)]


def test_message_missing_from_a_later_export_is_kept_and_flagged(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    without = [m for m in NIGHT if m[2] != "Copy."] + [("2026-12-15T01:00", "Dana Reyes", "x")]
    result = import_file(archive, chat_file(tmp_path, " 2", without), LA)
    assert result.missing == 1
    with archive.read() as session:
        copy = session.scalar(select(Message).where(Message.text == "Copy."))
        events = session.scalars(select(MessageEvent.kind)
                                 .where(MessageEvent.message_id == copy.id)).all()
    assert events == ["missing_from_later_export"]
    assert count(archive, Message) == 7


def test_another_device_lacking_a_message_is_not_missing(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    result = import_file(archive, chat_file(tmp_path, " 2", NIGHT[:3]),
                         ImportOptions(custodian="Elena Vargas", timezone="America/Los_Angeles"))
    assert result.missing == 0


def test_deletion_after_capture_keeps_the_text_and_records_the_deletion(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    deleted = [m if m[2] != "Lane 3 is closed." else (m[0], m[1], "This message was deleted")
               for m in NIGHT]
    result = import_file(archive, chat_file(tmp_path, " 2", deleted), LA)
    assert result.deleted == 1
    with archive.read() as session:
        original = session.scalar(select(Message).where(Message.text == "Lane 3 is closed."))
        kinds = dict(session.execute(select(MessageEvent.kind, MessageEvent.related_message_id)
                                     .where(MessageEvent.message_id == original.id)).all())
        notice = session.get(Message, kinds["deleted_after_capture"])
        assert notice.kind == "deleted" and notice.author == "Dana Reyes"
    assert set(kinds) == {"deleted_after_capture", "missing_from_later_export"}


def test_edit_after_capture_is_recorded(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    edited = [m if m[2] != "Copy." else (m[0], m[1], "Copy that. <This message was edited>")
              for m in NIGHT]
    result = import_file(archive, chat_file(tmp_path, " 2", edited), LA)
    assert result.edited == 1
    assert count(archive, Message) == 7


def test_a_file_that_fails_midway_leaves_no_trace(archive, tmp_path):
    good = chat_file(tmp_path, " good", NIGHT)
    import_file(archive, good, LA)
    before = {m: count(archive, m) for m in (Message, Capture, Export, StoredFile, Chat)}
    bad = tmp_path / "WhatsApp Chat with Port Ops.txt"
    lines = [f"10/{d}/26, 9:00\u202fPM - Dana Reyes: message {d}" for d in range(13, 31)]
    lines[12] = "13/45/26, 9:00\u202fPM - Dana Reyes: an impossible date"  # line 13
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(archive, bad, LA)
    assert result.status == "failed"
    assert ":13:" in result.reason and "message" not in result.reason.split(":13:")[1]
    assert {m: count(archive, m) for m in before} == before
    assert not list((tmp_path / "vault").rglob(result.sha256))
    assert verify(archive).ok


def test_folders_are_walked_in_a_stable_order_and_non_exports_skipped(archive, tmp_path):
    folder = tmp_path / "drop"
    (folder / "b").mkdir(parents=True)
    write_export(folder / "b" / "WhatsApp Chat with B.txt", ANDROID, NIGHT[:2])
    write_export(folder / "WhatsApp Chat with A.txt", ANDROID, NIGHT[2:])
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / ".hidden.txt").write_text("x")
    results = import_paths(archive, [folder], LA)
    assert [(r.path.split("/")[-1], r.status) for r in results] == [
        ("WhatsApp Chat with A.txt", "imported"), ("photo.jpg", "skipped"),
        ("WhatsApp Chat with B.txt", "imported")]


def test_times_keep_local_text_zone_and_dst_flags(archive, tmp_path):
    fall_back = [("2026-11-01T01:30", "Elena Vargas", "Lane 5 clear."),
                 ("2026-11-01T01:45", "Elena Vargas", "quiet"),
                 ("2026-11-01T01:30", "Elena Vargas", "Lane 5 clear."),
                 ("2027-03-14T02:30", "Elena Vargas", "a time that never happened")]
    import_file(archive, chat_file(tmp_path, "", fall_back), LA)
    with archive.read() as session:
        rows = session.execute(select(Message.sent_at, Message.time_flag)
                               .order_by(Message.id)).all()
    assert rows == [
        (dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC), "ambiguous"),   # 1:30 PDT
        (dt.datetime(2026, 11, 1, 8, 45, tzinfo=dt.UTC), "ambiguous"),
        (dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC), "ambiguous"),   # 1:30 PST
        (dt.datetime(2027, 3, 14, 10, 30, tzinfo=dt.UTC), "impossible"),
    ]


def test_findings_do_not_depend_on_import_order(archive, tmp_path):
    """The later export (lacking one message and showing another deleted) is imported first;
    the earlier one, which still had both, arrives afterwards — e.g. through a forwarded
    mail. The same events result as in the other order."""
    later = [m for m in NIGHT if m[2] != "Copy."]
    later = [m if m[2] != "Lane 3 is closed." else (m[0], m[1], "This message was deleted")
             for m in later]
    import_file(archive, chat_file(tmp_path, " later", later), ImportOptions(
        custodian="Dana Reyes", timezone="America/Los_Angeles",
        captured_at=dt.datetime(2026, 12, 20, 8, 0, tzinfo=dt.UTC)))
    earlier = ImportOptions(custodian="Dana Reyes", timezone="America/Los_Angeles",
                            channel="official",
                            captured_at=dt.datetime(2026, 12, 15, 8, 0, tzinfo=dt.UTC))
    import_file(archive, chat_file(tmp_path, " earlier", NIGHT), earlier)
    with archive.read() as session:
        events = dict(session.execute(
            select(Message.text, MessageEvent.kind)
            .join(MessageEvent, MessageEvent.message_id == Message.id)
            .where(MessageEvent.kind != "missing_from_later_export")).all())
        missing = set(session.scalars(
            select(Message.text).join(MessageEvent, MessageEvent.message_id == Message.id)
            .where(MessageEvent.kind == "missing_from_later_export")))
    assert events == {"Lane 3 is closed.": "deleted_after_capture"}
    assert missing == {"Copy.", "Lane 3 is closed."}


def test_a_failure_after_rows_were_written_leaves_no_trace(archive, tmp_path, monkeypatch):
    import_file(archive, chat_file(tmp_path, " good", NIGHT), LA)
    before = {m: count(archive, m) for m in (Message, Capture, Export, StoredFile, Chat)}
    start = dt.datetime(2026, 12, 15, 6, 0)
    many = [((start + dt.timedelta(minutes=i)).isoformat(timespec="minutes"), "Dana Reyes",
             f"status {i}") for i in range(30_000)]
    big = chat_file(tmp_path, " big", many)
    written = []

    def fail_late(session, audit_id, digest):  # after every batch, before the vault and seal
        written.append(session.scalar(select(func.count()).select_from(Message)))
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("retainer.ingest.pipeline.digest_evidence", fail_late)
    result = import_file(archive, big, LA)
    assert result.status == "failed" and "RuntimeError" in result.reason
    assert written == [before[Message] + 30_000]  # the rows had reached the database
    assert {m: count(archive, m) for m in before} == before
    assert not any(archive.vault.path(s).exists() for s in [result.sha256])
    monkeypatch.undo()
    assert import_file(archive, big, LA).new == 30_000


def test_a_file_already_archived_is_already_even_if_it_would_now_fail(archive, data):
    ambiguous = data / "formats" / "ambiguous.txt"
    options = ImportOptions(timezone="America/Los_Angeles", chat="Ambiguous")
    assert import_file(archive, ambiguous, ImportOptions(
        timezone="America/Los_Angeles", chat="Ambiguous", date_order="DMY")).status == \
        "imported"
    assert import_file(archive, ambiguous, options).status == "already"


def test_a_database_failure_fails_that_file_and_the_next_still_lands(archive, tmp_path,
                                                                     monkeypatch):
    from sqlalchemy.exc import OperationalError

    import retainer.ingest.pipeline as pipeline

    real = pipeline.ingest_export
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT ...", {}, Exception("database is locked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_export", flaky)
    first = chat_file(tmp_path, " 1", NIGHT)
    second = tmp_path / "other" / "WhatsApp Chat with Other.txt"
    second.parent.mkdir()
    write_export(second, ANDROID, NIGHT[1:3])
    results = import_paths(archive, [first, second], LA)
    assert [r.status for r in results] == ["failed", "imported"]
    assert "the database failed" in results[0].reason and "INSERT" not in results[0].reason


def test_a_deletion_seen_on_another_phone_under_another_name_is_recorded(archive, tmp_path):
    from retainer.archive.people import sync_people
    from retainer.config import Person

    with archive.begin() as session:
        sync_people(session, [Person("Dana Reyes", True, ("Dana R",), (), None, None)])
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    # Marcus's iPhone, later: Dana under his contact name, her message deleted since.
    theirs = [(w, "Dana R" if a == "Dana Reyes" else a,
               "This message was deleted" if t == "Lane 3 is closed." else t)
              for w, a, t in NIGHT]
    marcus = dataclasses.replace(LA, custodian="Marcus Bell")
    result = import_file(archive, chat_file(tmp_path, " 2", theirs, IOS), marcus)
    assert result.deleted == 1 and result.author_conflicts == 0
    with archive.read() as session:
        original = session.scalar(select(Message.id).where(Message.text == "Lane 3 is closed."))
        kinds = set(session.scalars(select(MessageEvent.kind)
                                    .where(MessageEvent.message_id == original)))
    assert kinds == {"deleted_after_capture"}


def test_the_same_message_under_two_people_is_reported_not_merged_silently(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    theirs = [(w, "Elena Vargas" if t == "Copy." else a, t) for w, a, t in NIGHT]
    result = import_file(archive, chat_file(tmp_path, " 2", theirs, IOS),
                         dataclasses.replace(LA, custodian="Marcus Bell"))
    assert result.author_conflicts == 1 and "another person" in result.notes[0]
    with archive.read() as session:  # each capture keeps the author it showed
        shown = set(session.scalars(select(Capture.author).join(Message)
                                    .where(Message.text == "Copy.")))
    assert shown == {"Marcus Bell", "Elena Vargas"}


def test_an_import_never_updates_or_deletes_messages_captures_or_events(archive, tmp_path):
    import re

    from sqlalchemy import event

    seen: list[str] = []
    event.listen(archive.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: seen.append(statement))
    if archive.dialect == "sqlite":  # the bulk writer's executemany bypasses SQLAlchemy
        event.listen(archive.engine, "connect", lambda dbapi, record:
                     dbapi.set_trace_callback(seen.append))
        archive.engine.dispose()
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    changed = [m if m[2] != "Lane 3 is closed." else (m[0], m[1], "This message was deleted")
               for m in NIGHT if m[2] != "Copy."]
    import_file(archive, chat_file(tmp_path, " 2", changed), LA)
    assert any(s.startswith("INSERT INTO message_events") for s in seen)  # the listeners saw
    if archive.dialect == "sqlite":                                     # the writes
        assert any(s.startswith("INSERT INTO messages") for s in seen)
    forbidden = re.compile(r"^\s*(UPDATE|DELETE\s+FROM)\s+(messages|captures|message_events)\b",
                           re.IGNORECASE)
    assert not [s for s in seen if forbidden.match(s)]


GARITA_NFC = unicodedata.normalize("NFC", "Coordinación Garita")
GARITA_NFD = unicodedata.normalize("NFD", GARITA_NFC)
GARITA = [("2026-03-13T09:00", "Elena Vargas", "Hola"),
          ("2026-03-13T09:01", "Elena Vargas", "Segundo")]


def garita_file(tmp_path, night, title, messages):
    folder = tmp_path / night
    folder.mkdir()
    return write_export(folder / f"WhatsApp Chat with {title}.txt", ANDROID, messages)


def test_a_title_in_nfd_and_in_nfc_is_one_chat(archive, tmp_path):
    # macOS names files in NFD; the same chat exported elsewhere is named in NFC.
    first = import_file(archive, garita_file(tmp_path, "mac", GARITA_NFD, GARITA), LA)
    later = import_file(archive, garita_file(tmp_path, "phone", GARITA_NFC, [
        *GARITA, ("2026-03-13T09:05", "Elena Vargas", "Tercero")]), LA)
    assert (first.chat, first.new) == (GARITA_NFC, 2)
    assert (later.chat, later.new, later.seen_again) == (GARITA_NFC, 1, 2)
    given = import_file(archive, garita_file(tmp_path, "given", "whatever", [
        ("2026-03-13T09:06", "Elena Vargas", "Cuarto")]), dataclasses.replace(
            LA, chat=GARITA_NFD))
    assert (given.chat, given.new) == (GARITA_NFC, 1)
    with archive.read() as session:
        assert session.scalars(select(Chat.title)).all() == [GARITA_NFC]
    assert count(archive, Message) == 4
    assert verify(archive).ok


def test_a_chat_stored_in_nfd_by_an_earlier_import_is_found(archive, tmp_path, monkeypatch):
    import retainer.ingest.export as export

    # As imports before titles were normalised stored them: spelled as the file name was.
    kept = export.chat_title
    monkeypatch.setattr(export, "chat_title", lambda parsed, options: parsed.chat_title)
    import_file(archive, garita_file(tmp_path, "mac", GARITA_NFD, GARITA), LA)
    monkeypatch.setattr(export, "chat_title", kept)
    later = import_file(archive, garita_file(tmp_path, "phone", GARITA_NFC, [
        *GARITA, ("2026-03-13T09:05", "Elena Vargas", "Tercero")]), LA)
    assert (later.chat, later.new, later.seen_again) == (GARITA_NFD, 1, 2)
    with archive.read() as session:
        assert session.scalars(select(Chat.title)).all() == [GARITA_NFD]  # never renamed
    assert count(archive, Message) == 3
    assert verify(archive).ok
