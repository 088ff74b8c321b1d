"""The schedules a configuration uses, through the real command line: where `schedules
list|validate` look, `import` and `run` refusing unusable schedules before importing anything,
and the example-schedule warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from retainer.archive import Archive
from retainer.archive.models import Message
from retainer.retention import schedule as schedule_module
from tests.cli.records_setup import PORT_NIGHT, TEAM, TEAM_NIGHT, Records, source

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schedules"
BETA = ROOT / "tests" / "data" / "schedules" / "rules" / "beta.toml"
EXAMPLE_WARNING = "Warning: schedule 'example-agency' is an example"


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Only the schedules next to the configuration (and its paths) can be found: no
    installed ones, no source checkout, and a working folder elsewhere."""
    monkeypatch.setattr(schedule_module, "installed_folders", list)
    monkeypatch.setattr(schedule_module, "SOURCE_FOLDER", tmp_path / "no-checkout" / "x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def broken_nara(folder):
    """A copy of nara-grs.toml with three problems; returns their lines."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (SHIPPED / "nara-grs.toml").read_text(encoding="utf-8")
    text = text.replace("priority = 300", "prority = 300", 1)  # unknown key + missing key
    text = text.replace('cutoff = "none"', 'cutoff = "fiscal"', 1)
    (folder / "nara-grs.toml").write_text(text, encoding="utf-8")


def count_messages(url: str, vault) -> int:
    archive = Archive.open(url, vault)
    try:
        with archive.read() as session:
            return session.scalar(select(func.count()).select_from(Message))
    finally:
        archive.close()


def test_list_and_validate_read_the_configurations_folder_and_paths(runner, isolated):
    records = Records(runner, isolated, f"sqlite:///{isolated / 'a.db'}",
                      use=("nara-grs", "beta"))
    conf = records.config.parent
    (conf / "schedules").mkdir()
    shutil.copy(SHIPPED / "nara-grs.toml", conf / "schedules")
    named = isolated / "named"
    named.mkdir()
    shutil.copy(BETA, named)
    text = records.config.read_text().replace('use = ["nara-grs", "beta"]',
                                              'use = ["nara-grs", "beta"]\npaths = ["../named"]')
    records.config.write_text(text)
    listed = records("schedules", "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("beta  ") and lines[0].endswith(str(named / "beta.toml"))
    assert lines[2].startswith("nara-grs  ")
    assert lines[2].endswith(str(conf / "schedules" / "nara-grs.toml"))
    validated = records("schedules", "validate")
    assert validated.exit_code == 0, validated.output
    assert validated.stdout.splitlines() == [f"OK {named / 'beta.toml'}",
                                             f"OK {conf / 'schedules' / 'nara-grs.toml'}"]


def test_validate_reports_every_problem_and_a_schedule_in_use_not_found(runner, isolated):
    records = Records(runner, isolated, f"sqlite:///{isolated / 'a.db'}",
                      use=("nara-grs", "agency-grs"))
    broken_nara(records.config.parent / "schedules")
    result = records("schedules", "validate")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert [line.split(": ", 2)[2] for line in lines[:3]] == [
        'rule "capstone-officials" is missing the required key "priority"',
        'unknown key "prority" in rule "capstone-officials" (did you mean "priority"?)',
        "cutoff must be one of \"none\", \"calendar_year\", \"fiscal_year\", not 'fiscal'",
    ]
    assert lines[3] == ("Error: [schedules] use names 'agency-grs', which no schedule file "
                        "found defines (see retainer schedules list)")


def test_import_refuses_broken_schedules_before_importing_anything(runner, isolated,
                                                                    archive_url):
    records = Records(runner, isolated, archive_url)
    broken_nara(records.config.parent / "schedules")
    result = records.import_(records.export(TEAM, TEAM_NIGHT))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all(line.startswith("Error: ") for line in lines)
    assert all("nara-grs.toml:" in line for line in lines[:3])
    assert lines[3] == ("Error: the records schedules in use cannot be loaded, so nothing was "
                        "imported; check them with `retainer schedules validate`")
    assert "total:" not in result.stdout
    assert count_messages(archive_url, isolated / "conf" / "vault") == 0


def test_run_refuses_broken_schedules_before_importing_anything(runner, isolated,
                                                                 archive_url):
    drop = isolated / "drop"
    records = Records(runner, isolated, archive_url,
                      extra=source(drop, "Dana Reyes"))
    drop.mkdir()
    shutil.copy(records.export(TEAM, TEAM_NIGHT), drop)
    broken_nara(records.config.parent / "schedules")
    result = records("run")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith("check them with `retainer schedules "
                                                   "validate`")
    assert len(result.stderr.splitlines()) == 4
    assert count_messages(archive_url, isolated / "conf" / "vault") == 0
    shutil.copy(SHIPPED / "nara-grs.toml", records.config.parent / "schedules")
    fixed = records("run")
    assert fixed.exit_code == 0, fixed.output
    assert "filed 2 new messages" in fixed.stdout


def test_an_example_schedule_in_use_is_warned_about_once_per_command(runner, tmp_path):
    drop = tmp_path / "drop"
    records = Records(runner, tmp_path, f"sqlite:///{tmp_path / 'a.db'}",
                      use=("nara-grs", "example-agency"),
                      extra=source(drop, "Marcus Bell"))
    drop.mkdir()
    shutil.copy(records.export("Port Ops", PORT_NIGHT), drop)
    commands = {
        "import": records.import_(records.export(TEAM, TEAM_NIGHT)),
        "run": records("run"),
        "explain": records("explain", "1"),
        "report disposition": records("report", "disposition"),
        "classify": records("classify"),
    }
    for name, result in commands.items():
        assert result.exit_code == 0, (name, result.output)
        assert result.stderr.count(EXAMPLE_WARNING) == 1, (name, result.stderr)
        assert EXAMPLE_WARNING not in result.stdout, name
    plain = Records(runner, tmp_path / "plain", f"sqlite:///{tmp_path / 'b.db'}")
    result = plain.import_(plain.export(TEAM, TEAM_NIGHT))
    assert result.exit_code == 0 and "Warning" not in result.stderr
