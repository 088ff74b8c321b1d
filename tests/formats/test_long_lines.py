"""Long lines: read in pieces and joined once; a line no export has is refused, naming it."""

from __future__ import annotations

import time

import pytest

from retainer.errors import InputError
from retainer.formats import read_export, reader

HEAD = "3/14/24, 10:{:02d} PM - Dana Reyes: "


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_long_message_spanning_many_chunks_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_CHARS", 4096)
    body = "".join(f"{i:07d} " for i in range(60_000))  # 480,000 characters, one line
    path = write(tmp_path / "chat.txt", [HEAD.format(0) + "short", HEAD.format(1) + body,
                                         HEAD.format(2) + "after"])
    messages = list(read_export(path).messages())
    assert [m.text for m in messages] == ["short", body, "after"]
    assert [m.line for m in messages] == [1, 2, 3]


def test_a_message_at_whatsapps_limit_is_fine(tmp_path):
    body = "ñ" * 65_536
    path = write(tmp_path / "chat.txt", [HEAD.format(0) + body])
    assert [m.text for m in read_export(path).messages()] == [body]


def test_one_endless_line_is_refused_fast(tmp_path):
    path = tmp_path / "chat.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEAD.format(0))
        for _ in range(60):
            fh.write("x" * (1 << 20))  # 60 MB, no newline
    started = time.perf_counter()
    with pytest.raises(InputError, match="has a line longer than 1,048,576 characters") as caught:
        read_export(path)
    assert (caught.value.path, caught.value.line) == (str(path), 1)
    assert time.perf_counter() - started < 10  # was 57 s, quadratic in the line's length


def test_a_long_line_after_the_sniffed_lines_names_its_line(tmp_path):
    lines = [HEAD.format(i % 60) + "ok" for i in range(reader.SNIFF_LINES + 10)]
    lines.append("y" * (reader.MAX_LINE_CHARS + 10))
    path = write(tmp_path / "chat.txt", lines)
    export = read_export(path)  # sniffing stops before it; the date order is decided
    with pytest.raises(InputError, match="line longer than") as caught:
        list(export.messages())
    assert caught.value.line == reader.SNIFF_LINES + 11


def test_a_long_line_among_the_first_lines(tmp_path):
    path = write(tmp_path / "chat.txt", [HEAD.format(0) + "ok",
                                         HEAD.format(1) + "z" * (reader.MAX_LINE_CHARS + 1)])
    with pytest.raises(InputError, match="line longer than") as caught:
        read_export(path)
    assert caught.value.line == 2


def test_a_decoding_error_on_an_endless_line_is_located(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes((HEAD.format(0) + "ok\n").encode() + HEAD.format(1).encode()
                     + b"a" * 300_000 + b"\xff" + b"b" * 10)
    with pytest.raises(InputError, match="not valid UTF-8") as caught:
        list(read_export(path).messages())
    assert caught.value.line == 2
