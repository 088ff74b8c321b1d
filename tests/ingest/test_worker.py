"""The import worker computes exactly what the importing process would (``ingest.worker``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select, text

from retainer.archive.models import AuditEntry, Capture, Message, MessageEvent
from retainer.archive.verify import verify
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from tests.ingest.chats import ANDROID, IOS, write_export

LA = ImportOptions(custodian="Dana Reyes", timezone="America/Los_Angeles", date_order="MDY",
                   captured_at=dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
START = dt.datetime(2026, 10, 31, 23, 0)  # the night clocks go back an hour


def night(n: int, offset: int = 0) -> list[tuple[str, str | None, str]]:
    messages = []
    for i in range(n):
        when = (START + dt.timedelta(minutes=7 * i // 3)).isoformat(timespec="minutes")
        author = ("Dana Reyes", "Marcus Bell", "Elena Vargas")[i % 3]
        body = ("ok" if i % 5 == 0 else "This message was deleted" if i % 37 == 0
                else f"Lane {i % 9} status {i // 9} 👍")
        messages.append((when, author, body))
    return messages[offset:]


def rows(archive) -> dict[str, list]:
    with archive.read() as session:
        conn = session.connection()
        return {
            "messages": conn.execute(select(Message.__table__).order_by(Message.id)).all(),
            "captures": conn.execute(select(Capture.__table__).order_by(Capture.id)).all(),
            "events": conn.execute(select(MessageEvent.__table__)
                                   .order_by(MessageEvent.id)).all(),
            "index": conn.execute(text("SELECT COUNT(*) FROM search_index")).all(),
            "digests": session.execute(select(AuditEntry.added_count,
                                              AuditEntry.added_digest)
                                       .order_by(AuditEntry.id)).all(),
        }


def exported(path, messages, style=ANDROID):
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_export(path, style, messages)


def imported(archive, tmp_path, monkeypatch, mode: str) -> dict[str, list]:
    monkeypatch.setenv("RETAINER_IMPORT_WORKER", mode)
    folder = tmp_path / mode
    first = exported(folder / "1" / "WhatsApp Chat with Port Ops.txt", night(600))
    # Another phone, a day later: Dana under another contact name, one message deleted
    # since, one missing, 100 new.
    shown = [(w, "Dana R" if a == "Dana Reyes" else a, t) for w, a, t in night(700, offset=50)]
    shown[101] = (shown[101][0], shown[101][1], "This message was deleted")
    del shown[200]
    later = exported(folder / "2" / "WhatsApp Chat with Port Ops.txt", shown, IOS)
    assert import_file(archive, first, LA).status == "imported"
    next_day = dataclasses.replace(LA, captured_at=LA.captured_at + dt.timedelta(days=1))
    assert import_file(archive, later, next_day).status == "imported"
    return rows(archive)


def test_the_worker_writes_what_the_importer_would(archive, other_archive, tmp_path,
                                                   monkeypatch):
    inline = imported(archive, tmp_path, monkeypatch, "never")
    worked = imported(other_archive, tmp_path, monkeypatch, "always")
    for table in ("messages", "captures", "events", "index", "digests"):
        assert worked[table] == inline[table], table
    assert len(inline["messages"]) == 701 and verify(other_archive).ok
    assert {e.kind for e in inline["events"]} == {"deleted_after_capture",
                                                  "missing_from_later_export"}


def test_a_bad_line_in_the_worker_fails_the_import_and_keeps_nothing(archive, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("RETAINER_IMPORT_WORKER", "always")
    good = exported(tmp_path / "g" / "WhatsApp Chat with Port Ops.txt", night(30))
    assert import_file(archive, good, LA).status == "imported"
    bad = tmp_path / "b" / "WhatsApp Chat with Port Ops.txt"
    bad.parent.mkdir()
    lines = good.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(lines + ["3/8/26, 1:00\u202fAM - Dana Reyes: more",
                                      "13/45/26, 9:00\u202fPM - X: y"]) + "\n",
                   encoding="utf-8")
    result = import_file(archive, bad, LA)
    assert result.status == "failed" and ":32:" in result.reason
    with archive.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 30


def test_messages_shown_under_another_person_are_counted(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("RETAINER_IMPORT_WORKER", "always")
    first = exported(tmp_path / "1" / "WhatsApp Chat with Port Ops.txt",
                     [("2026-12-14T22:02", "Dana Reyes", "ok")])
    second = exported(tmp_path / "2" / "WhatsApp Chat with Port Ops.txt",
                      [("2026-12-14T22:02", "Marcus Bell", "ok")])
    import_file(archive, first, LA)
    result = import_file(archive, second, LA)
    assert result.author_conflicts == 1 and "another person" in result.notes[0]


def test_a_script_without_a_main_guard_is_not_run_again_by_the_worker(tmp_path):
    import subprocess
    import sys

    chat = exported(tmp_path / "chat" / "WhatsApp Chat with Port Ops.txt", night(50))
    script = tmp_path / "nightly.py"  # as a records officer might write it: no main guard
    script.write_text(
        "import os\n"
        "os.environ['RETAINER_IMPORT_WORKER'] = 'always'\n"
        "from retainer.archive import Archive\n"
        "from retainer.ingest.export import ImportOptions\n"
        "from retainer.ingest.pipeline import import_file\n"
        f"archive = Archive.open('sqlite:///{tmp_path / 'a.db'}', '{tmp_path / 'vault'}')\n"
        f"print(import_file(archive, {str(chat)!r}, ImportOptions(timezone='UTC', "
        "date_order='MDY')).status)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["imported"]
