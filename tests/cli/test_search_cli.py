"""`retainer search`, `thread`, `export`, `verify-export` and `audit`: thin smoke tests.

The commands are registered on the real group for the duration of each test (the lead
registers them in ``retainer/cli/__init__.py``), so the global options and the error boundary
are the real ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from retainer.cli import cli
from retainer.cli import search as commands
from tests.search.conftest import corpus  # noqa: F401 - the fixture, used by name

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"search": commands.search, "thread": commands.thread, "export": commands.export,
            "verify-export": commands.verify_export, "audit": commands.audit}
CONFIG = """\
[archive]
timezone = "America/Los_Angeles"

[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["Dana R"]

[[people]]
name = "Marcus Bell"
"""


@pytest.fixture
def registered():
    added = {name: command for name, command in COMMANDS.items() if name not in cli.commands}
    for command in added.values():
        cli.add_command(command)
    yield
    for name in added:
        cli.commands.pop(name)


@pytest.fixture
def run(registered, runner, corpus, archive_url, tmp_path):  # noqa: F811 - fixture by name
    config = tmp_path / "retainer.toml"
    config.write_text(CONFIG)

    def invoke(*args, operator="investigator", env=None):
        named = ["--operator", operator] if operator is not None else []
        return runner.invoke(cli, ["--config", str(config), "--db", archive_url, *named,
                                   *args],
                             env={"RETAINER_OPERATOR": "", "TZ": "UTC", **(env or {})})

    return invoke


def test_search_table_jsonl_and_csv(run):
    table = run("search", "lane", "--chat", "port ops", "--since", "March 2021")
    assert table.exit_code == 0, table.output
    assert "[Lane] 3 is closed" in table.stdout and table.stdout.endswith("2 messages\n")
    assert "2021-03-01 08:05 America/Los_Angeles  Port Ops  Marcus Bell" in table.stdout
    lines = run("search", "tariff*", "--person", "Dana Reyes", "--format", "jsonl").stdout
    rows = [json.loads(line) for line in lines.splitlines()]
    assert {r["person"] for r in rows} == {"Dana Reyes"} and len(rows) == 3
    csv_header = run("search", "lane", "--format", "csv").stdout.splitlines()[0]
    assert csv_header.startswith("message_id,chat,sent_at_utc,")
    # The same names in JSON lines and in CSV.
    assert set(csv_header.split(",")) <= set(rows[0]) and "sent_at" not in rows[0]
    assert rows[0]["sent_at_utc"].endswith("+00:00")


@pytest.mark.parametrize("query", ['"lane', "OR", "-lane", "", ":" + "!" * 450 + "*",
                                   ":thumbsup:", "x" * 300, '"👍 👍 👍"'])
def test_a_malformed_query_is_a_usage_error(run, query):
    result = run("search", "--", query)  # "--": a query may start with "-"
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_unknown_date_and_chat_are_usage_errors(run):
    assert run("search", "lane", "--since", "banana").exit_code == 2
    assert run("thread", "Nope").exit_code == 2
    ambiguous = run("search", "lane", "--since", "01/03/2021")
    assert ambiguous.exit_code == 2 and "write it as YYYY-MM-DD" in ambiguous.stderr


@pytest.mark.parametrize("args", [
    ("search", "lane", "--until", "01-12"), ("search", "lane", "--until", "1.3"),
    ("search", "lane", "--since", "1 3 2019"), ("search", "lane", "--until", "1.12"),
    ("search", "lane", "--since", "-1"), ("search", "lane", "--since", "3rd"),
    ("thread", "Port Ops", "--until", "01-12"), ("audit", "--since", "1.3"),
    ("export", "--chat", "Port Ops", "--to", "out", "--until", "01-12"),
])
def test_numeric_dates_are_refused_not_guessed(run, args, tmp_path):
    # --until 01-12 was January 12 (0 messages, no error), 1.12 the time 01:12 today, ...
    option = args[args.index("--until") if "--until" in args else args.index("--since")]
    result = run(*args)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {option} '") and "YYYY-MM-DD" in line
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [
    ("search", "lane", "--since", "9999-12-31"), ("search", "lane", "--until", "9999-12-31"),
    ("search", "lane", "--until", "9999-12-31T23:59"),
    ("search", "lane", "--until", "December 9999"), ("search", "lane", "--until", "9999"),
    ("search", "lane", "--since", "0001-01-01T00:00+05:00"),
    ("thread", "Port Ops", "--until", "9999-12-31"), ("audit", "--since", "9999-12-31"),
    ("export", "--chat", "Port Ops", "--to", "out", "--until", "9999-12-31"),
])
def test_dates_out_of_range_are_one_line_usage_errors(run, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert "is out of range: give a date from 0001-01-02 to 9999-12-30" in line
    assert "Traceback" not in result.output


HUGE = "99999999999999999999"


@pytest.mark.parametrize(("args", "option"), [
    (("search", "lane", "--limit", HUGE), "--limit"),
    (("thread", "Port Ops", "--around", HUGE), "--around"),
    (("thread", "Port Ops", "--limit", HUGE), "--limit"),
    (("thread", "Port Ops", "--around", "1", "--before", HUGE), "--before"),
    (("thread", "Port Ops", "--around", "1", "--after", HUGE), "--after"),
    (("thread", "Port Ops", "--around", "2147483648"), "--around"),  # past PostgreSQL INTEGER
    (("export", "--chat", "Port Ops", "--to", "out", "--limit", HUGE), "--limit"),
])
def test_numbers_too_large_are_one_line_usage_errors(run, args, option, tmp_path):
    # was: OverflowError: Python int too large to convert to SQLite INTEGER
    result = run(*args)
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert f"'{option}'" in line and ("1<=x<=2147483647" in line or "0<=x<=2147483647" in line)
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_the_largest_number_allowed_is_fine(run):
    assert run("search", "lane", "--limit", "2147483647").exit_code == 0
    far = run("thread", "Port Ops", "--around", "2147483647", "--before", "2147483647")
    assert far.exit_code == 2 and "not in chat" in far.stderr and "Traceback" not in far.output


def test_an_until_to_the_minute_keeps_that_minute(run):
    # "Lane 3 is closed" was sent at 08:00 in Los Angeles, "Copy." at 08:05.
    one = run("search", "lane", "--since", "2021-03-01T08:00", "--until", "2021-03-01T08:00",
              "--format", "jsonl")
    assert one.exit_code == 0, one.output
    assert [json.loads(r)["text"][:16] for r in one.stdout.splitlines()] == ["Lane 3 is closed"]
    day = run("search", "lane", "--chat", "Port Ops", "--until", "20210301", "--format", "jsonl")
    assert len(day.stdout.splitlines()) == 2  # the whole of 1 March, not its first instant


def test_thread(run):
    result = run("thread", "Port Ops", "--provenance", "--until", "2021-03-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["══ Port Ops ══",
                                              "── 2021-03-01 (America/Los_Angeles) ──"]
    assert "08:00  Dana Reyes: Lane 3 is closed at the Aduána 👍  #" in result.stdout
    assert "↳ device export" in result.stdout
    rows = run("thread", "Port Ops", "--format", "jsonl").stdout.splitlines()
    assert len(rows) == 7 and json.loads(rows[3])["kind"] == "media"


def test_export_to_the_current_directory_is_refused_and_not_recorded(run, tmp_path,
                                                                      monkeypatch):
    # was: the export recorded, then "Device or resource busy"; one more entry per retry
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)
    before = run("audit", "--action", "export", "--format", "jsonl").stdout.count("\n")
    for _ in range(2):
        result = run("export", "--chat", "Port Ops", "--to", ".")
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.stderr.splitlines() == [
            "Error: .: --to cannot be the current directory (or one that holds it); name a "
            "new directory for the package, e.g. --to handover"]
    assert list(here.iterdir()) == []
    after = run("audit", "--action", "export", "--format", "jsonl").stdout.count("\n")
    assert after == before
    landed = run("export", "--chat", "Port Ops", "--to", "handover")
    assert landed.exit_code == 0, landed.output
    assert f"to {here / 'handover'} (" in landed.stdout
    assert (here / "handover" / "manifest.json").exists()


def test_export_and_verify_export(run, tmp_path):
    to = tmp_path / "handover"
    result = run("export", "--query", "lane", "--to", str(to), "--format", "mbox")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("exported 3 messages to ")
    assert run("export", "--chat", "Port Ops", "--to", str(to)).exit_code == 2
    assert run("export", "--to", str(tmp_path / "x")).exit_code == 2
    checked = run("verify-export", str(to))
    assert checked.exit_code == 0 and "OK — 1 files checked, 3 messages" in checked.stdout
    with open(to / "messages.mbox", "ab") as f:
        f.write(b"\n")
    altered = run("verify-export", str(to))
    assert altered.exit_code == 1 and "PROBLEM  messages.mbox: altered" in altered.stdout


def reseal(to):
    """Change the exported text and write the file's new SHA-256 and size into the manifest:
    every file then matches the manifest, and only the manifest's own hash tells."""
    data = to / "messages.jsonl"
    data.write_text(data.read_text(encoding="utf-8").replace("Lane 3", "Lane 4"),
                    encoding="utf-8")
    manifest = json.loads((to / "manifest.json").read_text(encoding="utf-8"))
    [entry] = manifest["files"]
    entry["sha256"] = hashlib.sha256(data.read_bytes()).hexdigest()
    entry["size"] = data.stat().st_size
    (to / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def test_verify_export_catches_a_resealed_manifest(run, runner, registered, tmp_path):
    to = tmp_path / "handover"
    made = run("export", "--query", "lane", "--to", str(to), "--format", "jsonl")
    [printed] = re.findall(r"^manifest SHA-256  ([0-9a-f]{64})  \(keep it", made.stdout, re.M)
    assert printed == hashlib.sha256((to / "manifest.json").read_bytes()).hexdigest()
    intact = run("verify-export", str(to))
    assert intact.exit_code == 0, intact.output
    assert f"manifest SHA-256  {printed}\n" in intact.stdout
    assert re.search(r"^recorded by       export audit entry \d+ of .* UTC by investigator$",
                     intact.stdout, re.M)
    assert intact.stdout.endswith("3 messages, against the archive\n")
    assert run("verify-export", str(to), "--manifest-sha256", printed.upper()).exit_code == 0
    reseal(to)
    # The files agree with the re-sealed manifest: alone, the package looks intact ...
    alone = run("verify-export", str(to), "--no-archive")
    assert alone.exit_code == 0 and "against the archive" not in alone.stdout
    # ... but not against the hash kept with the hand-over record, nor against the archive.
    kept = run("verify-export", str(to), "--no-archive", "--manifest-sha256", printed)
    assert kept.exit_code == 1
    assert "PROBLEM  manifest.json: its SHA-256 is " in kept.stdout
    assert f"not the {printed} expected (the manifest was changed)" in kept.stdout
    archived = run("verify-export", str(to))
    assert archived.exit_code == 1
    assert "PROBLEM  archive: no export in the audit log has a manifest with SHA-256" in (
        archived.stdout)
    assert run("verify-export", str(to), "--manifest-sha256", "abc").exit_code == 2
    # Each check against the archive is itself in the audit log.
    rows = run("audit", "--action", "verify-export", "--format", "jsonl").stdout.splitlines()
    details = [json.loads(r)["details"] for r in rows]
    assert [d["results"] for d in details] == [1, 1, 0]
    assert details[0]["manifest_sha256"] == printed and details[2]["problems"] == 1


def test_verify_export_without_an_archive_checks_the_package_alone(run, runner, registered,
                                                                   tmp_path, monkeypatch):
    to = tmp_path / "handover"
    assert run("export", "--chat", "Port Ops", "--to", str(to), "--format", "csv").exit_code == 0
    elsewhere = tmp_path / "recipient"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    clean = {"RETAINER_CONFIG": "", "RETAINER_DATABASE_URL": ""}
    result = runner.invoke(cli, ["verify-export", str(to)], env=clean)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("manifest SHA-256  ") and "recorded by" not in result.stdout
    assert list(elsewhere.iterdir()) == []  # no archive was created to check against
    # An archive named but absent is an error, not silently skipped (nor created).
    absent = elsewhere / "none.db"
    named = runner.invoke(cli, ["--db", f"sqlite:///{absent}", "verify-export", str(to)],
                          env=clean)
    assert named.exit_code == 2 and "no archive there" in named.stderr
    assert not absent.exists()


def test_verify_export_reports_a_broken_audit_chain(run, corpus, tmp_path):  # noqa: F811
    to = tmp_path / "handover"
    assert run("export", "--query", "lane", "--to", str(to), "--format", "jsonl").exit_code == 0
    with corpus.archive.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET operator = 'someone else' WHERE id = 1"))
    result = run("verify-export", str(to))
    assert result.exit_code == 1
    assert "PROBLEM  archive: audit entry 1 (import): its contents were altered" in result.stdout


def test_audit_lists_who_looked(run):
    run("search", "lane", operator="ig-1")
    run("thread", "Port Ops", operator="ig-2")
    result = run("audit", "--operator", "ig-1", operator="ig-3")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()[1:]
    assert "ig-1" in line and "search" in line and "query=lane" in line
    rows = run("audit", "--action", "audit", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(r)["operator"] for r in rows] == ["ig-3"]


def test_the_operator_is_the_option_else_the_variable_else_the_os_user(run, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "os-user-7")
    run("search", "lane", operator="ig-option", env={"RETAINER_OPERATOR": "ig-variable"})
    run("search", "lane", operator=None, env={"RETAINER_OPERATOR": "ig-variable"})
    run("thread", "Port Ops", operator=None)  # RETAINER_OPERATOR empty: the OS user

    def no_user():
        raise KeyError("getpwuid(): uid not found")  # a container without a user database

    monkeypatch.setattr("getpass.getuser", no_user)
    run("search", "gate", operator=None)
    rows = run("audit", "--format", "jsonl", operator="ig-3").stdout.splitlines()
    looked = [(r["action"], r["operator"]) for r in map(json.loads, rows)
              if r["action"] != "import"]
    assert looked == [("search", "ig-option"), ("search", "ig-variable"),
                      ("thread", "os-user-7"), ("search", f"uid:{os.getuid()}")]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_an_example_and_the_command_is_documented(registered, runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    assert f"retainer {name}" in (ROOT / "docs" / "search.md").read_text()
