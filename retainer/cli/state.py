"""What the commands share: the raw global options, the settings and the archive, loaded once
and only when a command needs them."""

from __future__ import annotations

from pathlib import Path

from retainer.archive import Archive
from retainer.archive.people import sync_people
from retainer.config import Settings, load_settings
from retainer.retention.schedule import find_schedules


def available_schedules(config_dir: Path, paths: tuple[Path, ...]) -> set[str]:
    """Ids of the schedules the configuration could use (checked by ``load_settings``)."""
    return set(find_schedules(paths, config_dir=config_dir, cwd=Path.cwd()))


class State(dict):
    """``ctx.obj``: a dict of the raw options (``config``, ``db``, ``operator``; and, once the
    settings are loaded, ``config_dir`` and ``schedule_paths``), plus lazy attributes."""

    def __init__(self, *, config: str | None, db: str | None, operator: str | None) -> None:
        super().__init__(config=config, db=db, operator=operator)
        self._settings: Settings | None = None
        self._archive: Archive | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self["config"], database_url=self["db"],
                                           known_schedules=available_schedules)
            self["config_dir"] = (self._settings.config_path.parent
                                  if self._settings.config_path else None)
            self["schedule_paths"] = list(self._settings.schedule_paths)
        return self._settings

    @property
    def archive(self) -> Archive:
        """The archive, opened once, with its people brought up to the configuration."""
        if self._archive is None:
            settings = self.settings
            self._archive = Archive.open(settings.database_url, settings.vault)
            with self._archive.begin() as session:
                sync_people(session, settings.people)
        return self._archive

    @property
    def operator(self) -> str | None:
        return self["operator"]

    def log(self, action: str, details: dict) -> None:
        """Append an audit entry for something an operator looked at (reports, explanations):
        what was asked and how much it showed, never message text (DESIGN §7)."""
        from retainer.archive.audit import current_operator, record

        with self.archive.begin() as session:
            record(session, action, current_operator(self.operator), details)

    def config_dir(self) -> Path | None:
        return self.get("config_dir")

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
