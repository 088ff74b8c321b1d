"""`retainer chats`: counts, time span and every flag, on both databases."""

from __future__ import annotations

import dataclasses

from retainer.chats import list_chats
from retainer.ingest.pipeline import import_file
from tests.ingest.chats import IOS
from tests.ingest.test_import import LA, NIGHT, chat_file

TURNED_ON = ("2026-12-14T22:06", None,
             "Dana Reyes turned on disappearing messages. New messages will disappear from "
             "this chat 7 days after they're sent.")


def summary(archive):
    with archive.read() as session:
        return list_chats(session)


def test_every_flag_of_a_chat(archive, tmp_path):
    assert import_file(archive, chat_file(tmp_path, " 1", NIGHT + [TURNED_ON]), LA).status \
        == "imported"
    later = [(w, "Elena Vargas" if t == "Copy." else a,
              "This message was deleted" if t == "Lane 3 is closed." else t)
             for w, a, t in NIGHT if t != "ok"]  # both "ok" gone, "Lane 3" deleted
    import_file(archive, chat_file(tmp_path, " 2", later + [TURNED_ON]), LA)
    other = dataclasses.replace(LA, custodian="Marcus Bell")
    import_file(archive, chat_file(tmp_path, " 3", NIGHT, IOS), other)
    [chat] = summary(archive)
    assert (chat.title, chat.exports, chat.deleted, chat.deleted_after_capture) == \
        ("Port Ops", 3, 1, 1)
    assert chat.missing == 3  # the two "ok" and "Lane 3 is closed." from the later export
    assert chat.author_conflicts == 1
    assert [d.on for d in chat.disappearing] == [True] and chat.disappearing[0].timer
    assert chat.flags == ["1 deleted", "1 deleted after capture",
                          "3 missing from a later export", "1 shown under different people",
                          f"disappearing messages turned on ({chat.disappearing[0].timer})"]


def test_a_quiet_chat_has_no_flags(archive, tmp_path):
    import_file(archive, chat_file(tmp_path, " 1", NIGHT), LA)
    [chat] = summary(archive)
    assert chat.messages == 6 and chat.flags == []
