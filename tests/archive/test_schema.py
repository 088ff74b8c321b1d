"""Schema: migrations from empty on both databases, no drift, refusal of unknown schemas,
private files."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from retainer.archive import Archive, schema
from retainer.errors import ArchiveError


def test_migrations_run_from_empty_and_match_the_models(archive):
    # The fixture's archive was created by the migrations (SQLite: on first use;
    # PostgreSQL: `db upgrade` on the template). Its schema must equal the models.
    assert schema.current_revision(archive.engine) == schema.head_revision()
    assert schema.check(archive.engine) is None


def test_upgrade_from_empty_on_a_new_database(tmp_path):
    archive = Archive.open(f"sqlite:///{tmp_path / 'new.db'}", check_schema=False)
    assert schema.current_revision(archive.engine) is None
    assert schema.upgrade(archive.engine) is None  # nothing to back up yet
    assert schema.current_revision(archive.engine) == schema.head_revision()
    archive.close()


@pytest.mark.postgres
def test_an_empty_postgresql_database_is_not_created_silently(postgres_url):
    archive = Archive.open(postgres_url, check_schema=False)
    with archive.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        for table in reversed(__import__("retainer.archive.models", fromlist=["Base"])
                              .Base.metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE {table.name} CASCADE"))
    archive.close()
    with pytest.raises(ArchiveError, match="retainer db upgrade"):
        Archive.open(postgres_url)


def test_an_unknown_schema_is_refused(archive_url, tmp_path):
    archive = Archive.open(archive_url, tmp_path / "vault")
    with archive.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    archive.close()
    with pytest.raises(ArchiveError, match="newer version"):
        Archive.open(archive_url, tmp_path / "vault")


def test_sqlite_file_and_vault_are_private(tmp_path):
    archive = Archive.open(f"sqlite:///{tmp_path / 'archive.db'}", tmp_path / "vault")
    _, path = archive.vault.store_bytes(b"chat export bytes")
    archive.close()
    assert stat.S_IMODE((tmp_path / "archive.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o400
    assert stat.S_IMODE((tmp_path / "vault").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    archive = Archive.open(f"sqlite:///{tmp_path / 'archive.db'}")
    with archive.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    archive.close()


def test_an_archive_behind_the_code_is_refused_naming_db_upgrade(archive_url, tmp_path):
    archive = Archive.open(archive_url, tmp_path / "vault")
    with archive.engine.begin() as conn:  # as an archive written by an older retainer
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    archive.close()
    with pytest.raises(ArchiveError, match="retainer db upgrade"):
        Archive.open(archive_url, tmp_path / "vault")


def test_db_current_on_a_mistyped_path_creates_nothing(runner, tmp_path):
    from retainer.cli import cli

    missing = tmp_path / "typo.db"
    result = runner.invoke(cli, ["--db", f"sqlite:///{missing}", "db", "current"])
    assert result.exit_code == 1 and "no archive here yet" in result.output
    assert "Traceback" not in result.output and not missing.exists()
