"""The access log: one audit entry per search, thread view, export and audit listing, with the
operator, what was asked and the count, never message text; the chain still verifies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from retainer.archive.models import AuditEntry
from retainer.archive.verify import verify
from retainer.search.access import (
    logged_audit,
    logged_export,
    logged_search,
    logged_thread,
)
from retainer.search.filters import Filters
from tests.search.conftest import BRIDGE, PORT_OPS


def entries(archive):
    with archive.read() as session:
        return session.execute(select(AuditEntry.action, AuditEntry.operator,
                                      AuditEntry.details).order_by(AuditEntry.id)).all()


def test_each_action_is_one_entry(corpus, tmp_path):
    archive = corpus.archive
    before = len(entries(archive))
    since = dt.datetime(2021, 3, 1, tzinfo=dt.UTC)
    hits = logged_search(archive, '"lane 3" OR aduana', Filters(chat="Port Ops", since=since),
                         operator="ig-1", limit=5, sort="relevance")
    logged_thread(archive, "Port Ops", operator="ig-2", around=hits[0].message_id, before=1)
    logged_export(archive, "tariff*", Filters(person="Dana Reyes"), str(tmp_path / "p"),
                  "jsonl", operator="ig-1")
    listed = logged_audit(archive, operator="ig-3", by="ig-1")
    log = entries(archive)[before:]
    assert [(a, o) for a, o, _ in log] == [("search", "ig-1"), ("thread", "ig-2"),
                                           ("export", "ig-1"), ("audit", "ig-3")]
    search, thread, export, audit = (d for _, _, d in log)
    assert search == {"query": '"lane 3" OR aduana', "chat": "Port Ops",
                      "since": "2021-03-01T00:00:00+00:00", "limit": 5, "sort": "relevance",
                      "results": 2}
    assert thread["chat"] == "Port Ops" and thread["around"] == hits[0].message_id
    assert thread["results"] == 7  # the whole chat: one before, the rest after
    assert export["query"] == "tariff*" and export["person"] == "Dana Reyes"
    assert export["results"] == 3 and len(export["manifest_sha256"]) == 64
    assert audit == {"operator": "ig-1", "results": 2}
    assert [line.action for line in listed] == ["search", "export"]
    assert verify(archive).ok


def test_message_text_never_reaches_the_log(corpus, tmp_path):
    archive = corpus.archive
    logged_search(archive, "lane", Filters(), operator="x")
    logged_thread(archive, "Port Ops", operator="x", provenance=True)
    logged_export(archive, None, Filters(chat="Port Ops"), str(tmp_path / "p"), "eml",
                  operator="x")
    log = repr([{k: v for k, v in details.items() if k != "to"}
                for action, _, details in entries(archive) if action != "import"])
    for _, _, text in PORT_OPS + BRIDGE:
        for word in text.split():
            if len(word) > 5 and word.isalpha() and word not in ("Reyes", "Ortega"):
                assert word not in log, word


def test_audit_listing_filters(corpus):
    archive = corpus.archive
    logged_search(archive, "lane", Filters(), operator="a")
    logged_search(archive, "gate", Filters(), operator="b")
    assert [e.details["query"] for e in logged_audit(archive, operator="z", by="b")] == ["gate"]
    imports = logged_audit(archive, operator="z", actions=("import",))
    assert [e.action for e in imports] == ["import", "import"]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert logged_audit(archive, operator="z", since=future) == []
    # Viewing the log was recorded each time.
    assert [e.operator for e in logged_audit(archive, operator="z", actions=("audit",))] == [
        "z", "z", "z"]
    line = logged_audit(archive, operator="z", by="a")[0]
    assert line.summary == "query=lane limit=20 sort=newest results=3"
    assert line.as_json()["details"]["results"] == 3
