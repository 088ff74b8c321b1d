"""`retainer run` and `retainer report compliance|disposition` on the sample: smoke tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from zoneinfo import ZoneInfo

import pytest

from retainer.cli import cli
from tests.ingest.test_run import sample  # noqa: F401 - fixture
from tests.reports.pages import Page


@pytest.fixture
def ran(runner, sample, tmp_path):  # noqa: F811
    base = ["--config", str(sample), "--db", f"sqlite:///{tmp_path / 'a.db'}"]
    result = runner.invoke(cli, [*base, "run"])
    assert result.exit_code == 0, result.output
    return base, result


def test_run_prints_the_compliance_summary(ran):
    _, result = ran
    lines = result.stdout.splitlines()
    assert any(line.startswith("Marcus Bell") and "47%" in line for line in lines)
    assert "filed 262 new messages" in result.stdout
    for status in ("copied", "forwarded", "late", "incomplete", "overdue", "pending",
                   "exempt"):
        assert status in result.stdout


def test_report_formats(runner, ran, tmp_path):
    base, _ = ran
    table = runner.invoke(cli, [*base, "report", "compliance"])
    assert table.exit_code == 0 and "Overdue (113)" in table.stdout
    data = json.loads(runner.invoke(cli, [*base, "report", "compliance", "--format", "json",
                                          "--status", "late"]).stdout)
    assert {m["status"] for m in data["messages"]} == {"late"} and len(data["messages"]) == 3
    assert data["summary"]["Marcus Bell"]["late"] == 3
    text = runner.invoke(cli, [*base, "report", "compliance", "--format", "csv",
                               "--custodian", "Elena Vargas"]).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 72 and {r["custodian"] for r in rows} == {"Elena Vargas"}
    assert "evidence" in rows[0]
    out = tmp_path / "report.json"
    written = runner.invoke(cli, [*base, "report", "compliance", "--format", "json",
                                  "--output", str(out)])
    assert written.exit_code == 0 and json.loads(out.read_text())["window_days"] == 20
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # Over an existing world-readable file too: the report is made the owner's alone.
    out.chmod(0o644)
    again = runner.invoke(cli, [*base, "report", "compliance", "--format", "json",
                                "--output", str(out)])
    assert again.exit_code == 0 and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_fail_on_exits_3(runner, ran):
    base, _ = ran
    assert runner.invoke(cli, [*base, "report", "compliance", "--fail-on", "overdue"]
                         ).exit_code == 3
    assert runner.invoke(cli, [*base, "report", "compliance", "--chat", "Liaison Bridge "
                               "Crossing", "--custodian", "Marcus Bell", "--status",
                               "forwarded", "--fail-on", "copied"]).exit_code == 0
    bad = runner.invoke(cli, [*base, "report", "compliance", "--status", "lost"])
    assert bad.exit_code == 2 and "unknown status" in bad.output


def test_as_of_words_and_disposition(runner, ran):
    base, _ = ran
    earlier = runner.invoke(cli, [*base, "report", "compliance", "--as-of", "2026-10-01",
                                  "--format", "json"])
    # the end of 1 October in the archive's zone (Los Angeles)
    assert json.loads(earlier.stdout)["as_of"] == "2026-10-02T06:59:59.999999Z"
    bad = runner.invoke(cli, [*base, "report", "compliance", "--as-of", "not a date at all"])
    assert bad.exit_code == 2 and "--as-of 'not a date at all' is not a date" in bad.stderr
    disposition = runner.invoke(cli, [*base, "report", "disposition", "--as-of", "2045-01-01",
                                      "--format", "json"])
    counts = json.loads(disposition.stdout)["counts"]
    assert counts["transfer due"] == 53 and counts["eligible"] == 209


def _json(runner, base, *args):
    result = runner.invoke(cli, [*base, "report", "compliance", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _monthly(page: str) -> str:
    """The monthly chart's SVG as the report embeds it."""
    start = page.index('<section id="monthly">')
    return page[start:page.index("</section>", start)]


def test_run_writes_the_html_report(runner, sample, tmp_path):  # noqa: F811
    out = tmp_path / "nightly.html"
    base = ["--config", str(sample), "--db", f"sqlite:///{tmp_path / 'r.db'}"]
    result = runner.invoke(cli, [*base, "run", "--report", str(out)])
    assert result.exit_code == 0, result.output
    # The page quotes messages: writing it is on the access log, even when nothing was new.
    assert runner.invoke(cli, [*base, "run", "--report", str(out)]).exit_code == 0
    logged = [json.loads(line) for line in runner.invoke(
        cli, [*base, "audit", "--format", "jsonl"]).stdout.splitlines()]
    reports = [e for e in logged if e["action"] == "report"]
    assert len(reports) == 2 and all(e["details"]["format"] == "html" for e in reports)
    assert "as of the end of 2026-11-23 in each custodian's time zone" in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = Page(out.read_text(encoding="utf-8"))
    assert page.remote() == []
    assert page.text("n-subject") == "180" and page.text("n-overdue") == "113"
    assert "Overdue (113)" in page.text("list-overdue")
    assert "Late (3)" in page.text("list-late") and "Incomplete (1)" in page.text(
        "list-incomplete")
    assert "As of the end of 2026-11-23 in each custodian&#39;s time zone." in " ".join(
        out.read_text(encoding="utf-8").split())


def test_html_through_the_command(runner, ran, tmp_path):
    base, _ = ran
    out = tmp_path / "report.html"
    result = runner.invoke(cli, [*base, "report", "compliance", "--format", "html", "--output",
                                 str(out)])
    assert result.exit_code == 0, result.output
    whole = out.read_text(encoding="utf-8")
    page = Page(whole)
    assert whole.startswith("<!DOCTYPE html>") and page.remote() == []
    assert (page.text("n-subject"), page.text("n-share")) == ("180", "24%")  # 37 of 154
    assert "Marcus Bell" in page.text("custodians")
    assert "the 20th calendar day" in page.text("legal-basis")
    overdue = tmp_path / "overdue.html"
    assert runner.invoke(cli, [*base, "report", "compliance", "--format", "html", "--status",
                               "overdue", "--output", str(overdue)]).exit_code == 0
    filtered = overdue.read_text(encoding="utf-8")
    assert "Late (0)" in Page(filtered).text("list-late")
    # The on-time chart is over every decided message, whatever the lists show.
    assert _monthly(filtered) == _monthly(whole)
    assert ">27 of 94<" in _monthly(filtered)  # October: 27 of 94 decided were on time
    assert "the monthly chart cover every status" in " ".join(filtered.split())


def test_as_of_words_at_the_command(runner, ran):
    base, _ = ran
    zone = ZoneInfo("America/Los_Angeles")
    before = dt.datetime.now(zone).date()
    yesterday = _json(runner, base, "--as-of", "yesterday", "--status", "late")
    weeks = _json(runner, base, "--as-of", "2 weeks ago", "--status", "late")
    hours = _json(runner, base, "--as-of", "3 hours ago", "--status", "late")
    after = dt.datetime.now(zone).date()
    assert yesterday["as_of_date"] in {str(d - dt.timedelta(days=1)) for d in (before, after)}
    assert weeks["as_of_date"] in {str(d - dt.timedelta(days=14)) for d in (before, after)}
    assert hours["as_of_date"] is None  # a moment, not a day
    moment = dt.datetime.fromisoformat(hours["as_of"].replace("Z", "+00:00"))
    assert abs(dt.datetime.now(dt.UTC) - dt.timedelta(hours=3) - moment) < dt.timedelta(
        minutes=5)
    # A day: each custodian as of its end in their own zone; Marcus is in Phoenix.
    day = _json(runner, base, "--as-of", "2026-11-23", "--status", "late")
    assert day["as_of_date"] == "2026-11-23"
    assert day["as_of_by_custodian"] == {"Dana Reyes": "2026-11-24T07:59:59.999999Z",
                                         "Marcus Bell": "2026-11-24T06:59:59.999999Z",
                                         "Elena Vargas": "2026-11-24T07:59:59.999999Z"}
    words = _json(runner, base, "--as-of", "November 23 2026", "--status", "late")
    assert words["as_of_date"] == "2026-11-23" and words["summary"] == day["summary"]
    table = runner.invoke(cli, [*base, "report", "compliance", "--as-of", "2026-11-23"])
    assert "as of the end of 2026-11-23 in each custodian's time zone" in table.stdout


def test_unknown_custodian_or_chat_is_a_usage_error(runner, ran):
    """A typo in a cron job must not report all clear."""
    base, _ = ran
    for args, words in ((["--custodian", "Marcus Bel"], "'Marcus Bel' is not a person"),
                        (["--custodian", "Luis Ortega"], "'Luis Ortega' is not a custodian"),
                        (["--custodian", "luis ortega"], "'luis ortega' is not a custodian"),
                        (["--chat", "Port Ops Night"], "no chat with that title")):
        result = runner.invoke(cli, [*base, "report", "compliance", *args, "--fail-on",
                                     "overdue"])
        assert result.exit_code == 2, (args, result.output)
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    found = _json(runner, base, "--custodian", "marcus bell", "--chat",
                  "liaison bridge crossing", "--status", "late")
    assert found["filters"]["custodians"] == ["Marcus Bell"] and len(found["messages"]) == 3


def test_exempt_rows_name_no_custodian_for_non_custodians(runner, ran):
    base, _ = ran
    data = _json(runner, base, "--exempt", "--status", "exempt")
    exempt = data["messages"]
    assert len(exempt) == 82 and data["summary"]["(not subject)"]["exempt"] == 82
    assert set(data["summary"]) == {"Dana Reyes", "Marcus Bell", "Elena Vargas",
                                    "(not subject)"}
    assert {m["custodian"] for m in exempt} <= {None, "Dana Reyes", "Marcus Bell",
                                                 "Elena Vargas"}
    assert {m["person"] for m in exempt if m["custodian"] is None} == {
        None, "Luis Ortega", "Priya Nair", "Rocío Méndez"}
    marcus = _json(runner, base, "--custodian", "Marcus Bell", "--exempt")
    assert set(marcus["summary"]) == {"Marcus Bell", "(not subject)"}
    listed = [m for m in marcus["messages"] if m["status"] == "exempt"]
    assert listed and {m["custodian"] for m in listed} == {"Marcus Bell"}
    assert marcus["summary"]["(not subject)"]["exempt"] == len(listed)
    assert {m["custodian"] for m in marcus["messages"]} == {"Marcus Bell"}
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, [
        *base, "report", "compliance", "--format", "csv", "--status", "exempt"]).stdout)))
    assert "person" in rows[0] and len(rows) == 82


def test_asking_for_exempt_in_status_lists_them(runner, ran):
    base, _ = ran
    data = _json(runner, base, "--status", "exempt")
    assert data["filters"]["include_exempt"] is True
    assert len(data["messages"]) == 82 and {m["status"] for m in data["messages"]} == {"exempt"}


def test_streamed_json_is_the_reports_json(runner, ran, sample, tmp_path):  # noqa: F811
    """The command writes the JSON a message per line; it is the same object as_json gives,
    empty lists included."""
    from retainer.archive import Archive
    from retainer.compliance.report import as_of_moment, build
    from retainer.config import load_settings
    from retainer.retention.filing import rulebook_for

    base, _ = ran
    settings = load_settings(sample, database_url=base[3])
    archive = Archive.open(settings.database_url, settings.vault)
    with archive.read() as session:
        built = build(session, settings, rulebook_for(settings), as_of_moment(settings),
                      include_exempt=True)
    archive.close()
    assert _json(runner, base, "--exempt") == json.loads(json.dumps(built.as_json()))
    empty = _json(runner, base, "--custodian", "Elena Vargas", "--status", "copied")
    assert empty["messages"] == [] and empty["summary"]["Elena Vargas"]["overdue"] == 58
