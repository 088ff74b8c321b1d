"""Threads: a chat read in order, around a message, within dates, with provenance."""

from __future__ import annotations

import datetime as dt

import pytest

from retainer.errors import UsageError
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.search.render import thread_lines
from retainer.search.thread import read_thread
from tests.ingest.chats import ANDROID, write_export
from tests.search.conftest import PORT_OPS


def texts(thread) -> list[str]:
    return [m.message.text for m in thread.messages]


def test_a_whole_chat_in_order(corpus):
    with corpus.archive.read() as session:
        thread = read_thread(session, "port ops")
    assert texts(thread) == [text for _, _, text in PORT_OPS]
    assert (thread.chat, thread.more_before, thread.more_after) == ("Port Ops", False, False)


def test_around_a_message(corpus):
    centre = corpus.id("Meeting")
    with corpus.archive.read() as session:
        thread = read_thread(session, "Port Ops", around=centre, before=1, after=2)
        none = read_thread(session, "Port Ops", around=centre, before=0, after=0)
    assert texts(thread) == [text for _, _, text in PORT_OPS[1:5]]
    assert thread.more_before and thread.more_after
    assert [m.message.message_id for m in none.messages] == [centre]


def test_dates_and_limit(corpus):
    since = dt.datetime(2021, 3, 2, 8, tzinfo=dt.UTC)
    until = dt.datetime(2021, 3, 4, 8, tzinfo=dt.UTC)
    with corpus.archive.read() as session:
        thread = read_thread(session, "Port Ops", since=since, until=until)
        first = read_thread(session, "Port Ops", limit=2)
    assert texts(thread) == [text for _, _, text in PORT_OPS[2:5]]
    assert texts(first) == [text for _, _, text in PORT_OPS[:2]] and first.more_after


def test_the_dates_bound_the_message_around_too(corpus):
    centre = corpus.id("Meeting")  # 2021-03-02 09:00 in Los Angeles
    march_3 = dt.datetime(2021, 3, 3, 8, tzinfo=dt.UTC)
    with corpus.archive.read() as session:
        with pytest.raises(UsageError, match=f"message {centre} was sent outside"):
            read_thread(session, "Port Ops", around=centre, since=march_3)
        with pytest.raises(UsageError, match="outside --since/--until"):
            read_thread(session, "Port Ops", around=centre,
                        until=dt.datetime(2021, 3, 2, 17, tzinfo=dt.UTC))  # 09:00 excluded
        inside = read_thread(session, "Port Ops", around=centre, until=march_3)
    assert texts(inside) == [text for _, _, text in PORT_OPS[:4]]


@pytest.mark.parametrize("counts", [{"before": 3}, {"after": 0}, {"before": 1, "after": 1}])
def test_before_and_after_need_around(corpus, counts):
    with corpus.archive.read() as session:
        with pytest.raises(UsageError, match="give --around"):
            read_thread(session, "Port Ops", **counts)


def test_a_message_of_another_chat_or_an_unknown_chat(corpus):
    with corpus.archive.read() as session:
        with pytest.raises(UsageError, match="not in chat"):
            read_thread(session, "Port Ops", around=corpus.id("Tariff talk"))
        with pytest.raises(UsageError, match="no chat titled"):
            read_thread(session, "Nope")


def test_provenance_events_and_markers(corpus, tmp_path):
    # A later export from the same phone shows the first message deleted and lacks another.
    later = [PORT_OPS[0][:2] + ("This message was deleted",), *PORT_OPS[2:]]
    folder = tmp_path / "later"
    folder.mkdir()
    path = write_export(folder / "WhatsApp Chat with Port Ops.txt", ANDROID, later)
    options = ImportOptions(custodian="Dana Reyes", timezone="America/Los_Angeles")
    assert import_file(corpus.archive, path, options).status == "imported"
    with corpus.archive.read() as session:
        thread = read_thread(session, "Port Ops", provenance=True)
    by_id = {m.message.message_id: m for m in thread.messages}
    first, copy = by_id[corpus.id("Lane 3 is closed")], by_id[corpus.id("Copy.")]
    meeting = by_id[corpus.id("Meeting")]
    assert "deleted_after_capture" in first.events
    assert "missing_from_later_export" in copy.events
    assert [s.channel for s in meeting.sources] == ["device", "device"]
    assert [s.channel for s in copy.sources] == ["device"]
    assert all(s.custodian == "Dana Reyes" and s.file.endswith("Port Ops.txt")
               for s in meeting.sources)
    lines = list(thread_lines(thread))
    assert lines[0] == "══ Port Ops ══" and lines[1].startswith("── 2021-03-01")
    assert any("[deleted after capture]" in line for line in lines)
    assert any(line.strip().startswith("↳ device export") for line in lines)
    assert first.as_json()["sources"][0]["channel"] == "device"


def test_provenance_of_a_pasted_official_copy_names_its_official_account(archive, tmp_path,
                                                                           data):
    from retainer.archive.people import sync_people
    from retainer.config import load_settings
    from retainer.ingest.official import import_mail_file

    config = tmp_path / "retainer.toml"
    config.write_text('[archive]\ntimezone = "America/Los_Angeles"\n[[people]]\n'
                      'name = "Dana Reyes"\ncustodian = true\naliases = ["Dana Reyes"]\n'
                      'official_accounts = ["dana.reyes@agency.example.gov"]\n')
    settings = load_settings(config)
    with archive.begin() as session:
        sync_people(session, settings.people)
    chat = tmp_path / "WhatsApp Chat with Port Ops.txt"
    chat.write_text("3/14/24, 10:02 PM - Dana Reyes: Lane 3 is closed until further notice.\n"
                    "3/14/24, 10:03 PM - Marcus Bell: Copy.\n")
    import_file(archive, chat, ImportOptions(custodian="Dana Reyes",  # pastes match her chats
                                             timezone="America/Los_Angeles"))
    import_mail_file(archive, data / "mail" / "pasted_copy.eml", settings)
    with archive.read() as session:
        thread = read_thread(session, "Port Ops", provenance=True)
    [official] = [s for s in thread.messages[1].sources if s.channel == "official"]
    assert official.mail_id is not None and official.export_id is None
    assert (official.custodian, official.account) == ("Dana Reyes",
                                                      "dana.reyes@agency.example.gov")
    assert official.as_json()["account"] == "dana.reyes@agency.example.gov"
    assert any(line.strip().startswith(f"↳ official mail {official.mail_id}, Dana Reyes "
                                       "<dana.reyes@agency.example.gov>: ")
               for line in thread_lines(thread))
