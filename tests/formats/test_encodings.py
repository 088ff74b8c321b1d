"""Line endings and text encodings give the same messages."""

from __future__ import annotations

import codecs

import pytest

from retainer.formats import read_export

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
    from retainer.errors import InputError

    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_export(data / "formats" / "not_utf8.txt")
    assert caught.value.line == 2
