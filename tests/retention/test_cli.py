"""Smoke tests of the ``schedules`` command group (registered by ``retainer.cli``)."""

from __future__ import annotations

import shutil

import pytest

from retainer.cli.schedules import schedules
from retainer.retention import schedule as schedule_module

from .conftest import FIXTURES, SHIPPED

RULES = FIXTURES / "rules"


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Run in an empty folder with no installed schedules and no source checkout."""
    monkeypatch.setattr(schedule_module, "installed_folders", list)
    monkeypatch.setattr(schedule_module, "SOURCE_FOLDER", tmp_path / "no-checkout" / "x")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_list_says_where_each_schedule_came_from(runner, isolated):
    (isolated / "schedules").mkdir()
    for name in ("alpha.toml", "beta.toml"):
        shutil.copy(RULES / name, isolated / "schedules" / name)
    shutil.copy(FIXTURES / "missing-keys.toml", isolated / "schedules")
    result = runner.invoke(schedules, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("alpha  version a1  8 categories, 7 rules  ")
    assert lines[0].endswith(str(isolated / "schedules" / "alpha.toml"))
    assert lines[1] == "    Alpha test schedule"
    assert lines[2].startswith("beta  version b1  1 category, 2 rules")
    assert lines[4].startswith("missing-keys  INVALID: 3 problems")


def test_list_marks_example_schedules_and_reads_the_configuration_from_ctx_obj(runner,
                                                                                isolated):
    config_dir = isolated / "conf"
    (config_dir / "schedules").mkdir(parents=True)
    shutil.copy(SHIPPED / "example-agency.toml", config_dir / "schedules")
    named = isolated / "named"
    named.mkdir()
    shutil.copy(RULES / "beta.toml", named)
    result = runner.invoke(schedules, ["list"],
                           obj={"config_dir": config_dir, "schedule_paths": [named]})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("beta  ") and lines[0].endswith(str(named / "beta.toml"))
    assert lines[2].startswith("example-agency  ") and lines[2].endswith("(example)")


def test_list_with_nothing_found_says_where_it_looked(runner, isolated):
    result = runner.invoke(schedules, ["list"])
    assert result.exit_code == 0
    assert "No schedules found (looked in" in result.output


def test_validate_prints_ok_or_every_problem_and_exits_2(runner):
    good = str(FIXTURES / "valid-minimal.toml")
    bad = str(FIXTURES / "missing-keys.toml")
    result = runner.invoke(schedules, ["validate", good])
    assert result.exit_code == 0 and result.output == f"OK {good}\n"
    result = runner.invoke(schedules, ["validate", good, bad])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"OK {good}",
        f'Error: {bad}:1: the schedule is missing the required key "version"',
        f'Error: {bad}:5: category "KEEP" is missing the required key "authority"',
        f'Error: {bad}:13: rule "r1" is missing the required key "priority"',
    ]


def test_validate_without_files_checks_every_schedule_found(runner, isolated):
    (isolated / "schedules").mkdir()
    shutil.copy(RULES / "alpha.toml", isolated / "schedules")
    shutil.copy(FIXTURES / "syntax-error.toml", isolated / "schedules")
    result = runner.invoke(schedules, ["validate"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"OK {isolated / 'schedules' / 'alpha.toml'}",
        (f"Error: {isolated / 'schedules' / 'syntax-error.toml'}:4: not valid TOML: Expected "
         "newline or end of document after a statement"),
    ]


def test_validate_a_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(schedules, ["validate", str(tmp_path / "absent.toml")])
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.parametrize("args", [[], ["list"], ["validate"]])
def test_help_has_an_example(runner, args):
    result = runner.invoke(schedules, [*args, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
