"""Damaged, unsupported and oversized zips: one clear InputError, never a traceback, also
when the damage only shows while the chat streams or while an import hashes the media."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from sqlalchemy import func, select

from retainer.archive.models import Attachment, Export
from retainer.errors import InputError
from retainer.formats import container, read_export
from retainer.ingest.options import ImportOptions
from retainer.ingest.pipeline import import_file
from tests.formats import zips

LA = ImportOptions(timezone="America/Los_Angeles")


def read_all(path):
    export = read_export(path)
    for _ in export.batches():
        pass
    return export


@pytest.mark.parametrize("build, found", [
    (zips.bad_crc_late, "Bad CRC-32 for file '_chat.txt'"),
    (zips.bad_deflate, "member _chat.txt: Error -3 while decompressing data"),
    (zips.bad_media_head, "member 00000013-Report.pdf: Error -3 while decompressing data"),
])
def test_damaged_zip_is_one_input_error(tmp_path, build, found):
    path = build(tmp_path / "WhatsApp Chat - Port Ops.zip")
    with pytest.raises(InputError) as caught:
        read_all(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: is a damaged zip file (")
    assert found in message and "\n" not in message


def test_bad_crc_shows_only_while_streaming(tmp_path):
    path = zips.bad_crc_late(tmp_path / "late.zip")
    export = read_export(path)  # sniffing and date order read only the start: fine
    with pytest.raises(InputError, match="damaged zip file"):
        list(export.messages())


def test_deflate64_is_refused_naming_the_member(tmp_path):
    path = zips.deflate64(tmp_path / "win.zip")
    with pytest.raises(InputError, match=r"zip member _chat\.txt uses Deflate64 compression, "
                                         r"which retainer cannot read") as caught:
        read_export(path)
    assert caught.value.path == str(path)


@pytest.mark.parametrize("bits", [0x01, 0x40 | 0x01, 0x40])
def test_encrypted_member_is_refused(tmp_path, bits):
    path = zips.encrypted(tmp_path / "locked.zip", bits)
    with pytest.raises(InputError, match=r"zip member _chat\.txt is encrypted"):
        read_export(path)


def test_damage_behind_the_sniffed_bytes_of_a_media_member(tmp_path):
    path = zips.bad_media_tail(tmp_path / "tail.zip")
    export = read_all(path)  # the chat is intact, the media's first bytes too
    assert [m.name for m in export.media] == ["00000013-Report.pdf"]
    c = container.open_container(path)
    with pytest.raises(InputError, match=r"damaged zip file \(Bad CRC-32 for file "
                                         r"'00000013-Report\.pdf'\)"):
        list(c.media_digests(hashlib.sha256))


def test_media_digests_of_a_sound_zip(data):
    c = container.open_container(data / "formats" / "ios_with_media.zip")
    digests = dict((m.name, d) for m, d in c.media_digests(hashlib.sha256))
    with zipfile.ZipFile(data / "formats" / "ios_with_media.zip") as zf:
        assert digests == {m.name: hashlib.sha256(zf.read(m.name)).hexdigest()
                           for m in c.media}


def test_chat_bomb_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"zip member _chat\.txt is compressed \d+:1, which "
                                         "looks like a zip bomb"):
        read_export(zips.chat_bomb(tmp_path / "bomb.zip"))


def test_compressible_media_is_a_defect_not_a_refusal(tmp_path):
    path = zips.compressible_media(tmp_path / "WhatsApp Chat - Port Ops.zip")
    info = zipfile.ZipFile(path).getinfo("00000013-Report.pdf")
    assert info.file_size > container.RATIO_FLOOR
    assert info.file_size / info.compress_size > container.MAX_RATIO
    export = read_export(path)
    assert [m.name for m in export.media] == ["00000013-Report.pdf"]
    assert len(list(export.messages())) == 13
    assert [d.kind for d in export.defects] == ["compressed_media"]
    assert "00000013-Report.pdf is compressed" in str(export.defects[0])
    # A second read starts the defects afresh and still lists the container's.
    list(export.messages())
    assert [d.kind for d in export.defects] == ["compressed_media"]


def test_compressible_media_together_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(container, "MAX_CHAT_BYTES", 5 * 1024 * 1024)
    path = zips.compressible_media(tmp_path / "many.zip", size=3 * 1024 * 1024, count=2)
    with pytest.raises(InputError, match=r"compressed over 100:1 would unpack to \d+ bytes"):
        read_export(path)


def test_member_over_the_size_cap(tmp_path, monkeypatch, data):
    monkeypatch.setattr(container, "MAX_CHAT_BYTES", 1000)
    with pytest.raises(InputError, match=r"zip member _chat\.txt would unpack to \d+ bytes, "
                                         "more than the 1000 allowed"):
        read_export(data / "formats" / "ios_with_media.zip")


def test_too_many_members(tmp_path, monkeypatch, data):
    monkeypatch.setattr(container, "MAX_MEMBERS", 3)
    with pytest.raises(InputError, match="zip holds 4 members, more than 3"):
        read_export(data / "formats" / "ios_with_media.zip")


@pytest.mark.parametrize("build, found", [
    (zips.bad_crc_late, "damaged zip file (Bad CRC-32"),
    (zips.bad_deflate, "damaged zip file (member _chat.txt"),
    (zips.deflate64, "uses Deflate64 compression"),
    (zips.bad_media_head, "damaged zip file (member 00000013-Report.pdf"),
    (zips.bad_media_tail, "damaged zip file (Bad CRC-32 for file '00000013-Report.pdf')"),
])
def test_import_of_a_damaged_zip_fails_cleanly(archive, tmp_path, build, found):
    path = build(tmp_path / "WhatsApp Chat - Port Ops.zip")
    result = import_file(archive, path, LA)
    assert result.status == "failed"
    assert result.reason.startswith(str(path)) and found in result.reason
    assert "\n" not in result.reason
    with archive.begin() as session:  # nothing of it was kept
        assert session.scalar(select(func.count()).select_from(Export)) == 0
    assert not [p for p in archive.vault.root.rglob("*") if p.is_file()]


def test_import_keeps_a_compressible_attachment(archive, tmp_path):
    path = zips.compressible_media(tmp_path / "WhatsApp Chat - Port Ops.zip")
    result = import_file(archive, path, LA)
    assert result.status == "imported", result.reason
    assert result.messages == 13
    with archive.begin() as session:
        export = session.scalars(select(Export)).one()
        assert len(export.defects) == 1
        assert export.defects[0].startswith(
            "compressed media (zip member 00000013-Report.pdf is compressed ")
        sha = session.scalars(select(Attachment.sha256)).one()
    with zipfile.ZipFile(path) as zf:
        assert sha == hashlib.sha256(zf.read("00000013-Report.pdf")).hexdigest()
