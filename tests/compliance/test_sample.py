"""The bundled sample archive: every verdict pinned (sample_exports/expected-verdicts.csv),
on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from retainer.archive import Archive
from retainer.archive.people import sync_people
from retainer.compliance.report import as_of_instant, build
from retainer.config import load_settings
from retainer.nightly import nightly
from retainer.retention.filing import rulebook_for
from tests.ingest.test_run import sample  # noqa: F401 - the fixture copying sample_exports/

EXPECTED = Path(__file__).resolve().parents[2] / "sample_exports" / "expected-verdicts.csv"


@pytest.fixture
def report(sample, archive_url):  # noqa: F811 - the imported fixture
    settings = load_settings(sample, database_url=archive_url)
    archive = Archive.open(settings.database_url, settings.vault)
    with archive.begin() as session:
        sync_people(session, settings.people)
    result = nightly(archive, settings)
    assert [f.status for f in result.files] == ["imported"] * 5
    with archive.read() as session:
        built = build(session, settings, rulebook_for(settings), as_of_instant(settings),
                      include_exempt=True)
    archive.close()
    return result, built


def expected_rows():
    with open(EXPECTED, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def find(pool, row):
    """The verdict of an expected row (each verdict is used once: the same words sent twice
    in a minute are two messages)."""
    utc = dt.datetime.fromisoformat(row["utc"].replace("Z", "+00:00"))
    text = row["text_as_exported"].strip()
    found = [v for v in pool if v.chat == row["chat"] and v.sent_at == utc
             and (v.text.strip() == text or text in v.text or v.text in text)]
    assert found, row["key"]
    pool.remove(found[0])
    return found[0]


def test_every_sample_verdict(report):
    _, built = report
    pool = list(built.verdicts)
    wrong = [(row["key"], row["status"], v.status, v.reason)
             for row in expected_rows() if (v := find(pool, row)).status != row["status"]]
    assert wrong == []
    assert pool == []  # the LB-020 deletion notice is reported as LB-020 itself


def test_the_nightly_counts_show_every_status(report):
    result, built = report
    totals = result.compliance.counts()
    assert totals == {"copied": 14, "forwarded": 23, "late": 3, "incomplete": 1,
                      "overdue": 113, "pending": 26, "exempt": 81}
    assert built.counts() == totals


def test_evidence_cites_the_mail(report):
    _, built = report
    by_status = {}
    for verdict in built.verdicts:
        by_status.setdefault(verdict.status, verdict)
    forwarded = by_status["forwarded"].evidence[0]
    assert forwarded.kind == "mail" and forwarded.complete
    assert forwarded.mail_message_id and forwarded.mail_date and len(forwarded.vault_sha256) == 64
    assert forwarded.official_account == "marcus.bell@agency.example.gov"
    copied = by_status["copied"].evidence[0]
    assert copied.kind == "membership" and copied.notice_message_id
    incomplete = by_status["incomplete"].evidence[0]
    assert incomplete.complete is False
    assert by_status["overdue"].evidence == ()


def test_json_shape(report):
    _, built = report
    data = built.as_json()
    assert set(data) >= {"as_of", "window_days", "scope", "summary", "messages"}
    assert data["as_of"].endswith("Z") and data["window_days"] == 20 and data["scope"] == "sent"
    message = next(m for m in data["messages"] if m["status"] == "late")
    assert set(message) >= {"id", "chat", "author", "custodian", "sent_at", "sent_at_local",
                            "text", "kind", "category", "status", "deadline",
                            "official_capture_at", "days", "evidence"}
    assert message["sent_at"].endswith("Z") and message["days"] > 0
