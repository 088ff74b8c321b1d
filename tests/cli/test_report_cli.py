"""`retainer run` and `retainer report compliance|disposition` on the sample: smoke tests."""

from __future__ import annotations

import csv
import io
import json
import stat

import pytest

from retainer.cli import cli
from tests.ingest.test_run import sample  # noqa: F401 - fixture


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
    assert bad.exit_code == 2 and "cannot read the date" in bad.stderr
    disposition = runner.invoke(cli, [*base, "report", "disposition", "--as-of", "2045-01-01",
                                      "--format", "json"])
    counts = json.loads(disposition.stdout)["counts"]
    assert counts["transfer due"] == 53 and counts["eligible"] == 209
