"""``retainer config check``: thin smoke tests (the rules are in tests/test_config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retainer.cli.config import config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_exports" / "retainer.toml"
EVERY_PROBLEM = ROOT / "tests" / "data" / "config" / "every_problem.toml"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No RETAINER_* variables, and a working folder without a retainer.toml."""
    monkeypatch.delenv("RETAINER_CONFIG", raising=False)
    monkeypatch.delenv("RETAINER_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)


def check(runner, **options):
    return runner.invoke(config, ["check"], obj=options)


def test_the_sample(runner):
    result = check(runner, config=str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert f"config file:   {SAMPLE}" in result.output
    assert f"sqlite:///{SAMPLE.parent / 'sample-archive.db'}" in result.output
    assert "compliance:    forward within 20 days" in result.output
    assert "Dana Reyes (custodian, America/Los_Angeles, role capstone-official)" in result.output
    assert "official accounts: dana.reyes@agency.example.gov, +1 202 555 0190" in result.output
    assert f"{SAMPLE.parent / 'drop' / 'dana'} (device, custodian Dana Reyes)" in result.output
    assert "Warning" not in result.output


def test_the_password_is_never_shown(runner):
    result = check(runner, config=str(SAMPLE), db="postgresql+psycopg://dana:s3cret@db/records")
    assert result.exit_code == 0
    assert "postgresql+psycopg://dana:***@db/records" in result.output
    assert "s3cret" not in result.output


@pytest.mark.parametrize("url", ["postgresql+psycopg://bob:pa@ss:w0rd@host/db",
                                 "postgresql://u:optsecret@h:notaport/db",
                                 "postgresql+psycopg://records:p@ss@db:5432/records"])
def test_a_bad_url_is_one_line_without_the_password(runner, tmp_path, url, monkeypatch):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "retainer.toml").write_text(f'[archive]\ndatabase = "{url}"\n')
    from_file = check(runner, config=str(tmp_path / "etc" / "retainer.toml"))
    from_option = check(runner, db=url)
    monkeypatch.setenv("RETAINER_DATABASE_URL", url)
    from_environment = check(runner)
    in_file = f"{tmp_path / 'etc' / 'retainer.toml'}:2: [archive] database"
    for result, origin in ((from_file, in_file),
                           (from_option, "--db"),
                           (from_environment, "RETAINER_DATABASE_URL")):
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.startswith(f"Error: {origin}: not a database URL")
        assert "percent-encode" in result.output and len(result.output.splitlines()) == 1
        for secret in ("w0rd", "optsecret", "notaport", "ss@db", "pa@ss"):
            assert secret not in result.output


def test_a_bad_db_option_on_any_command_is_one_line(runner, tmp_path):
    from retainer.cli import cli

    for args in (["people"], ["chats"], ["db", "current"]):
        result = runner.invoke(cli, ["--db", "postgresql://u:optsecret@h:notaport/db", *args])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.startswith("Error: --db: not a database URL")
        assert "optsecret" not in result.output and "Traceback" not in result.output


def test_defaults_without_a_file(runner, tmp_path):
    result = check(runner)
    assert result.exit_code == 0
    assert "config file:   (none: defaults)" in result.output
    assert f"sqlite:///{tmp_path / 'retainer.db'}" in result.output


def test_the_environment_names_the_file(runner, monkeypatch):
    monkeypatch.setenv("RETAINER_CONFIG", str(SAMPLE))
    result = check(runner)
    assert result.exit_code == 0 and f"config file:   {SAMPLE}" in result.output


def test_every_problem_one_per_line(runner):
    result = check(runner, config=str(EVERY_PROBLEM))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    # The 17 problems load_settings finds on its own, and the unknown schedule id 'nara-gr'
    # that `config check` finds by looking for the schedules.
    assert len(lines) == 18 and all(line.startswith(f"Error: {EVERY_PROBLEM}:") for line in lines)
    assert "[archive] timezon: unknown key" in result.output
    assert "unknown schedule id 'nara-gr'" in result.output


def test_a_missing_source_folder_is_a_warning(runner, tmp_path):
    (tmp_path / "retainer.toml").write_text(
        '[[sources]]\npath = "drop/mail"\nchannel = "official"\n', encoding="utf-8")
    result = check(runner)
    assert result.exit_code == 0
    assert (f'Warning: [[sources]] "{tmp_path / "drop" / "mail"}": the folder does not exist'
            in result.output)


def test_help_has_an_example(runner):
    for args in (["--help"], ["check", "--help"]):
        result = runner.invoke(config, args)
        assert result.exit_code == 0 and "Example:" in result.output
        assert "retainer --config /etc/retainer/retainer.toml config check" in result.output


def test_a_name_claimed_as_another_persons_alias_stops_check_and_every_command(runner,
                                                                            tmp_path):
    from retainer.cli import cli

    config_file = tmp_path / "etc" / "retainer.toml"
    config_file.parent.mkdir()
    config_file.write_text('[[people]]\nname = "Dana Reyes"\n\n'
                           '[[people]]\nname = "Marcus Bell"\naliases = ["Dana Reyes"]\n')
    said = (f"Error: {config_file}:6: [[people]] \"Marcus Bell\" aliases: 'Dana Reyes' is "
            "already claimed by 'Dana Reyes' (as their name, line 2)\n")
    result = check(runner, config=str(config_file))
    assert (result.exit_code, result.output) == (2, said)
    for args in (["people"], ["chats"]):
        result = runner.invoke(cli, ["--config", str(config_file),
                                     "--db", f"sqlite:///{tmp_path / 'a.db'}", *args])
        assert (result.exit_code, result.output) == (2, said)
