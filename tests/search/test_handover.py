"""Export packages: every format read back with the standard library, the manifest, private
permissions, and verification catching a missing, added or altered file."""

from __future__ import annotations

import csv
import email
import json
import mailbox
import stat
from email import policy
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy.orm import SessionTransaction

from retainer.errors import ArchiveError, UsageError
from retainer.search import access, handover
from retainer.search.access import chain_head, list_entries, logged_export
from retainer.search.filters import Filters
from retainer.search.handover import verify_package
from tests.search.conftest import PORT_OPS, add_chat

PORT_TEXTS = [text for _, _, text in PORT_OPS]


def export(corpus, tmp_path, fmt, query=None, **filters):
    to = tmp_path / f"package-{fmt}"
    package = logged_export(corpus.archive, query, Filters(**filters), str(to), fmt,
                            operator="investigator")
    return to, package


def read_mails(to, fmt):
    if fmt == "eml":
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                for p in sorted((to / "messages.eml").iterdir())]
    box = mailbox.mbox(to / "messages.mbox", factory=None)
    mails = [email.message_from_bytes(box.get_bytes(key), policy=policy.default)
             for key in box.keys()]
    box.close()
    return mails


@pytest.mark.parametrize("fmt", ["eml", "mbox"])
def test_mail_formats_round_trip(corpus, tmp_path, fmt):
    to, package = export(corpus, tmp_path, fmt, chat="Port Ops")
    mails = read_mails(to, fmt)
    assert package.messages == len(mails) == len(PORT_OPS)
    by_text = {m.get_content(): m for m in mails}
    assert sorted(by_text) == sorted(PORT_TEXTS)  # exact text, line breaks included
    first = by_text[PORT_TEXTS[0]]
    assert parsedate_to_datetime(first["Date"]).isoformat() == "2021-03-01T16:00:00+00:00"
    assert first["From"].addresses[0].display_name == "Dana Reyes"
    assert first["From"].addresses[0].domain == "people.retainer.invalid"
    assert first["Subject"] == first["X-Retainer-Chat"] == "Port Ops"
    assert first["X-Retainer-Local-Time"] == "2021-03-01T08:00 America/Los_Angeles"
    assert first["X-Retainer-Message-Id"] == str(corpus.id("Lane 3 is closed"))
    # "Dana R" resolves to the same person and address; an unknown author keeps its name.
    meeting, elena = by_text[PORT_TEXTS[2]], by_text[PORT_TEXTS[4]]
    assert meeting["From"].addresses[0].addr_spec == first["From"].addresses[0].addr_spec
    assert elena["From"].addresses[0].display_name == "Elena Vargas"
    assert elena["X-Retainer-Kind"] == "deleted"
    # Threading: every mail of the chat replies to the chat's root, which no mail claims.
    chat_id = int(mails[0]["Message-ID"].split(".")[1].split("@")[0])
    root = f"<chat.{chat_id}@retainer.invalid>"
    assert {m["In-Reply-To"] for m in mails} == {m["References"] for m in mails} == {root}
    assert len({m["Message-ID"] for m in mails} | {root}) == len(mails) + 1


def test_message_ids_and_threading_do_not_depend_on_the_selection(corpus, tmp_path):
    whole, _ = export(corpus, tmp_path, "eml", chat="Port Ops")
    part = tmp_path / "part"
    logged_export(corpus.archive, "meeting", Filters(), str(part), "eml", operator="x")
    [alone] = read_mails(part, "eml")
    same = next(m for m in read_mails(whole, "eml") if m["Message-ID"] == alone["Message-ID"])
    assert alone.as_bytes() == same.as_bytes()


def test_a_message_mail_does_not_change_when_the_archive_grows(corpus, tmp_path):
    """docs/search.md: the same message gives byte-identical mail. A later import adding an
    earlier message to the chat (another phone's history) must not change it."""
    before = tmp_path / "before"
    logged_export(corpus.archive, "meeting", Filters(), str(before), "eml", operator="x")
    add_chat(corpus.archive, tmp_path / "older", "Port Ops",
             [("2021-02-28T07:00", "Marcus Bell", "Earlier: gate 2 sticks")])
    after = tmp_path / "after"
    logged_export(corpus.archive, "meeting", Filters(), str(after), "eml", operator="x")
    [(one, first)] = [(p.name, p.read_bytes()) for p in (before / "messages.eml").iterdir()]
    [(two, second)] = [(p.name, p.read_bytes()) for p in (after / "messages.eml").iterdir()]
    assert (one, first) == (two, second)


def test_csv_jsonl_and_html(corpus, tmp_path):
    to, _ = export(corpus, tmp_path, "csv", "lane")
    with open(to / "messages.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["text"] for r in rows} == {PORT_TEXTS[0], PORT_TEXTS[1],
                                        "Lane 3 reopened on our side"}
    to, _ = export(corpus, tmp_path, "jsonl", chat="Port Ops", kind="media")
    [row] = [json.loads(line) for line in (to / "messages.jsonl").read_text().splitlines()]
    assert row["text"] == PORT_TEXTS[3] and row["person"] == "Marcus Bell"
    to, _ = export(corpus, tmp_path, "html", chat="Port Ops")
    page = (to / "messages.html").read_text(encoding="utf-8")
    assert "Résumé of the call" in page and "http" not in page.replace(
        'http-equiv', '')  # self-contained: nothing fetched
    assert "<script" not in page


def test_manifest_and_permissions(corpus, tmp_path):
    with corpus.archive.read() as session:
        head = chain_head(session)
    to, package = export(corpus, tmp_path, "eml", "lane")
    manifest = json.loads((to / "manifest.json").read_text())
    assert manifest["audit_head"] == {"entry_id": head[0], "digest": head[1]}
    assert manifest["operator"] == "investigator" and manifest["messages"] == 3
    assert manifest["selection"]["query"] == "lane" and manifest["format"] == "eml"
    assert [f["path"] for f in manifest["files"]] == sorted(
        f"messages.eml/{p.name}" for p in (to / "messages.eml").iterdir())
    assert stat.S_IMODE(to.stat().st_mode) == 0o700
    for path in to.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600)
    assert verify_package(to).ok


def test_verify_catches_altered_missing_and_added_files(corpus, tmp_path):
    to, _ = export(corpus, tmp_path, "eml", chat="Port Ops")
    files = sorted((to / "messages.eml").iterdir())
    files[0].write_bytes(files[0].read_bytes().replace(b"Subject: Port Ops",
                                                       b"Subject: Port Oops"))
    files[1].unlink()
    (to / "messages.eml" / "extra.eml").write_bytes(b"From: x\n\nhello\n")
    problems = verify_package(to).problems
    assert any("altered" in p and files[0].name in p for p in problems)
    assert any("missing" in p and files[1].name in p for p in problems)
    assert any("extra.eml" in p and "not listed" in p for p in problems)
    (to / "manifest.json").write_text("{not json")
    assert "not a retainer manifest" in verify_package(to).problems[0]


def export_entries(archive) -> int:
    with archive.read() as session:
        return len(list_entries(session, actions=("export",)))


@pytest.mark.parametrize("stage", ["log", "commit"])
def test_a_failed_export_leaves_no_package_and_no_entry(corpus, tmp_path, monkeypatch, stage):
    """The package is written beside its target and moved there only once its audit entry is
    committed: a failure in logging or committing leaves neither a package nor an entry."""
    before = export_entries(corpus.archive)

    def fail(*args, **kwargs):
        raise RuntimeError("forced failure")

    if stage == "log":
        monkeypatch.setattr(access, "log_access", fail)
    else:
        monkeypatch.setattr(SessionTransaction, "commit", fail)
    with pytest.raises(RuntimeError, match="forced failure"):
        export(corpus, tmp_path, "jsonl", chat="Port Ops")
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir() if "package" in p.name) == []
    assert export_entries(corpus.archive) == before
    to, package = export(corpus, tmp_path, "jsonl", chat="Port Ops")  # and then it works
    assert verify_package(to).ok and package.directory == to
    assert export_entries(corpus.archive) == before + 1


def test_a_package_that_cannot_be_moved_into_place_is_not_left_behind(corpus, tmp_path,
                                                                      monkeypatch):
    def refuse(source, target):
        raise OSError(39, "Directory not empty")

    monkeypatch.setattr(handover.os, "rename", refuse)
    with pytest.raises(ArchiveError, match=r"recorded in the audit log \(entry \d+\) but its "
                                           "package could not be moved there"):
        export(corpus, tmp_path, "csv", chat="Port Ops")
    assert [p.name for p in tmp_path.iterdir() if "package" in p.name] == []


def test_the_directory_must_be_new_or_empty(corpus, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(UsageError, match="new or empty"):
        logged_export(corpus.archive, "lane", Filters(), str(tmp_path / "full"), "csv",
                      operator="x")
    (tmp_path / "empty").mkdir()
    logged_export(corpus.archive, "lane", Filters(), str(tmp_path / "empty"), "csv",
                  operator="x")
    with pytest.raises(UsageError, match="--query QUERY or --chat"):
        logged_export(corpus.archive, None, Filters(), str(tmp_path / "n"), "csv", operator="x")
