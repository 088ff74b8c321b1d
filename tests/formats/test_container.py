"""Containers: python-magic sniffing, zip exports and their caps, and bad input."""

from __future__ import annotations

import zipfile

import pytest

from retainer.errors import InputError
from retainer.formats import open_container, read_export
from retainer.formats.container import MAX_RATIO, title_from_name


def test_ios_zip_picks_chat_text_and_lists_media(data):
    export = read_export(data / "formats" / "ios_with_media.zip")
    assert export.container == "zip" and export.chat_member == "_chat.txt"
    media = {m.name: m.mime for m in export.media}
    assert media == {
        "00000012-PHOTO-2024-03-14-22-03-00.jpg": "image/jpeg",
        "00000013-Report.pdf": "application/pdf",
        "00000014-notes.txt": "text/plain",  # a .txt attachment is media, never the chat
    }
    assert len(list(export.messages())) == 13


def test_android_zip_named_after_the_chat(data):
    export = read_export(data / "formats" / "WhatsApp Chat with Port Ops.zip")
    assert export.chat_member == "WhatsApp Chat with Port Ops.txt"
    assert export.chat_title == "Port Ops"


@pytest.mark.parametrize("name, title", [
    ("WhatsApp Chat with Port Ops.txt", "Port Ops"),
    ("WhatsApp Chat - Liaison Bridge Crossing.zip", "Liaison Bridge Crossing"),
    ("Chat de WhatsApp con Coordinación Garita.txt", "Coordinación Garita"),
    ("WhatsApp Chat mit Hafen (1).txt", "Hafen"),
    ("_chat.txt", None),
    ("notes.txt", None),
])
def test_chat_title_from_file_name(name, title):
    assert title_from_name(name) == title


@pytest.mark.parametrize("name, message", [
    ("empty.txt", "is empty"),
    ("binary.txt", "is not a chat export (libmagic identifies it as"),
    ("prose.txt", "no line looks like a message header"),
    ("no_chat.zip", "zip holds no chat file"),
])
def test_bad_input_gets_one_clear_error(data, name, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")) as caught:
        read_export(data / "formats" / name)
    assert caught.value.path.endswith(name)
    assert "\n" not in str(caught.value)


def test_missing_file_and_folder(data, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_container(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        open_container(tmp_path)


def test_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "WhatsApp Chat with Bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", b"3/14/24, 10:22 PM - A: b\n" + b"\0" * (16 * 1024 * 1024))
    info = zipfile.ZipFile(bomb).getinfo("_chat.txt")
    assert info.file_size / info.compress_size > MAX_RATIO
    with pytest.raises(InputError, match="zip bomb"):
        read_export(bomb)


def test_zip_with_two_chat_files_is_refused(tmp_path, data):
    path = tmp_path / "two.zip"
    chat = (data / "formats" / "ios_en.txt").read_bytes()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("_chat.txt", chat)
        zf.writestr("WhatsApp Chat with Port Ops.txt", chat)
    with pytest.raises(InputError, match="several chat files"):
        read_export(path)


def test_damaged_zip(tmp_path, data):
    path = tmp_path / "broken.zip"
    path.write_bytes((data / "formats" / "ios_with_media.zip").read_bytes()[:300])
    with pytest.raises(InputError):
        read_export(path)


def test_zip_member_paths_are_never_written(tmp_path, data, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/_chat.txt", (data / "formats" / "ios_en.txt").read_bytes())
    export = read_export(path)
    assert len(list(export.messages())) == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip"]
