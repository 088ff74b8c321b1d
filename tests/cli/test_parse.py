"""`retainer parse`: thin smoke tests of the command line over the reader."""

from __future__ import annotations

import json

import pytest

from retainer.cli import cli
from tests.formats import undecodable, zips


def test_jsonl_one_object_per_message_and_summary_on_stderr(runner, data):
    result = runner.invoke(cli, ["parse", str(data / "formats" / "ios_en.txt"),
                                 "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 13
    assert set(objects[0]) >= {"sent_at", "author", "text", "kind", "edited", "attachment",
                               "line"}
    assert objects[2] == {"line": 3, "sent_at": "2024-03-14T22:02:15", "author": "Dana Reyes",
                          "text": "Lane 3 is closed.", "kind": "text", "edited": False,
                          "attachment": None}
    assert "13 messages" in result.stderr and "ios format" in result.stderr
    assert "MDY" in result.stderr and "2024-03-14T21:58 → 2024-03-14T22:12" in result.stderr


def test_table_is_the_default(runner, data):
    result = runner.invoke(cli, ["parse", str(data / "formats" / "android_de_24h.txt")])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["LINE", "SENT_AT", "KIND", "AUTHOR", "TEXT"]
    assert len(result.stdout.splitlines()) == 11


def test_ambiguous_dates_exit_2_naming_the_option(runner, data):
    path = data / "formats" / "ambiguous.txt"
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 2
    assert "--date-order" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    ok = runner.invoke(cli, ["parse", str(path), "--date-order", "dmy", "--format", "jsonl"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout.splitlines()[0])["sent_at"] == "2024-04-03T10:22"


def test_bad_input_one_line_no_traceback(runner, data):
    for name in ("empty.txt", "binary.txt", "prose.txt", "no_chat.zip", "not_utf8.txt"):
        result = runner.invoke(cli, ["parse", str(data / "formats" / name)])
        assert result.exit_code == 1, name
        assert result.stderr.startswith("Error: ") and name in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit)


def test_error_never_shows_message_text(runner, data):
    result = runner.invoke(cli, ["parse", str(data / "formats" / "leading_text.txt")])
    assert result.exit_code == 1
    assert "banner" not in result.stderr  # the offending line's content stays private
    assert "leading_text.txt:1:" in result.stderr


def test_folder_is_one_line_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["parse", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}: is a folder; parse reads one export file " \
                            "(retainer import takes folders)\n"


@pytest.mark.parametrize("build, found", [
    (zips.chat_bomb, "looks like a zip bomb"),
    (zips.bad_crc_late, "is a damaged zip file (Bad CRC-32 for file '_chat.txt')"),
    (zips.bad_deflate, "is a damaged zip file (member _chat.txt: Error -3"),
    (zips.deflate64, "uses Deflate64 compression"),
])
def test_bad_zips_one_line_no_traceback(runner, tmp_path, build, found):
    path = build(tmp_path / "WhatsApp Chat - Port Ops.zip")
    result = runner.invoke(cli, ["parse", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ") and found in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("codec, newline, bad_line, width, found", [
    ("utf-16-le", "\n", 5001, 1, "is not valid UTF-16 text"),
    ("utf-16-be", "\r\n", 150, 300, "is not valid UTF-16 text"),
    ("utf-8", "\r", 3, 1, "is not UTF-8 or UTF-16 text"),   # in the head the container checks
    ("utf-8", "\r", 5001, 1, "is not valid UTF-8 text"),
    ("utf-8-sig", "\r\n", 5001, 1, "is not valid UTF-8-SIG text"),
])
def test_undecodable_text_names_its_file_and_line(runner, tmp_path, codec, newline, bad_line,
                                                  width, found):
    path = undecodable.write(tmp_path / "WhatsApp Chat with Port Ops.txt", codec,
                             bad_line=bad_line, lines=6000, newline=newline, width=width)
    result = runner.invoke(cli, ["parse", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}:{bad_line}: {found}\n"
