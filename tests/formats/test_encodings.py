"""Line endings and text encodings give the same messages."""

from __future__ import annotations

import codecs
import io

import pytest

from retainer.errors import InputError
from retainer.formats import container, read_export
from retainer.formats.container import decode_error_line, detect_encoding
from tests.formats import undecodable

VARIANTS = {
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "utf8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf16-le-bom": lambda t: t.encode("utf-16"),  # Python writes the platform BOM (LE)
    "utf16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
}


@pytest.mark.parametrize("name", ["android_en_12h.txt", "ios_en.txt", "arabic.txt"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_same_messages_whatever_the_encoding(data, tmp_path, name, variant):
    original = data / "formats" / name
    text = original.read_text(encoding="utf-8")
    copy = tmp_path / name
    copy.write_bytes(VARIANTS[variant](text))
    expected = list(read_export(original).messages())
    assert list(read_export(copy).messages()) == expected


def test_not_utf8_names_the_line(data):
    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_export(data / "formats" / "not_utf8.txt")
    assert caught.value.line == 2


# -- Undecodable text: the error names the line (as the reader counts lines) it is on -------

NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def _line_of_decode_error(path):
    with pytest.raises(InputError) as caught:
        list(read_export(path).messages())
    return caught.value


@pytest.mark.parametrize("newline", sorted(NEWLINES))
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bad_line, width", [(150, 300), (5001, 1), (6000, 1)])
def test_utf16_decoding_error_names_its_line(tmp_path, codec, newline, bad_line, width):
    # The bad bytes lie beyond the 64 KiB libmagic looks at (in it, libmagic calls the file
    # binary); line 150 is among the lines the reader sniffs, 5001 and 6000 come later.
    path = undecodable.write(tmp_path / "chat.txt", codec, bad_line=bad_line, lines=6000,
                             newline=NEWLINES[newline], width=width)
    assert path.read_bytes().count(b"\n") > 6000  # 上 brings a 0x0A byte to each line
    error = _line_of_decode_error(path)
    assert error.message == "is not valid UTF-16 text"
    assert error.line == bad_line


@pytest.mark.parametrize("newline", sorted(NEWLINES))
@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig"])
@pytest.mark.parametrize("bad_line", [1, 3, 5001])
def test_utf8_decoding_error_names_its_line(tmp_path, codec, newline, bad_line):
    # Line 1 and 3 are in the head the container checks; 5001 is found by the reader.
    path = undecodable.write(tmp_path / "chat.txt", codec, bad_line=bad_line, lines=6000,
                             newline=NEWLINES[newline])
    error = _line_of_decode_error(path)
    assert "UTF-8" in error.message
    assert error.line == bad_line


@pytest.mark.parametrize("codec", sorted(undecodable.CODECS))
def test_decoding_error_named_whatever_the_chunk_size(tmp_path, monkeypatch, codec):
    # Small chunks put a boundary everywhere: inside a character (carried over in the
    # decoder), between the CR and LF of one line end, just before the bad bytes.
    path = undecodable.write(tmp_path / "chat.txt", codec, bad_line=7, lines=9,
                             newline="\r\n")
    for size in range(1, 40):
        monkeypatch.setattr(container, "DECODE_CHUNK_BYTES", size)
        assert decode_error_line(io.BytesIO(path.read_bytes()), _encoding(path)) == 7, size
        if codec.startswith("utf-8"):  # libmagic calls a small broken UTF-16 file binary
            assert _line_of_decode_error(path).line == 7, size


def _encoding(path):
    return detect_encoding(path.read_bytes()[:4])


MIXED = "a\r\nb\rc\n上😀é\r\r\n\n\r\rz"  # every kind of line end, characters of 1 to 4 bytes


@pytest.mark.parametrize("codec", sorted(undecodable.CODECS))
@pytest.mark.parametrize("cut", range(len(MIXED) + 1))
def test_decoding_error_after_any_text(monkeypatch, codec, cut):
    bom, bad = undecodable.CODECS[codec]
    before, after = MIXED[:cut], MIXED[cut:]
    raw = bom + undecodable.encode(codec, before) + bad + undecodable.encode(codec, after)
    expected = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    encoding = detect_encoding(raw[:4])
    for size in (1, 2, 3, 4, 5, 7, 1 << 18):
        monkeypatch.setattr(container, "DECODE_CHUNK_BYTES", size)
        assert decode_error_line(io.BytesIO(raw), encoding) == expected, size


@pytest.mark.parametrize("codec, tail, line", [
    ("utf-8", "上".encode()[:2], 3),               # a character cut off at the end
    ("utf-16-le", b"a", 3),                       # an odd byte at the end
    ("utf-16-be", "\ud83d".encode("utf-16-be", "surrogatepass"), 3),  # half a pair
])
def test_text_cut_off_at_the_end_names_the_last_line(codec, tail, line):
    bom, _ = undecodable.CODECS[codec]
    raw = bom + undecodable.encode(codec, "x\r\ny\r") + tail
    assert decode_error_line(io.BytesIO(raw), detect_encoding(raw[:4])) == line
    assert decode_error_line(io.BytesIO(raw), detect_encoding(raw[:4]), final=False) is None


def test_no_error_no_line():
    assert decode_error_line(io.BytesIO("上\r\n".encode("utf-16")), "utf-16") is None


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le"])
@pytest.mark.parametrize("ending", ["cr", "lf", "cr|lf"])
def test_bad_bytes_right_after_a_chunk_boundary(tmp_path, codec, ending):
    """At the real chunk size: the boundary falls just before the bad bytes, after a CR, an
    LF, or between the CR and the LF of one line end (counted once)."""
    n = container.DECODE_CHUNK_BYTES
    bom, bad = undecodable.CODECS[codec]
    width = len(undecodable.encode(codec, "x"))
    lines = [f"{undecodable.HEAD}上 {i}\r\n" for i in range(n // width // 50)]
    before = "".join(lines)
    end = {"cr": "\r", "lf": "\n", "cr|lf": "\r"}[ending]
    used = len(bom) + len(undecodable.encode(codec, before + undecodable.HEAD + end))
    assert 0 < n - used and (n - used) % width == 0
    before += undecodable.HEAD + "x" * ((n - used) // width) + end
    after = "\n" + undecodable.HEAD if ending == "cr|lf" else ""
    head = bom + undecodable.encode(codec, before)
    assert len(head) == n
    path = tmp_path / "chat.txt"
    path.write_bytes(head + undecodable.encode(codec, after) + bad
                     + undecodable.encode(codec, "\n" + undecodable.HEAD + "ok\n"))
    assert _line_of_decode_error(path).line == len(lines) + 2
