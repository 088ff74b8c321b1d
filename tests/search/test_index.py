"""The index: written by the import in its transaction, built for existing archives by the
migration, ignored by `db check` and `verify`."""

from __future__ import annotations

import datetime as dt
import sys

from alembic import command
from sqlalchemy import func, select, text

from retainer.archive import schema
from retainer.archive.models import Message
from retainer.archive.verify import verify
from retainer.ingest.pipeline import import_file
from retainer.search.engine import search
from retainer.search.filters import Filters
from retainer.search.index import ID_MASK, rebuild, time_key
from retainer.search.query import parse
from tests.ingest.chats import ANDROID, write_export
from tests.search.conftest import OPTIONS


def index_rows(archive) -> int:
    with archive.read() as session:
        return session.scalar(text("SELECT count(*) FROM search_index"))


def lane(archive) -> list[int]:
    with archive.read() as session:
        return [h.message_id for h in search(session, parse("lane OR tariff*"), Filters())]


def test_the_import_indexes_every_message(corpus):
    with corpus.archive.read() as session:
        messages = session.scalar(select(func.count()).select_from(Message))
    assert index_rows(corpus.archive) == messages == 9


def test_an_existing_archive_gets_its_index_from_the_migration(corpus):
    archive = corpus.archive
    before = lane(archive)
    with archive.engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0002")
        assert "search_index" not in conn.dialect.get_table_names(conn)
    schema.upgrade(archive.engine)
    assert lane(archive) == before and len(before) == 6
    assert index_rows(archive) == 9
    assert schema.check(archive.engine) is None
    assert verify(archive).ok


def test_migration_0004_indexes_every_message_again_with_the_folds(corpus, tmp_path):
    from tests.search.conftest import add_chat

    archive = corpus.archive
    add_chat(archive, tmp_path / "folds", "Gdańsk Desk", [
        ("2021-05-01T08:00", "Dana Reyes", "Łódź and Ørsted, then Æsir (:fire:)")])
    with archive.engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0003")
        # The index as 0003 left it: here emptied, so only the upgrade can fill it.
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO search_index (search_index) VALUES ('delete-all')"))
        else:
            conn.execute(text("DELETE FROM search_index"))
    assert index_rows(archive) == 0
    schema.upgrade(archive.engine, backup=False)
    assert schema.current_revision(archive.engine) == "0004"
    assert index_rows(archive) == 10
    with archive.read() as session:
        for query in ("lodz", "orsted", "aesir"):
            assert [h.chat for h in search(session, parse(query), Filters())] == ["Gdańsk Desk"]
        assert {h.chat for h in search(session, parse(":fire:"), Filters())} == {
            "Gdańsk Desk", "Port Ops"}  # "(:fire:)" typed, and 🔥
        assert search(session, parse("fire"), Filters()) == []
    assert schema.check(archive.engine) is None
    if archive.dialect != "sqlite":  # the GIN index was built again
        with archive.engine.connect() as conn:
            assert conn.scalar(text("SELECT to_regclass('ix_search_index_words')"))


def counts(archive) -> tuple[int, int]:
    with archive.read() as session:
        return (session.scalar(select(func.count()).select_from(Message)),
                session.scalar(text("SELECT count(*) FROM search_index")))


def test_the_index_rolls_back_with_a_failed_import(archive, tmp_path, monkeypatch):
    """The index is written in the import's transaction: when the import fails after its
    messages and their index rows were written, neither stays; a clean import gives both."""
    import retainer.ingest.export  # noqa: F401 - loads the modules that index

    written: list[int] = []
    for name, module in list(sys.modules.items()):
        if name.startswith("retainer.ingest") and hasattr(module, "insert_rows"):
            def counting(*args, _index=module.insert_rows, **kwargs):
                written.append(_index(*args, **kwargs))
                return written[-1]
            monkeypatch.setattr(module, "insert_rows", counting)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.vault, "store_file", full_disk)  # after every batch
    messages = [(f"2021-05-01T08:{n:02d}", "Dana Reyes", f"lane report {n}") for n in range(40)]
    folder = tmp_path / "chat"
    folder.mkdir()
    path = write_export(folder / "WhatsApp Chat with Lanes.txt", ANDROID, messages)
    assert import_file(archive, path, OPTIONS).status == "failed"
    assert sum(written) == 40  # the index had its rows, in the transaction
    assert counts(archive) == (0, 0)
    monkeypatch.undo()
    assert import_file(archive, path, OPTIONS).status == "imported"
    assert counts(archive) == (40, 40)
    with archive.read() as session:
        assert len(search(session, parse("lane"), Filters(), limit=None)) == 40


def test_rebuild_gives_the_same_index(corpus):
    before = lane(corpus.archive)
    with corpus.archive.engine.begin() as conn:
        assert rebuild(conn) == 9
    assert lane(corpus.archive) == before


def test_the_time_key_sorts_like_sent_at_then_id():
    early = dt.datetime(2021, 3, 1, 8, tzinfo=dt.UTC)
    late = early + dt.timedelta(seconds=1)
    keys = [time_key(early, 5), time_key(early, 900), time_key(late, 2),
            time_key("2021-03-01 08:00:01.000000", 3)]
    assert keys == sorted(keys)
    assert [k & ID_MASK for k in keys] == [5, 900, 2, 3]
