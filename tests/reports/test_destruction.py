"""The destruction report (36 C.F.R. part 1230) on SQLite and PostgreSQL: from small exports
written here, from the bundled sample, and through its click command."""

from __future__ import annotations

import json
import stat

import click
import pytest

from retainer.archive.people import sync_people
from retainer.cli.destruction import destruction
from retainer.cli.state import State
from retainer.config import load_settings
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.ingest.sources import run_sources
from retainer.reports.destruction import (
    NO_CUSTODIAN,
    build_destruction,
    render_destruction_text,
)
from tests.ingest.chats import ANDROID, write_export
from tests.ingest.test_run import open_sample, sample  # noqa: F401 - fixture

CONFIG = """
[archive]
timezone = "America/Los_Angeles"
[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["Dana Reyes"]
official_accounts = ["dana.reyes@agency.example.gov"]
role = "capstone-official"
[[people]]
name = "Marcus Bell"
custodian = true
aliases = ["Marcus Bell"]
official_accounts = ["marcus.bell@agency.example.gov"]
[[people]]
name = "Priya Nair"
custodian = false
aliases = ["Priya Nair"]
"""
ON = ("Priya Nair turned on disappearing messages. New messages will disappear from this chat "
      "7 days after they're sent, except when kept. Tap to change.")
NIGHT_1 = [
    ("2026-11-14T21:58", None, 'Dana Reyes created group "Port Ops"'),
    ("2026-11-14T22:02", "Dana Reyes", "Lane 3 is closed."),
    ("2026-11-14T22:03", "Marcus Bell", "Copy."),
    ("2026-11-14T22:04", "Priya Nair", "This message was deleted"),
    ("2026-11-14T22:30", "+1 (619) 555-0163", "This message was deleted"),
    ("2026-11-15T02:10", None, ON),
    ("2026-11-15T07:41", None, "You turned off disappearing messages. Tap to change."),
    ("2026-11-15T07:45", "Dana Reyes", "This group holds federal records."),
]
NIGHT_2 = [NIGHT_1[0], ("2026-11-14T22:02", "Dana Reyes", "You deleted this message"),
           *NIGHT_1[3:]]  # Marcus's "Copy." is gone
DANA = ImportOptions(custodian="Dana Reyes", timezone="America/Los_Angeles")


@pytest.fixture
def settings(tmp_path):
    path = tmp_path / "retainer.toml"
    path.write_text(CONFIG)
    return load_settings(path)


def export(tmp_path, night: str, messages):
    folder = tmp_path / night
    folder.mkdir()
    return write_export(folder / "WhatsApp Chat with Port Ops.txt", ANDROID, messages)


@pytest.fixture
def two_nights(archive, settings, tmp_path):
    with archive.begin() as session:
        sync_people(session, settings.people)
    assert import_file(archive, export(tmp_path, "night1", NIGHT_1), DANA).status == "imported"
    second = import_file(archive, export(tmp_path, "night2", NIGHT_2), DANA)
    # the deleted original counts as missing too; the report files it under "deleted"
    assert (second.missing, second.deleted) == (2, 1)
    with archive.read() as session:
        return build_destruction(session, settings)


def test_deleted_messages_never_captured(two_nights):
    priya, unknown = two_nights.deleted
    assert (priya.chat, priya.sent_at_local, priya.author, priya.person, priya.text) == (
        "Port Ops", "2026-11-14T22:04", "Priya Nair", "Priya Nair", "This message was deleted")
    assert (priya.seen_in.file, priya.seen_in.custodian, priya.seen_in.channel) == (
        "WhatsApp Chat with Port Ops.txt", "Dana Reyes", "device")
    assert (unknown.author, unknown.person) == ("+1 (619) 555-0163", None)
    # Dana's deletion replaced a captured message: not "never captured"
    assert "You deleted this message" not in {item.text for item in two_nights.deleted}


def test_messages_lost_after_capture(two_nights):
    (deleted,) = two_nights.deleted_after_capture
    (missing,) = two_nights.missing
    assert (deleted.text, deleted.author, deleted.how) == ("Lane 3 is closed.", "Dana Reyes",
                                                           "deleted")
    assert (missing.text, missing.author, missing.person) == ("Copy.", "Marcus Bell",
                                                              "Marcus Bell")
    assert [s.custodian for s in missing.later] == ["Dana Reyes"]
    assert missing.first_seen_in.captured_at < missing.later[0].captured_at


def test_disappearing_messages_with_timer_who_and_when(two_nights):
    (chat,) = two_nights.disappearing
    on, off = chat.notices
    assert (chat.chat, chat.custodians, chat.still_on) == ("Port Ops", ("Dana Reyes",), False)
    assert (on.on, on.timer, on.actor, on.person, on.sent_at_local) == (
        True, "7 days", "Priya Nair", "Priya Nair", "2026-11-15T02:10")
    assert (off.on, off.actor, off.person) == (False, "You", "Dana Reyes")


def test_findings_per_custodian(two_nights):
    """Grouped by the custodian whose exports show them — Dana's phone showed Priya's and an
    unknown number's deletions, Priya's disappearing messages and Marcus's lost message —
    with each author named in the finding, never as a section of their own."""
    (dana,) = two_nights.custodians
    assert (dana.name, dana.configured) == ("Dana Reyes", True)
    # Marcus's message is missing from *Dana's* export: her device lost it
    assert sorted(item.how for item in dana.lost) == ["deleted", "missing"]
    assert [(i.author, i.person, i.custodians) for i in dana.deleted] == [
        ("Priya Nair", "Priya Nair", ("Dana Reyes",)),
        ("+1 (619) 555-0163", None, ("Dana Reyes",))]
    assert [c.chat for c in dana.disappearing] == ["Port Ops"]
    text = " ".join(render_destruction_text(two_nights).split())
    assert "author Priya Nair: \"This message was deleted\"" in text
    assert "\nPriya Nair\n" not in render_destruction_text(two_nights)  # no section of hers


def test_exports_without_a_custodian_are_grouped_apart(archive, settings, tmp_path):
    with archive.begin() as session:
        sync_people(session, settings.people)
    nobody = ImportOptions(custodian=None, timezone="America/Los_Angeles")
    assert import_file(archive, export(tmp_path, "night1", NIGHT_1), nobody).status == (
        "imported")
    with archive.read() as session:
        report = build_destruction(session, settings)
    (group,) = report.custodians
    assert (group.name, group.configured) == (NO_CUSTODIAN, False)
    assert len(group.deleted) == 2 and [c.chat for c in group.disappearing] == ["Port Ops"]
    assert ('turned off by the owner of the exporting device ("You"; the export names no '
            "custodian)") in report.nara.circumstances.text


def test_nara_draft_fills_facts_and_marks_the_rest(two_nights):
    nara = two_nights.nara
    assert nara.anything_found and [f.number for f in nara.fields()] == [1, 2, 3, 4, 5]
    assert "2 messages deleted before any capture" in nara.description.text
    assert "1 message missing from later exports" in nara.description.text
    assert "1 chat where disappearing messages were turned on" in nara.description.text
    assert "2026-11-14 to 2026-11-15" in nara.description.text
    assert nara.office.text.startswith("[RECORDS OFFICER: name of the office")
    assert "Dana Reyes (role: capstone-official)" in nara.office.text
    assert "turned on by Priya Nair with a 7 days timer on 2026-11-15 02:10" in (
        nara.circumstances.text)
    # "You" in Dana's export is Dana: the draft names her.
    assert ('then turned off by Dana Reyes ("You" in the export from that custodian\'s device) '
            "on 2026-11-15 07:41") in nara.circumstances.text
    assert "by You" not in nara.circumstances.text
    assert "[RECORDS OFFICER: why, how and by whom" in nara.circumstances.text
    assert "[RECORDS OFFICER: the safeguards" in nara.safeguards.text
    assert "Not recovered: the content of 2 messages" in nara.recovery.text
    assert all(f.open for f in nara.fields()) and len(nara.open_items()) == 5


def test_text_markdown_and_json(two_nights):
    text = render_destruction_text(two_nights)
    flowing = " ".join(text.split())  # lines are wrapped at 100 columns
    assert text.startswith("Possible unauthorised destruction of records (36 C.F.R. part 1230)")
    assert "Deleted, content never captured (2)" in text
    assert "Missing from later exports (content preserved) (1)" in text
    assert "on 2026-11-15 02:10 by Priya Nair, timer 7 days" in flowing
    assert "off 2026-11-15 07:41 by You (Dana Reyes)" in flowing
    markdown = render_destruction_text(two_nights, markdown=True)
    assert markdown.startswith("# Possible") and "\n## Dana Reyes (custodian)\n" in markdown
    assert "### (3) A statement of the exact circumstances" in markdown
    data = json.loads(json.dumps(two_nights.as_json()))
    assert [i["text"] for i in data["missing_from_later_export"]] == ["Copy."]
    assert data["disappearing_messages"][0]["still_on"] is False
    assert [(c["name"], c["configured"]) for c in data["custodians"]] == [("Dana Reyes", True)]
    assert len(data["custodians"][0]["deleted_never_captured"]) == 2
    assert len(data["nara_draft"]["fields"]) == 5 and data["generated_at"].endswith("Z")


def test_nothing_found(archive, settings):
    with archive.read() as session:
        report = build_destruction(session, settings)
    assert (report.deleted, report.lost, report.disappearing, report.custodians) == (
        [], [], [], [])
    assert not report.nara.anything_found
    assert "Nothing to report." in render_destruction_text(report)
    assert "no deleted message" in report.nara.description.text


@pytest.fixture
def sample_report(sample, archive_url):  # noqa: F811
    archive, settings = open_sample(sample, archive_url)
    try:
        with archive.begin() as session:
            sync_people(session, settings.people)
        assert all(r.status == "imported" for r in run_sources(archive, settings))
        with archive.read() as session:
            yield build_destruction(session, settings)
    finally:
        archive.close()


def test_sample_known_cases(sample_report):
    deleted = {(i.chat, i.sent_at_local, i.person, i.text) for i in sample_report.deleted}
    assert deleted == {
        ("Port Ops Night Shift", "2026-10-08T22:05", "Priya Nair", "This message was deleted"),
        ("Coordinación Garita", "2026-10-03T02:20", "Rocío Méndez", "Se eliminó este mensaje."),
        ("Luis Ortega", "2026-10-02T11:05", "Dana Reyes", "You deleted this message"),
        ("Luis Ortega", "2026-11-01T09:30", "Luis Ortega", "This message was deleted")}
    (lb018,) = sample_report.missing
    assert (lb018.chat, lb018.sent_at_local, lb018.person) == (
        "Liaison Bridge Crossing", "2026-10-10T09:47:55", "Marcus Bell")
    assert lb018.first_seen_in.file.endswith("official.mbox#1!WhatsApp Chat - Liaison Bridge "
                                             "Crossing.zip")
    assert len(lb018.later) == 3 and {s.custodian for s in lb018.later} == {"Marcus Bell"}
    (lb020,) = sample_report.deleted_after_capture
    assert lb020.sent_at_local == "2026-10-12T19:40:12"
    custodians = {p.name: p for p in sample_report.custodians}
    assert list(custodians) == ["Dana Reyes", "Marcus Bell", "Elena Vargas"]
    # Dana's phone shows her own deletion, Priya's and Luis's; Elena's shows Rocío's.
    assert sorted(i.sent_at_local for i in custodians["Dana Reyes"].deleted) == [
        "2026-10-02T11:05", "2026-10-08T22:05", "2026-11-01T09:30"]
    assert [i.person for i in custodians["Elena Vargas"].deleted] == ["Rocío Méndez"]
    assert {i.how for i in custodians["Marcus Bell"].lost} == {"missing", "deleted"}
    assert custodians["Marcus Bell"].deleted == []
    assert not {"Luis Ortega", "Priya Nair", "Rocío Méndez"} & set(custodians)
    assert [c.chat for c in custodians["Dana Reyes"].disappearing] == ["Port Ops Night Shift"]
    assert ("Custodians concerned: Dana Reyes (role: capstone-official); Marcus Bell (role: "
            "supervisory-officer); Elena Vargas (role: officer)") in sample_report.nara.office.text
    assert 'turned off by Dana Reyes ("You" in the export' in (
        sample_report.nara.circumstances.text)


def test_sample_disappearing_messages_in_port_ops(sample_report):
    (chat,) = sample_report.disappearing
    on, off = chat.notices
    assert chat.chat == "Port Ops Night Shift" and not chat.still_on
    assert (on.person, on.timer, on.sent_at_local) == ("Priya Nair", "7 days",
                                                      "2026-11-15T02:10")
    assert (off.person, off.sent_at_local) == ("Dana Reyes", "2026-11-15T07:41")


@click.group()
@click.option("--config")
@click.option("--db")
@click.pass_context
def group(ctx, config, db):
    """A stand-in for the ``report`` group, which the command will join."""
    ctx.obj = State(config=config, db=db, operator=None)
    ctx.call_on_close(ctx.obj.close)


group.add_command(destruction)


def test_command(runner, archive_url, tmp_path):
    config = tmp_path / "retainer.toml"
    config.write_text(CONFIG)
    base = ["--config", str(config), "--db", archive_url]
    from retainer.archive import Archive

    archive = Archive.open(archive_url, tmp_path / "vault")
    import_file(archive, export(tmp_path, "night1", NIGHT_1), DANA)
    archive.close()
    text = runner.invoke(group, [*base, "destruction"])
    assert text.exit_code == 0, text.output
    assert "Priya Nair" in text.stdout and "Draft report to NARA" in text.stdout
    as_json = runner.invoke(group, [*base, "destruction", "--format", "json"])
    assert len(json.loads(as_json.stdout)["deleted_never_captured"]) == 2
    out = tmp_path / "destruction.md"
    written = runner.invoke(group, [*base, "destruction", "--format", "markdown", "--output",
                                    str(out)])
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_text().startswith("# Possible unauthorised destruction")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    help_text = runner.invoke(group, ["destruction", "--help"]).stdout
    assert "Example:\n    retainer report destruction\n" in help_text
