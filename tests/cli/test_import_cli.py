"""`retainer import`, `chats`, `verify` and `db`: thin smoke tests of the command line."""

from __future__ import annotations

import json

from retainer.cli import cli
from tests.formats import undecodable
from tests.ingest.chats import ANDROID, write_export

NIGHT = [("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
         ("2026-12-14T22:03", "Marcus Bell", "Copy.")]


def invoke(runner, tmp_path, *args):
    return runner.invoke(cli, ["--db", f"sqlite:///{tmp_path / 'a.db'}", *args],
                         env={"RETAINER_CONFIG": "", "TZ": "UTC"})


def test_import_summary_lines_then_already(runner, tmp_path):
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, NIGHT)
    first = invoke(runner, tmp_path, "import", "--tz", "America/Los_Angeles", str(path))
    assert first.exit_code == 0, first.output
    assert "imported" in first.stdout and "2 new" in first.stdout
    assert "total: 1 files — 1 imported" in first.stdout
    again = invoke(runner, tmp_path, "import", "--json", str(path))
    assert again.exit_code == 0
    data = json.loads(again.stdout)
    assert data["files"][0]["status"] == "already" and data["totals"]["already"] == 1


def test_a_failed_file_exits_1_and_the_others_land(runner, tmp_path, data):
    good = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, NIGHT)
    bad = data / "formats" / "ambiguous.txt"
    result = invoke(runner, tmp_path, "import", "--chat", "Port Ops", str(bad), str(good))
    assert result.exit_code == 1
    assert "FAILED" in result.stdout and "--date-order" in result.stdout
    assert "1 imported" in result.stdout and "1 failed" in result.stdout
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(runner, tmp_path):
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, NIGHT)
    result = invoke(runner, tmp_path, "import", "--tz", "Mars/Olympus", str(path))
    assert result.exit_code == 2 and "Mars/Olympus" in result.stderr
    result = invoke(runner, tmp_path, "import", "--custodian", "Nobody", str(path))
    assert result.exit_code == 2 and "unknown custodian" in result.stderr


def test_chats_verify_and_db(runner, tmp_path):
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, NIGHT)
    invoke(runner, tmp_path, "import", str(path))
    chats = invoke(runner, tmp_path, "chats", "--json")
    assert json.loads(chats.stdout.splitlines()[0])["messages"] == 2
    verified = invoke(runner, tmp_path, "verify")
    assert verified.exit_code == 0 and "verify: OK" in verified.stdout
    current = invoke(runner, tmp_path, "db", "current")
    assert "up to date" in current.stdout
    check = invoke(runner, tmp_path, "db", "check")
    assert check.exit_code == 0 and "no drift" in check.stdout


def test_import_channel_official_reads_mail(runner, tmp_path, data):
    config = tmp_path / "retainer.toml"
    config.write_text('[[people]]\nname = "Dana Reyes"\ncustodian = true\n'
                      'official_accounts = ["dana.reyes@agency.example.gov"]\n')
    result = runner.invoke(cli, ["--config", str(config), "--db",
                                 f"sqlite:///{tmp_path / 'a.db'}", "import", "--channel",
                                 "official", str(data / "mail" / "export_zip.eml")])
    assert result.exit_code == 0, result.output
    assert "1 mails" in result.stdout and "1 attached exports" in result.stdout


def test_undecodable_text_fails_naming_its_line(runner, tmp_path):
    path = undecodable.write(tmp_path / "WhatsApp Chat with Port Ops.txt", "utf-16-le",
                             bad_line=5001, lines=6000)
    result = invoke(runner, tmp_path, "import", "--tz", "UTC", str(path))
    assert result.exit_code == 1
    assert f"FAILED    {path}:5001: is not valid UTF-16 text" in result.stdout
