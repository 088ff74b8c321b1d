"""Export packages: every format read back with the standard library, the manifest, private
permissions, and verification catching a missing, added or altered file."""

from __future__ import annotations

import csv
import datetime as dt
import email
import json
import mailbox
import stat
from email import policy
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from sqlalchemy.orm import SessionTransaction

from retainer.archive.models import Chat, Message, PersonAccount
from retainer.errors import ArchiveError, UsageError
from retainer.search import access, handover
from retainer.search.access import chain_head, list_entries, logged_export
from retainer.search.filters import Filters
from retainer.search.handover import CSV_COLUMNS, verify_package
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


def archived(corpus, ids=None) -> dict[int, dict]:
    """Every field the exports write, read straight from the database (JSON types)."""
    with corpus.archive.read() as session:
        people = dict(session.execute(select(PersonAccount.key, PersonAccount.person)
                                      .where(PersonAccount.official.is_(False))).all())
        rows = session.execute(select(Message, Chat.title).join(Chat, Chat.id == Message.chat_id)
                               .order_by(Message.chat_id, Message.sent_at, Message.id)).all()
        return {m.id: {"message_id": m.id, "chat": title,
                       "sent_at_utc": m.sent_at.astimezone(dt.UTC).isoformat(),
                       "sent_at_local": m.sent_at_local, "timezone": m.timezone,
                       "author": m.author, "person": people.get(m.author_key), "kind": m.kind,
                       "edited": m.edited, "text": m.text, "attachment": m.attachment,
                       "identity": m.identity, "content_digest": m.content_digest}
                for m, title in rows if ids is None or m.id in ids}


def test_csv_and_jsonl_hold_every_field_as_archived(corpus, tmp_path):
    to, _ = export(corpus, tmp_path, "csv", "lane OR tariff* OR photo")
    with open(to / "messages.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        rows = list(reader)
    expected = archived(corpus, {int(r["message_id"]) for r in rows})
    assert len(rows) == len(expected) == 7
    as_text = {None: "", True: "True", False: "False"}
    assert rows == [{k: as_text.get(v, v) if not isinstance(v, int) or isinstance(v, bool)
                     else str(v) for k, v in e.items()} for e in expected.values()]
    to, _ = export(corpus, tmp_path, "jsonl", chat="Port Ops")
    lines = [json.loads(line) for line in (to / "messages.jsonl").read_text("utf-8").splitlines()]
    port = archived(corpus, {r["message_id"] for r in lines})
    assert lines == list(port.values()) and len(lines) == len(PORT_OPS)
    assert {r["kind"] for r in lines} == {"text", "media", "system", "deleted"}


class Page(HTMLParser):
    """The parts of an exported page: header fields, chat headings, days and messages."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self.order: list[tuple[str, str]] = []
        """("chat", title), ("day", date) and ("message", id), in page order."""
        self.messages: dict[str, dict[str, str]] = {}
        self.tags: set[str] = set()
        self._divs: list[str] = []
        self._part: str | None = None
        self._term: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.tags.add(tag)
        if tag == "div":
            kind = found.get("class", "")
            self._divs.append(kind)
            if kind.startswith("msg "):
                self.messages[found["id"]] = {"class": kind, "meta": "", "text": ""}
                self.order.append(("message", found["id"]))
                self._current = self.messages[found["id"]]
            elif kind == "meta":
                self._current["title"] = found["title"]
        if tag in ("dt", "dd", "h2") or (tag == "div" and self._divs[-1] in ("day", "meta",
                                                                               "text")):
            self._part, self._text = self._divs[-1] if tag == "div" else tag, ""

    def handle_data(self, data):
        if self._part is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "div":
            self._divs.pop()
        if self._part is None or (tag == "div") != (self._part in ("day", "meta", "text")):
            return
        part, self._part = self._part, None
        if part == "dt":
            self._term = self._text
        elif part == "dd":
            self.fields[self._term] = self._text
        elif part in ("h2", "day"):
            self.order.append(("chat" if part == "h2" else "day", self._text))
        else:
            self._current[part] = self._text


def test_html_shows_every_message_as_archived(corpus, tmp_path):
    to, package = export(corpus, tmp_path, "html", chat="Port Ops")
    html = (to / "messages.html").read_text(encoding="utf-8")
    assert "http" not in html.replace("http-equiv", "")  # self-contained: nothing fetched
    page = Page()
    page.feed(html)
    page.close()
    manifest = json.loads((to / "manifest.json").read_text())
    assert page.fields == {
        "Messages": "7", "Selection": json.dumps(manifest["selection"], ensure_ascii=False),
        "Operator": "investigator", "Created (UTC)": manifest["created_at"],
        "Audit chain head": f"entry {manifest['audit_head']['entry_id']}: "
                            f"{manifest['audit_head']['digest']}"}
    expected = archived(corpus)
    expected = {i: m for i, m in expected.items() if m["chat"] == "Port Ops"}
    order, day = [("chat", "Port Ops")], None
    for message_id, m in expected.items():
        if m["sent_at_local"][:10] != day:
            day = m["sent_at_local"][:10]
            order.append(("day", day))
        order.append(("message", f"m{message_id}"))
        shown = page.messages[f"m{message_id}"]
        assert shown["class"] == f"msg {m['kind']}"
        assert shown["text"] == m["text"]  # exact, line breaks and all
        assert shown["title"] == m["sent_at_utc"]
        meta = [f"{m['sent_at_local'][11:]} {m['timezone']}",
                (m["author"] or "notice") + (f" ({m['person']})" if m["person"] not in
                                             (None, m["author"]) else ""),
                f"#{message_id}"] + ([m["kind"]] if m["kind"] != "text" else []) + (
            ["edited"] if m["edited"] else []) + ([m["attachment"]] if m["attachment"] else [])
        assert " ".join(shown["meta"].split()) == " · ".join(meta)
    assert page.order == order
    assert not page.tags & {"script", "img", "link", "iframe", "object", "embed"}
    assert package.messages == len(page.messages) == 7


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


@pytest.mark.parametrize("absolute", [False, True])
def test_the_current_directory_is_refused_before_anything_is_recorded(corpus, tmp_path,
                                                                      monkeypatch, absolute):
    """``--to .`` in an empty directory staged the package inside it, recorded the export,
    then failed to rename it onto ``.``: an entry for a package that never landed, one more
    on every retry. (Renaming onto the absolute path would work, but leave the shell in a
    deleted directory.)"""
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)
    before = export_entries(corpus.archive)
    for _ in range(2):
        with pytest.raises(UsageError, match="cannot be the current directory"):
            logged_export(corpus.archive, None, Filters(chat="Port Ops"),
                          str(here) if absolute else ".", "csv", operator="x")
    assert export_entries(corpus.archive) == before
    assert list(here.iterdir()) == []
    assert [p for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_a_relative_target_is_staged_beside_it_and_lands(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    package = logged_export(corpus.archive, None, Filters(chat="Port Ops"), "empty", "csv",
                            operator="x")
    assert package.directory == (tmp_path / "empty").resolve()
    assert verify_package(tmp_path / "empty").ok
    assert [p for p in tmp_path.iterdir() if "partial" in p.name] == []
